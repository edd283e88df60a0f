package fleet_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/fleet"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

var (
	p1 = []string{"192.0.2.1", "2001:db8::1"}
	p2 = []string{"192.0.2.9"}
)

// TestPlanApply walks the plan/apply cycle from several starting points
// and checks the plan's counts, the final state of the fakes and that a
// second apply has nothing to do.
func TestPlanApply(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		owned bool
		// before prepares the fakes through the fleet itself.
		before fleet.Desired
		after  fleet.Desired
		// want counts per provider: create, repoint, delete, keep, unmanaged.
		want  [5]int
		extra state // zones left alone in the end state
	}{
		{name: "from empty", after: desired(5, p1...), want: [5]int{5, 0, 0, 0, 0}},
		{name: "in sync", before: desired(5, p1...), after: desired(5, p1...), want: [5]int{0, 0, 0, 5, 0}},
		{name: "re-point two, add one", before: desired(5, p1...),
			after: func() fleet.Desired {
				d := desired(6, p1...)
				d.Zones[1] = zone(d.Zones[1].Name, p2, "cf", "ds", "io")
				d.Zones[3] = zone(d.Zones[3].Name, p2, "cf", "ds", "io")
				return d
			}(), want: [5]int{1, 2, 0, 3, 0}},
		{name: "not owned: removed zones are left alone", before: desired(5, p1...), after: desired(3, p1...),
			want: [5]int{0, 0, 0, 3, 2}, extra: func() state {
				s := state{"io": {}, "ds": {}, "cf": {}}
				for _, p := range []string{"io", "ds", "cf"} {
					s[p]["z003.example"] = "[192.0.2.1 2001:db8::1]"
					s[p]["z004.example"] = "[192.0.2.1 2001:db8::1]"
				}
				return s
			}()},
		{name: "owned: removed zones are deleted", owned: true, before: desired(5, p1...), after: desired(4, p1...),
			want: [5]int{0, 0, 1, 4, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e := newEnv(t, envOptions{owned: tc.owned})
			o := fleet.ApplyOptions{Thresholds: fleet.DefaultThresholds()}
			if len(tc.before.Zones) > 0 {
				plan, err := fleet.MakePlan(ctx, tc.before, e.targets)
				require.NoError(t, err)
				require.NoError(t, fleet.Apply(ctx, plan, e.targets, o))
			}
			plan, err := fleet.MakePlan(ctx, tc.after, e.targets)
			require.NoError(t, err)
			require.Len(t, plan.Providers, 3)
			for _, pp := range plan.Providers {
				got := [5]int{pp.Count(fleet.Create), pp.Count(fleet.Repoint), pp.Count(fleet.Delete), pp.Keep, pp.Unmanaged}
				assert.Equal(t, tc.want, got, "provider %s", pp.Provider)
			}
			var events []fleet.Progress
			o.Progress = func(p fleet.Progress) { events = append(events, p) }
			require.NoError(t, fleet.Apply(ctx, plan, e.targets, o))
			require.Len(t, events, plan.Changes())
			if len(events) > 0 {
				last := events[len(events)-1]
				assert.Equal(t, last.Total, last.Done)
				assert.Zero(t, last.Failed)
			}
			assert.Equal(t, want(tc.after, tc.extra), e.snapshot(t))

			// Idempotent: a second plan is empty and applying it sends
			// nothing.
			again, err := fleet.MakePlan(ctx, tc.after, e.targets)
			require.NoError(t, err)
			assert.True(t, again.Empty(), "%+v", again)
			before := e.requests()
			require.NoError(t, fleet.Apply(ctx, again, e.targets, o))
			assert.Equal(t, before, e.requests())
		})
	}
}

func TestRecreateOnTSIGChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{})
	d := fleet.Desired{Zones: []fleet.ZoneConfig{zone("tsig.example", p1, "cf")}, Keys: map[string]string{"k": "transfer-key"}}
	keys := map[string]facade.TSIG{"k": {Name: "transfer-key", Algorithm: "hmac-sha256", Secret: "c2VjcmV0"}}
	o := fleet.ApplyOptions{Keys: keys}
	plan, err := fleet.MakePlan(ctx, d, e.targets)
	require.NoError(t, err)
	require.NoError(t, fleet.Apply(ctx, plan, e.targets, o))

	d.Zones[0].Key = "k"
	plan, err = fleet.MakePlan(ctx, d, e.targets)
	require.NoError(t, err)
	require.Len(t, plan.Providers[0].Changes, 1)
	assert.Equal(t, fleet.Recreate, plan.Providers[0].Changes[0].Action)
	require.NoError(t, fleet.Apply(ctx, plan, e.targets, o))
	plan, err = fleet.MakePlan(ctx, d, e.targets)
	require.NoError(t, err)
	assert.True(t, plan.Empty(), "%+v", plan)
	require.Len(t, e.cf.TSIGs(), 1)
	assert.NotContains(t, func() string { b, _ := json.Marshal(plan); return string(b) }(), "c2VjcmV0")

	// A plan naming a key that was not resolved is refused before any
	// request.
	d.Zones = append(d.Zones, zone("tsig2.example", p1, "cf"))
	d.Zones[1].Key = "k"
	plan, err = fleet.MakePlan(ctx, d, e.targets)
	require.NoError(t, err)
	before := e.requests()
	err = fleet.Apply(ctx, plan, e.targets, fleet.ApplyOptions{})
	require.ErrorIs(t, err, facade.ErrInvalidInput)
	assert.Equal(t, before, e.requests())
}

