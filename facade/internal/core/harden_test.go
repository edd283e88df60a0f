package core

// Regression tests for the transport classes of issue 10: what a hostile or
// surprising server can no longer make the core do. Each test names the
// class it covers. They wait for events (a request arriving, a connection
// accepted), never for durations.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/poll"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/gen/dnsimpleapi"
)

// hangGuard bounds a call that must return at once; it is a safety net
// against a hang (a failure), not a timing assertion: the bound is far
// above anything a loaded machine needs.
const hangGuard = 60 * time.Second

// rawServer accepts loopback connections, reads one request from each and
// hands the connection to answer, which writes whatever bytes it likes.
// Connections stay open until the test ends (or answer closes them).
func rawServer(t *testing.T, answer func(conn net.Conn, req *http.Request)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	t.Cleanup(func() {
		_ = ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	go func() {
		defer close(done)
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
			go func() {
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					_ = conn.Close()
					return
				}
				answer(conn, req)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// doAsync runs do in a goroutine and fails the test if it does not return
// within hangGuard (a hang is the bug these tests look for).
func doAsync(t *testing.T, c *Core, ctx context.Context, method, url, body string) ([]byte, error) {
	t.Helper()
	type result struct {
		body []byte
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, url, rd)
		if err != nil {
			ch <- result{err: err}
			return
		}
		resp, err := c.Do(req)
		if err != nil {
			ch <- result{err: err}
			return
		}
		b, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		ch <- result{body: b, err: err}
	}()
	select {
	case r := <-ch:
		return r.body, r.err
	case <-time.After(hangGuard):
		t.Fatalf("%s %s: no answer after %v: the call hangs", method, url, hangGuard)
		return nil, nil
	}
}

// Class 1 and 2: a redirect is never followed, whatever the status, the
// method and whose *http.Client it is; credentials never reach another
// origin, a write is never turned into a reported success, and the error
// keeps status and Location.
func TestCoreNeverFollowsRedirects(t *testing.T) {
	t.Parallel()
	// The other origin: same host, another port. It records what reaches it.
	var otherHits atomic.Int64
	var leaked atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherHits.Add(1)
		if a := r.Header.Get("Authorization"); a != "" {
			leaked.Store(a)
		}
		jsonReply(w, 200, `{"ok":true}`)
	}))
	t.Cleanup(other.Close)

	followAll := func(*http.Request, []*http.Request) error { return nil }
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, method := range []string{http.MethodGet, http.MethodDelete, http.MethodPut, http.MethodPost} {
			for _, target := range []string{"other", "same"} {
				for _, clientKind := range []string{"default", "caller", "caller-follows"} {
					name := fmt.Sprintf("%d %s to %s origin, %s client", status, method, target, clientKind)
					t.Run(name, func(t *testing.T) {
						t.Parallel()
						var sameHits atomic.Int64
						var srv *httptest.Server
						srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
							_, _ = io.ReadAll(r.Body)
							if r.URL.Path != "/zones/z1" {
								sameHits.Add(1)
								jsonReply(w, 200, `{"ok":true}`)
								return
							}
							loc := other.URL + "/moved"
							if target == "same" {
								loc = srv.URL + "/moved"
							}
							w.Header().Set("Location", loc)
							w.Header().Set("X-Request-Id", "rid-redirect")
							w.WriteHeader(status)
						}))
						t.Cleanup(srv.Close)
						var c *Core
						var caller *http.Client
						switch clientKind {
						case "default":
							// The client NewCore makes itself, moved off
							// http.DefaultTransport (which other tests'
							// httptest servers disturb when they close).
							var err error
							c, err = NewCore(testProvider(ProviderIONOS), testToken, srv.URL, WithRetryPolicy(fastPolicy()))
							require.NoError(t, err)
							require.NotNil(t, c.direct)
							require.Same(t, http.DefaultTransport, c.direct.rt, "the default client uses http.DefaultTransport")
							assert.Equal(t, DefaultTimeout, c.timeout)
							c.direct = &direct{rt: ownClient(t).Transport}
						case "caller":
							caller = ownClient(t)
						case "caller-follows":
							caller = ownClient(t)
							caller.CheckRedirect = followAll
						}
						if caller != nil {
							c = newTestCore(t, ProviderIONOS, srv.URL, WithHTTPClient(caller))
						}
						body := ""
						if method == http.MethodPut || method == http.MethodPost {
							body = `{"name":"example.com"}`
						}
						_, err := doAsync(t, c, t.Context(), method, srv.URL+"/zones/z1", body)
						require.ErrorIs(t, err, ErrUnexpectedResponse, "a redirect must never end in success")
						var fe *Error
						require.ErrorAs(t, err, &fe)
						assert.Equal(t, status, fe.StatusCode)
						wantLoc := other.URL + "/moved"
						if target == "same" {
							wantLoc = srv.URL + "/moved"
						}
						assert.Equal(t, wantLoc, fe.Location)
						assert.Equal(t, "rid-redirect", fe.RequestID)
						assert.Contains(t, err.Error(), "redirect to "+wantLoc+" not followed")
						assert.True(t, OutcomeUnknown(err), "a 3xx (e.g. a 303 after a write) does not prove nothing happened")
						assert.Zero(t, sameHits.Load(), "the redirect was followed on the same origin")
						assert.Equal(t, int64(1), c.Stats().Attempts, "a redirect is not retried")
						switch clientKind {
						case "caller":
							assert.Nil(t, caller.CheckRedirect, "the caller's client was modified")
						case "caller-follows":
							assert.Equal(t, reflect.ValueOf(followAll).Pointer(), reflect.ValueOf(caller.CheckRedirect).Pointer(), "the caller's client was modified")
						}
					})
				}
			}
		}
	}
	t.Cleanup(func() {
		// Runs after the parallel subtests: nothing ever reached the other
		// origin, so no credential either.
		assert.Zero(t, otherHits.Load(), "a redirect was followed to another origin")
		assert.Nil(t, leaked.Load(), "credentials reached another origin")
	})
}

