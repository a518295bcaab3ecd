package readycloud

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/orgsdk/orgsdk/internal/bound"
	"github.com/orgsdk/orgsdk/internal/transport"
)

// Organization is a ReadyCloud organization: a company that has orders from
// customers. The API sends no id field; its identity is its url, and
// decoding derives ID, the key that Get and Update take, from it.
//
// Fields marked "staging" appear in ReadyCloud's newer (staging) docs but not
// in the production docs; they are nil when the server does not send them.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/02-apireference-v2-01-organizations.html
type Organization struct {
	// ID is the organization's key, the opaque string Get and Update take:
	// the last path segment of URL, unescaped ("/api/v2/orgs/1/" and
	// "https://www.readycloud.com/api/v2/orgs/1/" both give "1"). Decoding
	// fills it from URL, since the wire has no id of its own (an "id" member
	// a server sends is ignored); an organization whose url yields no key is
	// a decode error, never an empty ID. It is written as "id" when the
	// struct is encoded.
	ID string `json:"id"`
	// URL is the organization's API address, "/api/v2/orgs/{pk}/" in the
	// docs and an absolute URI from a Django REST framework server.
	URL  string `json:"url"`
	Name string `json:"name"`
	// FeesPaidBy says who pays fees; null in the docs, so its values are
	// unknown.
	FeesPaidBy              *string `json:"fees_paid_by"`
	InsuranceChargesAllowed bool    `json:"insurance_charges_allowed"`
	// AppSeatLicenses is always empty in the docs, so the element shape is
	// unknown; each element is kept as raw JSON.
	AppSeatLicenses []json.RawMessage `json:"app_seat_licenses"`
	PaymentPlan     *PaymentPlan      `json:"payment_plan"`
	UserSlots       int               `json:"user_slots"`
	Subscriptions   Subscriptions     `json:"subscriptions"`
	// Avatar is the URL of the organization's image, or nil.
	Avatar  *string `json:"avatar"`
	Website *string `json:"website"`

	// BillingStatus (staging), e.g. "pending".
	BillingStatus *string `json:"billing_status,omitempty"`
	// DeletedAt (staging) is set once the organization is deleted.
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
	// TrialExpiresAt (staging) is when the trial ends.
	TrialExpiresAt *time.Time `json:"trial_expires_at,omitempty"`
	// WalletChargesAllowed (staging).
	WalletChargesAllowed *bool `json:"wallet_charges_allowed,omitempty"`
	// WalletAutoRefillLimit and WalletAutoRefillAmount (staging) are
	// amounts of money; null in the staging docs.
	WalletAutoRefillLimit  *Money `json:"wallet_auto_refill_limit,omitempty"`
	WalletAutoRefillAmount *Money `json:"wallet_auto_refill_amount,omitempty"`
	// EquipmentReturnsEnabled (staging).
	EquipmentReturnsEnabled *bool `json:"equipment_returns_enabled,omitempty"`
	// MemberWebsocketChannelID (staging) names the organization's push
	// channel.
	MemberWebsocketChannelID *string `json:"member_websocket_channel_id,omitempty"`
	// CachedOrdersViews (staging).
	CachedOrdersViews *bool `json:"cached_orders_views,omitempty"`
	// ActionAlertSendFromAlias (staging) is the sender alias of action
	// alert e-mails.
	ActionAlertSendFromAlias *string `json:"action_alert_send_from_alias,omitempty"`
	// ActionAlertCustomDomainEnabled (staging).
	ActionAlertCustomDomainEnabled *bool `json:"action_alert_custom_domain_enabled,omitempty"`
}

// UnmarshalJSON decodes an organization, deriving ID from its url (an
// error when the url has no key) and reading timestamps with or without
// fractional seconds, with or without a zone (a zone-less time is UTC), and
// null.
func (o *Organization) UnmarshalJSON(data []byte) error {
	aux := orgWire{plain: (*plain)(o)}
	if err := json.Unmarshal(data, &aux); err != nil {
		return pathOf(data, err)
	}
	return aux.finish(o)
}

