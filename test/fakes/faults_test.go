package fakes_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	cf "github.com/secondarydns/secondarydns-go/gen/cloudflareapi"
	"github.com/secondarydns/secondarydns-go/gen/dnsimpleapi"
	"github.com/secondarydns/secondarydns-go/gen/ionosapi"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

func TestFaultRateLimitDNSimple(t *testing.T) {
	t.Parallel()
	clock := newClock()
	f := fakes.StartDNSimple(t, fakes.WithClock(clock.Now), fakes.WithFaults(fakes.Faults{
		RateLimit: fakes.Trigger{Every: 2}, RetryAfter: 1500 * time.Millisecond,
	}))
	c := dnsimpleClient(t, f, f.Token())
	ctx := context.Background()
	acc := f.AccountID()

	r1, err := c.CreateSecondaryZoneWithResponse(ctx, acc, dnsimpleapi.CreateSecondaryZoneJSONRequestBody{Name: "a.example"})
	require.NoError(t, err)
	require.Equal(t, 201, r1.StatusCode())
	assert.Equal(t, "2399", r1.HTTPResponse.Header.Get("X-RateLimit-Remaining"))

	r2, err := c.CreateSecondaryZoneWithResponse(ctx, acc, dnsimpleapi.CreateSecondaryZoneJSONRequestBody{Name: "b.example"})
	require.NoError(t, err)
	require.Equal(t, 429, r2.StatusCode())
	assert.Equal(t, "quota exceeded", r2.JSON429.Message)
	h := r2.HTTPResponse.Header
	assert.Equal(t, "2", h.Get("Retry-After"))
	assert.Equal(t, "0", h.Get("X-RateLimit-Remaining"))
	assert.Equal(t, "2400", h.Get("X-RateLimit-Limit"))
	assert.Equal(t, strconv.FormatInt(clock.Now().Add(2*time.Second).Unix(), 10), h.Get("X-RateLimit-Reset"))
	assert.NotEmpty(t, h.Get("X-Request-Id"))
	require.NotNil(t, r2.Headers429)

	// The rejected request changed nothing.
	zs := f.Zones()
	require.Len(t, zs, 1)
	assert.Equal(t, "a.example", zs[0].Name)

	st := f.Stats()
	assert.Equal(t, 2, st.Requests)
	assert.Equal(t, 1, st.Handled)
	assert.Equal(t, 1, st.RateLimited)

	f.SetFaults(fakes.Faults{})
	for range 3 {
		r, err := c.ListZonesWithResponse(ctx, acc, nil)
		require.NoError(t, err)
		assert.Equal(t, 200, r.StatusCode())
	}
	clean(t, f.Server)
}

func TestFaultRateLimitShapes(t *testing.T) {
	t.Parallel()
	faults := fakes.Faults{RateLimit: fakes.Trigger{Every: 1}, RetryAfter: 3 * time.Second}
	ctx := context.Background()

	i := fakes.StartIONOS(t, fakes.WithFaults(faults))
	ir, err := ionosClient(t, i, i.Token()).ListSecondaryZonesWithResponse(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 429, ir.StatusCode())
	assert.Equal(t, "3", ir.HTTPResponse.Header.Get("Retry-After"))
	assert.Equal(t, 429, *ir.JSON429.HTTPStatus)

	c := fakes.StartCloudflare(t, fakes.WithFaults(faults))
	cr, err := cloudflareClient(t, c, c.Token()).ListZonesWithResponse(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, 429, cr.StatusCode())
	assert.Equal(t, "3", cr.HTTPResponse.Header.Get("Retry-After"))
	assert.Equal(t, fakes.CloudflareCodeRateLimited, cr.JSON4XX.Errors[0].Code)

	// A negative RetryAfter sends 0.
	c.SetFaults(fakes.Faults{RateLimit: fakes.Trigger{Every: 1}, RetryAfter: -1})
	cr, err = cloudflareClient(t, c, c.Token()).ListZonesWithResponse(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, "0", cr.HTTPResponse.Header.Get("Retry-After"))
}

