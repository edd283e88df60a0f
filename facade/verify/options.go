package verify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/primaryconf"
)

// Querier asks one DNS server for a zone's SOA serial. Implementations must
// honour ctx (the per-query timeout is set on it), retry a truncated UDP
// answer over TCP, and classify failures so that errors.Is matches
// [ErrRefused], [ErrNotServing], [ErrWrongZone], [ErrTimeout] or
// [ErrUnreachable] where they apply; other errors are reported as
// unreachable (network errors) or as an error. The default
// querier (the module's own DNS client) does all of this.
type Querier interface {
	QuerySOA(ctx context.Context, server netip.AddrPort, zone string) (serial uint32, err error)
}

// SignedQuerier is an optional extension of [Querier]: it tells whether a
// zone is DNSSEC-signed at a server (it has a DNSKEY RRset at the apex).
// When the querier implements it and a provider cannot serve signed zones
// as a secondary (DNSimple), the primary is asked and a signed zone is
// flagged with a warning.
type SignedQuerier interface {
	Signed(ctx context.Context, server netip.AddrPort, zone string) (bool, error)
}

// Resolver turns a nameserver name into the addresses (with port) to query.
type Resolver interface {
	Resolve(ctx context.Context, host string) ([]netip.AddrPort, error)
}

// NetResolver resolves names with a [net.Resolver] (the system's resolver
// when R is nil) and queries them on Port (53 when 0).
type NetResolver struct {
	R    *net.Resolver
	Port uint16
}

// Resolve implements [Resolver].
func (n NetResolver) Resolve(ctx context.Context, host string) ([]netip.AddrPort, error) {
	r := n.R
	if r == nil {
		r = &net.Resolver{}
	}
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	port := n.Port
	if port == 0 {
		port = facade.DefaultPort
	}
	out := make([]netip.AddrPort, 0, len(addrs))
	for _, a := range addrs {
		out = append(out, netip.AddrPortFrom(a.Unmap(), port))
	}
	return out, nil
}

// StaticResolver resolves names from a fixed map (keys are compared in
// lower case without a trailing dot). A name that is not in the map is an
// error. It is meant for tests and for pinning addresses.
type StaticResolver map[string][]netip.AddrPort

// Resolve implements [Resolver].
func (s StaticResolver) Resolve(_ context.Context, host string) ([]netip.AddrPort, error) {
	key := canonicalHost(host)
	for k, v := range s {
		if canonicalHost(k) == key {
			return append([]netip.AddrPort(nil), v...), nil
		}
	}
	return nil, fmt.Errorf("%s: not in the static resolver's map", clip(host))
}

func canonicalHost(h string) string { return strings.TrimSuffix(strings.ToLower(h), ".") }

// Defaults of the options.
const (
	DefaultConcurrency  = 32
	DefaultQueryTimeout = 3 * time.Second
)

// config is what the options set.
type config struct {
	querier      Querier
	resolver     Resolver
	concurrency  int
	queryTimeout time.Duration
	logger       *slog.Logger
	now          func() time.Time
	previous     *Report
	nameservers  map[string][]string
	noSigned     bool
	registry     *primaryconf.Registry // nil: no hints (WithoutRegistry)
	registrySet  bool
}

// Option configures a [Verifier]. Options validate their argument; a bad
// one makes [New] fail with an error matching [facade.ErrInvalidInput].
type Option func(*config) error

// WithQuerier sets the SOA querier (default: the module's DNS client).
func WithQuerier(q Querier) Option {
	return func(c *config) error {
		if q == nil {
			return errors.New("querier must not be nil")
		}
		c.querier = q
		return nil
	}
}

// WithResolver sets how nameserver names become addresses (default:
// [NetResolver] with the system resolver and port 53).
func WithResolver(r Resolver) Option {
	return func(c *config) error {
		if r == nil {
			return errors.New("resolver must not be nil")
		}
		c.resolver = r
		return nil
	}
}

// WithConcurrency bounds the DNS queries and API calls in flight at once
// (default [DefaultConcurrency]); n must be at least 1.
func WithConcurrency(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("concurrency %d: must be at least 1", n)
		}
		c.concurrency = n
		return nil
	}
}

// WithQueryTimeout bounds each DNS query, including its TCP retry (default
// [DefaultQueryTimeout]); d must be positive. The caller's ctx bounds the
// whole run.
func WithQueryTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("query timeout %s: must be positive", d)
		}
		c.queryTimeout = d
		return nil
	}
}

// WithLogger logs each zone's outcome at debug level (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("logger must not be nil")
		}
		c.logger = l
		return nil
	}
}

// WithClock sets the clock used for the report's times and the age of the
// last transfer (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("clock must not be nil")
		}
		c.now = now
		return nil
	}
}

// WithPrevious gives the report of an earlier run (e.g. decoded from the
// JSON a cron job saved). A serial lower than the one the same server
// served then, at the primary or at a nameserver, is reported as having
// gone backwards.
func WithPrevious(r *Report) Option {
	return func(c *config) error {
		if r == nil {
			return errors.New("previous report must not be nil")
		}
		c.previous = r
		return nil
	}
}

// WithNameservers sets the nameservers to query for provider's zones when
// its API does not report them (DNSimple's secondary-zone API does not).
// Names given here are ignored for zones whose API view lists nameservers.
func WithNameservers(provider string, names ...string) Option {
	return func(c *config) error {
		if provider == "" {
			return errors.New("nameservers: provider must not be empty")
		}
		if len(names) == 0 {
			return fmt.Errorf("nameservers for %s: at least one name is required", provider)
		}
		for _, n := range names {
			if strings.TrimSpace(n) == "" || strings.ContainsAny(n, " \t\r\n") {
				return fmt.Errorf("nameservers for %s: invalid name %q", provider, clip(n))
			}
		}
		if c.nameservers == nil {
			c.nameservers = map[string][]string{}
		}
		c.nameservers[provider] = append([]string(nil), names...)
		return nil
	}
}

// WithoutSignedCheck skips the DNSSEC check: the primary is not asked
// whether the zone is signed, and no dnssec-dropped warning is given. The
// default querier's check transfers each zone (AXFR) from the primary; use
// this where the primary does not allow transfers to the verifying host.
func WithoutSignedCheck() Option {
	return func(c *config) error {
		c.noSigned = true
		return nil
	}
}

// WithRegistry sets the registry of provider facts used for the
// primary-side hint: when a provider reports a failed transfer, or one of its
// nameservers lags or does not serve the zone, the report says which
// addresses the primary must allow and notify for that provider, and whether
// the registry's facts are stale. The default is [primaryconf.Default].
func WithRegistry(r *primaryconf.Registry) Option {
	return func(c *config) error {
		if r == nil {
			return errors.New("registry must not be nil (use WithoutRegistry)")
		}
		c.registry, c.registrySet = r, true
		return nil
	}
}

// WithoutRegistry turns the primary-side hints off.
func WithoutRegistry() Option {
	return func(c *config) error {
		c.registry, c.registrySet = nil, true
		return nil
	}
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
