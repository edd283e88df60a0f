package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/fleet"
)

// fleetSync follows the file's catalog zone: it transfers the catalog from
// the primary, reconciles its members (plus the file's zones) into the
// providers, and repeats on every NOTIFY received on --listen and every
// --interval, until interrupted (or after one round with --once).
func fleetSync(ctx context.Context, a *app, fo *fleetOptions) error {
	cfg, keys, err := a.loadFleet(fo)
	if err != nil {
		return err
	}
	cc := cfg.Catalog
	if cc == nil {
		return usagef("fleet sync: %s has no catalog section (see docs/FLEET.md)", fo.file)
	}
	targets, _, err := a.fleetTargets(ctx, cfg.Providers)
	if err != nil {
		return err
	}
	var key *facade.TSIG
	if cc.TransferKey != "" {
		k := keys[cc.TransferKey]
		key = &k
	}
	d := fleet.DesiredFromConfig(cfg)
	o := fleet.SyncOptions{
		Interval: fo.interval, Keys: d.Keys, Static: d.Zones, Once: fo.once,
		Apply: fleet.ApplyOptions{
			Thresholds: fleet.Thresholds{MaxChangeShare: fo.maxChange, MaxDeleteShare: fo.maxDelete, MinExisting: fleet.DefaultThresholds().MinExisting},
			Force:      fo.force, Concurrency: fo.concurrency, ConcurrencyFor: providerConcurrency(cfg), Keys: keys,
		},
		OnRound: func(r fleet.SyncRound) { a.printRound(cc.Zone, r) },
	}
	if fo.listen != "" {
		l, err := fleet.ListenNotify(ctx, fo.listen, cc.Primary, cc.Zone)
		if err != nil {
			return fmt.Errorf("fleet sync: listening for NOTIFY: %w", err)
		}
		defer func() { _ = l.Close() }()
		o.Notify = l.C()
		fmt.Fprintf(a.stderr, "listening for NOTIFY of %s from %s on %s\n", cc.Zone, cc.Primary.Addr, l.Addr())
	}
	err = fleet.Sync(ctx, fleet.TransferCatalog(cc.Primary, cc.Zone, key), cc.Source, targets, o)
	if !fo.once && errors.Is(err, context.Canceled) {
		return nil // interrupted: the normal way to stop
	}
	var ce *fleet.CatalogError
	if errors.As(err, &ce) {
		return usagef("%v", err)
	}
	return err
}

// printRound writes one line per sync round.
func (a *app) printRound(zone string, r fleet.SyncRound) {
	if r.Catalog == nil {
		fmt.Fprintf(a.stdout, "%s: catalog %s: %v\n", r.Trigger, zone, oneLine(r.Err.Error()))
		return
	}
	counts := map[fleet.Action]int{}
	if r.Plan != nil {
		for _, pp := range r.Plan.Providers {
			for _, c := range pp.Changes {
				counts[c.Action]++
			}
		}
	}
	status := "ok"
	if r.Err != nil {
		status = oneLine(r.Err.Error())
	}
	fmt.Fprintf(a.stdout, "%s: catalog %s: %d member(s); created %d, re-pointed %d, re-created %d, deleted %d: %s\n",
		r.Trigger, zone, len(r.Catalog.Members), counts[fleet.Create], counts[fleet.Repoint], counts[fleet.Recreate], counts[fleet.Delete], status)
}
