package fleet_test

import (
	"context"
	"flag"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade/fleet"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

var soakDuration = flag.Duration("fleet.soak", 0, "run the fleet soak for this long (0: skip); make soak-fleet")

// TestFleetSoak applies random desired states under random faults, cancels
// applies at a random request (counted by the fakes' hook), and after each
// round checks that one fault-free re-plan and apply converge exactly: no
// zone duplicated, lost or left half-created. Clients are paced, so the
// pacers' accounting is soaked too.
func TestFleetSoak(t *testing.T) {
	if *soakDuration <= 0 {
		t.Skip("soak: run with -fleet.soak=45s (make soak-fleet)")
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	var (
		count  atomic.Int64
		cancel atomic.Pointer[context.CancelFunc]
		at     atomic.Int64
	)
	hook := func(*http.Request) {
		if n := count.Add(1); n == at.Load() {
			if c := cancel.Load(); c != nil {
				(*c)()
			}
		}
	}
	// Every client is paced (the default rates on a clock 200 times
	// faster), and apply derives its concurrency from the pacers: the
	// pacers see dropped connections, 429s and cancellations too.
	clock := fleet.ScaledClock(200)
	pacers := map[string]*fleet.Pacer{}
	for _, typ := range []string{"ionos", "dnsimple", "cloudflare"} {
		p, err := fleet.NewPacer(fleet.DefaultRate(typ), fleet.WithClock(clock))
		require.NoError(t, err)
		pacers[typ] = p
	}
	e := newEnv(t, envOptions{owned: true, noCheck: true, onRequest: hook,
		transport: func(typ string) http.RoundTripper { return pacers[typ].Transport(nil) }})
	for i := range e.targets {
		e.targets[i].Pacer = pacers[e.targets[i].Type]
	}
	servers := []*fakes.Server{e.io.Server, e.ds.Server, e.cf.Server}
	primarySets := [][]string{p1, p2, {"192.0.2.1", "192.0.2.9"}}
	deadline := time.Now().Add(*soakDuration)
	rounds, interrupted := 0, 0
	for time.Now().Before(deadline) {
		rounds++
		// A random desired state: up to 25 zones, random primaries and
		// provider subsets.
		d := fleet.Desired{Keys: map[string]string{}}
		for i := range 25 {
			if rng.IntN(3) == 0 {
				continue
			}
			var provs []string
			for _, p := range []string{"cf", "ds", "io"} {
				if rng.IntN(4) != 0 {
					provs = append(provs, p)
				}
			}
			if len(provs) == 0 {
				continue
			}
			d.Zones = append(d.Zones, zone("s"+itoa(i)+".example", primarySets[rng.IntN(len(primarySets))], provs...))
		}
		faults := fakes.Faults{Seed: rng.Uint64(),
			DropAfter:   fakes.Trigger{Probability: rng.Float64() * 0.1},
			DropBefore:  fakes.Trigger{Probability: rng.Float64() * 0.05},
			Unavailable: fakes.Trigger{Probability: rng.Float64() * 0.1, Burst: rng.IntN(4)},
			BadGateway:  fakes.Trigger{Probability: rng.Float64() * 0.05},
			RateLimit:   fakes.Trigger{Probability: rng.Float64() * 0.05}, RetryAfter: -1,
		}
		for _, s := range servers {
			s.SetFaults(faults)
		}
		ctx, stop := context.WithCancel(context.Background())
		cancel.Store(&stop)
		count.Store(0)
		at.Store(int64(1 + rng.IntN(150)))
		if plan, err := fleet.MakePlan(ctx, d, e.targets); err == nil {
			err = fleet.Apply(ctx, plan, e.targets, fleet.ApplyOptions{Force: true, Clock: fleet.ScaledClock(1000)})
			if ctx.Err() != nil {
				interrupted++
			}
		}
		stop()
		cancel.Store(nil)

		// Fault-free: one plan and apply converge, a second plan is empty.
		for _, s := range servers {
			s.SetFaults(fakes.Faults{})
		}
		bg := context.Background()
		plan, err := fleet.MakePlan(bg, d, e.targets)
		require.NoError(t, err)
		require.NoError(t, fleet.Apply(bg, plan, e.targets, fleet.ApplyOptions{Force: true}), "round %d", rounds)
		plan, err = fleet.MakePlan(bg, d, e.targets)
		require.NoError(t, err)
		require.True(t, plan.Empty(), "round %d: %+v", rounds, plan)
		require.Equal(t, want(d, nil), e.snapshot(t), "round %d", rounds)
	}
	t.Logf("%d rounds, %d interrupted by cancellation", rounds, interrupted)
	for typ, p := range pacers {
		st := p.Stats()
		t.Logf("pacer %s: sent %d, throttled %d, re-sent %d, most in flight %d", typ, st.Sent, st.Throttled, st.Retried, st.MaxInFlight)
	}
	assert.Positive(t, rounds)
}
