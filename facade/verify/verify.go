package verify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/primaryconf"
)

// Errors a [Querier] returns (wrapped) to classify a failed SOA query.
var (
	// ErrRefused: the server answered REFUSED.
	ErrRefused = errors.New("refused")
	// ErrNotServing: the server answered without authority for the zone
	// (NOTAUTH, SERVFAIL, NXDOMAIN, no SOA in the answer, AA bit clear).
	ErrNotServing = errors.New("not serving the zone")
	// ErrWrongZone: the answer's SOA belongs to another zone.
	ErrWrongZone = errors.New("SOA of another zone")
	// ErrTimeout: no answer in time.
	ErrTimeout = errors.New("timeout")
	// ErrUnreachable: the server could not be reached (connection refused,
	// no route).
	ErrUnreachable = errors.New("unreachable")
)

// Verifier compares what a primary serves with what each provider's
// nameservers serve. It is safe for concurrent use.
type Verifier struct {
	primary   netip.AddrPort
	providers []facade.SecondaryDNS
	cfg       config
}

// New returns a Verifier of zones transferred from primary (port 0 means
// 53) to the given providers. Options are validated; a bad argument fails
// with an [*facade.Error] of kind [facade.ErrInvalidInput].
func New(primary netip.AddrPort, providers []facade.SecondaryDNS, opts ...Option) (*Verifier, error) {
	const op = "verify.New"
	if !primary.Addr().IsValid() || primary.Addr().IsUnspecified() {
		return nil, facade.Invalid(op, fmt.Errorf("primary %s: a unicast IP address is required", primary))
	}
	if primary.Port() == 0 {
		primary = netip.AddrPortFrom(primary.Addr(), facade.DefaultPort)
	}
	primary = netip.AddrPortFrom(primary.Addr().Unmap(), primary.Port())
	if len(providers) == 0 {
		return nil, facade.Invalid(op, errors.New("at least one provider is required"))
	}
	for i, p := range providers {
		if p == nil {
			return nil, facade.Invalid(op, fmt.Errorf("providers[%d] is nil", i))
		}
	}
	cfg := config{
		resolver:     NetResolver{},
		concurrency:  DefaultConcurrency,
		queryTimeout: DefaultQueryTimeout,
		logger:       slog.New(slog.DiscardHandler),
		now:          time.Now,
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, facade.Invalid(op, err)
		}
	}
	if !cfg.registrySet {
		reg, err := primaryconf.Default()
		if err != nil {
			return nil, facade.Invalid(op, err)
		}
		cfg.registry = reg
	}
	if cfg.querier == nil {
		q, err := defaultQuerier()
		if err != nil {
			return nil, facade.Invalid(op, err)
		}
		cfg.querier = q
	}
	return &Verifier{primary: primary, providers: append([]facade.SecondaryDNS(nil), providers...), cfg: cfg}, nil
}

// Verify checks every zone: the primary's SOA serial; each provider's API
// view (GetZone and TransferStatus); the SOA serial at every address of the
// provider's nameservers for the zone, compared with the primary's by RFC
// 1982 arithmetic. A failure is reported in the zone, provider or server it
// concerns and never stops the run.
//
// Zone names are validated first: an invalid or duplicate name fails with
// an [*facade.Error] of kind [facade.ErrInvalidInput] before any query. If
// ctx ends during the run, Verify returns the report as far as it got
// (unfinished queries report errors) together with ctx's error.
func (v *Verifier) Verify(ctx context.Context, zones []string) (*Report, error) {
	names, err := normalizeZones(zones)
	if err != nil {
		return nil, err
	}
	// The bound: workers zones at a time, each with fanout tasks in
	// flight, workers×fanout ≤ concurrency. With many zones each worker
	// does its zone's queries one after the other, as a plain loop over the
	// same queries would; with few, a zone's queries run in parallel.
	workers := min(v.cfg.concurrency, len(names))
	r := &run{v: v, fanout: v.cfg.concurrency / workers, resolved: map[string]*resolution{}}
	if p := v.cfg.previous; p != nil {
		r.previous = make(map[string]*ZoneReport, len(p.Zones))
		for i := range p.Zones {
			r.previous[p.Zones[i].Zone] = &p.Zones[i]
		}
	}
	rep := &Report{Started: v.cfg.now(), Primary: v.primary, Zones: make([]ZoneReport, len(names))}
	r.now = rep.Started
	forEach(len(names), workers, func(i int) { rep.Zones[i] = r.zone(ctx, names[i]) })
	rep.Finished = v.cfg.now()
	rep.Summary.Queries = r.queries.Load()
	rep.finish()
	if err := ctx.Err(); err != nil {
		return rep, fmt.Errorf("verify: stopped before the end: %w", err)
	}
	return rep, nil
}

