package fleet

import (
	"context"
	"sort"
	"time"
)

// CatalogFetcher transfers a catalog zone (AXFR, with TSIG where
// configured) and returns its records.
type CatalogFetcher func(ctx context.Context) ([]CatalogRecord, error)

// SyncRound reports one reconciliation of [Sync].
type SyncRound struct {
	// Trigger is "start", "notify" or "interval".
	Trigger string
	// Catalog is the parsed catalog, nil if it could not be fetched or was
	// refused.
	Catalog *Catalog
	// Plan is what was applied, nil if nothing was planned.
	Plan *Plan
	// Err is the round's error: a transfer failure, a refused catalog
	// ([*CatalogError]: nothing was changed), or the apply's error.
	Err error
}

// SyncOptions configure [Sync].
type SyncOptions struct {
	// Interval re-checks the catalog this often (default 5 minutes).
	Interval time.Duration
	// Notify triggers a round per value received, e.g. from a NOTIFY
	// listener for the catalog zone. nil: interval only.
	Notify <-chan struct{}
	// Apply configures each round's apply.
	Apply ApplyOptions
	// Keys maps the key names zones refer to onto TSIG key names, as in
	// [Desired].
	Keys map[string]string
	// OnRound, if set, is called after every round.
	OnRound func(SyncRound)
	// Clock times the interval (default: the wall clock).
	Clock Clock
	// Static are zones wanted besides the catalog's members (e.g. the
	// file's zones section); a member of the same name is left to the
	// static definition.
	Static []ZoneConfig
	// Once makes Sync return after the first round, with its error.
	Once bool
}

// Sync keeps the providers in line with a catalog zone until ctx ends: it
// reconciles at once, then on every notification and every interval. Each
// round fetches and parses the catalog; a catalog that cannot be fetched
// or is refused changes nothing (the round reports the error and the next
// one tries again). A member whose unique label changed since the last
// round is re-created. Notifications arriving during a round are merged
// into one more round. Sync returns ctx's error.
func Sync(ctx context.Context, fetch CatalogFetcher, src CatalogSource, targets []Target, o SyncOptions) error {
	if o.Interval <= 0 {
		o.Interval = 5 * time.Minute
	}
	if o.Clock == nil {
		o.Clock = RealClock()
	}
	var prev *Catalog
	round := func(trigger string) {
		r := SyncRound{Trigger: trigger}
		defer func() {
			if o.OnRound != nil && ctx.Err() == nil {
				o.OnRound(r)
			}
		}()
		recs, err := fetch(ctx)
		if err != nil {
			r.Err = err
			return
		}
		cat, err := ParseCatalog(src.Zone, recs)
		if err != nil {
			r.Err = err
			return
		}
		r.Catalog = cat
		d := cat.Desired(src, o.Keys)
		if len(o.Static) > 0 {
			d = mergeStatic(d, o.Static)
		}
		plan, err := MakePlan(ctx, d, targets)
		if err != nil {
			r.Err = err
			return
		}
		plan.Recreate(Relabelled(prev, cat), d)
		r.Plan = plan
		// The catalog is remembered once applied in full, so that a
		// re-creation that failed is tried again next round.
		if r.Err = Apply(ctx, plan, targets, o.Apply); r.Err == nil {
			prev = cat
		}
	}
	if o.Once {
		var err error
		on := o.OnRound
		o.OnRound = func(r SyncRound) {
			err = r.Err
			if on != nil {
				on(r)
			}
		}
		round("start")
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	round("start")
	ticks := make(chan struct{}, 1)
	go func() {
		for {
			if err := o.Clock.Sleep(ctx, o.Interval); err != nil {
				return
			}
			select {
			case ticks <- struct{}{}:
			default:
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case _, ok := <-o.Notify:
			if !ok {
				o.Notify = nil
				continue
			}
			// Merge notifications that queued up during the last round.
		drain:
			for {
				select {
				case <-o.Notify:
				default:
					break drain
				}
			}
			round("notify")
		case <-ticks:
			round("interval")
		}
	}
}

// mergeStatic adds the static zones to d, replacing members of the same
// name.
func mergeStatic(d Desired, static []ZoneConfig) Desired {
	names := map[string]bool{}
	for _, z := range static {
		names[z.Name] = true
	}
	out := Desired{Keys: d.Keys, Zones: append([]ZoneConfig(nil), static...)}
	for _, z := range d.Zones {
		if !names[z.Name] {
			out.Zones = append(out.Zones, z)
		}
	}
	sort.Slice(out.Zones, func(i, j int) bool { return out.Zones[i].Name < out.Zones[j].Name })
	return out
}
