package cloudflare

import (
	"context"
	"fmt"
	"iter"
	"net/http"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/gen/cloudflareapi"
)

// DefaultBaseURL is the Cloudflare API v4 base URL used unless
// [facade.WithBaseURL] overrides it.
const DefaultBaseURL = "https://api.cloudflare.com/client/v4"

// Client is a Cloudflare secondary DNS client for one account. It offers a
// typed method for every Cloudflare operation the SDK uses (zones, incoming
// zone transfer configuration, peers, TSIG keys, ACLs) and implements
// [facade.SecondaryDNS] on top of them.
//
// A Client is safe for concurrent use. Its token is never printed.
type Client struct {
	core      *facade.Core
	api       *cloudflareapi.ClientWithResponses
	accountID string

	ns neutralState // the neutral layer's caches (secondary.go)
}

var _ facade.SecondaryDNS = (*Client)(nil)

// New returns a Client for the Cloudflare account accountID (32 lower-case
// hexadecimal digits), authenticating with the API token (sent as a bearer
// token; it needs the Zone:Edit, DNS:Edit and Account "Secondary DNS"
// permissions for the operations used).
//
// opts are the shared [facade.Option]s: [facade.WithBaseURL],
// [facade.WithHTTPClient], [facade.WithUserAgent], [facade.WithRetryPolicy],
// [facade.WithLogger], [facade.WithMaxBodyBytes],
// [facade.WithPrivatePrimaries] and [facade.WithListLimits]. An empty token, an
// invalid account ID or an invalid option yields an [*facade.Error] of kind
// [facade.ErrInvalidInput] with Operation "New".
func New(token, accountID string, opts ...facade.Option) (*Client, error) {
	const op = "New"
	if err := checkHexID("account ID", accountID); err != nil {
		return nil, newErr(op, err)
	}
	core, err := facade.NewCore(facade.ProviderCloudflare, token, DefaultBaseURL, opts...)
	if err != nil {
		return nil, newErr(op, err)
	}
	api, err := cloudflareapi.NewClientWithResponses(core.BaseURL(), cloudflareapi.WithHTTPClient(core))
	if err != nil {
		return nil, core.Invalid(op, err)
	}
	return &Client{core: core, api: api, accountID: accountID}, nil
}

func newErr(op string, err error) error {
	e := facade.Invalid(op, err)
	e.Provider = facade.ProviderCloudflare
	return e
}

// Provider returns [facade.ProviderCloudflare].
func (c *Client) Provider() string { return facade.ProviderCloudflare }

// Capabilities reports what Cloudflare secondary zones support
// ([facade.SecondaryDNS]): forced transfers, TSIG, primaries on any port,
// the serial and time of the last transfer; no description and no
// per-primary status.
func (c *Client) Capabilities() facade.Capabilities {
	return facade.Capabilities{Transfer: true, TSIG: true, PrimaryPorts: true, Serial: true, LastTransfer: true}
}

// AccountID returns the account the client works in.
func (c *Client) AccountID() string { return c.accountID }

// String describes the client without its token.
func (c *Client) String() string {
	return fmt.Sprintf("cloudflare.Client{account: %s, core: %s}", c.accountID, c.core)
}

// GoString is like String, for %#v.
func (c *Client) GoString() string { return c.String() }

// Format prints [Client.String] for every verb, so that no verb reveals the
// token.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = fmt.Fprint(f, c.String()) }

// Stats returns the transport counters (requests, retries, ...) of the
// client's [facade.Core].
func (c *Client) Stats() facade.Stats { return c.core.Stats() }

// checkHexID validates a Cloudflare identifier: 32 lower-case hexadecimal
// digits. Errors are [*facade.Error] of kind [facade.ErrInvalidInput].
func checkHexID(field, id string) error {
	if err := facade.RequireID(field, id); err != nil {
		return err
	}
	if !isHexID(id) {
		return facade.Invalid("", fmt.Errorf("%s %q: must be 32 lower-case hexadecimal digits", field, clip(id, 64)))
	}
	return nil
}

func isHexID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		ch := id[i]
		if !(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f') {
			return false
		}
	}
	return true
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// invalid wraps a validation failure for operation op.
func (c *Client) invalid(op string, err error) error { return c.core.Invalid(op, err) }

// invalidf builds a validation failure for operation op.
func (c *Client) invalidf(op, format string, args ...any) error {
	return c.core.Invalid(op, fmt.Errorf(format, args...))
}

// unexpected reports a 2xx response that lacks what op needs (e.g. no
// "result") as [facade.ErrUnexpectedResponse], keeping status and request id.
func (c *Client) unexpected(op string, hr *http.Response, body []byte) error {
	return c.core.Check(op, hr, body, nil, false)
}

// singlePage adapts a non-paginated list call to facade.PaginateFor, so
// that every list of the package is an iter.Seq2 built the same way, with
// every error labelled with op.
func singlePage[T any](ctx context.Context, c *Client, op string, fetch func(ctx context.Context) ([]T, error)) iter.Seq2[T, error] {
	return facade.PaginateFor(ctx, c.core, op, func(ctx context.Context, _ string) ([]T, string, error) {
		items, err := fetch(ctx)
		return items, "", err
	})
}