func TestFaultUnavailableBurst(t *testing.T) {
	t.Parallel()
	f := fakes.StartIONOS(t, fakes.WithFaults(fakes.Faults{Unavailable: fakes.Trigger{Every: 3, Burst: 2}}))
	c := ionosClient(t, f, f.Token())
	var got []int
	for range 8 {
		r, err := c.ListSecondaryZonesWithResponse(context.Background(), nil)
		require.NoError(t, err)
		got = append(got, r.StatusCode())
		if r.StatusCode() == 503 {
			assert.Contains(t, string(r.Body), `"httpStatus":503`)
			assert.Equal(t, "application/json", r.HTTPResponse.Header.Get("Content-Type"))
		}
	}
	assert.Equal(t, []int{200, 200, 503, 503, 200, 503, 503, 200}, got)
	assert.Equal(t, 4, f.Stats().Unavailable)
	clean(t, f.Server)
}

func TestFaultBadGateway(t *testing.T) {
	t.Parallel()
	f := fakes.StartCloudflare(t, fakes.WithFaults(fakes.Faults{BadGateway: fakes.Trigger{Probability: 1}}))
	c := cloudflareClient(t, f, f.Token())
	acc := f.AccountID()
	b := cf.CreateZoneJSONRequestBody{Name: "x.example"}
	b.Account.ID = &acc
	r, err := c.CreateZoneWithResponse(context.Background(), b)
	require.NoError(t, err)
	assert.Equal(t, 502, r.StatusCode())
	assert.Equal(t, "<html>Bad Gateway</html>", string(r.Body))
	assert.Equal(t, "text/html", r.HTTPResponse.Header.Get("Content-Type"))
	assert.Empty(t, f.Zones())
	assert.Equal(t, 1, f.Stats().BadGateway)
	clean(t, f.Server)
}

func TestFaultDrops(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("before", func(t *testing.T) {
		t.Parallel()
		f := fakes.StartIONOS(t, fakes.WithFaults(fakes.Faults{DropBefore: fakes.Trigger{Every: 1}}))
		_, err := ionosClient(t, f, f.Token()).CreateSecondaryZoneWithResponse(ctx, ionosBody("drop.example", "192.0.2.1"))
		require.Error(t, err)
		assert.Empty(t, f.Zones(), "nothing was created")
		assert.Equal(t, 1, f.Stats().DroppedBefore)
		clean(t, f.Server)
	})
	t.Run("after", func(t *testing.T) {
		t.Parallel()
		f := fakes.StartIONOS(t, fakes.WithFaults(fakes.Faults{DropAfter: fakes.Trigger{Every: 1}}))
		_, err := ionosClient(t, f, f.Token()).CreateSecondaryZoneWithResponse(ctx, ionosBody("drop.example", "192.0.2.1"))
		require.Error(t, err)
		require.Len(t, f.Zones(), 1, "the zone was created although the client got no answer")
		st := f.Stats()
		assert.Equal(t, 1, st.DroppedAfter)
		assert.Equal(t, 1, st.Handled)
		clean(t, f.Server)
	})
}

func TestFaultLatencyHonoursContext(t *testing.T) {
	t.Parallel()
	// An hour of latency: the request can only end because the client's
	// context does, and the handler can only return because it watches it.
	f := fakes.StartDNSimple(t, fakes.WithFaults(fakes.Faults{Latency: time.Hour}))
	c := dnsimpleClient(t, f, f.Token())
	// The client gives up once its request has reached the fake (an
	// event, not a 50 ms window that a loaded machine may miss).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.SetHook(func(_ int, _ *http.Request, handle, _ func()) {
		cancel()
		handle()
	})
	_, err := c.CreateSecondaryZoneWithResponse(ctx, f.AccountID(), dnsimpleapi.CreateSecondaryZoneJSONRequestBody{Name: "slow.example"})
	require.ErrorIs(t, err, context.Canceled)

	// Close waits for in-flight handlers: it returns only if the delayed
	// handler gave up when the client went away. The generous bound is a
	// hang detector, not a speed assertion.
	closed := make(chan struct{})
	go func() { f.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(30 * time.Second):
		t.Fatal("the delayed handler is still running after its client gave up")
	}
	assert.Equal(t, 1, f.Stats().Delayed)
	assert.Empty(t, f.Zones(), "a request abandoned during the latency must change nothing")
}

