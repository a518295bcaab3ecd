package commvault_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orgsdk/orgsdk/commvault"
)

type wireLogin struct {
	XMLName  xml.Name
	Username string `json:"username" xml:"username,attr"`
	Password string `json:"password" xml:"password,attr"`
	Domain   string `json:"domain" xml:"domain,attr"`
	Timeout  int    `json:"timeout" xml:"timeout,attr"`
	DeviceID string `json:"deviceId" xml:"deviceId,attr"`
	// RenewLoginToken
	SessionID string `json:"sessionId" xml:"sessionId,attr"`
}

// TestWireRequests checks what goes on the wire: the Login body (base64
// password, domain, timeout, deviceId) in JSON and XML, no Authtoken on
// Login, the token verbatim on calls, and RenewLoginToken with the token
// and the login's deviceId.
func TestWireRequests(t *testing.T) {
	t.Parallel()
	for _, f := range []commvault.Format{commvault.JSON, commvault.XML} {
		t.Run(f.String(), func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var bodies []wireLogin
			var contentTypes, authtokens []string
			calls := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				data, _ := io.ReadAll(r.Body)
				var b wireLogin
				if f == commvault.XML {
					_ = xml.Unmarshal(data, &b)
				} else {
					_ = json.Unmarshal(data, &b)
				}
				mu.Lock()
				defer mu.Unlock()
				authtokens = append(authtokens, r.URL.Path+"="+r.Header.Get("Authtoken"))
				w.Header().Set("Content-Type", "application/json")
				switch r.URL.Path {
				case "/cv/api/Login":
					bodies = append(bodies, b)
					contentTypes = append(contentTypes, r.Header.Get("Content-Type"))
					_, _ = io.WriteString(w, `{"token":"QSDK first0token","userName":"u","errList":[]}`)
				case "/cv/api/RenewLoginToken":
					bodies = append(bodies, b)
					_, _ = io.WriteString(w, `{"token":"QSDK second0token","error":{}}`)
				case "/cv/api/Organization":
					calls++
					if calls == 1 {
						w.WriteHeader(http.StatusUnauthorized)
						_, _ = io.WriteString(w, `{"errorMessage":"Access denied","errorCode":5}`)
						return
					}
					_, _ = io.WriteString(w, `{"providers":[]}`)
				}
			}))
			defer srv.Close()
			c, err := commvault.NewClient(srv.URL+"/cv/api", commvault.WithCredentials("dom\\user", "pässwörd"),
				commvault.WithDomain("corp"), commvault.WithFormat(f), commvault.WithDeviceID("dev-42"),
				commvault.WithSessionTimeout(45*time.Minute))
			require.NoError(t, err)
			_, _, err = c.Organizations.List(context.Background(), nil)
			require.NoError(t, err)

			mu.Lock()
			defer mu.Unlock()
			require.Len(t, bodies, 2)
			login, renew := bodies[0], bodies[1]
			assert.Equal(t, "dom\\user", login.Username)
			assert.Equal(t, base64.StdEncoding.EncodeToString([]byte("pässwörd")), login.Password)
			assert.Equal(t, "corp", login.Domain)
			assert.Equal(t, 45, login.Timeout)
			assert.Equal(t, "dev-42", login.DeviceID)
			assert.Equal(t, "QSDK first0token", renew.SessionID)
			assert.Equal(t, "dev-42", renew.DeviceID)
			if f == commvault.XML {
				assert.Equal(t, "DM2ContentIndexing_CheckCredentialReq", login.XMLName.Local)
				assert.Equal(t, "application/xml", contentTypes[0])
			} else {
				assert.Equal(t, "application/json", contentTypes[0])
			}
			assert.Equal(t, []string{
				"/cv/api/Login=",
				"/cv/api/Organization=QSDK first0token",
				"/cv/api/RenewLoginToken=",
				"/cv/api/Organization=QSDK second0token",
			}, authtokens)
		})
	}
}