// Class 1: https to http on the same host, with the caller's own client
// (the test server's, trusting its certificate).
func TestCoreRedirectHTTPSToHTTP(t *testing.T) {
	t.Parallel()
	var plainHits atomic.Int64
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plainHits.Add(1)
		jsonReply(w, 200, `{}`)
	}))
	t.Cleanup(plain.Close)
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
		http.Redirect(w, r, plain.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(tlsSrv.Close)
	hc := tlsSrv.Client()
	require.Nil(t, hc.CheckRedirect)
	c := newTestCore(t, ProviderCloudflare, tlsSrv.URL, WithHTTPClient(hc))
	_, err := doAsync(t, c, t.Context(), http.MethodDelete, tlsSrv.URL+"/zones/abc", "")
	var fe *Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, 307, fe.StatusCode)
	assert.Equal(t, plain.URL+"/zones/abc", fe.Location)
	assert.Zero(t, plainHits.Load(), "the redirect to http was followed")
	assert.Nil(t, hc.CheckRedirect, "the caller's client was modified")
}

// recordingTransport records every request it is given and the body it had
// when given, and answers from reply.
type recordingTransport struct {
	mu     sync.Mutex
	reqs   []*http.Request
	bodies []io.ReadCloser
	reply  func(n int, r *http.Request) (*http.Response, error)
}

func (rt *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.reqs = append(rt.reqs, r)
	rt.bodies = append(rt.bodies, r.Body)
	n := len(rt.reqs)
	rt.mu.Unlock()
	if r.Body != nil {
		_, _ = io.ReadAll(r.Body)
		_ = r.Body.Close()
	}
	return rt.reply(n, r)
}

func memResponse(r *http.Request, status int, header http.Header, body string) *http.Response {
	if header == nil {
		header = http.Header{}
	}
	return &http.Response{
		Status: fmt.Sprintf("%d %s", status, http.StatusText(status)), StatusCode: status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: header, Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: r,
	}
}