func normalizeZones(zones []string) ([]string, error) {
	const op = "Verify"
	if len(zones) == 0 {
		return nil, facade.Invalid(op, errors.New("at least one zone is required"))
	}
	names := make([]string, 0, len(zones))
	seen := make(map[string]bool, len(zones))
	for _, z := range zones {
		n, err := facade.NormalizeZoneName(z)
		if err != nil {
			return nil, facade.Invalid(op, err)
		}
		if seen[n] {
			return nil, facade.Invalid(op, fmt.Errorf("zone %s given twice", n))
		}
		seen[n] = true
		names = append(names, n)
	}
	return names, nil
}

// run is the state of one Verify call.
type run struct {
	v *Verifier
	// fanout bounds the tasks of one zone in flight.
	fanout  int
	now     time.Time
	queries atomic.Int64
	// previous indexes the previous run's zones by name.
	previous map[string]*ZoneReport

	mu       sync.Mutex
	resolved map[string]*resolution
}

// resolution is a nameserver name's addresses, looked up once per run.
type resolution struct {
	done  chan struct{}
	addrs []netip.AddrPort
	err   error
}

// forEach calls f(0) … f(n-1) from at most workers goroutines, each taking
// the next index until none is left (in the calling goroutine when workers
// is 1), and returns when all calls have.
func forEach(n, workers int, f func(i int)) {
	if workers <= 1 || n == 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				f(i)
			}
		})
	}
	wg.Wait()
}

// parallel runs the tasks, at most r.fanout at a time.
func (r *run) parallel(tasks []func()) {
	forEach(len(tasks), r.fanout, func(i int) { tasks[i]() })
}

// zone verifies one zone in two steps: the primary's SOA (and DNSKEY) and
// each provider's API view, then every nameserver address.
func (r *run) zone(ctx context.Context, name string) ZoneReport {
	v := r.v
	zr := ZoneReport{Zone: name, Providers: make([]ProviderReport, len(v.providers))}
	tasks := make([]func(), 0, 2+len(v.providers))
	tasks = append(tasks, func() { zr.Primary = r.soa(ctx, "", v.primary, name) })
	if sq, ok := v.cfg.querier.(SignedQuerier); ok && !v.cfg.noSigned && r.anyDropsSignatures() {
		tasks = append(tasks, func() {
			signed, err := r.signed(ctx, sq, name)
			if err != nil {
				zr.Findings = append(zr.Findings, Finding{Severity: Warning, Kind: KindSignedUnknown,
					Message: fmt.Sprintf("could not tell whether the zone is DNSSEC-signed at the primary (a provider drops signatures; skip the check with WithoutSignedCheck / --dnssec-check=false): %v", err)})
			}
			zr.Signed = signed
		})
	}
	names := make([][]string, len(v.providers))
	for i, p := range v.providers {
		tasks = append(tasks, func() { zr.Providers[i], names[i] = r.provider(ctx, p, name) })
	}
	r.parallel(tasks)
	tasks = tasks[:0]
	results := make([][][]ServerResult, len(v.providers))
	for i := range v.providers {
		results[i] = make([][]ServerResult, len(names[i]))
		for j, n := range names[i] {
			tasks = append(tasks, func() { results[i][j] = r.nameserver(ctx, n, name) })
		}
	}
	r.parallel(tasks)
	for i := range v.providers {
		for _, rs := range results[i] {
			zr.Providers[i].Nameservers = append(zr.Providers[i].Nameservers, rs...)
		}
	}
	r.compare(&zr)
	v.cfg.logger.DebugContext(ctx, "verified zone", "zone", name, "primary_serial", zr.Primary.Serial, "primary_status", zr.Primary.Status)
	return zr
}

// nameserver asks every address of the nameserver called ns.
func (r *run) nameserver(ctx context.Context, ns, zone string) []ServerResult {
	addrs, err := r.resolve(ctx, ns)
	if err != nil {
		return []ServerResult{{Name: ns, Status: StatusUnresolved, Error: err.Error()}}
	}
	out := make([]ServerResult, len(addrs))
	for i, a := range addrs {
		out[i] = r.soa(ctx, ns, a, zone)
	}
	return out
}

// dropsSignatures tells whether a provider, as a secondary, serves a signed
// zone without its DNSSEC records. DNSimple documents that it does not
// import DNSSEC signatures for secondary zones.
func dropsSignatures(provider string) bool { return provider == facade.ProviderDNSimple }

func (r *run) anyDropsSignatures() bool {
	for _, p := range r.v.providers {
		if dropsSignatures(p.Provider()) {
			return true
		}
	}
	return false
}

func (r *run) signed(ctx context.Context, sq SignedQuerier, zone string) (bool, error) {
	qctx, cancel := context.WithTimeout(ctx, r.v.cfg.queryTimeout)
	defer cancel()
	r.queries.Add(1)
	return sq.Signed(qctx, r.v.primary, zone)
}

