package commvault

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/orgsdk/orgsdk/internal/transport"
)

// LoginInfo describes the logged-in user. The session token is kept inside
// the client and deliberately not exposed here, and no text field holds any
// secret the client knows (a server that echoes the password as the user
// name gets it replaced).
//
// API doc: https://documentation.commvault.com/11.20/rest_api_authentication_post_login.html
type LoginInfo struct {
	UserName             string       `json:"userName" xml:"userName,attr"`
	AliasName            string       `json:"aliasName" xml:"aliasName,attr"`
	UserGUID             string       `json:"userGUID" xml:"userGUID,attr"`
	SMTPAddress          string       `json:"smtpAddress" xml:"smtpAddress,attr"`
	ProviderType         Int          `json:"providerType" xml:"providerType,attr"`
	CCN                  Int          `json:"ccn" xml:"ccn,attr"`
	Capability           Int          `json:"capability" xml:"capability,attr"`
	ForcePasswordChange  Flag         `json:"forcePasswordChange" xml:"forcePasswordChange,attr"`
	IsAccountLocked      Flag         `json:"isAccountLocked" xml:"isAccountLocked,attr"`
	LoginAttempts        Int          `json:"loginAttempts" xml:"loginAttempts,attr"`
	RemainingLockTime    Int          `json:"remainingLockTime" xml:"remainingLockTime,attr"`
	OwnerOrganization    *ProviderRef `json:"ownerOrganization,omitempty" xml:"ownerOrganization"`
	ProviderOrganization *ProviderRef `json:"providerOrganization,omitempty" xml:"providerOrganization"`
	// AdditionalResp carries name-value pairs some servers add (the
	// official Terraform provider reads additionalResp.nameValues; nil
	// when absent).
	AdditionalResp *AdditionalResp `json:"additionalResp,omitempty" xml:"additionalResp"`
}

// AdditionalResp is a login answer's additionalResp.
type AdditionalResp struct {
	NameValues []NameValue `json:"nameValues,omitempty" xml:"nameValues"`
}

// NameValue is one name-value pair.
type NameValue struct {
	Name  string `json:"name" xml:"name,attr"`
	Value string `json:"value" xml:"value,attr"`
}

// scrub removes every secret the client holds from the text fields of a
// login answer, which a server may fill with what it was sent.
func (l *LoginInfo) scrub(s *transport.Secrets) {
	l.UserName, l.AliasName, l.UserGUID, l.SMTPAddress = s.Scrub(l.UserName), s.Scrub(l.AliasName), s.Scrub(l.UserGUID), s.Scrub(l.SMTPAddress)
	for _, ref := range []*ProviderRef{l.OwnerOrganization, l.ProviderOrganization} {
		if ref != nil {
			ref.ProviderDomainName, ref.GUID = s.Scrub(ref.ProviderDomainName), s.Scrub(ref.GUID)
		}
	}
	if l.AdditionalResp != nil {
		for i := range l.AdditionalResp.NameValues {
			nv := &l.AdditionalResp.NameValues[i]
			nv.Name, nv.Value = s.Scrub(nv.Name), s.Scrub(nv.Value)
		}
	}
}

// ProviderRef names the organization a user belongs to (0 is the CommCell).
type ProviderRef struct {
	ProviderID         Int    `json:"providerId" xml:"providerId,attr"`
	ProviderDomainName string `json:"providerDomainName" xml:"providerDomainName,attr"`
	// GUID is the organization's GUID (its providerGUID in the list): the
	// official Terraform provider reads it; a 2015 recorded answer has
	// none ("").
	GUID string `json:"GUID,omitempty" xml:"GUID,attr"`
}

type loginWire struct {
	errFields
	LoginInfo
	Token string `json:"token" xml:"token,attr"`
	// Data is Commvault Cloud's (SaaS) form of the answer:
	// {"data":{"authToken":"QSDK ..."}}.
	Data *struct {
		AuthToken string `json:"authToken" xml:"authToken,attr"`
	} `json:"data,omitempty" xml:"data"`
}

// loginRequest is the Login body; in XML the same fields are attributes of
// DM2ContentIndexing_CheckCredentialReq.
type loginRequest struct {
	XMLName  xml.Name `json:"-" xml:"DM2ContentIndexing_CheckCredentialReq"`
	Username string   `json:"username" xml:"username,attr"`
	Password string   `json:"password" xml:"password,attr"`
	Domain   string   `json:"domain" xml:"domain,attr"`
	Timeout  int      `json:"timeout" xml:"timeout,attr"`
	DeviceID string   `json:"deviceId" xml:"deviceId,attr"`
}

type renewRequest struct {
	XMLName   xml.Name `json:"-" xml:"DM2ContentIndexing_RenewLoginTokenReq"`
	SessionID string   `json:"sessionId" xml:"sessionId,attr"`
	DeviceID  string   `json:"deviceId" xml:"deviceId,attr"`
}

type renewWire struct {
	errFields
	Token string `json:"token" xml:"token,attr"`
}

// body encodes v in the client's format.
func (c *Client) body(r *transport.Request, v any) error {
	if c.format == XML {
		data, err := xml.Marshal(v)
		if err != nil {
			return invalidArgument("cannot encode request body: %v", err)
		}
		r.Body, r.ContentType = data, "application/xml"
		return nil
	}
	r.Body, r.ContentType = v, "application/json"
	return nil
}

