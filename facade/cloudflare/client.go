package cloudflare

import (
	"context"
	"fmt"
	"iter"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/core"
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
	core      *core.Core
	api       *cloudflareapi.ClientWithResponses
	accountID string

	ns neutralState // the neutral layer's caches (secondary.go)

	// peers, tsigs and acls are the account-wide objects, all of one shape.
	peers objects[Peer, cloudflareapi.SecondaryDNSPeer, cloudflareapi.SecondaryDNSPeerInput]
	tsigs objects[TSIGKey, cloudflareapi.SecondaryDNSTsig, cloudflareapi.SecondaryDNSTsigInput]
	acls  objects[ACL, cloudflareapi.SecondaryDNSACL, cloudflareapi.SecondaryDNSACLInput]
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
	cc, err := core.NewCore(provider(), token, DefaultBaseURL, opts...)
	if err != nil {
		return nil, newErr(op, err)
	}
	api, err := cloudflareapi.NewClientWithResponses(cc.BaseURL(), cloudflareapi.WithHTTPClient(cc))
	if err != nil {
		return nil, cc.Invalid(op, err)
	}
	c := &Client{core: cc, api: api, accountID: accountID}
	c.peers, c.tsigs, c.acls = c.peerObjects(), c.tsigObjects(), c.aclObjects()
	return c, nil
}

// provider is what the core needs to know about Cloudflare: its name, where its
// answers carry a request ID and which error codes mean "already exists" (1061: "<zone> already exists"; 1049, "<zone> is not a registered domain", is invalid input).
func provider() core.Provider {
	return core.Provider{Name: facade.ProviderCloudflare, RequestIDHeaders: []string{"Cf-Ray"}, ConflictCodes: []string{"1061"}}
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
// client's [core.Core].
func (c *Client) Stats() facade.Stats { return c.core.Stats() }

// checkHexID validates a Cloudflare identifier: 32 lower-case hexadecimal
// digits. Errors are [*facade.Error] of kind [facade.ErrInvalidInput].
func checkHexID(field, id string) error {
	if err := core.RequireID(field, id); err != nil {
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

// envelope returns the check of one Cloudflare answer for op: through the
// core (status, error body, decoding), handing back the JSON envelope env
// picks from the response. It is curried so that a call reads
//
//	env, err := envelope(c, op, (*cloudflareapi.DeletePeerResponse).GetJSON200)(c.api.DeletePeerWithResponse(ctx, c.accountID, id))
func envelope[R core.Response, E any](c *Client, op string, env func(R) *E) func(R, error) (*E, error) {
	return func(rsp R, err error) (*E, error) { return core.Call(c.core, op, rsp, err, env) }
}

// result is [envelope] followed by the envelope's "result" (res picks it):
// the one place where a Cloudflare answer without its result (the
// {"success", "errors", "messages", "result"} envelope with a null or
// missing "result") is handled, as [facade.ErrUnexpectedResponse] keeping
// the status and request ID. check, if given, says what else is wrong with
// the result ("" for nothing), reported the same way.
func result[R core.Response, E, T any](c *Client, op string, env func(R) *E, res func(*E) *T, check ...func(*T) string) func(R, error) (*T, error) {
	return func(rsp R, err error) (*T, error) {
		e, err := core.Call(c.core, op, rsp, err, env)
		if err != nil {
			return nil, err
		}
		why := "response holds no \"result\""
		if r := res(e); r != nil {
			why = ""
			for _, f := range check {
				if why = f(r); why != "" {
					break
				}
			}
			if why == "" {
				return r, nil
			}
		}
		hr, body := rsp.Raw()
		return nil, c.core.Unexpected(op, hr, body, "%s", why)
	}
}

// objects is the shape Cloudflare gives its account-wide secondary DNS
// objects (peers, TSIG keys, ACLs), written once: list, get, create,
// update and delete by ID, where every ID is checked and every input
// validated before any request, and every answer's "result" is required
// (through [result]: a listed or created object must have its ID). T is the
// SDK's type, W the wire type, In the request body.
type objects[T, W, In any] struct {
	c *Client
	// what names the object in the ID argument ("<what> ID").
	what string
	// input validates v and builds the request body; its errors are
	// labelled with op.
	input func(op string, v T) (In, error)
	// id is v's ID.
	id func(v T) string
	// from converts a wire object.
	from func(w *W) T
	// The API calls, each returning the answer's "result".
	list   func(ctx context.Context, op string) (*[]W, error)
	get    func(ctx context.Context, op, id string) (*W, error)
	create func(ctx context.Context, op string, in In) (*W, error)
	update func(ctx context.Context, op, id string, in In) (*W, error)
	remove func(ctx context.Context, op, id string) error
}

// List iterates over every object (the API returns them in one page).
func (o objects[T, W, In]) List(ctx context.Context, op string) iter.Seq2[T, error] {
	return core.PaginateFor(ctx, o.c.core, op, func(ctx context.Context, _ string) ([]T, string, error) {
		ws, err := o.list(ctx, op)
		if err != nil {
			return nil, "", err
		}
		out := make([]T, len(*ws))
		for i := range *ws {
			out[i] = o.from(&(*ws)[i])
		}
		return out, "", nil
	})
}

// Get returns the object id; an unknown ID is [facade.ErrNotFound].
func (o objects[T, W, In]) Get(ctx context.Context, op, id string) (T, error) {
	var zero T
	if err := checkHexID(o.what+" ID", id); err != nil {
		return zero, o.c.invalid(op, err)
	}
	w, err := o.get(ctx, op, id)
	if err != nil {
		return zero, err
	}
	return o.from(w), nil
}

// Create creates v (its ID is ignored) and returns it with its new ID.
func (o objects[T, W, In]) Create(ctx context.Context, op string, v T) (T, error) {
	var zero T
	in, err := o.input(op, v)
	if err != nil {
		return zero, err
	}
	w, err := o.create(ctx, op, in)
	if err != nil {
		return zero, err
	}
	return o.from(w), nil
}

// Update replaces the object with v's ID by v.
func (o objects[T, W, In]) Update(ctx context.Context, op string, v T) (T, error) {
	var zero T
	if err := checkHexID(o.what+" ID", o.id(v)); err != nil {
		return zero, o.c.invalid(op, err)
	}
	in, err := o.input(op, v)
	if err != nil {
		return zero, err
	}
	w, err := o.update(ctx, op, o.id(v), in)
	if err != nil {
		return zero, err
	}
	return o.from(w), nil
}

// Delete deletes the object id.
func (o objects[T, W, In]) Delete(ctx context.Context, op, id string) error {
	if err := checkHexID(o.what+" ID", id); err != nil {
		return o.c.invalid(op, err)
	}
	return o.remove(ctx, op, id)
}

// hasIDs returns the check of a listing whose items must have their ID.
func hasIDs[W any](what string, id func(*W) *string) func(*[]W) string {
	return func(ws *[]W) string {
		for i := range *ws {
			if deref(id(&(*ws)[i])) == "" {
				return what + " list item " + itoa(i) + " has no id"
			}
		}
		return ""
	}
}

// hasID returns the check of a created object, which must have its ID.
func hasID[W any](what string, id func(*W) *string) func(*W) string {
	return func(w *W) string {
		if deref(id(w)) == "" {
			return "the created " + what + " has no id"
		}
		return ""
	}
}