// soa asks one server for the zone's SOA serial.
func (r *run) soa(ctx context.Context, nsName string, addr netip.AddrPort, zone string) ServerResult {
	res := ServerResult{Name: nsName, Addr: addr}
	if err := ctx.Err(); err != nil {
		res.Status, res.Error = StatusError, err.Error()
		return res
	}
	qctx, cancel := context.WithTimeout(ctx, r.v.cfg.queryTimeout)
	defer cancel()
	r.queries.Add(1)
	serial, err := r.v.cfg.querier.QuerySOA(qctx, addr, zone)
	if err != nil {
		res.Status, res.Error = classify(ctx, err), err.Error()
		return res
	}
	res.Status, res.Serial = StatusAnswered, serial
	return res
}

// classify maps a query error to a status. ctx is the caller's (not the
// per-query) context: a deadline of the query itself is a timeout, the
// caller's end is an error.
func classify(ctx context.Context, err error) Status {
	var ne net.Error
	switch {
	case errors.Is(err, ErrRefused):
		return StatusRefused
	case errors.Is(err, ErrWrongZone):
		return StatusWrongZone
	case errors.Is(err, ErrNotServing):
		return StatusNotServing
	case ctx.Err() != nil:
		return StatusError
	case errors.Is(err, ErrTimeout), errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		return StatusTimeout
	case errors.Is(err, ErrUnreachable), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH),
		errors.As(err, new(*net.OpError)):
		return StatusUnreachable
	}
	return StatusError
}

// provider gathers one provider's API view and returns the nameservers to
// query.
func (r *run) provider(ctx context.Context, p facade.SecondaryDNS, zone string) (ProviderReport, []string) {
	pr := ProviderReport{Provider: p.Provider(), Nameservers: []ServerResult{}}
	z, zerr := p.GetZone(ctx, zone)
	switch {
	case errors.Is(zerr, facade.ErrNotFound):
		pr.Findings = append(pr.Findings, Finding{Severity: Broken, Kind: KindZoneMissing,
			Message: fmt.Sprintf("%s has no secondary zone %s", pr.Provider, zone)})
		return pr, nil
	case zerr != nil:
		pr.Findings = append(pr.Findings, Finding{Severity: Broken, Kind: KindAPIError, Message: zerr.Error()})
	default:
		st, err := p.TransferStatus(ctx, zone)
		if err != nil {
			pr.Findings = append(pr.Findings, Finding{Severity: Broken, Kind: KindAPIError, Message: err.Error()})
		}
		pr.API = apiView(z, st, r.now)
		for _, ps := range pr.API.Primaries {
			if ps.Error != "" || strings.Contains(ps.Status, "fail") || strings.Contains(ps.Status, "error") {
				pr.Findings = append(pr.Findings, Finding{Severity: Warning, Kind: KindTransferFailed,
					Message: fmt.Sprintf("%s reports transfers from %s: %s", pr.Provider, ps.Primary, strings.TrimPrefix(strings.Join([]string{ps.Status, ps.Error}, ": "), ": "))})
			}
		}
	}
	names := pr.API.Nameservers
	if len(names) == 0 {
		names = r.v.cfg.nameservers[pr.Provider]
	}
	if len(names) == 0 && zerr == nil {
		pr.Findings = append(pr.Findings, Finding{Severity: Broken, Kind: KindNoNameservers,
			Message: fmt.Sprintf("%s lists no nameservers for %s and none were configured for it: nothing to query over DNS", pr.Provider, zone)})
	}
	return pr, names
}