func TestFaultLatencyDelays(t *testing.T) {
	t.Parallel()
	f := fakes.StartDNSimple(t, fakes.WithFaults(fakes.Faults{Latency: 20 * time.Millisecond, LatencyJitter: 10 * time.Millisecond}))
	c := dnsimpleClient(t, f, f.Token())
	start := time.Now()
	r, err := c.ListZonesWithResponse(context.Background(), f.AccountID(), nil)
	require.NoError(t, err)
	assert.Equal(t, 200, r.StatusCode())
	// A lower bound only: latency can make a request slower, never faster.
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)
	assert.Equal(t, 1, f.Stats().Delayed)
	clean(t, f.Server)
}

// faultPattern runs n requests against a fresh fake with the faults and
// returns the statuses (0 for a dropped connection).
func faultPattern(t *testing.T, faults fakes.Faults, n int) []int {
	t.Helper()
	f := fakes.StartIONOS(t, fakes.WithFaults(faults))
	// A connection of its own per request: net/http silently re-sends a
	// GET whose reused keep-alive connection turns out dead (as a dropped
	// one does), and that extra request would shift the seeded pattern.
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	c, err := ionosapi.NewClientWithResponses(f.URL(), ionosapi.WithHTTPClient(hc), ionosapi.WithRequestEditorFn(bearer(f.Token())))
	require.NoError(t, err)
	out := make([]int, 0, n)
	for range n {
		r, err := c.ListSecondaryZonesWithResponse(context.Background(), nil)
		if err != nil {
			out = append(out, 0)
			continue
		}
		out = append(out, r.StatusCode())
	}
	return out
}

func TestFaultsDeterministic(t *testing.T) {
	t.Parallel()
	faults := fakes.Faults{
		Seed:        42,
		RateLimit:   fakes.Trigger{Probability: 0.2},
		Unavailable: fakes.Trigger{Probability: 0.2},
		DropBefore:  fakes.Trigger{Probability: 0.1},
		DropAfter:   fakes.Trigger{Probability: 0.1},
		BadGateway:  fakes.Trigger{Every: 7},
	}
	a := faultPattern(t, faults, 40)
	b := faultPattern(t, faults, 40)
	assert.Equal(t, a, b)
	seen := map[int]bool{}
	for _, s := range a {
		seen[s] = true
	}
	for _, s := range []int{0, 200, 429, 502, 503} {
		assert.True(t, seen[s], "status %d in %v", s, a)
	}
	faults.Seed = 43
	assert.NotEqual(t, a, faultPattern(t, faults, 40))
}

// TestFaultsConcurrent hammers a faulty fake from many goroutines; the race
// detector checks the locking and the counters must add up.
func TestFaultsConcurrent(t *testing.T) {
	t.Parallel()
	f := fakes.StartCloudflare(t, fakes.WithFaults(fakes.Faults{
		Seed: 7, RateLimit: fakes.Trigger{Probability: 0.1}, Unavailable: fakes.Trigger{Every: 5, Burst: 2},
		BadGateway: fakes.Trigger{Probability: 0.05}, DropBefore: fakes.Trigger{Probability: 0.05}, DropAfter: fakes.Trigger{Probability: 0.05},
	}))
	c := cloudflareClient(t, f, f.Token())
	acc := f.AccountID()
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			b := cf.CreateZoneJSONRequestBody{Name: fmt.Sprintf("z%d.example", i%10)}
			b.Account.ID = &acc
			_, _ = c.CreateZoneWithResponse(context.Background(), b)
		})
	}
	wg.Wait()
	st := f.Stats()
	assert.Equal(t, 40, st.Requests)
	assert.Equal(t, 40, st.Handled+st.RateLimited+st.Unavailable+st.BadGateway+st.DroppedBefore)
	assert.LessOrEqual(t, len(f.Zones()), 10)
	clean(t, f.Server)
}

