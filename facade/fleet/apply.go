package fleet

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
)

// Progress reports one finished change of an [Apply].
type Progress struct {
	// Provider and Change say what was done.
	Provider string
	Change   Change
	// Err is nil if the change was carried out.
	Err error
	// Done counts finished changes (failed ones included), Failed the
	// failed ones, Total every change of the plan.
	Done, Failed, Total int
	// Started is when the apply began.
	Started time.Time
}

// ApplyOptions configure [Apply].
type ApplyOptions struct {
	// Thresholds are checked before any request unless Force is set; the
	// zero value means [DefaultThresholds].
	Thresholds Thresholds
	// Force applies a plan exceeding Thresholds.
	Force bool
	// Concurrency caps the changes in flight per provider. Requests are
	// paced by each client's transport (see [Pacer]); concurrency only lets
	// the pace be reached. 0: for a target with a [Target.Pacer], as many as
	// keep its pace busy ([Pacer.Concurrency]: the pace times the observed
	// latency, re-evaluated before every change); 4 for a target without.
	Concurrency int
	// ConcurrencyFor overrides Concurrency per provider name.
	ConcurrencyFor map[string]int
	// Progress, if set, is called after every change, from one goroutine
	// at a time.
	Progress func(Progress)
	// Keys are the TSIG keys by the file's keys name (see
	// [Config.Resolve]); a change naming a key not here fails.
	Keys map[string]facade.TSIG
	// MaxAttempts bounds the attempts per change on transient errors (5xx,
	// transport errors, 429), default 4.
	MaxAttempts int
	// Clock paces the backoffs between attempts (default: wall clock).
	Clock Clock
}

// ApplyError lists the changes that failed.
type ApplyError struct {
	// Failed are the failed changes with their errors.
	Failed []Progress
}

// Error implements error.
func (e *ApplyError) Error() string {
	msg := fmt.Sprintf("%d change(s) failed", len(e.Failed))
	for i, f := range e.Failed {
		if i == 5 {
			msg += fmt.Sprintf("; and %d more", len(e.Failed)-5)
			break
		}
		msg += fmt.Sprintf("; %s %s at %s: %v", f.Change.Action, f.Change.Zone, f.Provider, f.Err)
	}
	return msg
}

// Unwrap returns the failures' errors.
func (e *ApplyError) Unwrap() []error {
	out := make([]error, len(e.Failed))
	for i, f := range e.Failed {
		out[i] = f.Err
	}
	return out
}