// resolve returns a nameserver's addresses: the name itself if it is an
// address (with an optional port), else the resolver's answer, looked up
// once per run.
func (r *run) resolve(ctx context.Context, name string) ([]netip.AddrPort, error) {
	if ap, err := netip.ParseAddrPort(name); err == nil {
		return []netip.AddrPort{ap}, nil
	}
	if a, err := netip.ParseAddr(name); err == nil {
		return []netip.AddrPort{netip.AddrPortFrom(a, facade.DefaultPort)}, nil
	}
	key := canonicalHost(name)
	r.mu.Lock()
	res, ok := r.resolved[key]
	if !ok {
		res = &resolution{done: make(chan struct{})}
		r.resolved[key] = res
	}
	r.mu.Unlock()
	if ok {
		select {
		case <-res.done:
			return res.addrs, res.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	defer close(res.done)
	qctx, cancel := context.WithTimeout(ctx, r.v.cfg.queryTimeout)
	defer cancel()
	res.addrs, res.err = r.v.cfg.resolver.Resolve(qctx, name)
	if res.err == nil && len(res.addrs) == 0 {
		res.err = fmt.Errorf("%s: no addresses", clip(name))
	}
	return res.addrs, res.err
}

// compare sets each nameserver's status from its serial, the primary's and
// the previous run's, and adds the API-versus-DNS and DNSSEC findings.
func (r *run) compare(zr *ZoneReport) {
	prev := r.previous[zr.Zone]
	primaryKnown := zr.Primary.Status == StatusAnswered
	if primaryKnown && prev != nil && prev.Primary.Status == StatusAnswered && prev.Primary.Addr == zr.Primary.Addr {
		if o, d := CompareSerial(zr.Primary.Serial, prev.Primary.Serial); o == Older {
			zr.Primary.Status, zr.Primary.Behind = StatusBackwards, d
			zr.Primary.Error = fmt.Sprintf("serial %d is lower than the %d served in the previous run: secondaries that have the higher serial will not transfer", zr.Primary.Serial, prev.Primary.Serial)
		}
	}
	for i := range zr.Providers {
		pr := &zr.Providers[i]
		var prevPr *ProviderReport
		if prev != nil {
			for j := range prev.Providers {
				if prev.Providers[j].Provider == pr.Provider {
					prevPr = &prev.Providers[j]
					break
				}
			}
		}
		disagree := map[uint32]bool{}
		for j := range pr.Nameservers {
			ns := &pr.Nameservers[j]
			if ns.Status != StatusAnswered {
				continue
			}
			if pr.API.Serial != 0 && ns.Serial != pr.API.Serial {
				disagree[ns.Serial] = true
			}
			if primaryKnown {
				switch o, d := CompareSerial(ns.Serial, zr.Primary.Serial); o {
				case Equal:
					ns.Status = StatusInSync
				case Older:
					ns.Status, ns.Behind = StatusBehind, d
				case Newer:
					ns.Status, ns.Behind = StatusAhead, d
					ns.Error = fmt.Sprintf("serial %d is newer than the primary's %d", ns.Serial, zr.Primary.Serial)
				default:
					ns.Status, ns.Behind = StatusIncomparable, d
					ns.Error = fmt.Sprintf("serial %d and the primary's %d are 2^31 apart: RFC 1982 defines no order", ns.Serial, zr.Primary.Serial)
				}
			}
			if ns.Status == StatusInSync || prevPr == nil {
				continue
			}
			for _, old := range prevPr.Nameservers {
				if old.Name == ns.Name && old.Addr == ns.Addr && old.Serial != 0 {
					if o, d := CompareSerial(ns.Serial, old.Serial); o == Older {
						ns.Status, ns.Behind = StatusBackwards, d
						ns.Error = fmt.Sprintf("serial %d is lower than the %d this server served in the previous run", ns.Serial, old.Serial)
					}
				}
			}
		}
		if len(disagree) > 0 {
			served := make([]string, 0, len(disagree))
			for s := range disagree {
				served = append(served, fmt.Sprint(s))
			}
			slices.Sort(served)
			pr.Findings = append(pr.Findings, Finding{Severity: Warning, Kind: KindAPIDisagrees,
				Message: fmt.Sprintf("the %s API reports serial %d, its nameservers serve %s", pr.Provider, pr.API.Serial, strings.Join(served, ", "))})
		}
		r.primaryHint(pr)
		if zr.Signed && dropsSignatures(pr.Provider) {
			pr.Findings = append(pr.Findings, Finding{Severity: Warning, Kind: KindSignedUnsupport,
				Message: fmt.Sprintf("%s is DNSSEC-signed at the primary, but %s does not import DNSSEC signatures for secondary zones: it serves the zone unsigned (validation fails while a DS record points at the signed zone)", zr.Zone, pr.Provider)})
		}
	}
}

// primaryHint adds what the primary must allow and notify for the provider,
// from the registry, when the provider reports a failed transfer or one of
// its nameservers lags or does not serve the zone: the most common cause of
// both is the primary's ACL or NOTIFY list. Providers the registry does not
// know get no hint.
func (r *run) primaryHint(pr *ProviderReport) {
	if r.v.cfg.registry == nil {
		return
	}
	lagging := slices.ContainsFunc(pr.Findings, func(f Finding) bool { return f.Kind == KindTransferFailed }) ||
		slices.ContainsFunc(pr.Nameservers, func(ns ServerResult) bool {
			switch ns.Status {
			case StatusBehind, StatusNotServing, StatusRefused:
				return true
			}
			return false
		})
	if !lagging {
		return
	}
	n, err := r.v.cfg.registry.Needs(pr.Provider, r.now, 0)
	if err != nil {
		return
	}
	msg := n.String()
	if n.Stale {
		msg += fmt.Sprintf(" (registry facts checked more than %d days ago: re-check them against the provider's documentation)", int(primaryconf.DefaultMaxAge.Hours()/24))
	}
	pr.Findings = append(pr.Findings, Finding{Severity: Warning, Kind: KindPrimaryACL, Message: msg})
}
