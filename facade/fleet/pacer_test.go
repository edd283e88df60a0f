package fleet_test

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade/fleet"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// virtualClock jumps forward on Sleep instead of waiting: pacing is then
// exact and instant.
type virtualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *virtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *virtualClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return nil
}

// TestPacerPace checks on a virtual clock that n requests take the time the
// rate allows, never more than the published budget in any window.
func TestPacerPace(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rate fleet.Rate
		n    int
	}{
		{fleet.CloudflareRate, 3000},
		{fleet.DNSimpleRate, 5000},
		{fleet.Rate{Requests: 100, Per: time.Second}, 1000},
	}
	for _, tc := range tests {
		t.Run(tc.rate.String(), func(t *testing.T) {
			t.Parallel()
			c := &virtualClock{t: time.Unix(1e9, 0)}
			p, err := fleet.NewPacer(tc.rate, fleet.WithClock(c))
			require.NoError(t, err)
			start := c.Now()
			times := make([]time.Time, 0, tc.n)
			for range tc.n {
				require.NoError(t, p.Wait(context.Background()))
				times = append(times, c.Now())
			}
			// Never more than Requests in any window of length Per.
			j := 0
			for i := range times {
				for times[i].Sub(times[j]) >= tc.rate.Per {
					j++
				}
				require.LessOrEqual(t, i-j+1, tc.rate.Requests, "window ending at request %d", i)
			}
			// And at least 90% of the allowed rate.
			elapsed := c.Now().Sub(start)
			allowed := float64(elapsed) / float64(tc.rate.Per) * float64(tc.rate.Requests)
			assert.GreaterOrEqual(t, float64(tc.n)/allowed, 0.9, "used share of the allowed rate")
			assert.Equal(t, int64(tc.n), p.Stats().Sent)
		})
	}
}

func TestPacerObserve(t *testing.T) {
	t.Parallel()
	resp := func(status int, h map[string]string) *http.Response {
		r := &http.Response{StatusCode: status, Header: http.Header{}}
		for k, v := range h {
			r.Header.Set(k, v)
		}
		return r
	}
	tests := []struct {
		name string
		resp func(now time.Time) *http.Response
		// wantWait is the virtual time the next request waits.
		wantWait time.Duration
	}{
		{"nothing said", func(time.Time) *http.Response { return resp(200, nil) }, 0},
		{"Retry-After seconds", func(time.Time) *http.Response { return resp(429, map[string]string{"Retry-After": "17"}) }, 17 * time.Second},
		{"429 without Retry-After: the penalty", func(time.Time) *http.Response { return resp(429, nil) }, 5 * time.Minute},
		{"remaining 0 until reset", func(now time.Time) *http.Response {
			return resp(200, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(now.Add(40*time.Second).Unix(), 10)})
		}, 41*time.Second + time.Millisecond},
		{"remaining 1: one more at once", func(now time.Time) *http.Response {
			return resp(200, map[string]string{"X-RateLimit-Remaining": "1", "X-RateLimit-Reset": strconv.FormatInt(now.Add(40*time.Second).Unix(), 10)})
		}, 0},
		{"absurd reset ignored", func(now time.Time) *http.Response {
			return resp(200, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(now.Add(1000*time.Hour).Unix(), 10)})
		}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := &virtualClock{t: time.Unix(2e9, 0)}
			p, err := fleet.NewPacer(fleet.CloudflareRate, fleet.WithClock(c))
			require.NoError(t, err)
			p.Observe(tc.resp(c.Now()))
			before := c.Now()
			require.NoError(t, p.Wait(context.Background()))
			assert.Equal(t, tc.wantWait, c.Now().Sub(before))
		})
	}
}

func TestPacerHonoursContext(t *testing.T) {
	t.Parallel()
	p, err := fleet.NewPacer(fleet.CloudflareRate)
	require.NoError(t, err)
	p.Observe(&http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"3600"}}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.Wait(ctx) }()
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)

	_, err = fleet.NewPacer(fleet.Rate{Requests: 0, Per: time.Second})
	assert.Error(t, err)
}