// Apply carries out plan through targets (matched by provider name).
// Creations and re-pointings run before deletions; each change is checked
// against what the provider then has, so that applying a plan twice, or
// after an interrupted apply, converges: a creation finding the zone
// already there makes sure its primaries are right, a deletion finding it
// gone counts as done. Transient failures are retried. It returns an
// [*ApplyError] if changes failed (the others are still carried out), a
// [*ThresholdError] before any request if the plan exceeds the thresholds
// without Force, and ctx's error once ctx ends (changes in flight are
// finished or rolled back by the clients).
func Apply(ctx context.Context, plan *Plan, targets []Target, o ApplyOptions) error {
	if o.Thresholds == (Thresholds{}) {
		o.Thresholds = DefaultThresholds()
	}
	if !o.Force {
		if err := plan.Check(o.Thresholds); err != nil {
			return err
		}
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 4
	}
	if o.Clock == nil {
		o.Clock = RealClock()
	}
	byName := map[string]Target{}
	for _, t := range targets {
		byName[t.Name] = t
	}
	total := 0
	for _, pp := range plan.Providers {
		if _, ok := byName[pp.Provider]; !ok && len(pp.Changes) > 0 {
			return facade.Invalid("Apply", fmt.Errorf("plan names provider %q, which is not configured", pp.Provider))
		}
		for _, c := range pp.Changes {
			if c.Key != "" {
				if _, ok := o.Keys[c.Key]; !ok {
					return facade.Invalid("Apply", fmt.Errorf("%s at %s: TSIG key %q not resolved", c.Zone, pp.Provider, c.Key))
				}
			}
		}
		total += len(pp.Changes)
	}
	a := &applier{o: o, total: total, started: time.Now()}
	var wg sync.WaitGroup
	for _, pp := range plan.Providers {
		if len(pp.Changes) == 0 {
			continue
		}
		t := byName[pp.Provider]
		n := o.Concurrency
		if v, ok := o.ConcurrencyFor[pp.Provider]; ok && v > 0 {
			n = v
		}
		wg.Go(func() { a.provider(ctx, t, pp.Changes, concurrencyFor(t, n)) })
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(a.failed) > 0 {
		return &ApplyError{Failed: a.failed}
	}
	return nil
}

type applier struct {
	o       ApplyOptions
	total   int
	started time.Time

	mu     sync.Mutex
	done   int
	failed []Progress
}

// defaultConcurrency is the changes in flight for a target without a pacer.
const defaultConcurrency = 4

// concurrencyFor returns the limit of changes in flight for t, called
// before each change: capped (if capped > 0) and, with a pacer, what keeps
// the pacer busy.
func concurrencyFor(t Target, capped int) func() int {
	switch {
	case t.Pacer == nil && capped > 0:
		return func() int { return capped }
	case t.Pacer == nil:
		return func() int { return defaultConcurrency }
	case capped > 0:
		return func() int { return min(capped, t.Pacer.Concurrency()) }
	default:
		return t.Pacer.Concurrency
	}
}

// provider runs one provider's changes, at most limit() at once (asked
// before each change): everything but deletions first, then the
// deletions.
func (a *applier) provider(ctx context.Context, t Target, changes []Change, limit func() int) {
	var first, last []Change
	for _, c := range changes {
		if c.Action == Delete {
			last = append(last, c)
		} else {
			first = append(first, c)
		}
	}
	for _, batch := range [][]Change{first, last} {
		// done receives one value per finished change; its buffer holds
		// every change that can be in flight, so no worker blocks on it.
		done := make(chan struct{}, MaxConcurrency)
		inFlight := 0
		var wg sync.WaitGroup
	feed:
		for _, c := range batch {
			for inFlight >= max(1, min(limit(), MaxConcurrency)) {
				select {
				case <-done:
					inFlight--
				case <-ctx.Done():
					break feed
				}
			}
			if ctx.Err() != nil {
				break
			}
			inFlight++
			wg.Go(func() {
				a.report(t.Name, c, a.change(ctx, t, c))
				done <- struct{}{}
			})
		}
		wg.Wait()
		if ctx.Err() != nil {
			return
		}
	}
}

func (a *applier) report(provider string, c Change, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.done++
	p := Progress{Provider: provider, Change: c, Err: err, Done: a.done, Total: a.total, Started: a.started}
	if err != nil {
		a.failed = append(a.failed, p)
	}
	p.Failed = len(a.failed)
	if a.o.Progress != nil {
		a.o.Progress(p)
	}
}

// transient reports errors worth another attempt.
func transient(err error) bool {
	return errors.Is(err, facade.ErrServer) || errors.Is(err, facade.ErrRateLimited) ||
		(errors.Is(err, facade.ErrTransport) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded))
}