// Login logs in with the credentials given to WithCredentials, replacing
// any current token. Calling it is optional: the first API call logs in
// when needed. A rejected login (which Commvault answers with HTTP 200) is
// an *APIError whose message says why; a locked account also carries the
// remaining lock time in RetryAfter.
//
// API doc: https://documentation.commvault.com/11.20/rest_api_authentication_post_login.html
func (c *Client) Login(ctx context.Context) (*LoginInfo, *Response, error) {
	if ctx == nil {
		return nil, nil, invalidArgument("nil context")
	}
	if !c.hasCreds {
		return nil, nil, invalidArgument("Login needs WithCredentials; this client only has a token")
	}
	if err := c.lock(ctx); err != nil {
		return nil, nil, err
	}
	defer c.unlock()
	return c.login(ctx)
}

// login does POST Login; the caller holds sem.
func (c *Client) login(ctx context.Context) (*LoginInfo, *Response, error) {
	r := c.request(http.MethodPost, "Login")
	r.NoAuth = true
	if err := c.body(r, &loginRequest{
		Username: c.username,
		Password: c.password64,
		Domain:   c.domain,
		Timeout:  c.timeoutMin,
		DeviceID: c.deviceID,
	}); err != nil {
		return nil, nil, err
	}
	var w loginWire
	resp, err := c.send(ctx, r, func(_ *http.Response, body []byte) error {
		return decodeLogin(body, &w, c.secrets)
	})
	if err != nil {
		return nil, resp, err
	}
	c.setToken(normalizeToken(strings.TrimSpace(w.Token)), true)
	// The user this client logged in as, not whatever userName the server
	// sent back (issue 19.3: an echo of the password, say).
	c.logger.LogAttrs(ctx, slog.LevelDebug, "commvault: logged in",
		slog.String("user", c.username))
	info := w.LoginInfo
	info.scrub(c.secrets)
	return &info, resp, nil
}

// decodeLogin reads a Login answer in one pass. Without a token it is a
// failed login, whatever the status: the APIError says why from errList
// (or any other error shape) and the lock state.
func decodeLogin(body []byte, w *loginWire, secrets *transport.Secrets) error {
	derr := decodeBody(body, w, true)
	if w.Token == "" && w.Data != nil {
		w.Token = w.Data.AuthToken
	}
	if w.Token != "" {
		// Session tokens rotate on every renewal; the scrubber keeps the
		// recent ones and never evicts the password for them.
		secrets.AddSession(w.Token, strings.TrimSpace(strings.TrimPrefix(w.Token, "QSDK ")))
	}
	if derr == nil && strings.TrimSpace(w.Token) != "" {
		return checkSessionToken(w.Token)
	}
	var ae *APIError
	if !errors.As(derr, &ae) {
		if derr != nil {
			return derr
		}
		ae = &APIError{Message: "no token in the answer"}
	}
	msg := "login failed: " + ae.Message
	if bool(w.IsAccountLocked) {
		msg += "; the account is locked"
		if w.RemainingLockTime > 0 {
			ae.RetryAfter = time.Duration(w.RemainingLockTime) * time.Second
			msg += fmt.Sprintf(" for another %s", ae.RetryAfter)
		}
	}
	if w.ForcePasswordChange {
		msg += "; the password must be changed"
	}
	ae.Message = msg
	return ae
}

// checkSessionToken refuses a token from the server that cannot go in the
// Authtoken header: net/http would refuse every later request, the same way
// each time.
func checkSessionToken(tok string) error {
	if !transport.ValidHeaderValue(tok) {
		return errors.New("the session token in the answer has a control character, which no HTTP header may carry")
	}
	return nil
}

// renew does POST RenewLoginToken with the login's deviceId; the caller
// holds sem.
//
// Modelled on the official Python SDK (cvpysdk), which renews this way on a
// 401 with up to three tries; this client tries once, then logs in again.
func (c *Client) renew(ctx context.Context, tok string) error {
	r := c.request(http.MethodPost, "RenewLoginToken")
	r.NoAuth = true
	if err := c.body(r, &renewRequest{SessionID: tok, DeviceID: c.deviceID}); err != nil {
		return err
	}
	var w renewWire
	_, err := c.send(ctx, r, func(_ *http.Response, body []byte) error {
		err := decodeBody(body, &w, false)
		if w.Token != "" {
			c.addSecret(w.Token, strings.TrimSpace(strings.TrimPrefix(w.Token, "QSDK ")))
		}
		if err != nil {
			return err
		}
		if strings.TrimSpace(w.Token) == "" {
			return errors.New("no token in the RenewLoginToken answer")
		}
		return checkSessionToken(w.Token)
	})
	if err != nil {
		return err
	}
	c.setToken(normalizeToken(strings.TrimSpace(w.Token)), true)
	c.logger.LogAttrs(ctx, slog.LevelDebug, "commvault: token renewed")
	return nil
}

// Logout ends the session and forgets the token. Without a session it does
// nothing. A client with credentials logs in again on its next call.
//
// API doc (authentication): https://documentation.commvault.com/11.20/rest_api_authentication_post_login.html
func (c *Client) Logout(ctx context.Context) (*Response, error) {
	if ctx == nil {
		return nil, invalidArgument("nil context")
	}
	if err := c.lock(ctx); err != nil {
		return nil, err
	}
	defer c.unlock()
	if tok, _, _ := c.current(); tok == "" {
		return nil, nil
	}
	r := c.request(http.MethodPost, "Logout")
	r.Accept = "text/plain, " + c.format.mediaType()
	r.Expect = append([]string{"text/plain"}, expectMedia...)
	resp, err := c.send(ctx, r, func(_ *http.Response, body []byte) error {
		if ae := detectError(body, false); ae != nil {
			return ae
		}
		return nil
	})
	if err != nil && !isUnauthorized(err) {
		return resp, err
	}
	// A 401 means the session had already ended: the goal is reached.
	c.setToken("", false)
	c.logger.LogAttrs(ctx, slog.LevelDebug, "commvault: logged out")
	return resp, nil
}
