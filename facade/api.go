package facade

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"strings"
	"time"

	"github.com/secondarydns/secondarydns-go/facade/internal/text"
)

// SecondaryDNS is the provider-neutral secondary-zone API. The adapters in
// facade/ionos, facade/dnsimple and facade/cloudflare implement it.
//
// Contract shared by all methods:
//   - Zone names are normalised with [NormalizeZoneName] before anything
//     else; an invalid name fails with [ErrInvalidInput] and no request is
//     sent. That includes a name IDNA mapping would change beyond case, the
//     trailing dot and U-label to A-label conversion ("ex\u200bample.com",
//     with a zero-width space, is refused, not turned into example.com).
//     Names in returned values are normalised too (lower-case A-labels, no
//     trailing dot).
//   - Primaries are validated with [ValidatePrimaries] and
//     [CheckPrimaryAddr] before any request: addresses no hosted provider
//     can transfer from (unspecified, broadcast, reserved, multicast,
//     link-local) are always refused, loopback and private ones unless the
//     client was created with [WithPrivatePrimaries].
//   - The server is not trusted. A method addressing a zone by name acts
//     only on a zone the server reports under that name (and, where known,
//     that ID): an answer about another zone is an [ErrUnexpectedResponse]
//     error and nothing is changed. A 2xx answer without the expected
//     resource (an empty object, null, another resource, a zone without id
//     or name) is [ErrUnexpectedResponse] too, never [ErrNotFound] and never
//     a zero value with a nil error; it keeps the status and request id.
//     Listings are bounded whatever the server says (see [ListLimits]).
//   - Every error is an [*Error] with Provider and Operation (the method name,
//     e.g. "GetZone") set; classify it with errors.Is and the Err* sentinels.
//   - ctx governs every HTTP request and every wait, including retry
//     backoffs and the wait for a client's own lock serialising the
//     creation of account objects (peers, primary servers); cancellation
//     returns promptly with an error matching
//     context.Canceled (or context.DeadlineExceeded), after at most the
//     clean-up a multi-request method owes (see CreateZone).
//   - Implementations are safe for concurrent use.
type SecondaryDNS interface {
	// Provider returns the provider name, e.g. [ProviderCloudflare].
	Provider() string

	// Capabilities tells what this provider's secondary zones support, so
	// that a caller can decide before calling. Asking for something a
	// provider lacks anyway fails with [ErrUnsupported] (which also matches
	// errors.ErrUnsupported) before any request is sent. It does no I/O.
	Capabilities() Capabilities

	// ListZones iterates over the account's secondary zones; primary
	// zones are skipped. Pages are fetched lazily via [PaginateUnique]; an
	// error is yielded once, last. A zone the server lists twice (e.g.
	// shifted by a concurrent creation) is yielded once; a server that
	// repeats a page, or reports more pages or zones than the client's
	// [ListLimits], ends the listing with [ErrUnexpectedResponse].
	ListZones(ctx context.Context) iter.Seq2[Zone, error]

	// GetZone returns the secondary zone called name, or an error matching
	// [ErrNotFound] if there is none (a primary zone of that name also
	// counts as absent). It never returns a zone of another name: a server
	// answering with one yields [ErrUnexpectedResponse].
	GetZone(ctx context.Context, name string) (Zone, error)

	// CreateZone creates a secondary zone transferring from primaries. It
	// fails with [ErrConflict] if a zone of that name already exists. If a
	// provider needs several requests (e.g. create a TSIG key, then the
	// zone, then link them), a failure part-way is rolled back on a
	// best-effort basis so that nothing is left half-created; the returned
	// error describes the original failure. That includes the caller
	// cancelling ctx while a request is in flight, and a request whose
	// answer was lost: what it may have created is looked up and deleted.
	// The clean-up outlives ctx for up to [CleanupTimeout], so a cancelled CreateZone returns once it is done.
	// With [WithWaitUntilAvailable] it polls until the provider reports the
	// zone usable ([ReadinessReady]) or ctx ends. A wait that fails (ctx
	// ended, the provider reports [ReadinessFailed], a poll failed) keeps
	// the created zone: CreateZone then returns the zone as last read (at
	// least as created, so Provider, ID and Name are set) together with a
	// non-nil error; callers test the error first and may delete the zone.
	CreateZone(ctx context.Context, name string, primaries []Primary, opts ...CreateOption) (Zone, error)

	// SetPrimaries replaces the zone's primaries with the given list (which
	// must be non-empty) and returns the updated zone.
	SetPrimaries(ctx context.Context, name string, primaries []Primary) (Zone, error)

	// DeleteZone deletes the secondary zone. Deleting an absent zone fails
	// with [ErrNotFound]; callers wanting idempotence test for it. It
	// deletes nothing when the server's answer about name concerns another
	// zone ([ErrUnexpectedResponse]).
	DeleteZone(ctx context.Context, name string) error

	// Transfer asks the provider to refresh the zone from its primaries
	// now (an AXFR/IXFR trigger). It returns once the provider accepted the
	// request, not when the transfer finished; see TransferStatus.
	Transfer(ctx context.Context, name string) error

	// TransferStatus reports the zone's last transfer and, where the
	// provider exposes it, per-primary status. Fields the provider does not
	// report are zero.
	TransferStatus(ctx context.Context, name string) (TransferStatus, error)
}