// TestPacedApply applies through paced clients against fakes enforcing
// their providers' limits on a clock running 3000 times faster: no 429 is
// provoked, and everything converges in one apply. IONOS is limited below
// what the pacer assumes: its 429s are absorbed by the transport.
func TestPacedApply(t *testing.T) {
	t.Parallel()
	clock := fleet.ScaledClock(3000)
	limits := map[string]fakes.RateLimit{
		"cloudflare": {Requests: 120, Window: 5 * time.Minute, Block: 5 * time.Minute},
		"dnsimple":   {Requests: 240, Window: time.Hour, Fixed: true, Headers: true},
		"ionos":      fakes.IONOSRateLimit(20, time.Minute),
	}
	rates := map[string]fleet.Rate{
		"cloudflare": {Requests: 120, Per: 5 * time.Minute},
		"dnsimple":   {Requests: 240, Per: time.Hour},
		"ionos":      {Requests: 40, Per: time.Minute}, // more than the fake allows
	}
	pacers := map[string]*fleet.Pacer{}
	for name, r := range rates {
		p, err := fleet.NewPacer(r, fleet.WithClock(clock))
		require.NoError(t, err)
		pacers[name] = p
	}
	e := newEnv(t, envOptions{
		transport: func(p string) http.RoundTripper { return pacers[p].Transport(nil) },
		limits:    limits,
		clock:     clock,
	})
	d := desired(30, p1...)
	ctx := context.Background()
	plan, err := fleet.MakePlan(ctx, d, e.targets)
	require.NoError(t, err)
	require.NoError(t, fleet.Apply(ctx, plan, e.targets, fleet.ApplyOptions{Concurrency: 8, Clock: clock}))
	assert.Equal(t, want(d, nil), e.snapshot(t))
	assert.Zero(t, e.cf.RateLimitStats().Rejected, "cloudflare 429s")
	assert.Zero(t, e.ds.RateLimitStats().Rejected, "dnsimple 429s")
	// However many 429s IONOS sent (it depends on the machine's speed),
	// the transport absorbed every one.
	assert.Equal(t, int64(e.io.RateLimitStats().Rejected), pacers["ionos"].Stats().Throttled)
}

// TestPacerAbsorbs429: a 429 is waited out (Retry-After, on the pacer's
// clock) and the request re-sent with its body; the client sees success.
func TestPacerAbsorbs429(t *testing.T) {
	t.Parallel()
	clock := fleet.ScaledClock(1000)
	p, err := fleet.NewPacer(fleet.IONOSRate, fleet.WithClock(clock))
	require.NoError(t, err)
	e := newEnv(t, envOptions{
		fakeOpts:  []fakes.Option{fakes.WithFaults(fakes.Faults{RateLimit: fakes.Trigger{Nth: 2}, RetryAfter: 2 * time.Second})},
		transport: func(string) http.RoundTripper { return p.Transport(nil) },
	})
	d := fleet.Desired{Zones: []fleet.ZoneConfig{zone("a.example", p1, "io")}}
	plan, err := fleet.MakePlan(context.Background(), d, e.targets)
	require.NoError(t, err)
	require.NoError(t, fleet.Apply(context.Background(), plan, e.targets, fleet.ApplyOptions{}))
	assert.Equal(t, 1, e.io.Stats().RateLimited)
	st := p.Stats()
	assert.Equal(t, int64(1), st.Throttled)
	assert.Equal(t, int64(1), st.Retried)
	assert.Equal(t, want(d, nil)["io"], e.snapshot(t)["io"])
}

