package fleet_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade/fleet"
)

// TestSync follows a catalog through notifications and an interval: added
// members appear at every provider, removed ones are deleted, a broken
// catalog changes nothing.
func TestSync(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{owned: true})
	var mu sync.Mutex
	records := catalogRecords(ptr("a", "one.example."))
	fetch := func(context.Context) ([]fleet.CatalogRecord, error) {
		mu.Lock()
		defer mu.Unlock()
		if records == nil {
			return nil, errors.New("transfer failed")
		}
		return append([]fleet.CatalogRecord(nil), records...), nil
	}
	set := func(rs []fleet.CatalogRecord) { mu.Lock(); records = rs; mu.Unlock() }
	notify := make(chan struct{}, 1)
	rounds := make(chan fleet.SyncRound, 16)
	src := fleet.CatalogSource{Zone: "catalog.invalid", Primaries: zone("x.example", p1).Primaries, Providers: []string{"cf", "ds", "io"}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		done <- fleet.Sync(ctx, fetch, src, e.targets, fleet.SyncOptions{
			Notify: notify, Interval: time.Hour, Clock: fleet.ScaledClock(3600 * 4),
			Apply: fleet.ApplyOptions{Force: true},
			OnRound: func(r fleet.SyncRound) {
				select {
				case rounds <- r:
				case <-ctx.Done():
				}
			},
		})
	}()
	next := func(trigger string) fleet.SyncRound {
		for r := range rounds {
			if trigger == "" || r.Trigger == trigger {
				return r
			}
		}
		panic("closed")
	}
	members := func(names ...string) map[string]string {
		s := map[string]string{}
		for _, n := range names {
			s[n] = "[192.0.2.1 2001:db8::1]"
		}
		return s
	}
	check := func(names ...string) {
		t.Helper()
		m := members(names...)
		assert.Equal(t, state{"cf": m, "ds": m, "io": m}, e.snapshot(t))
	}

	r := next("start")
	require.NoError(t, r.Err)
	check("one.example")

	set(catalogRecords(ptr("a", "one.example."), ptr("b", "two.example.")))
	notify <- struct{}{}
	r = next("notify")
	require.NoError(t, r.Err)
	check("one.example", "two.example")

	set(catalogRecords(ptr("a", "one.example."), ptr("a", "three.example.")))
	notify <- struct{}{}
	r = next("notify")
	var ce *fleet.CatalogError
	require.ErrorAs(t, r.Err, &ce)
	check("one.example", "two.example")

	set(nil)
	notify <- struct{}{}
	r = next("notify")
	require.Error(t, r.Err)
	check("one.example", "two.example")

	// The interval alone picks up a removal.
	set(catalogRecords(ptr("b", "two.example.")))
	// (a round that fetched the failing transfer may still be reported)
	for r = next("interval"); r.Err != nil; r = next("interval") {
	}
	check("two.example")

	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
}