// fakeTB records what the Start* helpers report.
type fakeTB struct {
	mu       sync.Mutex
	errs     []string
	cleanups []func()
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errs = append(f.errs, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) runCleanups() {
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
}

func TestStartReportsInvalidTraffic(t *testing.T) {
	t.Parallel()
	tb := &fakeTB{}
	f := fakes.StartDNSimple(tb)
	req, err := http.NewRequest("PUT", f.URL()+"/1010/secondary_dns/primaries/1/link", strings.NewReader(`{}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+f.Token())
	req.Header.Set("Content-Type", "application/json")
	rsp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	b, _ := io.ReadAll(rsp.Body)
	rsp.Body.Close()
	assert.Equal(t, 400, rsp.StatusCode)
	assert.Contains(t, string(b), `"message":"Invalid request`)
	require.Len(t, f.InvalidRequests(), 1)

	tb.runCleanups()
	require.Len(t, tb.errs, 1)
	assert.Contains(t, tb.errs[0], "fakes dnsimple: invalid request")
	_, err = http.Get(f.URL())
	assert.Error(t, err, "closed at cleanup")

	// A clean run reports nothing.
	tb2 := &fakeTB{}
	g := fakes.StartIONOS(tb2)
	_, err = ionosClient(t, g, g.Token()).ListSecondaryZonesWithResponse(context.Background(), &ionosapi.ListSecondaryZonesParams{})
	require.NoError(t, err)
	tb2.runCleanups()
	assert.Empty(t, tb2.errs)
}

type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestLogger(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	f := fakes.StartIONOS(t, fakes.WithLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	_, err := ionosClient(t, f, f.Token()).ListSecondaryZonesWithResponse(context.Background(), nil)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return strings.Contains(buf.String(), "op=ListSecondaryZones") }, 10*time.Second, 5*time.Millisecond) // the line follows the response; the bound only detects its absence
	assert.Contains(t, buf.String(), "fake=ionos")
	assert.Contains(t, buf.String(), "status=200")
}

func TestTokenDefaultsAndOptions(t *testing.T) {
	t.Parallel()
	a := fakes.NewCloudflare()
	defer a.Close()
	b := fakes.NewCloudflare()
	defer b.Close()
	assert.Equal(t, a.Token(), b.Token(), "seeded default")
	assert.Equal(t, a.AccountID(), b.AccountID(), "seeded default")
	assert.True(t, strings.HasPrefix(a.Token(), "fake-cloudflare-token-"))
	c := fakes.NewCloudflare(fakes.WithSeed(9), fakes.WithToken("tok"), fakes.WithAccountID(strings.Repeat("0", 32)))
	defer c.Close()
	assert.Equal(t, "tok", c.Token())
	assert.Equal(t, strings.Repeat("0", 32), c.AccountID())
	assert.True(t, strings.HasSuffix(c.URL(), "/client/v4"))

	d := fakes.NewDNSimple()
	defer d.Close()
	assert.Equal(t, 1010, d.AccountID())
	assert.True(t, strings.HasSuffix(d.URL(), "/v2"))
	assert.Panics(t, func() { fakes.NewDNSimple(fakes.WithAccountID("abc")) })

	i := fakes.NewIONOS()
	defer i.Close()
	assert.Equal(t, i.ServerURL(), i.URL())

	// Missing token: 401 before spec validation, not recorded as invalid.
	rsp, err := http.Get(i.URL() + "/secondaryzones")
	require.NoError(t, err)
	rsp.Body.Close()
	assert.Equal(t, 401, rsp.StatusCode)
	assert.Empty(t, i.InvalidRequests())
	assert.Equal(t, 1, i.Stats().Unauthorized)
}