// TestPacerFollowsHeaders: the pacer believes it may send 2,400 requests
// an hour, but the DNSimple fake allows 15 and says so in its headers; the
// pacer waits for each reset and no request is refused, one change at a
// time or with as many changes in flight as the pacer asks for (the
// requests still on their way are taken off the remaining budget).
func TestPacerFollowsHeaders(t *testing.T) {
	t.Parallel()
	for _, conc := range []int{1, 0} {
		t.Run("concurrency "+itoa(conc), func(t *testing.T) {
			t.Parallel()
			clock := fleet.ScaledClock(3600 * 20)
			p, err := fleet.NewPacer(fleet.DNSimpleRate, fleet.WithClock(clock))
			require.NoError(t, err)
			e := newEnv(t, envOptions{
				clock:     clock,
				limits:    map[string]fakes.RateLimit{"dnsimple": {Requests: 15, Window: time.Hour, Fixed: true, Headers: true}},
				transport: func(string) http.RoundTripper { return p.Transport(nil) },
			})
			for i := range e.targets {
				e.targets[i].Pacer = p
			}
			d := fleet.Desired{}
			for i := range 8 {
				d.Zones = append(d.Zones, zone("h"+itoa(i)+".example", p1, "ds"))
			}
			ctx := context.Background()
			plan, err := fleet.MakePlan(ctx, d, e.targets)
			require.NoError(t, err)
			require.NoError(t, fleet.Apply(ctx, plan, e.targets, fleet.ApplyOptions{Concurrency: conc}))
			assert.Equal(t, want(d, nil)["ds"], e.snapshot(t)["ds"])
			rs := e.ds.RateLimitStats()
			assert.Greater(t, rs.Allowed, 15, "the work needed more than one window")
			assert.Zero(t, rs.Rejected, "the headers were followed")
		})
	}
}

// answer is an empty 200 response to r with header h.
func answer(r *http.Request, h http.Header) *http.Response {
	return &http.Response{StatusCode: 200, Header: h, Body: http.NoBody, Request: r}
}

// latencyTransport answers 200 after advancing a virtual clock by d.
type latencyTransport struct {
	c *virtualClock
	d time.Duration
}

func (l latencyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := l.c.Sleep(r.Context(), l.d); err != nil {
		return nil, err
	}
	return answer(r, http.Header{}), nil
}

// TestPacerConcurrency: the pacer's suggested concurrency is its pace times
// the observed latency (Little's law), doubled, plus two, within [2, 64].
func TestPacerConcurrency(t *testing.T) {
	t.Parallel()
	// (1010 - 10) x 0.98 per 10 s: 98 requests per second.
	rate := fleet.Rate{Requests: 1010, Per: 10 * time.Second, Burst: 10}
	tests := []struct {
		latency time.Duration
		want    int
	}{
		{0, 2},                       // nothing observed yet
		{time.Millisecond, 3},        // 0.196 -> 1, + 2
		{100 * time.Millisecond, 22}, // 19.6 -> 20, + 2
		{250 * time.Millisecond, 51}, // 49 + 2
		{time.Second, fleet.MaxConcurrency},
	}
	for _, tc := range tests {
		t.Run(tc.latency.String(), func(t *testing.T) {
			t.Parallel()
			c := &virtualClock{t: time.Unix(1e9, 0)}
			p, err := fleet.NewPacer(rate, fleet.WithClock(c))
			require.NoError(t, err)
			assert.InDelta(t, 98, p.Rate(), 1e-9)
			if tc.latency > 0 {
				hc := &http.Client{Transport: p.Transport(latencyTransport{c, tc.latency})}
				for range 20 {
					resp, err := hc.Get("http://127.0.0.1/")
					require.NoError(t, err)
					require.NoError(t, resp.Body.Close())
				}
			}
			assert.Equal(t, tc.latency, p.Latency())
			assert.Equal(t, tc.want, p.Concurrency())
		})
	}
}

// blockingTransport holds requests to /slow until release is closed
// (telling arrived), and answers others with the given headers.
type blockingTransport struct {
	arrived, release chan struct{}
	header           http.Header
}

