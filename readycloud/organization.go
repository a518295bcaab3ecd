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
// customers. It has no id field; its identity is its url, and PK derives the
// key that Get and Update take from it.
//
// Fields marked "staging" appear in ReadyCloud's newer (staging) docs but not
// in the production docs; they are nil when the server does not send them.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/02-apireference-v2-01-organizations.html
type Organization struct {
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

// PK returns the organization's key, the last path segment of its url
// ("/api/v2/orgs/1/" and "https://www.readycloud.com/api/v2/orgs/1/" both
// give "1"), unescaped. It returns "" when the url has no usable key.
func (o *Organization) PK() string {
	if o == nil {
		return ""
	}
	return pkFromURL(o.URL)
}

// UnmarshalJSON decodes an organization, reading timestamps with or without
// fractional seconds, with or without a zone (a zone-less time is UTC), and
// null.
func (o *Organization) UnmarshalJSON(data []byte) error {
	aux := orgWire{plain: (*plain)(o)}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	aux.finish(o)
	return nil
}

// plain is Organization without its UnmarshalJSON, so decoding it does not
// recurse.
type plain Organization

// orgWire decodes an organization: the plain fields straight into the
// target, the timestamps through the lenient parser.
type orgWire struct {
	*plain
	DeletedAt      *timestamp `json:"deleted_at"`
	TrialExpiresAt *timestamp `json:"trial_expires_at"`
}

func (w *orgWire) finish(o *Organization) {
	o.DeletedAt = w.DeletedAt.ptr()
	o.TrialExpiresAt = w.TrialExpiresAt.ptr()
}

// PaymentPlan is the plan an organization pays for.
//
// API docs: https://www.readycloud.com/static/api-doc/v2/02-apireference-v2-01-organizations.html
type PaymentPlan struct {
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

// PK returns the plan's key from its url, like Organization.PK.
func (p *PaymentPlan) PK() string {
	if p == nil {
		return ""
	}
	return pkFromURL(p.URL)
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

// pkFromURL returns the last non-empty path segment of raw, unescaped.
func pkFromURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	p := strings.TrimRight(u.EscapedPath(), "/")
	i := strings.LastIndexByte(p, '/')
	if i < 0 || i == len(p)-1 {
		return ""
	}
	pk, err := url.PathUnescape(p[i+1:])
	if err != nil {
		return ""
	}
	return pk
}