// Zone is a secondary zone as seen by the facade.
type Zone struct {
	// Provider is the provider name, e.g. [ProviderIONOS].
	Provider string
	// ID is the provider's identifier of the zone (for DNSimple, which
	// addresses zones by name, the numeric id as a string).
	ID string
	// Name is the normalised zone name (lower-case A-labels, no trailing
	// dot).
	Name string
	// Primaries are the servers the zone transfers from, each with its
	// effective port (53 where the provider has no port setting), in the
	// provider's order. Compare them with [EqualPrimaries].
	Primaries []Primary
	// State is the provider's zone state in lower case, e.g. "available",
	// "provisioning", "active", "pending"; empty if not reported. Values are
	// provider-specific; [Zone.Readiness] is the same fact in neutral terms.
	State string
	// Readiness is the provider-independent reading of State: whether the
	// provider serves the zone yet.
	Readiness Readiness
	// Nameservers are the provider's authoritative servers for the zone.
	Nameservers []string
	// Serial is the SOA serial of the last transferred version, 0 if unknown.
	Serial uint32
	// LastTransfer is when the zone was last transferred, zero if unknown.
	LastTransfer time.Time
	// TSIGKey is the name of the TSIG key used for transfers, if any.
	TSIGKey string
}

// Readiness is the provider-independent reading of a zone's state.
type Readiness string

// The readiness values. Each adapter documents how its provider's states
// map to them.
const (
	// ReadinessUnknown: the provider reported no state, or one the adapter
	// does not know.
	ReadinessUnknown Readiness = "unknown"
	// ReadinessPending: the zone exists but the provider does not serve it
	// yet (provisioning, waiting for its first transfer or its
	// configuration).
	ReadinessPending Readiness = "pending"
	// ReadinessReady: the provider serves the zone.
	ReadinessReady Readiness = "ready"
	// ReadinessFailed: the provider gave up setting the zone up; it will
	// not become ready without a change.
	ReadinessFailed Readiness = "failed"
)

// Capabilities tells what a provider's secondary zones support (see
// [SecondaryDNS.Capabilities]). A false Transfer, TSIG or PrimaryPorts
// means the matching request fails with [ErrUnsupported] before anything is
// sent; a false Description means [WithDescription] is accepted and ignored
// (a note, not a setting the zone depends on); a false reporting field
// (Serial, LastTransfer, PrimaryStatus) means the value stays zero.
type Capabilities struct {
	// Transfer: [SecondaryDNS.Transfer] can trigger a transfer.
	Transfer bool
	// TSIG: [WithTSIG] is accepted.
	TSIG bool
	// PrimaryPorts: primaries may listen on ports other than 53.
	PrimaryPorts bool
	// Description: [WithDescription] is stored with the zone.
	Description bool
	// Serial: zones and transfer statuses report the SOA serial.
	Serial bool
	// LastTransfer: zones and transfer statuses report when the zone was
	// last transferred.
	LastTransfer bool
	// PrimaryStatus: [SecondaryDNS.TransferStatus] reports per-primary
	// status.
	PrimaryStatus bool
}

// TransferStatus describes a zone's transfer state.
type TransferStatus struct {
	// Zone is the normalised zone name.
	Zone string
	// LastTransfer is when the last successful transfer happened, zero if
	// unknown or never.
	LastTransfer time.Time
	// Serial is the SOA serial of the transferred zone, 0 if unknown.
	Serial uint32
	// Primaries holds per-primary status where the provider reports it.
	Primaries []PrimaryStatus
}