// Class 8: every attempt is a request of its own; a RoundTripper that
// keeps a previous attempt's request finds it unchanged.
func TestCoreFreshRequestPerAttempt(t *testing.T) {
	t.Parallel()
	rt := &recordingTransport{reply: func(n int, r *http.Request) (*http.Response, error) {
		if n < 3 {
			return memResponse(r, 503, nil, ""), nil
		}
		return memResponse(r, 200, http.Header{"Content-Type": {"application/json"}}, `{}`), nil
	}}
	c := newTestCore(t, ProviderIONOS, "https://api.example.test", WithHTTPClient(&http.Client{Transport: rt}))
	_, err := doAsync(t, c, t.Context(), http.MethodPut, "https://api.example.test/zones/1", `{"a":1}`)
	require.NoError(t, err)
	rt.mu.Lock()
	defer rt.mu.Unlock()
	require.Len(t, rt.reqs, 3)
	for i, r := range rt.reqs {
		assert.True(t, rt.bodies[i] == r.Body, "attempt %d: its request was modified after it was sent", i+1)
		for j := range i {
			assert.NotSame(t, rt.reqs[j], r, "attempts %d and %d share a request", j+1, i+1)
			assert.False(t, rt.bodies[j] == r.Body, "attempts %d and %d share a body", j+1, i+1)
		}
		assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
	}
}

// Class 3: a 1xx answer, be it a protocol switch nobody asked for or an
// informational answer never followed by a final one, ends the call: at
// once for a switch (whose "body" is the raw connection), when the context
// ends otherwise.
func TestCoreInformationalAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		wire    string
		timeout bool // the client has a Timeout; the context has no deadline
		final   bool // Do must return without the context ending
	}{
		{name: "101 protocol switch", wire: "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", final: true},
		{name: "101 protocol switch, client timeout", wire: "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n", timeout: true, final: true},
		// net/http treats every 101 as final, Upgrade header or not
		// (golang/go#26161): the call ends by itself, as for a switch.
		// (Expecting it to wait for the context made this case a race
		// between the cancel and the client reading the answer.)
		{name: "101 without upgrade, then nothing", wire: "HTTP/1.1 101 Switching Protocols\r\n\r\n", final: true},
		{name: "103 early hints, then nothing", wire: "HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			written := make(chan struct{}, 4)
			url := rawServer(t, func(conn net.Conn, _ *http.Request) {
				_, _ = io.WriteString(conn, tt.wire)
				written <- struct{}{}
				// ...and never anything else: the connection stays open.
			})
			var opts []Option
			if tt.timeout {
				opts = append(opts, WithHTTPClient(&http.Client{Timeout: time.Hour}))
			}
			c := newTestCore(t, ProviderDNSimple, url, opts...)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if !tt.final {
				go func() {
					<-written // the odd answer is on the wire: now the caller gives up
					cancel()
				}()
			}
			_, err := doAsync(t, c, ctx, http.MethodDelete, url+"/zones/1", "")
			var fe *Error
			require.ErrorAs(t, err, &fe)
			if tt.final {
				assert.ErrorIs(t, err, ErrUnexpectedResponse)
				assert.Equal(t, 101, fe.StatusCode)
				assert.Contains(t, err.Error(), "Switching Protocols")
				assert.NoError(t, ctx.Err(), "the call must end by itself")
				return
			}
			assert.ErrorIs(t, err, context.Canceled)
			assert.ErrorIs(t, err, ErrTransport)
		})
	}
}

// Class 9: "Retry-After: 0" and a date in the past wait the normal backoff,
// never nothing; a longer Retry-After within the cap is honoured as it is.
func TestCoreRetryAfterNeverBackToBack(t *testing.T) {
	t.Parallel()
	fixed := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	policy := RetryPolicy{MaxAttempts: 3, BaseDelay: 40 * time.Millisecond, MaxDelay: time.Second, MaxRetryAfter: time.Minute}
	tests := []struct {
		name       string
		status     int
		retryAfter string
		want       time.Duration
	}{
		{name: "zero seconds", status: 429, retryAfter: "0", want: policy.BaseDelay},
		{name: "date in the past", status: 503, retryAfter: fixed.Add(-time.Hour).Format(http.TimeFormat), want: policy.BaseDelay},
		{name: "date now", status: 429, retryAfter: fixed.Format(http.TimeFormat), want: policy.BaseDelay},
		{name: "longer than the backoff", status: 429, retryAfter: "7", want: 7 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, hits := server(t, func(w http.ResponseWriter, _ *http.Request, hit int) {
				if hit == 1 {
					w.Header().Set("Retry-After", tt.retryAfter)
					jsonReply(w, tt.status, `{}`)
					return
				}
				jsonReply(w, 200, `{}`)
			})
			c := newTestCore(t, ProviderDNSimple, srv.URL, WithRetryPolicy(policy))
			c.now = func() time.Time { return fixed }
			c.jitter = func(ceil time.Duration) time.Duration { return ceil } // the backoff's upper end
			waits := recordWaits(c)
			_, err := doAsync(t, c, t.Context(), http.MethodGet, srv.URL+"/z", "")
			require.NoError(t, err)
			assert.Equal(t, int64(2), hits.Load())
			assert.Equal(t, []time.Duration{tt.want}, waits())
		})
	}
}