// change carries out c, retrying transient failures with backoff.
func (a *applier) change(ctx context.Context, t Target, c Change) error {
	for attempt := 1; ; attempt++ {
		err := a.once(ctx, t, c)
		if err == nil || !transient(err) || attempt >= a.o.MaxAttempts || ctx.Err() != nil {
			return err
		}
		wait := time.Duration(rand.Int64N(int64(500*time.Millisecond)<<attempt)) + time.Second
		var fe *facade.Error
		if errors.As(err, &fe) && fe.RetryAfter > wait {
			wait = fe.RetryAfter
		}
		if err := a.o.Clock.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}

func (a *applier) once(ctx context.Context, t Target, c Change) error {
	switch c.Action {
	case Delete:
		return deleteZone(ctx, t, c.Zone)
	case Create:
		return a.create(ctx, t, c)
	case Repoint:
		ps, err := parsePrimaries(c.Primaries)
		if err != nil {
			return err
		}
		if r, ok := t.Client.(facade.Repointer); ok && c.current.ID != "" {
			// The zone as listed: one update where the provider allows
			// it; RepointZone falls back to SetPrimaries itself when
			// the zone changed since.
			_, err = r.RepointZone(ctx, c.current, ps)
		} else {
			_, err = t.Client.SetPrimaries(ctx, c.Zone, ps)
		}
		if errors.Is(err, facade.ErrConflict) {
			// The zone is not the one the client knew (deleted and
			// created again since the client remembered its ID, and an
			// update by the old ID collides with the new zone, as
			// IONOS's upserting PUT does): read it afresh, which makes
			// the client remember the new one, and try again.
			if _, gerr := t.Client.GetZone(ctx, c.Zone); gerr == nil {
				_, err = t.Client.SetPrimaries(ctx, c.Zone, ps)
			} else if errors.Is(gerr, facade.ErrNotFound) {
				err = gerr
			}
		}
		if errors.Is(err, facade.ErrNotFound) {
			return a.create(ctx, t, c)
		}
		return err
	case Recreate:
		if err := deleteZone(ctx, t, c.Zone); err != nil {
			return err
		}
		return a.create(ctx, t, c)
	}
	return facade.Invalid("Apply", fmt.Errorf("%s: unknown action %q", c.Zone, c.Action))
}

func deleteZone(ctx context.Context, t Target, zone string) error {
	err := t.Client.DeleteZone(ctx, zone)
	if errors.Is(err, facade.ErrNotFound) {
		return nil // already gone: an earlier, interrupted apply got this far
	}
	return err
}

// create creates the zone; if it exists (an earlier apply created it, or
// its answer was lost), it makes sure the primaries and key are right.
func (a *applier) create(ctx context.Context, t Target, c Change) error {
	ps, err := parsePrimaries(c.Primaries)
	if err != nil {
		return err
	}
	var opts []facade.CreateOption
	wantKey := ""
	if c.Key != "" {
		k := a.o.Keys[c.Key]
		opts = append(opts, facade.WithTSIG(k))
		wantKey = keyName(k.Name)
	}
	_, err = t.Client.CreateZone(ctx, c.Zone, ps, opts...)
	if !errors.Is(err, facade.ErrConflict) {
		return err
	}
	cur, gerr := t.Client.GetZone(ctx, c.Zone)
	if gerr != nil {
		return fmt.Errorf("%w (and reading the existing zone: %v)", err, gerr)
	}
	if keyName(cur.TSIGKey) != wantKey {
		return fmt.Errorf("%w: the zone exists with TSIG key %q, the plan wants %q: plan again", err, dashIfEmpty(cur.TSIGKey), dashIfEmpty(wantKey))
	}
	if samePrimaries(cur.Primaries, ps) {
		return nil
	}
	_, err = t.Client.SetPrimaries(ctx, c.Zone, ps)
	return err
}

// Reconcile plans and applies each target on its own, concurrently: a
// provider whose listing is done starts its changes without waiting for
// the slower ones (with one-credential rate limits the listing is a large
// share of the work). The thresholds are checked per provider before its
// first change; a provider over them is skipped and reported in the
// returned error, the others proceed. It returns the plan that was
// applied.
func Reconcile(ctx context.Context, d Desired, targets []Target, o ApplyOptions) (*Plan, error) {
	plans := make([]*Plan, len(targets))
	errs := make([]error, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Go(func() {
			pp, err := planTarget(ctx, d, t)
			if err != nil {
				errs[i] = err
				return
			}
			plans[i] = &Plan{Created: time.Now().UTC(), Providers: []ProviderPlan{pp}}
			errs[i] = Apply(ctx, plans[i], []Target{t}, o)
		})
	}
	wg.Wait()
	out := &Plan{Created: time.Now().UTC()}
	for _, p := range plans {
		if p != nil {
			out.Providers = append(out.Providers, p.Providers...)
		}
	}
	sort.Slice(out.Providers, func(i, j int) bool { return out.Providers[i].Provider < out.Providers[j].Provider })
	return out, errors.Join(errs...)
}
