package cloudflare_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/internal/errtest"
	"github.com/secondarydns/secondarydns-go/test/fakes"
)

// fastRetry keeps retries quick in tests.
var fastRetry = facade.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRetryAfter: 10 * time.Millisecond}

// startFake starts a Cloudflare fake and a client for it. The fake fails
// the test at cleanup on any invalid request or response; the test also
// asserts it explicitly with noInvalid.
func startFake(t *testing.T, opts ...facade.Option) (*fakes.Cloudflare, *cloudflare.Client) {
	t.Helper()
	f := fakes.StartCloudflare(t)
	opts = append([]facade.Option{facade.WithBaseURL(f.URL()), facade.WithRetryPolicy(fastRetry)}, opts...)
	c, err := cloudflare.New(f.Token(), f.AccountID(), opts...)
	require.NoError(t, err)
	t.Cleanup(func() { noInvalid(t, f) })
	return f, c
}

func noInvalid(t *testing.T, f *fakes.Cloudflare) {
	t.Helper()
	require.Empty(t, f.InvalidRequests(), "invalid requests")
	require.Empty(t, f.InvalidResponses(), "invalid responses")
}

// requireErr asserts err is a *facade.Error of the given kind and operation.
func requireErr(t *testing.T, err error, kind error, op string) *facade.Error {
	t.Helper()
	return errtest.RequireKind(t, err, kind, facade.ProviderCloudflare, op)
}

// interceptor answers requests matching match with a canned Cloudflare
// error instead of sending them, and counts every request.
type interceptor struct {
	next   http.RoundTripper
	match  func(*http.Request) bool
	status int
}

func (i *interceptor) RoundTrip(r *http.Request) (*http.Response, error) {
	if i.match != nil && i.match(r) {
		body := `{"success":false,"errors":[{"code":10000,"message":"injected failure"}],"messages":[],"result":null}`
		return &http.Response{
			StatusCode: i.status, Status: http.StatusText(i.status), Request: r,
			Header: http.Header{"Content-Type": {"application/json"}},
			Body:   io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)),
		}, nil
	}
	return i.next.RoundTrip(r)
}

// failOn returns a client option making requests matching method and path
// suffix fail with status.
func failOn(method, suffix string, status int) facade.Option {
	return facade.WithHTTPClient(&http.Client{Transport: &interceptor{
		next:   http.DefaultTransport,
		match:  func(r *http.Request) bool { return r.Method == method && strings.HasSuffix(r.URL.Path, suffix) },
		status: status,
	}})
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}
