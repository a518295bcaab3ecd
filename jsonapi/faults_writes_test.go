package jsonapi_test

// Issue 22: the organization account password is a secret from the moment
// it is handed over. A hostile server echoes it (and the token) in every
// place it can: headers, error objects, a success document's attributes
// password attribute. Nothing the client hands back, logs or records may
// hold it, and no returned value has it decoded back. (Other attributes
// are the server's data and are returned as sent.)

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/internal/faulttest"
	"github.com/orgsdk/orgsdk/internal/recording"
	"github.com/orgsdk/orgsdk/jsonapi"
)

func TestSecretsAccountPassword(t *testing.T) {
	t.Parallel()
	for name, password := range faulttest.HostileTokens("pw") {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			const token = "ja-token-0123456789"
			echo := faulttest.EchoAll(password, token)
			quoted := strings.Trim(fmt.Sprintf("%q", echo), `"`)
			account := `{"id":"a1","type":"organization_accounts","attributes":{"username":"u","password":"` + quoted +
				`","created_at":"2022-01-01T00:00:00Z","updated_at":"2022-01-01T00:00:00Z","updated_in_db_at":"2022-01-01T00:00:00Z"}}`
			srv := faulttest.NewServer(t, func(rw http.ResponseWriter, r *http.Request, body []byte) bool {
				faulttest.SetSecretHeaders(rw.Header(), password)
				rw.Header().Set("Content-Type", jsonapi.MediaType)
				switch {
				case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/organization_accounts"):
					rw.WriteHeader(http.StatusCreated)
					_, _ = rw.Write([]byte(`{"data":` + account + `}`))
				case r.Method == http.MethodPatch && strings.HasSuffix(r.URL.Path, "/a1"):
					rw.WriteHeader(http.StatusConflict)
					_, _ = rw.Write([]byte(errorsDoc(409, echo+" "+string(body))))
				case r.Method == http.MethodPatch:
					rw.WriteHeader(http.StatusOK)
					_, _ = rw.Write([]byte(`{"data":` + account + `,"included":[{"id":"x","type":"organizations","attributes":{"name":"` + quoted + ``))
				default:
					rw.WriteHeader(http.StatusBadRequest)
					_, _ = rw.Write([]byte(errorsDoc(400, echo+" "+string(body))))
				}
				return true
			}, nil)
			trail := &faulttest.Trail{Dir: t.TempDir()}
			rec := &recording.Recorder{Dir: trail.Dir}
			c, err := jsonapi.NewClient(token, jsonapi.WithBaseURL(srv.URL+"/api/v2/"), jsonapi.WithLogger(trail.Logger()),
				jsonapi.WithRetryWait(time.Millisecond, 5*time.Millisecond), jsonapi.WithMaxRetries(1),
				jsonapi.WithHTTPClient(&http.Client{Transport: rec}))
			require.NoError(t, err)
			rec.Redact = c.Redact
			ctx := t.Context()
			in := &jsonapi.OrganizationAccountInput{OrganizationID: "o1", PersonID: "p1", Username: jsonapi.Set("u"), Password: jsonapi.Set(jsonapi.Secret(password))}
			trail.Text("input", fmt.Sprintf("%v %+v %#v %s", in, in, in, in.Password))

			a, resp, err := c.OrganizationAccounts.Create(ctx, in)
			require.NoError(t, err)
			trail.Call(resp, err)
			trail.Text("account", fmt.Sprintf("%+v %#v", a, a))

			in.UpdatedInDBAt = a.UpdatedInDBAt
			_, resp, err = c.OrganizationAccounts.Update(ctx, "a1", in)
			require.ErrorIs(t, err, jsonapi.ErrConflict)
			trail.Call(resp, err)
			for _, o := range jsonapi.ErrorObjects(err) {
				trail.Text("ErrorObject", fmt.Sprint(o))
			}
			// A truncated document fails to decode: its error and snippet too.
			_, resp, err = c.OrganizationAccounts.Update(ctx, "a2", in)
			var decErr *jsonapi.DecodeError
			require.ErrorAs(t, err, &decErr)
			trail.Call(resp, err)

			// Refused before I/O, and a server validation error.
			_, resp, err = c.OrganizationAccounts.Create(ctx, &jsonapi.OrganizationAccountInput{Password: in.Password})
			require.ErrorIs(t, err, jsonapi.ErrInvalidArgument)
			trail.Call(resp, err)
			_, resp, err = c.Organizations.Create(ctx, &jsonapi.OrganizationInput{Name: jsonapi.Set("x")})
			require.ErrorIs(t, err, jsonapi.ErrValidation)
			trail.Call(resp, err)

			require.Len(t, trail.Errors(), 4)
			trail.Audit(t, password, token)
			srv.AssertNoWriteTwice(t)
			assert.Equal(t, 1, srv.Count(http.MethodPost, "/api/v2/user/organization_accounts"))
		})
	}
}