// Class 10: no retry policy, however large its delays, makes the backoff
// overflow or panic; Poll's doubling saturates too.
func TestRetryPolicyHugeDelays(t *testing.T) {
	t.Parallel()
	const maxD = time.Duration(math.MaxInt64)
	policies := []RetryPolicy{
		{MaxAttempts: 100, BaseDelay: maxD, MaxDelay: maxD, MaxRetryAfter: maxD},
		{MaxAttempts: 100, BaseDelay: 1 << 62, MaxDelay: maxD, MaxRetryAfter: maxD},
		{MaxAttempts: 100, BaseDelay: 1, MaxDelay: maxD, MaxRetryAfter: maxD},
		{MaxAttempts: 100, BaseDelay: maxD/2 + 1, MaxDelay: maxD - 1, MaxRetryAfter: maxD - 1},
	}
	for i, p := range policies {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			require.NoError(t, p.Validate())
			c := &Core{retry: p}
			for attempt := 1; attempt <= 100; attempt++ {
				d := c.backoff(attempt)
				require.GreaterOrEqual(t, d, time.Duration(0), "attempt %d", attempt)
				require.LessOrEqual(t, d, p.MaxDelay, "attempt %d", attempt)
			}
			// Through Do, with waits recorded instead of slept.
			srv, hits := server(t, func(w http.ResponseWriter, _ *http.Request, hit int) {
				switch hit {
				case 1:
					jsonReply(w, 503, `{}`)
				case 2:
					w.Header().Set("Retry-After", "99999999999999999999")
					jsonReply(w, 429, `{}`)
				default:
					jsonReply(w, 200, `{}`)
				}
			})
			core, err := NewCore(testProvider(ProviderIONOS), testToken, srv.URL, WithRetryPolicy(p), WithHTTPClient(ownClient(t)))
			require.NoError(t, err)
			waits := recordWaits(core)
			_, err = doAsync(t, core, t.Context(), http.MethodGet, srv.URL+"/z", "")
			require.NoError(t, err)
			assert.Equal(t, int64(3), hits.Load())
			for _, w := range waits() {
				assert.GreaterOrEqual(t, w, time.Duration(0))
			}
		})
	}
	t.Run("poll", func(t *testing.T) {
		t.Parallel()
		var asked []time.Duration
		wait := func(_ context.Context, d time.Duration) error { asked = append(asked, d); return nil }
		calls := 0
		err := poll.Loop(t.Context(), maxD/2+1, maxD, wait, func(context.Context) (bool, error) { calls++; return calls == 5, nil })
		require.NoError(t, err)
		assert.Equal(t, []time.Duration{maxD/2 + 1, maxD, maxD, maxD}, asked)
	})
}

// cancellingTransport answers from next and then ends the request's
// context before returning: the answer arrives just as the context ends.
type cancellingTransport struct {
	next   http.RoundTripper
	cancel context.CancelFunc
}

