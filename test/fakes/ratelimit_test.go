package fakes_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// TestRateLimit drives each fake's rate limiter with a settable clock: the
// budget is allowed, the next request is refused with 429 and Retry-After
// in the provider's error shape, and requests pass again once the window
// (or Cloudflare's block) is over.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	type step struct {
		advance    time.Duration
		requests   int
		status     int
		retryAfter string // "" not checked
		remaining  string // X-RateLimit-Remaining of the last request, "" not checked
	}
	tests := []struct {
		name  string
		start func(clock *testClock, rl fakes.RateLimit) (*fakes.Server, string)
		rl    fakes.RateLimit
		steps []step
	}{
		{
			name: "cloudflare blocks for the penalty",
			start: func(c *testClock, rl fakes.RateLimit) (*fakes.Server, string) {
				f := fakes.StartCloudflare(t, fakes.WithClock(c.Now), fakes.WithRateLimit(rl))
				return f.Server, f.URL() + "/zones?account.id=" + f.AccountID()
			},
			rl: fakes.RateLimit{Requests: 4, Window: time.Minute, Block: 5 * time.Minute},
			steps: []step{
				{requests: 4, status: 200},
				{requests: 1, status: 429, retryAfter: "300"},
				{advance: 2 * time.Minute, requests: 1, status: 429, retryAfter: "180"},
				{advance: 3 * time.Minute, requests: 4, status: 200},
			},
		},
		{
			name: "dnsimple counts down in headers per fixed window",
			start: func(c *testClock, rl fakes.RateLimit) (*fakes.Server, string) {
				f := fakes.StartDNSimple(t, fakes.WithClock(c.Now), fakes.WithRateLimit(rl))
				return f.Server, f.URL() + "/" + strconv.Itoa(f.AccountID()) + "/zones"
			},
			rl: fakes.RateLimit{Requests: 3, Window: time.Hour, Fixed: true, Headers: true},
			steps: []step{
				{requests: 1, status: 200, remaining: "2"},
				{requests: 1, status: 200, remaining: "1"},
				{requests: 1, status: 200, remaining: "0"},
				{advance: 10 * time.Minute, requests: 1, status: 429, retryAfter: "3000", remaining: "0"},
				{advance: 50 * time.Minute, requests: 1, status: 200, remaining: "2"},
			},
		},
		{
			name: "ionos sliding window with Retry-After",
			start: func(c *testClock, rl fakes.RateLimit) (*fakes.Server, string) {
				f := fakes.StartIONOS(t, fakes.WithClock(c.Now), fakes.WithRateLimit(rl))
				return f.Server, f.URL() + "/secondaryzones"
			},
			rl: fakes.IONOSRateLimit(2, time.Minute),
			steps: []step{
				{requests: 1, status: 200},
				{advance: 30 * time.Second, requests: 1, status: 200},
				{advance: 10 * time.Second, requests: 1, status: 429, retryAfter: "20"},
				{advance: 20 * time.Second, requests: 1, status: 200},
				{requests: 1, status: 429, retryAfter: "30"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clock := newClock()
			s, url := tc.start(clock, tc.rl)
			allowed, rejected := 0, 0
			for i, st := range tc.steps {
				clock.Advance(st.advance)
				for range st.requests {
					req, err := http.NewRequest(http.MethodGet, url, nil)
					require.NoError(t, err)
					req.Header.Set("Authorization", "Bearer "+s.Token())
					resp, err := http.DefaultClient.Do(req)
					require.NoError(t, err)
					_ = resp.Body.Close()
					require.Equal(t, st.status, resp.StatusCode, "step %d", i)
					if st.retryAfter != "" {
						assert.Equal(t, st.retryAfter, resp.Header.Get("Retry-After"), "step %d", i)
					}
					if st.remaining != "" {
						assert.Equal(t, st.remaining, resp.Header.Get("X-RateLimit-Remaining"), "step %d", i)
					}
					if resp.StatusCode == 429 {
						rejected++
					} else {
						allowed++
					}
				}
			}
			rs := s.RateLimitStats()
			assert.Equal(t, allowed, rs.Allowed)
			assert.Equal(t, rejected, rs.Rejected)
			assert.Equal(t, rejected, s.Stats().RateLimited)
			clean(t, s)
		})
	}
}
