package fakes

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/internal/dnswire"
)

// DefaultTransferTimeout bounds one zone transfer of a fake's DNS side
// unless [WithTransferTimeout] says otherwise.
const DefaultTransferTimeout = 10 * time.Second

// WithTransferTimeout bounds each zone transfer the fake's DNS side makes
// from a loopback primary (default [DefaultTransferTimeout]); a primary that
// does not answer in time is reported as timed out.
func WithTransferTimeout(d time.Duration) Option {
	return func(c *config) { c.transferTimeout = d }
}

// DNS is the DNS side of a fake: a real secondary. It runs an authoritative
// server on loopback (UDP and TCP, one port) and, for every zone whose
// primaries include loopback addresses, transfers the zone by AXFR from them
// (with the primary's TSIG key where the provider has one) when the zone is
// created, its primaries change, a transfer is triggered or a NOTIFY for it
// arrives, keeps the records and serves them. The fake's API then reports
// what really happened (serial, last transfer, per-primary errors) for those
// zones. Primaries elsewhere (e.g. 192.0.2.x) keep the simulated behaviour.
//
// Get it with the fake's DNS method; it starts on first use.
type DNS struct {
	srv     *dnswire.Server
	now     func() time.Time
	timeout time.Duration
	log     *slog.Logger
	names   []string // the nameserver names the provider's API reports
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup

	mu      sync.Mutex
	routes  map[netip.AddrPort]netip.AddrPort
	zones   map[string]*dnsZone
	changed chan struct{} // closed and replaced on every state change
}

// DNSPrimary is a primary a zone transfers from, with its TSIG key if any.
type DNSPrimary struct {
	// Addr is the primary as configured through the API.
	Addr netip.AddrPort
	// Key signs the transfer when set.
	Key *facade.TSIG
}

// DNSTransfer is the outcome of the last transfer attempt from one primary.
type DNSTransfer struct {
	// Primary is the primary as configured (before any [DNS.Route]).
	Primary netip.AddrPort
	// Done is set once an attempt finished; OK tells whether it succeeded.
	Done, OK bool
	// Serial is the serial the primary served (when OK).
	Serial uint32
	// Err is the failure; match it with errors.Is against dnswire's
	// sentinels (ErrRefused, ErrNotAuth, ErrTSIG, ErrTimeout, ...).
	Err error
	// At is when the attempt finished, on the fake's clock.
	At time.Time
}

// DNSZone is a snapshot of a zone on a fake's DNS side.
type DNSZone struct {
	// Name is the zone name, lower case, no trailing dot.
	Name string
	// Serial is the serial served, 0 before the first successful transfer.
	Serial uint32
	// LastTransfer is when the served data was last transferred (or found
	// current), zero if never.
	LastTransfer time.Time
	// LastAttempt is when the last transfer attempt finished, zero if none.
	LastAttempt time.Time
	// Primaries are the outcomes per loopback primary, in configured order.
	Primaries []DNSTransfer
	// Attempts counts the finished refreshes (each tries every primary).
	Attempts int
	// Notifies counts the NOTIFY messages received for the zone.
	Notifies int
}

// dnsZone is the DNS side's state of one zone.
type dnsZone struct {
	DNSZone
	primaries []DNSPrimary
	running   bool // a refresh is under way
	again     bool // another refresh was asked for meanwhile
}

// newDNS starts the DNS side.
func newDNS(cfg *config, log *slog.Logger, names []string) (*DNS, error) {
	d := &DNS{
		now: func() time.Time { return cfg.clock().UTC().Truncate(time.Second) }, timeout: cfg.transferTimeout,
		log: log, names: names, routes: map[netip.AddrPort]netip.AddrPort{}, zones: map[string]*dnsZone{},
		changed: make(chan struct{}),
	}
	if d.timeout <= 0 {
		d.timeout = DefaultTransferTimeout
	}
	d.ctx, d.cancel = context.WithCancel(context.Background())
	srv, err := dnswire.Listen(d.ctx, dnswire.WithNotifyHandler(d.notified), dnswire.WithServerLogger(log))
	if err != nil {
		d.cancel()
		return nil, err
	}
	d.srv = srv
	return d, nil
}

// Addr is the "ip:port" the fake's DNS server listens on (UDP and TCP):
// where its nameservers really are, and where NOTIFY goes.
func (d *DNS) Addr() string { return d.srv.Addr() }

// Resolver maps each nameserver name the fake's API reports (e.g.
// "ada.ns.cloudflare.com") to [DNS.Addr]: give it to whatever resolves
// nameserver names (verify's fixed map in tests).
func (d *DNS) Resolver() map[string]string {
	m := make(map[string]string, len(d.names))
	for _, n := range d.names {
		m[n] = d.Addr()
	}
	return m
}