func (ct cancellingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := ct.next.RoundTrip(r)
	ct.cancel()
	return resp, err
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// closeTracker records whether a body was closed.
type closeTracker struct {
	io.Reader
	closed atomic.Bool
}

func (b *closeTracker) Close() error { b.closed.Store(true); return nil }

// Class 11: a 2xx that arrives as the context ends is a success, not a
// dropped response with an unclosed body; if its body can no longer be
// read, the error keeps the 2xx status (the server acted).
func TestCoreSuccessAsContextEnds(t *testing.T) {
	t.Parallel()
	t.Run("body at hand", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		body := &closeTracker{Reader: strings.NewReader(`{"id":"z1"}`)}
		inner := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp := memResponse(r, 201, http.Header{"Content-Type": {"application/json"}}, "")
			resp.Body = body
			return resp, nil
		})
		c := newTestCore(t, ProviderIONOS, "https://api.example.test",
			WithHTTPClient(&http.Client{Transport: cancellingTransport{next: inner, cancel: cancel}}))
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://api.example.test/zones", strings.NewReader(`{}`))
		require.NoError(t, err)
		resp, err := c.Do(req)
		require.NoError(t, err, "the create succeeded: the caller must be told so")
		require.Error(t, ctx.Err())
		assert.Equal(t, 201, resp.StatusCode)
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.JSONEq(t, `{"id":"z1"}`, string(b))
		require.NoError(t, resp.Body.Close())
		assert.True(t, body.closed.Load())
	})
	t.Run("over the network", func(t *testing.T) {
		t.Parallel()
		srv, _ := server(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			w.Header().Set("X-Request-Id", "rid-201")
			jsonReply(w, 201, `{"id":"z1"}`)
		})
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		tr := &http.Transport{}
		t.Cleanup(tr.CloseIdleConnections)
		c := newTestCore(t, ProviderIONOS, srv.URL, WithHTTPClient(&http.Client{Transport: cancellingTransport{next: tr, cancel: cancel}}))
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/zones", strings.NewReader(`{}`))
		require.NoError(t, err)
		resp, err := c.Do(req)
		require.NoError(t, err, "the create succeeded: the caller must be told so")
		assert.Equal(t, 201, resp.StatusCode)
		// The body may or may not still be readable, depending on whether
		// the transport had it buffered when the context ended; either way
		// the caller learns that the server answered 201.
		b, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			var fe *Error
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, 201, fe.StatusCode)
			assert.Equal(t, "rid-201", fe.RequestID)
			assert.ErrorIs(t, err, ErrTransport)
			assert.Contains(t, err.Error(), "the request took effect")
			return
		}
		assert.JSONEq(t, `{"id":"z1"}`, string(b))
	})
}

// Class 14: nothing reachable from a Core prints its token: the Core by
// pointer and by value, structs holding either, and the response handed
// back by Do (whose Request is the caller's, not the copy with the
// credentials).
func TestCoreNothingPrintsToken(t *testing.T) {
	t.Parallel()
	srv, _ := server(t, func(w http.ResponseWriter, _ *http.Request, _ int) { jsonReply(w, 200, `{}`) })
	c := newTestCore(t, ProviderCloudflare, srv.URL, WithUserAgent("ua/1"))
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/zones", nil)
	require.NoError(t, err)
	resp, err := c.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Same(t, req, resp.Request)
	assert.Empty(t, resp.Request.Header.Get("Authorization"))

	// The Core by value, without copying its locks where vet would see it.
	value := reflect.ValueOf(c).Elem()
	things := []any{c, value, struct{ C *Core }{c}, []any{value}, resp, resp.Request,
		WithRetryPolicy(fastPolicy()), c.RetryPolicy(), c.Stats()}
	for _, v := range things {
		for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X"} {
			out := fmt.Sprintf(f, v)
			assert.NotContains(t, out, testToken, "%s of %T", f, v)
			assert.NotContains(t, out, "SUPERSECRET", "%s of %T", f, v)
			assert.NotContains(t, strings.ToLower(out), strings.ToLower(fmt.Sprintf("%x", "SUPERSECRET")), "%s of %T", f, v)
		}
	}
}