// plain is Organization without its UnmarshalJSON, so decoding it does not
// recurse.
type plain Organization

// orgWire decodes an organization: the plain fields straight into the
// target; the timestamps through the lenient parser; the plan without
// going through PaymentPlan.UnmarshalJSON, which would scan it again. Its
// own fields shadow plain's (orgElem has the same ones).
type orgWire struct {
	*plain
	// ID swallows a stray "id" member: the identity comes from the url.
	ID             json.RawMessage `json:"id"`
	PaymentPlan    *planWire       `json:"payment_plan"`
	DeletedAt      *timestamp      `json:"deleted_at"`
	TrialExpiresAt *timestamp      `json:"trial_expires_at"`
}

func (w *orgWire) finish(o *Organization) error {
	return finishOrg(o, w.PaymentPlan, w.DeletedAt, w.TrialExpiresAt)
}

// finishOrg puts what the wire form decoded beside plain into o and
// derives the ids.
func finishOrg(o *Organization, plan *planWire, deleted, trial *timestamp) error {
	o.DeletedAt = deleted.ptr()
	o.TrialExpiresAt = trial.ptr()
	o.PaymentPlan = plan.result()
	return o.deriveID()
}

// deriveID sets ID from URL, or says why it cannot.
func (o *Organization) deriveID() error {
	if o.URL == "" {
		return errors.New(`organization has no "url", so no id`)
	}
	o.ID = pkFromURL(o.URL)
	if o.ID == "" {
		return errors.New(`organization "url" has no key (want …/orgs/{pk}/)`)
	}
	return nil
}

// PaymentPlan is the plan an organization pays for.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/02-apireference-v2-01-organizations.html
type PaymentPlan struct {
	// ID is the plan's key: the last path segment of URL, unescaped, as
	// for Organization.ID. Decoding fills it; it is "" when the url has
	// none (no call of this package takes a plan's key, so a plan without
	// one is not an error). It is written as "id" when the struct is
	// encoded.
	ID string `json:"id"`
	// URL is the plan's API address, "/api/v2/payments/plans/{pk}/".
	URL  string `json:"url"`
	Name string `json:"name"`
	// Price is the price per billing period, "0.00 USD" on the wire.
	Price Money `json:"price"`
	// BillingPeriod is e.g. "month".
	BillingPeriod string `json:"billing_period"`
	// Limit, Users, Integrations and Storage are the plan's quotas; -1
	// means unlimited.
	Limit        PlanLimit `json:"limit"`
	Users        PlanLimit `json:"users"`
	Integrations PlanLimit `json:"integrations"`
	Storage      PlanLimit `json:"storage"`
	// Extras is always empty in the docs; elements are kept as raw JSON.
	Extras []json.RawMessage `json:"extras"`
}

// UnmarshalJSON decodes a plan and derives ID from its url.
func (p *PaymentPlan) UnmarshalJSON(data []byte) error {
	var w planWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*p = *w.result()
	return nil
}

// planPlain is PaymentPlan without its UnmarshalJSON.
type planPlain PaymentPlan

// planWire decodes a plan; its ID swallows a stray "id" member, as
// orgWire's does.
type planWire struct {
	planPlain
	ID json.RawMessage `json:"id"`
}

// result is the decoded plan with its ID, pointing into w (nil for nil).
func (w *planWire) result() *PaymentPlan {
	if w == nil {
		return nil
	}
	p := (*PaymentPlan)(&w.planPlain)
	p.ID = pkFromURL(p.URL)
	return p
}

// Subscriptions counts the organization's add-on subscriptions.
type Subscriptions struct {
	Integration int `json:"integration"`
	Storage     int `json:"storage"`
	User        int `json:"user"`
}

// PlanLimit is a plan quota. ReadyCloud writes -1 for "no limit", which a
// plain int would let slip into arithmetic as a negative quota.
type PlanLimit int64