// Route makes transfers from primary ("ip:port", or "ip" for port 53) go
// to actual ("ip:port") instead: test primaries cannot bind port 53, and
// some providers (IONOS) only take port 53.
func (d *DNS) Route(primary, actual string) error {
	p, err := parseAddrPort(primary)
	if err != nil {
		return err
	}
	a, err := netip.ParseAddrPort(actual)
	if err != nil {
		return fmt.Errorf("fakes: route to %q: %w", actual, err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.routes[p] = a
	return nil
}

// parseAddrPort parses "ip:port" or "ip" (port 53).
func parseAddrPort(s string) (netip.AddrPort, error) {
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.AddrPortFrom(a, 53), nil
	}
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("fakes: primary %q: %w", s, err)
	}
	return ap, nil
}

// Zone returns a snapshot of zone name ("example.com", any case, trailing
// dot optional), false if the DNS side does not track it.
func (d *DNS) Zone(name string) (DNSZone, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	z, ok := d.zones[normName(name)]
	if !ok {
		return DNSZone{}, false
	}
	return z.snapshot(), true
}

// Records returns the zone as served, in master-file format, "" if nothing
// is served.
func (d *DNS) Records(name string) string {
	z, ok := d.srv.Zone(normName(name))
	if !ok {
		return ""
	}
	return z.String()
}

// Wait blocks until zone name exists on the DNS side and cond holds for its
// snapshot, and returns that snapshot; it fails when ctx ends first.
func (d *DNS) Wait(ctx context.Context, name string, cond func(DNSZone) bool) (DNSZone, error) {
	name = normName(name)
	for {
		d.mu.Lock()
		z, ok := d.zones[name]
		var snap DNSZone
		if ok {
			snap = z.snapshot()
		}
		ch := d.changed
		d.mu.Unlock()
		if ok && cond(snap) {
			return snap, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return snap, fmt.Errorf("fakes: waiting for zone %s on the DNS side: %w", name, ctx.Err())
		}
	}
}

func (z *dnsZone) snapshot() DNSZone {
	c := z.DNSZone
	c.Primaries = slices.Clone(z.Primaries)
	return c
}

// signal wakes waiters. d.mu held.
func (d *DNS) signal() {
	close(d.changed)
	d.changed = make(chan struct{})
}

// loopbackOnly keeps the primaries on loopback: the ones the DNS side
// really transfers from.
func loopbackOnly(ps []DNSPrimary) []DNSPrimary {
	var out []DNSPrimary
	for _, p := range ps {
		if p.Addr.Addr().Unmap().IsLoopback() {
			out = append(out, p)
		}
	}
	return out
}

// track sets zone's primaries and starts a transfer. Zones without a
// loopback primary are not tracked (and stop being served). It reports
// whether the zone is tracked.
func (d *DNS) track(name string, primaries []DNSPrimary) bool {
	name = normName(name)
	ps := loopbackOnly(primaries)
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(ps) == 0 {
		d.untrackLocked(name)
		return false
	}
	z, ok := d.zones[name]
	if !ok {
		z = &dnsZone{DNSZone: DNSZone{Name: name}}
		d.zones[name] = z
	}
	z.primaries = ps
	z.Primaries = make([]DNSTransfer, len(ps))
	for i, p := range ps {
		z.Primaries[i] = DNSTransfer{Primary: p.Addr}
	}
	d.refreshLocked(z)
	return true
}

// untrack forgets zone and stops serving it.
func (d *DNS) untrack(name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.untrackLocked(normName(name))
}

func (d *DNS) untrackLocked(name string) {
	if _, ok := d.zones[name]; ok {
		delete(d.zones, name)
		d.srv.RemoveZone(name)
		d.signal()
	}
}

// refresh starts a transfer of a tracked zone; false if not tracked.
func (d *DNS) refresh(name string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	z, ok := d.zones[normName(name)]
	if ok {
		d.refreshLocked(z)
	}
	return ok
}

// refreshLocked runs a refresh of z in the background, or marks one to run
// after the current one. d.mu held.
func (d *DNS) refreshLocked(z *dnsZone) {
	if z.running {
		z.again = true
		return
	}
	if d.ctx.Err() != nil {
		return
	}
	z.running = true
	d.wg.Add(1)
	go d.run(z)
}