// TestThresholds: an apply deleting or changing too large a share of a
// provider's zones is refused before any request, unless forced.
func TestThresholds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{owned: true})
	o := fleet.ApplyOptions{Thresholds: fleet.DefaultThresholds()}
	plan, err := fleet.MakePlan(ctx, desired(20, p1...), e.targets)
	require.NoError(t, err)
	require.NoError(t, fleet.Apply(ctx, plan, e.targets, o))

	tests := []struct {
		name string
		d    fleet.Desired
		ok   bool
	}{
		{"delete 5 of 20 (25%)", desired(15, p1...), true},
		{"delete 10 of 20 (50%)", desired(10, p1...), false},
		{"re-point all", desired(20, p2...), false},
	}
	for _, tc := range tests {
		plan, err := fleet.MakePlan(ctx, tc.d, e.targets)
		require.NoError(t, err)
		err = plan.Check(o.Thresholds)
		if tc.ok {
			assert.NoError(t, err, tc.name)
			continue
		}
		var te *fleet.ThresholdError
		require.ErrorAs(t, err, &te, tc.name)
		assert.Len(t, te.Problems, 3, tc.name)
		before := e.requests()
		require.ErrorAs(t, fleet.Apply(ctx, plan, e.targets, o), &te)
		assert.Equal(t, before, e.requests(), "%s: refused before any request", tc.name)
	}
	plan, err = fleet.MakePlan(ctx, desired(10, p1...), e.targets)
	require.NoError(t, err)
	o.Force = true
	require.NoError(t, fleet.Apply(ctx, plan, e.targets, o))
	assert.Equal(t, want(desired(10, p1...), nil), e.snapshot(t))
}

// TestPlanJSONAndFilter: a plan survives JSON and can be filtered.
func TestPlanJSONAndFilter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{})
	plan, err := fleet.MakePlan(ctx, desired(4, p1...), e.targets)
	require.NoError(t, err)
	b, err := json.Marshal(plan)
	require.NoError(t, err)
	back, err := fleet.ReadPlan(b)
	require.NoError(t, err)
	assert.Equal(t, plan.Changes(), back.Changes())
	assert.Equal(t, plan.Providers, back.Providers)

	only := back.Filter(func(provider string, c fleet.Change) bool { return provider == "io" && c.Zone < "z002" })
	require.Equal(t, 2, only.Changes())
	require.NoError(t, fleet.Apply(ctx, only, e.targets, fleet.ApplyOptions{}))
	s := e.snapshot(t)
	assert.Len(t, s["io"], 2)
	assert.Empty(t, s["cf"])
	assert.Empty(t, s["ds"])

	for _, bad := range []string{`{"providers":[{"provider":"io","changes":[{"zone":"a..b","action":"create"}]}]}`,
		`{"providers":[{"provider":"io","changes":[{"zone":"a.example","action":"explode"}]}]}`,
		`{"providers":[{"provider":"io","changes":[{"zone":"a.example","action":"create","primaries":["300.0.0.1"]}]}]}`,
		`{"providers":[], "extra": 1}`} {
		_, err := fleet.ReadPlan([]byte(bad))
		assert.ErrorIs(t, err, facade.ErrInvalidInput, bad)
	}
}

// TestInterruptedApply cancels an apply at its Nth request (counted by the
// fakes' request hook, not by time), then re-plans and applies: the state
// converges with nothing duplicated, lost or half-created.
func TestInterruptedApply(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 7, 20, 33, 58} {
		t.Run("cancel at request "+itoa(n), func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var count, armed atomic.Int64
			hook := func(*http.Request) {
				if armed.Load() == 1 && count.Add(1) == int64(n) {
					cancel()
				}
			}
			e := newEnv(t, envOptions{owned: true, onRequest: hook})
			d := desired(12, p1...)
			plan, err := fleet.MakePlan(ctx, d, e.targets)
			require.NoError(t, err)
			armed.Store(1)
			err = fleet.Apply(ctx, plan, e.targets, fleet.ApplyOptions{})
			require.ErrorIs(t, err, context.Canceled)
			armed.Store(0)

			// Whatever the interrupted apply left: no duplicate, and
			// every zone present either complete or absent after the
			// clients' rollback, or completed by the next apply.
			_ = e.snapshot(t)
			rounds := converge(t, context.Background(), e, d, fleet.ApplyOptions{}, 3)
			assert.LessOrEqual(t, rounds, 1)
			assert.Equal(t, want(d, nil), e.snapshot(t))
		})
	}
}