// NoLimit is the PlanLimit ReadyCloud sends for an unlimited quota.
const NoLimit PlanLimit = -1

// Unlimited reports whether the quota is unlimited (-1; any negative value
// is read the same way, since a negative quota means nothing else).
func (l PlanLimit) Unlimited() bool { return l < 0 }

// Value returns the quota and whether it applies at all.
func (l PlanLimit) Value() (n int64, limited bool) {
	if l.Unlimited() {
		return 0, false
	}
	return int64(l), true
}

// String returns "unlimited" or the number.
func (l PlanLimit) String() string {
	if l.Unlimited() {
		return "unlimited"
	}
	return strconv.FormatInt(int64(l), 10)
}

// UnmarshalJSON reads a JSON integer, or an integer in a string.
func (l *PlanLimit) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		return nil
	}
	digits := data
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		digits = []byte(strings.TrimSpace(s))
	}
	n, ok := transport.ParseInt(digits)
	if !ok {
		return fmt.Errorf("plan limit %s is not an integer", bound.Cut(string(data), 40))
	}
	*l = PlanLimit(n)
	return nil
}

// timestamp reads the timestamp forms a Django server writes.
type timestamp struct{ t time.Time }

var timestampLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
}

func (ts *timestamp) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return errors.New("timestamp must be a string")
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			ts.t = t
			return nil
		}
	}
	return fmt.Errorf("%q is not a timestamp", bound.Cut(s, 40))
}

// ptr returns nil for null and "" (json leaves the pointer nil for null).
func (ts *timestamp) ptr() *time.Time {
	if ts == nil || ts.t.IsZero() {
		return nil
	}
	t := ts.t
	return &t
}

// pkFromURL returns the last non-empty path segment of raw, unescaped, or
// "" when there is none. Decoding calls it for every organization, so the
// usual url (a path, or an http(s) URL, of plain characters) is read
// without url.Parse and its allocation; FuzzPKFromURL checks that the two
// ways agree.
func pkFromURL(raw string) string {
	if p, ok := plainPath(raw); ok {
		return lastSegment(p)
	}
	return pkFromParsedURL(raw)
}

// pkFromParsedURL is pkFromURL for any url: parsed, then unescaped.
func pkFromParsedURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	pk, err := url.PathUnescape(lastSegment(u.EscapedPath()))
	if err != nil {
		return ""
	}
	return pk
}

// lastSegment returns the last non-empty segment of an escaped path that
// has a "/" before it, or "".
func lastSegment(p string) string {
	p = strings.TrimRight(p, "/")
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return ""
	}
	return p[i+1:]
}

// plainPath returns the path of raw when raw needs no parsing beyond its
// scheme and host and its path no unescaping: a path that starts with a
// single "/", or http:// or https:// with a plain host (letters, digits,
// dots, hyphens, an optional numeric port) and a path, all of whose
// characters are unreserved or "/".
func plainPath(raw string) (string, bool) {
	p := raw
	if rest, ok := cutHTTPScheme(raw); ok {
		slash := strings.IndexByte(rest, '/')
		if slash <= 0 || !plainHost(rest[:slash]) {
			return "", false
		}
		p = rest[slash:]
	} else if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") {
		return "", false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; !isAlnum(c) && c != '/' && c != '-' && c != '.' && c != '_' && c != '~' {
			return "", false
		}
	}
	return p, true
}

func cutHTTPScheme(raw string) (string, bool) {
	if rest, ok := strings.CutPrefix(raw, "https://"); ok {
		return rest, true
	}
	return strings.CutPrefix(raw, "http://")
}

// plainHost reports whether h is a host name of letters, digits, dots and
// hyphens with an optional port of digits.
func plainHost(h string) bool {
	name, port, hasPort := strings.Cut(h, ":")
	if name == "" || (hasPort && port == "") {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isAlnum(c) && c != '.' && c != '-' {
			return false
		}
	}
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
