package fakes_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/gen/cloudflareapi"
	"github.com/secondarydns/secondarydns-go/gen/dnsimpleapi"
	"github.com/secondarydns/secondarydns-go/gen/ionosapi"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// testClock is a settable clock safe for concurrent use.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *testClock {
	return &testClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func bearer(tok string) func(context.Context, *http.Request) error {
	return func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+tok)
		return nil
	}
}

func ionosClient(t *testing.T, f *fakes.IONOS, token string) *ionosapi.ClientWithResponses {
	t.Helper()
	c, err := ionosapi.NewClientWithResponses(f.URL(), ionosapi.WithRequestEditorFn(bearer(token)))
	require.NoError(t, err)
	return c
}

func dnsimpleClient(t *testing.T, f *fakes.DNSimple, token string) *dnsimpleapi.ClientWithResponses {
	t.Helper()
	c, err := dnsimpleapi.NewClientWithResponses(f.URL(), dnsimpleapi.WithRequestEditorFn(bearer(token)))
	require.NoError(t, err)
	return c
}

func cloudflareClient(t *testing.T, f *fakes.Cloudflare, token string) *cloudflareapi.ClientWithResponses {
	t.Helper()
	c, err := cloudflareapi.NewClientWithResponses(f.URL(), cloudflareapi.WithRequestEditorFn(bearer(token)))
	require.NoError(t, err)
	return c
}

// clean asserts that the fake saw no invalid traffic.
func clean(t *testing.T, s interface {
	InvalidRequests() []error
	InvalidResponses() []error
}) {
	t.Helper()
	assert.Empty(t, s.InvalidRequests(), "invalid requests")
	assert.Empty(t, s.InvalidResponses(), "invalid responses")
}

func ptr[T any](v T) *T { return &v }

// oneCreateWins runs create from 20 goroutines at once and asserts that
// exactly one got the success status and every other one the conflict
// status the provider answers a duplicate with.
func oneCreateWins(t *testing.T, success, conflict int, create func() (int, error)) {
	t.Helper()
	var wg sync.WaitGroup
	statuses := make([]int, 20)
	for i := range statuses {
		wg.Go(func() {
			s, err := create()
			if assert.NoError(t, err) {
				statuses[i] = s
			}
		})
	}
	wg.Wait()
	won := 0
	for _, s := range statuses {
		if s == success {
			won++
		} else {
			assert.Equal(t, conflict, s)
		}
	}
	assert.Equal(t, 1, won, "exactly one concurrent create wins")
}