// Class 15: a status no sentinel names keeps its reason phrase and the
// Allow header in the message; any 4xx means the server refused, so the
// outcome is known.
func TestCoreUnmappedStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		wire   string // raw answer; "" serves status with net/http
		allow  string
		want   []string
	}{
		{name: "405 with Allow", status: 405, allow: "GET, HEAD", want: []string{"405 unexpected response", "Method Not Allowed", "allowed methods: GET, HEAD", "nope"}},
		{name: "405 own reason phrase", status: 405, wire: "HTTP/1.1 405 Read Only Zone\r\nAllow: GET\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", want: []string{"Read Only Zone", "allowed methods: GET"}},
		{name: "418", status: 418, want: []string{"I'm a teapot"}},
		{name: "451", status: 451, want: []string{"Unavailable For Legal Reasons"}},
		{name: "410", status: 410, want: []string{"Gone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var url string
			if tt.wire != "" {
				url = rawServer(t, func(conn net.Conn, _ *http.Request) {
					_, _ = io.WriteString(conn, tt.wire)
					_ = conn.Close()
				})
			} else {
				srv, _ := server(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
					if tt.allow != "" {
						w.Header().Set("Allow", tt.allow)
					}
					jsonReply(w, tt.status, `{"message":"nope"}`)
				})
				url = srv.URL
			}
			c := newTestCore(t, ProviderIONOS, url)
			for _, method := range []string{http.MethodDelete, http.MethodPost} {
				_, err := doAsync(t, c, t.Context(), method, url+"/zones/1", "x")
				err = c.Check("DeleteZone", nil, nil, err, false)
				require.ErrorIs(t, err, ErrUnexpectedResponse)
				var fe *Error
				require.ErrorAs(t, err, &fe)
				assert.Equal(t, tt.status, fe.StatusCode)
				for _, w := range tt.want {
					assert.Contains(t, err.Error(), w)
				}
				assert.False(t, OutcomeUnknown(err), "a %d is a refusal: the outcome is known", tt.status)
			}
		})
	}
}

// Class 16: a retried write whose earlier attempt's outcome is unknown is
// marked, so that a 404 to a retried DELETE ("most likely my first attempt
// deleted it") differs from a plain 404 ("it was not there").
func TestCoreRetriedDeleteNotFound(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		method      string
		first       string // "drop", "503", "429", "404"
		wantUnknown bool
	}{
		{name: "DELETE dropped then 404", method: http.MethodDelete, first: "drop", wantUnknown: true},
		{name: "DELETE 503 then 404", method: http.MethodDelete, first: "503", wantUnknown: true},
		{name: "PUT dropped then 404", method: http.MethodPut, first: "drop", wantUnknown: true},
		{name: "DELETE 429 then 404", method: http.MethodDelete, first: "429"},
		{name: "DELETE 404 at once", method: http.MethodDelete, first: "404"},
		{name: "GET dropped then 404", method: http.MethodGet, first: "drop"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, hits := server(t, func(w http.ResponseWriter, r *http.Request, hit int) {
				_, _ = io.ReadAll(r.Body)
				if hit == 1 {
					switch tt.first {
					case "drop":
						hijackClose(t, w)
						return
					case "503":
						jsonReply(w, 503, `{}`)
						return
					case "429":
						jsonReply(w, 429, `{}`)
						return
					}
				}
				jsonReply(w, 404, `{"message":"zone not found"}`)
			})
			c := newTestCore(t, ProviderIONOS, srv.URL)
			_, err := doAsync(t, c, t.Context(), tt.method, srv.URL+"/zones/1", "")
			err = c.Check("DeleteZone", nil, nil, err, false)
			require.ErrorIs(t, err, ErrNotFound)
			var fe *Error
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, 404, fe.StatusCode)
			assert.Equal(t, tt.wantUnknown, fe.PriorAttemptUnknown)
			assert.Equal(t, tt.wantUnknown, OutcomeUnknown(err))
			if tt.wantUnknown {
				assert.Contains(t, err.Error(), "an earlier attempt's outcome is unknown")
			}
			if tt.first == "404" {
				assert.Equal(t, int64(1), hits.Load())
			} else {
				assert.Equal(t, int64(2), hits.Load())
			}
		})
	}
	// A DELETE whose first attempt was sent and lost, and whose retry could
	// not even connect: not "certainly nothing happened".
	t.Run("DELETE dropped then refused", func(t *testing.T) {
		t.Parallel()
		srv, _ := server(t, func(w http.ResponseWriter, r *http.Request, _ int) { hijackClose(t, w) })
		var dials atomic.Int64
		tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if dials.Add(1) > 1 {
				return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connection refused")}
			}
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		}}
		t.Cleanup(tr.CloseIdleConnections)
		c := newTestCore(t, ProviderIONOS, srv.URL, WithHTTPClient(&http.Client{Transport: tr}),
			WithRetryPolicy(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
		_, err := doAsync(t, c, t.Context(), http.MethodDelete, srv.URL+"/zones/1", "")
		require.ErrorIs(t, err, ErrTransport)
		assert.True(t, OutcomeUnknown(err), "the first attempt may have deleted it: %v", err)
	})
}