// run refreshes z until no new refresh was asked for meanwhile.
func (d *DNS) run(z *dnsZone) {
	defer d.wg.Done()
	for {
		d.mu.Lock()
		ps := slices.Clone(z.primaries)
		routes := make([]netip.AddrPort, len(ps))
		for i, p := range ps {
			routes[i] = p.Addr
			if r, ok := d.routes[p.Addr]; ok {
				routes[i] = r
			}
		}
		d.mu.Unlock()

		results := make([]DNSTransfer, len(ps))
		zones := make([]*dnswire.Zone, len(ps))
		var wg sync.WaitGroup
		for i, p := range ps {
			wg.Go(func() { zones[i], results[i] = d.transfer(z.Name, p, routes[i]) })
		}
		wg.Wait()

		d.mu.Lock()
		best := d.apply(z, ps, results, zones)
		if best != nil {
			d.srv.SetZone(best)
		}
		again := z.again && d.ctx.Err() == nil && d.zones[z.Name] == z
		z.again, z.running = false, again
		d.signal()
		d.mu.Unlock()
		if !again {
			return
		}
	}
}

// transfer pulls the zone from one primary.
func (d *DNS) transfer(name string, p DNSPrimary, addr netip.AddrPort) (*dnswire.Zone, DNSTransfer) {
	ctx, cancel := context.WithTimeout(d.ctx, d.timeout)
	defer cancel()
	var opts []dnswire.Option
	if p.Key != nil {
		opts = append(opts, dnswire.WithTSIG(*p.Key))
	}
	zone, err := dnswire.Transfer(ctx, addr.String(), name, opts...)
	res := DNSTransfer{Primary: p.Addr, Done: true, OK: err == nil, Err: err, At: d.now()}
	if err != nil {
		d.log.Info("zone transfer failed", "zone", name, "primary", p.Addr.String(), "err", err)
		return nil, res
	}
	res.Serial = zone.Serial()
	d.log.Debug("zone transferred", "zone", name, "primary", p.Addr.String(), "serial", res.Serial, "records", zone.Len())
	return zone, res
}

// apply records a refresh's results if z is still tracked with the same
// primaries, and returns the zone to serve (the newest by RFC 1982 serial
// arithmetic, if newer than the one served). d.mu held.
func (d *DNS) apply(z *dnsZone, ps []DNSPrimary, results []DNSTransfer, zones []*dnswire.Zone) *dnswire.Zone {
	if d.zones[z.Name] != z || !slices.EqualFunc(ps, z.primaries, func(a, b DNSPrimary) bool { return a.Addr == b.Addr && a.Key == b.Key }) {
		return nil
	}
	z.Primaries = results
	z.Attempts++
	var best *dnswire.Zone
	for i, r := range results {
		z.LastAttempt = r.At
		if !r.OK {
			continue
		}
		z.LastTransfer = r.At
		if best == nil || serialNewer(zones[i].Serial(), best.Serial()) {
			best = zones[i]
		}
	}
	if best == nil || (z.Serial != 0 && !serialNewer(best.Serial(), z.Serial)) {
		return nil
	}
	z.Serial = best.Serial()
	return best
}

// serialNewer reports whether serial a is newer than b (RFC 1982).
func serialNewer(a, b uint32) bool { return a != b && a-b < 1<<31 }

// notified handles a NOTIFY: a tracked zone is refreshed, others get
// NOTAUTH.
func (d *DNS) notified(n dnswire.Notification) error {
	name := normName(n.Zone)
	d.mu.Lock()
	defer d.mu.Unlock()
	z, ok := d.zones[name]
	if !ok {
		return fmt.Errorf("zone %s: %w", name, dnswire.ErrNotAuth)
	}
	z.Notifies++
	d.refreshLocked(z)
	d.signal()
	return nil
}

// close stops the server and waits for running transfers.
func (d *DNS) close() {
	d.cancel()
	_ = d.srv.Close()
	d.wg.Wait()
}

// transferMessage is the text a fake's API shows for a failed transfer.
func transferMessage(err error) string {
	switch {
	case errors.Is(err, dnswire.ErrTSIG):
		return "Zone transfer failed: TSIG verification failed"
	case errors.Is(err, dnswire.ErrRefused):
		return "Zone transfer refused by primary nameserver"
	case errors.Is(err, dnswire.ErrNotAuth):
		return "Zone transfer refused by primary nameserver (not authoritative or not authorized)"
	case errors.Is(err, dnswire.ErrTimeout):
		return "Zone transfer timed out"
	case errors.Is(err, dnswire.ErrUnreachable):
		return IONOSUnreachableMessage
	default:
		return "Zone transfer failed: " + err.Error()
	}
}
