// Package primary is a small in-process primary name server on
// internal/dnswire: it serves zones on loopback (UDP and TCP), answers AXFR
// (optionally only with a TSIG key), and on every change bumps the SOA
// serial and sends NOTIFY to the targets registered for the zone. The demo
// and tests use it where a real primary (Knot) is not needed.
package primary

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/internal/dnswire"
)

// ExampleZone is a small zone file for name with the given serial: SOA, two
// NS and a few addresses, all in documentation ranges.
func ExampleZone(name string, serial uint32) string {
	name = strings.TrimSuffix(name, ".") + "."
	return fmt.Sprintf(`$ORIGIN %s
$TTL 300
@	IN	SOA	ns1 hostmaster %d 3600 600 86400 300
@	IN	NS	ns1
@	IN	NS	ns2
ns1	IN	A	192.0.2.53
ns2	IN	A	198.51.100.53
@	IN	A	192.0.2.80
www	IN	CNAME	@
mail	IN	A	192.0.2.25
@	IN	MX	10 mail
`, name, serial)
}

// Option configures [Start].
type Option func(*config) error

type config struct {
	server []dnswire.ServerOption
	log    *slog.Logger
}

// WithTSIG makes transfers require key. NOTIFYs stay unsigned (a secondary
// answers them by transferring, which is signed).
func WithTSIG(key facade.TSIG) Option {
	return func(c *config) error {
		if err := key.Validate(); err != nil {
			return err
		}
		c.server = append(c.server, dnswire.WithTransferTSIG(key))
		return nil
	}
}

// WithListenAddr sets the "ip:port" to listen on (default a free loopback
// port).
func WithListenAddr(addr string) Option {
	return func(c *config) error { c.server = append(c.server, dnswire.WithListenAddr(addr)); return nil }
}

// WithLogger logs transfers served and NOTIFYs sent (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("primary: nil logger")
		}
		c.log = l
		c.server = append(c.server, dnswire.WithServerLogger(l))
		return nil
	}
}

// Primary is a running in-process primary. Its methods are safe for
// concurrent use.
type Primary struct {
	srv *dnswire.Server
	cfg config

	mu      sync.Mutex
	targets map[string][]string // zone -> NOTIFY targets
}

// Start starts a primary serving no zone yet; add zones with [Primary.SetZone].
// ctx bounds the start only; stop it with [Primary.Close].
func Start(ctx context.Context, opts ...Option) (*Primary, error) {
	c := config{log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("primary: nil option")
		}
		if err := o(&c); err != nil {
			return nil, err
		}
	}
	srv, err := dnswire.Listen(ctx, c.server...)
	if err != nil {
		return nil, err
	}
	return &Primary{srv: srv, cfg: c, targets: map[string][]string{}}, nil
}

// Addr is the "ip:port" the primary serves on (UDP and TCP).
func (p *Primary) Addr() string { return p.srv.Addr() }

// Close stops the primary.
func (p *Primary) Close() error { return p.srv.Close() }

// SetZone serves zone name from text (master-file format), replacing the
// zone if served. It sends no NOTIFY; see [Primary.Update] for changes.
func (p *Primary) SetZone(name, text string) (*dnswire.Zone, error) {
	z, err := dnswire.ParseZone(name, text)
	if err != nil {
		return nil, err
	}
	p.srv.SetZone(z)
	return z, nil
}

// Zone returns the zone served as name.
func (p *Primary) Zone(name string) (*dnswire.Zone, bool) { return p.srv.Zone(name) }

// AddNotifyTarget makes changes to zone send NOTIFY to target ("ip:port").
func (p *Primary) AddNotifyTarget(zone, target string) {
	zone = strings.ToLower(strings.TrimSuffix(zone, ".")) + "."
	p.mu.Lock()
	defer p.mu.Unlock()
	p.targets[zone] = append(p.targets[zone], target)
}

// NotifyResult is the answer of one NOTIFY target.
type NotifyResult struct {
	// Target is the "ip:port" notified.
	Target string
	// Err is nil when the target acknowledged the NOTIFY.
	Err error
}

// Bump increments zone's SOA serial (RFC 1982: it wraps) and notifies the
// targets; see [Primary.Update].
func (p *Primary) Bump(ctx context.Context, zone string) (uint32, []NotifyResult, error) {
	return p.Update(ctx, zone, nil)
}

// Update replaces zone's records other than the SOA with records (nil
// keeps them), increments the serial, serves the new version and sends
// NOTIFY to every target at once, waiting for all the answers (each bounded
// by ctx). It returns the new serial and each target's answer.
func (p *Primary) Update(ctx context.Context, zone string, records []dnswire.Record) (uint32, []NotifyResult, error) {
	old, ok := p.srv.Zone(zone)
	if !ok {
		return 0, nil, fmt.Errorf("primary: zone %s is not served", zone)
	}
	next := old.WithSerial(old.Serial() + 1)
	if records != nil {
		all := append([]dnswire.Record{next.Records()[0]}, records...)
		z, err := dnswire.NewZone(old.Name(), all)
		if err != nil {
			return 0, nil, err
		}
		next = z
	}
	p.srv.SetZone(next)
	p.mu.Lock()
	targets := append([]string(nil), p.targets[old.Name()]...)
	p.mu.Unlock()
	results := make([]NotifyResult, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Go(func() {
			err := dnswire.Notify(ctx, t, old.Name(), next.Serial())
			results[i] = NotifyResult{Target: t, Err: err}
			p.cfg.log.Debug("notify sent", "zone", old.Name(), "target", t, "serial", next.Serial(), "err", err)
		})
	}
	wg.Wait()
	return next.Serial(), results, nil
}