// Class 6 (core part): a 2xx body that the generated client cannot decode
// (deep nesting, a type mismatch, an empty or cut-short body) is an
// ErrUnexpectedResponse keeping the status code and the request ID, and
// saying in words what was wrong.
func TestGeneratedClientDecodeFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want string
	}{
		{name: "type mismatch", body: `{"data":{"id":"seven","name":"example.com"}}`, want: `response field "data.id" holds a JSON string where a number was expected`},
		{name: "object where a value was expected", body: `{"data":{"id":1,"name":{"x":1}}}`, want: `response field "data.name" holds a JSON object where a string was expected`},
		{name: "empty body", body: ``, want: "the response body is empty where a JSON document was expected"},
		{name: "cut short", body: `{"data":{"id":1,"na`, want: "not valid JSON"},
		{name: "deep nesting", body: `{"data":{"id":1,"x":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}}`, want: "nests JSON values deeper than the decoder allows"},
		{name: "not JSON at all", body: `{"data": nope}`, want: "the response body is not valid JSON at byte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := server(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("X-Request-Id", "rid-decode")
				jsonReply(w, 200, tt.body)
			})
			c := newTestCore(t, ProviderDNSimple, srv.URL)
			api, err := dnsimpleapi.NewClientWithResponses(c.BaseURL(), dnsimpleapi.WithHTTPClient(c))
			require.NoError(t, err)
			rsp, err := api.GetZoneWithResponse(t.Context(), 1010, "example.com")
			_, err = Call(c, "GetZone", rsp, err, (*dnsimpleapi.GetZoneResponse).GetJSON200)
			require.ErrorIs(t, err, ErrUnexpectedResponse)
			require.NotErrorIs(t, err, ErrNotFound)
			var fe *Error
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, 200, fe.StatusCode)
			assert.Equal(t, "rid-decode", fe.RequestID)
			assert.Equal(t, "GetZone", fe.Operation)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "Go struct field", "Go-internal wording")
			assert.True(t, OutcomeUnknown(err))
			checkErrorBounds(t, fe)
		})
	}
}

// Class 2: a redirect whose Location net/http cannot parse keeps its status
// too (net/http's Client fails on it before asking CheckRedirect; found by
// FuzzCoreResponse).
func TestCoreRedirectUnparsableLocation(t *testing.T) {
	t.Parallel()
	url := rawServer(t, func(conn net.Conn, _ *http.Request) {
		_, _ = io.WriteString(conn, "HTTP/1.1 308 Permanent Redirect\r\nLocation: 0%\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		_ = conn.Close()
	})
	c := newTestCore(t, ProviderIONOS, url)
	_, err := doAsync(t, c, t.Context(), http.MethodDelete, url+"/zones/1", "")
	require.ErrorIs(t, err, ErrUnexpectedResponse)
	var fe *Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, 308, fe.StatusCode)
	assert.Equal(t, "0%", fe.Location)
}

// Class 11, the other side: an error answer that arrives as the context
// ends is reported as that answer (a 404 stays a 404, a known outcome),
// not as the context's end.
func TestCoreErrorAnswerAsContextEnds(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	inner := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return memResponse(r, 404, http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"rid-404"}}, `{"message":"no such zone"}`), nil
	})
	c := newTestCore(t, ProviderIONOS, "https://api.example.test",
		WithHTTPClient(&http.Client{Transport: cancellingTransport{next: inner, cancel: cancel}}))
	_, err := doAsync(t, c, ctx, http.MethodDelete, "https://api.example.test/zones/1", "")
	require.Error(t, ctx.Err())
	require.ErrorIs(t, err, ErrNotFound)
	var fe *Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, 404, fe.StatusCode)
	assert.Equal(t, "rid-404", fe.RequestID)
	assert.False(t, OutcomeUnknown(err))
	assert.Equal(t, int64(1), c.Stats().Attempts)
}
