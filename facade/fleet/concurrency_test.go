package fleet_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/fleet"
)

// gateClient counts CreateZone calls in flight and holds each until
// `open` calls are in flight at once; then it lets every call through.
type gateClient struct {
	facade.SecondaryDNS // only CreateZone is called

	open int

	mu       sync.Mutex
	inFlight int
	peak     int
	gate     chan struct{}
	opened   bool
}

func (g *gateClient) CreateZone(ctx context.Context, name string, _ []facade.Primary, _ ...facade.CreateOption) (facade.Zone, error) {
	g.mu.Lock()
	g.inFlight++
	g.peak = max(g.peak, g.inFlight)
	if g.inFlight == g.open && !g.opened {
		close(g.gate)
		g.opened = true
	}
	g.mu.Unlock()
	defer func() { g.mu.Lock(); g.inFlight--; g.mu.Unlock() }()
	select {
	case <-g.gate:
		return facade.Zone{Name: name}, nil
	case <-ctx.Done():
		return facade.Zone{}, ctx.Err()
	}
}

// TestApplyConcurrency: Apply keeps exactly as many changes in flight as
// the target's pacer asks for (its pace times the latency it observed), or
// the cap if lower, or 4 without a pacer; never more. Each CreateZone call
// waits until that many are in flight, so fewer would never finish (the
// context's deadline only guards against a hang).
func TestApplyConcurrency(t *testing.T) {
	t.Parallel()
	// 98 requests per second at 100 ms: 22 in flight (see TestPacerConcurrency).
	pacer := func(t *testing.T) *fleet.Pacer {
		c := &virtualClock{t: time.Unix(1e9, 0)}
		p, err := fleet.NewPacer(fleet.Rate{Requests: 1010, Per: 10 * time.Second, Burst: 10}, fleet.WithClock(c))
		require.NoError(t, err)
		hc := &http.Client{Transport: p.Transport(latencyTransport{c, 100 * time.Millisecond})}
		resp, err := hc.Get("http://127.0.0.1/")
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		return p
	}
	tests := []struct {
		name   string
		paced  bool
		capped int
		want   int
	}{
		{"paced", true, 0, 22},
		{"paced, capped", true, 5, 5},
		{"paced, cap above the pace", true, 100, 22},
		{"no pacer", false, 0, 4},
		{"no pacer, capped", false, 7, 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := &gateClient{open: tc.want, gate: make(chan struct{})}
			target := fleet.Target{Name: "x", Type: facade.ProviderIONOS, Client: g}
			if tc.paced {
				target.Pacer = pacer(t)
			}
			pp := fleet.ProviderPlan{Provider: "x", Type: facade.ProviderIONOS}
			for i := range 3 * tc.want {
				pp.Changes = append(pp.Changes, fleet.Change{Zone: "z" + itoa(i) + ".example", Action: fleet.Create, Primaries: p1})
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			err := fleet.Apply(ctx, &fleet.Plan{Providers: []fleet.ProviderPlan{pp}}, []fleet.Target{target}, fleet.ApplyOptions{Concurrency: tc.capped})
			require.NoError(t, err)
			assert.Equal(t, tc.want, g.peak, "changes in flight at most")
		})
	}
}