func (b blockingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	h := http.Header{}
	if r.URL.Path == "/slow" {
		b.arrived <- struct{}{}
		<-b.release
	} else {
		h = b.header
	}
	return answer(r, h), nil
}

// TestPacerCountsInFlight: a response saying one request remains until the
// reset, while another request is still on its way (not counted by the
// server yet), leaves none: the next request waits for the reset.
func TestPacerCountsInFlight(t *testing.T) {
	t.Parallel()
	c := &virtualClock{t: time.Unix(2e9, 0)}
	p, err := fleet.NewPacer(fleet.DNSimpleRate, fleet.WithClock(c))
	require.NoError(t, err)
	bt := blockingTransport{arrived: make(chan struct{}), release: make(chan struct{}), header: http.Header{}}
	bt.header.Set("X-RateLimit-Remaining", "1")
	bt.header.Set("X-RateLimit-Reset", strconv.FormatInt(c.Now().Add(40*time.Second).Unix(), 10))
	hc := &http.Client{Transport: p.Transport(bt)}
	slow := make(chan error, 1)
	go func() {
		resp, err := hc.Get("http://127.0.0.1/slow")
		if err == nil {
			err = resp.Body.Close()
		}
		slow <- err
	}()
	<-bt.arrived
	resp, err := hc.Get("http://127.0.0.1/fast")
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	before := c.Now()
	require.NoError(t, p.Wait(context.Background()))
	assert.Equal(t, 41*time.Second+time.Millisecond, c.Now().Sub(before), "waited for the reset")
	close(bt.release)
	require.NoError(t, <-slow)
}

// sleepSignal is a virtual clock that reports every Sleep's start time.
type sleepSignal struct {
	virtualClock
	slept chan time.Time
}

func (c *sleepSignal) Sleep(ctx context.Context, d time.Duration) error {
	select {
	case c.slept <- c.Now():
	default:
	}
	return c.virtualClock.Sleep(ctx, d)
}

// heldTransport holds every request until release gets a value, and
// counts arrivals.
type heldTransport struct {
	arrived chan struct{}
	release chan struct{}
}

func (h heldTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	h.arrived <- struct{}{}
	<-h.release
	return answer(r, http.Header{}), nil
}

// TestPacerWindowGuard: requests still unanswered may reach the server in
// any later window, so once the published limit's worth are in flight,
// the next request waits (long after the token bucket would have let it
// go) until one is answered.
func TestPacerWindowGuard(t *testing.T) {
	t.Parallel()
	c := &sleepSignal{virtualClock: virtualClock{t: time.Unix(1e9, 0)}, slept: make(chan time.Time, 1)}
	start := c.Now()
	p, err := fleet.NewPacer(fleet.Rate{Requests: 10, Per: 10 * time.Second, Burst: 5}, fleet.WithClock(c))
	require.NoError(t, err)
	ht := heldTransport{arrived: make(chan struct{}, 11), release: make(chan struct{})}
	hc := &http.Client{Transport: p.Transport(ht)}
	errs := make(chan error, 11)
	get := func() {
		resp, err := hc.Get("http://127.0.0.1/")
		if err == nil {
			err = resp.Body.Close()
		}
		errs <- err
	}
	for range 10 {
		go get()
		<-ht.arrived
	}
	go get()
	// Wait until the 11th request has slept a minute of the clock: the
	// bucket alone (5 at once, then one per 2 s) would have let it go at
	// about 12 s.
wait:
	for {
		select {
		case at := <-c.slept:
			if at.Sub(start) > time.Minute {
				break wait
			}
		case <-ht.arrived:
			t.Fatalf("the 11th request was sent at %s with 10 unanswered", c.Now().Sub(start))
		}
	}
	ht.release <- struct{}{} // one answer
	<-ht.arrived             // lets the 11th through
	close(ht.release)
	for range 11 {
		require.NoError(t, <-errs)
	}
	assert.Equal(t, 10, p.Stats().MaxInFlight)
}