// PrimaryStatus is the transfer status of one primary.
type PrimaryStatus struct {
	// Primary is the server.
	Primary Primary
	// Status is the provider's status in lower case, e.g. "ok", "failed".
	Status string
	// Error is the provider's error message for a failed transfer, if any.
	Error string
}

// TSIG is a transaction signature key for zone transfers (RFC 8945).
type TSIG struct {
	// Name is the key name, e.g. "transfer-key.example.".
	Name string
	// Algorithm is the lower-case algorithm name, e.g. "hmac-sha256"; see
	// [TSIG.Validate].
	Algorithm string
	// Secret is the base64-encoded shared secret. It never prints.
	Secret Secret
}

// String describes the key without its secret.
func (t TSIG) String() string {
	return fmt.Sprintf("TSIG{Name: %q, Algorithm: %q, Secret: %s}", t.Name, t.Algorithm, redacted)
}

// GoString is like String, for %#v.
func (t TSIG) GoString() string { return t.String() }

// Format prints [TSIG.String] for every verb, so that no verb (not even a
// wrong one, which would bypass Secret's own formatting) reveals the secret.
func (t TSIG) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, t.String()) }

// LogValue implements slog.LogValuer without the secret.
func (t TSIG) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", t.Name), slog.String("algorithm", t.Algorithm), slog.String("secret", redacted))
}

// tsigAlgorithms are the algorithms accepted by [TSIG.Validate].
var tsigAlgorithms = []string{"hmac-md5", "hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512"}

// Validate checks the key before any request: a non-empty name without
// whitespace, an algorithm among hmac-md5, hmac-sha1, hmac-sha224,
// hmac-sha256, hmac-sha384 and hmac-sha512 (case-insensitive, with or
// without the ".sig-alg.reg.int." suffix of hmac-md5), and a non-empty
// standard-base64 secret. Errors are [*Error] of kind [ErrInvalidInput] and
// never contain the secret.
func (t TSIG) Validate() error {
	if msg := text.IDProblem("TSIG name", t.Name); msg != "" {
		return invalidf(msg)
	}
	alg := strings.TrimSuffix(strings.ToLower(t.Algorithm), ".sig-alg.reg.int.")
	alg = strings.TrimSuffix(alg, ".sig-alg.reg.int")
	found := false
	for _, a := range tsigAlgorithms {
		found = found || a == alg
	}
	if !found {
		return invalidf(fmt.Sprintf("TSIG algorithm %q: unsupported", text.Clip(t.Algorithm, 64)))
	}
	if t.Secret.IsZero() {
		return invalidf("TSIG secret: must not be empty")
	}
	if _, err := base64.StdEncoding.DecodeString(t.Secret.Reveal()); err != nil {
		return invalidf("TSIG secret: not valid base64")
	}
	return nil
}

// CreateOptions collects the [CreateOption]s given to
// [SecondaryDNS.CreateZone]: a CreateOption sets its fields.
type CreateOptions struct {
	// TSIG, if set, is used to authenticate zone transfers.
	TSIG *TSIG
	// WaitAvailable makes CreateZone poll until the zone is usable.
	WaitAvailable bool
	// Description is a free-text note stored with the zone where the
	// provider supports one, ignored otherwise.
	Description string
}

// CreateOption configures [SecondaryDNS.CreateZone].
type CreateOption func(*CreateOptions)

// WithTSIG makes the zone's transfers use the TSIG key t. Adapters validate
// it with [TSIG.Validate] before any request.
func WithTSIG(t TSIG) CreateOption {
	return func(o *CreateOptions) { o.TSIG = &t }
}

// WithWaitUntilAvailable makes CreateZone return only once the provider
// reports the zone usable (or ctx ends).
func WithWaitUntilAvailable() CreateOption {
	return func(o *CreateOptions) { o.WaitAvailable = true }
}

// WithDescription stores a free-text description with the zone where the
// provider supports one.
func WithDescription(d string) CreateOption {
	return func(o *CreateOptions) { o.Description = d }
}

// CleanupTimeout bounds the clean-up requests with which a provider client
// undoes a multi-request operation that failed part-way (e.g. deleting
// what a failed CreateZone created). The clean-up outlives the caller's
// cancellation, so a call cancelled part-way returns once its clean-up is
// done: promptly against a responsive API, after at most CleanupTimeout
// against one that stalls.
const CleanupTimeout = 30 * time.Second