// TestFaults: 5xx bursts, dropped connections (before and after the server
// acted) and 429s; the apply retries and re-planning converges.
func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		faults fakes.Faults
	}{
		{"503 bursts", fakes.Faults{Unavailable: fakes.Trigger{Every: 9, Burst: 3}}},
		{"502 for a quarter", fakes.Faults{Seed: 3, BadGateway: fakes.Trigger{Probability: 0.25}}},
		{"answers lost after acting", fakes.Faults{DropAfter: fakes.Trigger{Every: 5}}},
		{"connections dropped before", fakes.Faults{DropBefore: fakes.Trigger{Every: 6}}},
		{"429s", fakes.Faults{RateLimit: fakes.Trigger{Every: 3}, RetryAfter: -1}},
		{"everything", fakes.Faults{Seed: 7, DropAfter: fakes.Trigger{Probability: 0.08}, Unavailable: fakes.Trigger{Probability: 0.08, Burst: 2},
			DropBefore: fakes.Trigger{Probability: 0.05}, BadGateway: fakes.Trigger{Probability: 0.05}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, envOptions{owned: true, noCheck: true, fakeOpts: []fakes.Option{fakes.WithFaults(tc.faults)}})
			ctx := context.Background()
			d := desired(10, p1...)
			converge(t, ctx, e, d, fleet.ApplyOptions{Clock: fleet.ScaledClock(1000)}, 8)
			// Change half and delete some, still under faults.
			d2 := desired(8, p1...)
			for i := range 4 {
				d2.Zones[i] = zone(d2.Zones[i].Name, p2, "cf", "ds", "io")
			}
			converge(t, ctx, e, d2, fleet.ApplyOptions{Force: true, Clock: fleet.ScaledClock(1000)}, 8)
			for _, f := range []*fakes.Server{e.io.Server, e.ds.Server, e.cf.Server} {
				f.SetFaults(fakes.Faults{})
			}
			assert.Equal(t, want(d2, nil), e.snapshot(t))
			plan, err := fleet.MakePlan(ctx, d2, e.targets)
			require.NoError(t, err)
			assert.True(t, plan.Empty())
		})
	}
}

// TestHalfCreated: zones left half-created by a killed process (a
// Cloudflare secondary zone without incoming configuration, a DNSimple
// secondary zone without linked primaries) are re-pointed, not duplicated.
func TestHalfCreated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{})
	_, err := e.cf.AddZone("z000.example", "secondary")
	require.NoError(t, err)
	_, err = e.ds.AddZone("z001.example", true)
	require.NoError(t, err)
	d := desired(3, p1...)
	plan, err := fleet.MakePlan(ctx, d, e.targets)
	require.NoError(t, err)
	for _, pp := range plan.Providers {
		switch pp.Provider {
		case "cf", "ds":
			assert.Equal(t, 1, pp.Count(fleet.Repoint), pp.Provider)
			assert.Equal(t, 2, pp.Count(fleet.Create), pp.Provider)
		}
	}
	require.NoError(t, fleet.Apply(ctx, plan, e.targets, fleet.ApplyOptions{}))
	assert.Equal(t, want(d, nil), e.snapshot(t))
}

func TestApplyErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{})
	// A zone at IONOS with a port IONOS cannot do: the change fails, the
	// others are carried out, and the error lists it.
	d := desired(2, p1...)
	d.Zones = append(d.Zones, zone("port.example", []string{"192.0.2.1:5353"}, "io"))
	plan, err := fleet.MakePlan(ctx, d, e.targets)
	require.NoError(t, err)
	err = fleet.Apply(ctx, plan, e.targets, fleet.ApplyOptions{})
	var ae *fleet.ApplyError
	require.ErrorAs(t, err, &ae)
	require.Len(t, ae.Failed, 1)
	assert.Equal(t, "port.example", ae.Failed[0].Change.Zone)
	assert.True(t, errors.Is(err, facade.ErrUnsupported))
	assert.Len(t, e.snapshot(t)["io"], 2)
}

// TestReconcile plans and applies per provider: one over its threshold is
// skipped and reported, the others converge.
func TestReconcile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{owned: true})
	_, err := fleet.Reconcile(ctx, desired(12, p1...), e.targets, fleet.ApplyOptions{})
	require.NoError(t, err)
	assert.Equal(t, want(desired(12, p1...), nil), e.snapshot(t))

	// Drop 6 of 12 zones from cf and ds (50%: over the threshold), none
	// from io.
	d := desired(12, p1...)
	for i := range 6 {
		d.Zones[i].Providers = []string{"io"}
	}
	plan, err := fleet.Reconcile(ctx, d, e.targets, fleet.ApplyOptions{})
	var te *fleet.ThresholdError
	require.ErrorAs(t, err, &te)
	assert.Len(t, plan.Providers, 3)
	s := e.snapshot(t)
	assert.Len(t, s["cf"], 12, "refused")
	assert.Len(t, s["ds"], 12, "refused")
	assert.Len(t, s["io"], 12)
}
