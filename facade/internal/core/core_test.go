package core

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/poll"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testToken = "tok-SUPERSECRET-1234567890"

func fastPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRetryAfter: 2 * time.Second}
}

// newTestCore returns a Core with fast retries and an HTTP client of its
// own (a later WithHTTPClient in opts replaces it): not http.DefaultTransport,
// whose connections any test's httptest.Server.Close may break mid-request
// ("CloseIdleConnections called"), which would add a retry.
// testProvider is what the adapters tell the core about the provider
// called name (see ionos.provider, dnsimple.provider, cloudflare.provider);
// any other name gets no provider knowledge.
func testProvider(name string) Provider {
	switch name {
	case ProviderIONOS:
		return Provider{Name: name, RequestIDHeaders: []string{"X-Request-Id", "X-Correlation-Id"}}
	case ProviderDNSimple:
		return Provider{Name: name, RequestIDHeaders: []string{"X-Request-Id"}}
	case ProviderCloudflare:
		return Provider{Name: name, RequestIDHeaders: []string{"Cf-Ray"}, ConflictCodes: []string{"1061"}}
	}
	return Provider{Name: name}
}

func newTestCore(t *testing.T, provider, baseURL string, opts ...Option) *Core {
	t.Helper()
	all := append([]Option{WithRetryPolicy(fastPolicy()), WithHTTPClient(ownClient(t))}, opts...)
	c, err := NewCore(testProvider(provider), testToken, baseURL, all...)
	require.NoError(t, err)
	return c
}

// ownClient returns an HTTP client with a transport of its own, closed when
// the test ends.
func ownClient(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: DefaultTimeout}
}

// server returns a loopback test server whose handler gets the 1-based hit
// number.
func server(t *testing.T, h func(w http.ResponseWriter, r *http.Request, hit int)) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h(w, r, int(hits.Add(1)))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func jsonReply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func do(t *testing.T, c *Core, ctx context.Context, method, url, body string) (*http.Response, []byte, error) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	require.NoError(t, err)
	resp, err := c.Do(req)
	if err != nil {
		require.Nil(t, resp)
		return nil, nil, err
	}
	// A 2xx body is streamed: a body over the cap, or one that cannot be
	// JSON, fails when it is read, as the generated parsers read it.
	b, rerr := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if rerr != nil {
		return nil, nil, rerr
	}
	return resp, b, nil
}

func hijackClose(t *testing.T, w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	require.True(t, ok)
	conn, _, err := hj.Hijack()
	require.NoError(t, err)
	_ = conn.Close()
}

func TestCoreSetsHeadersOnClone(t *testing.T) {
	t.Parallel()
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
		assert.Equal(t, DefaultUserAgent, r.Header.Get("User-Agent"))
		assert.Equal(t, "application/json", r.Header.Get("Accept"))
		jsonReply(w, 200, `{"ok":true}`)
	})
	c := newTestCore(t, ProviderIONOS, srv.URL+"/")
	assert.Equal(t, srv.URL, c.BaseURL())
	assert.Equal(t, ProviderIONOS, c.Provider())
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/zones", nil)
	require.NoError(t, err)
	resp, err := c.Do(req)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Empty(t, req.Header.Get("Authorization"), "caller's request must not be modified")
	assert.Equal(t, Stats{Attempts: 1}, c.Stats())

	srv2, _ := server(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		assert.Equal(t, "custom/1.0", r.Header.Get("User-Agent"))
		assert.Equal(t, "text/plain", r.Header.Get("Accept"))
		w.WriteHeader(204)
	})
	c2 := newTestCore(t, ProviderIONOS, srv2.URL, WithUserAgent("custom/1.0"))
	req, _ = http.NewRequest(http.MethodDelete, srv2.URL+"/x", nil)
	req.Header.Set("Accept", "text/plain")
	resp, err = c2.Do(req)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
}

func TestCoreRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		method    string
		reply     func(w http.ResponseWriter, hit int) bool // true when handled
		wantHits  int64
		wantErr   error
		wantState int
	}{
		{
			name: "429 then success", method: http.MethodGet, wantHits: 2,
			reply: func(w http.ResponseWriter, hit int) bool {
				if hit == 1 {
					w.Header().Set("Retry-After", "0")
					jsonReply(w, 429, `{"message":"slow"}`)
					return true
				}
				return false
			},
		},
		{
			name: "503 then success", method: http.MethodGet, wantHits: 2,
			reply: func(w http.ResponseWriter, hit int) bool {
				if hit == 1 {
					jsonReply(w, 503, `{"message":"down"}`)
					return true
				}
				return false
			},
		},
		{
			name: "502 and 504 then success on PUT", method: http.MethodPut, wantHits: 3,
			reply: func(w http.ResponseWriter, hit int) bool {
				switch hit {
				case 1:
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(502)
					_, _ = io.WriteString(w, "<html>bad gateway</html>")
					return true
				case 2:
					w.WriteHeader(504)
					return true
				}
				return false
			},
		},
		{
			name: "POST retried on 429", method: http.MethodPost, wantHits: 2,
			reply: func(w http.ResponseWriter, hit int) bool {
				if hit == 1 {
					jsonReply(w, 429, `{}`)
					return true
				}
				return false
			},
		},
		{
			name: "POST not retried on 503", method: http.MethodPost, wantHits: 1, wantErr: ErrServer, wantState: 503,
			reply: func(w http.ResponseWriter, _ int) bool { jsonReply(w, 503, `{}`); return true },
		},
		{
			name: "PATCH not retried on 502", method: http.MethodPatch, wantHits: 1, wantErr: ErrServer, wantState: 502,
			reply: func(w http.ResponseWriter, _ int) bool { w.WriteHeader(502); return true },
		},
		{
			name: "GET gives up after MaxAttempts", method: http.MethodGet, wantHits: 4, wantErr: ErrServer, wantState: 503,
			reply: func(w http.ResponseWriter, _ int) bool { jsonReply(w, 503, `{"message":"still down"}`); return true },
		},
		{
			name: "500 not retried", method: http.MethodGet, wantHits: 1, wantErr: ErrServer, wantState: 500,
			reply: func(w http.ResponseWriter, _ int) bool { jsonReply(w, 500, `{}`); return true },
		},
		{
			name: "404 not retried", method: http.MethodGet, wantHits: 1, wantErr: ErrNotFound, wantState: 404,
			reply: func(w http.ResponseWriter, _ int) bool { jsonReply(w, 404, `{"message":"nope"}`); return true },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var bodies []string
			var mu sync.Mutex
			srv, hits := server(t, func(w http.ResponseWriter, r *http.Request, hit int) {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				bodies = append(bodies, string(b))
				mu.Unlock()
				if !tt.reply(w, hit) {
					jsonReply(w, 200, `{"ok":true}`)
				}
			})
			c := newTestCore(t, ProviderCloudflare, srv.URL)
			resp, body, err := do(t, c, t.Context(), tt.method, srv.URL+"/zones", `{"name":"example.com"}`)
			assert.Equal(t, tt.wantHits, hits.Load())
			assert.Equal(t, Stats{Attempts: tt.wantHits, Retries: tt.wantHits - 1}, c.Stats())
			mu.Lock()
			for _, b := range bodies {
				assert.Equal(t, `{"name":"example.com"}`, b, "body replayed on every attempt")
			}
			mu.Unlock()
			if tt.wantErr == nil {
				require.NoError(t, err)
				assert.Equal(t, 200, resp.StatusCode)
				assert.JSONEq(t, `{"ok":true}`, string(body))
				return
			}
			require.ErrorIs(t, err, tt.wantErr)
			var fe *Error
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.wantState, fe.StatusCode)
			assert.Equal(t, ProviderCloudflare, fe.Provider)
		})
	}
}

func TestCoreDroppedConnection(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		method   string
		wantHits int64
	}{
		{http.MethodPost, 1}, // may have been processed: never resent
		{http.MethodGet, 2},  // idempotent: retried
		{http.MethodDelete, 2},
	} {
		t.Run(tt.method, func(t *testing.T) {
			t.Parallel()
			srv, hits := server(t, func(w http.ResponseWriter, r *http.Request, hit int) {
				_, _ = io.ReadAll(r.Body)
				if hit == 1 {
					hijackClose(t, w)
					return
				}
				jsonReply(w, 200, `{}`)
			})
			c := newTestCore(t, ProviderIONOS, srv.URL)
			_, _, err := do(t, c, t.Context(), tt.method, srv.URL+"/zones", `{"a":1}`)
			assert.Equal(t, tt.wantHits, hits.Load())
			if tt.wantHits == 1 {
				require.ErrorIs(t, err, ErrTransport)
				var fe *Error
				require.ErrorAs(t, err, &fe)
				assert.Zero(t, fe.StatusCode)
			} else {
				require.NoError(t, err)
			}
		})
	}
}

func TestCorePOSTRetriedAfterDialError(t *testing.T) {
	t.Parallel()
	srv, hits := server(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		b, _ := io.ReadAll(r.Body)
		assert.Equal(t, "payload", string(b))
		jsonReply(w, 201, `{"id":"z1"}`)
	})
	var dials atomic.Int64
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) == 1 {
			return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connection refused")}
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	c := newTestCore(t, ProviderDNSimple, srv.URL, WithHTTPClient(&http.Client{Transport: tr}))
	resp, body, err := do(t, c, t.Context(), http.MethodPost, srv.URL+"/zones", "payload")
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.JSONEq(t, `{"id":"z1"}`, string(body))
	assert.Equal(t, int64(1), hits.Load())
	assert.Equal(t, int64(2), dials.Load())
	assert.Equal(t, int64(1), c.Stats().Retries)
}

func TestCoreRefusedConnectionIsTransport(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens any more: connection refused
	c := newTestCore(t, ProviderIONOS, "http://"+addr)
	_, _, err = do(t, c, t.Context(), http.MethodPost, "http://"+addr+"/zones", "x")
	require.ErrorIs(t, err, ErrTransport)
	assert.Equal(t, int64(4), c.Stats().Attempts, "POST that never connected is retried")
}

func TestCoreRetryAfter(t *testing.T) {
	t.Parallel()
	fixed := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	tests := []struct {
		name      string
		header    map[string]string
		status    int
		wantHits  int64
		wantAfter time.Duration // on the error, when retries stop
	}{
		{name: "seconds within cap", status: 429, header: map[string]string{"Retry-After": "0"}, wantHits: 2},
		{name: "http-date now", status: 503, header: map[string]string{"Retry-After": fixed.Format(http.TimeFormat)}, wantHits: 2},
		{name: "seconds above cap", status: 429, header: map[string]string{"Retry-After": "3600"}, wantHits: 1, wantAfter: time.Hour},
		{name: "http-date above cap", status: 503, header: map[string]string{"Retry-After": fixed.Add(time.Hour).Format(http.TimeFormat)}, wantHits: 1, wantAfter: time.Hour},
		{name: "ratelimit reset above cap", status: 429, header: map[string]string{"X-RateLimit-Reset": fmt.Sprint(fixed.Add(10 * time.Minute).Unix())}, wantHits: 1, wantAfter: 10 * time.Minute},
		{name: "ratelimit reset now", status: 429, header: map[string]string{"X-RateLimit-Reset": fmt.Sprint(fixed.Unix())}, wantHits: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, hits := server(t, func(w http.ResponseWriter, _ *http.Request, hit int) {
				if hit == 1 {
					for k, v := range tt.header {
						w.Header().Set(k, v)
					}
					jsonReply(w, tt.status, `{"message":"wait"}`)
					return
				}
				jsonReply(w, 200, `{}`)
			})
			c := newTestCore(t, ProviderDNSimple, srv.URL)
			c.now = func() time.Time { return fixed }
			waits := recordWaits(c)
			_, _, err := do(t, c, t.Context(), http.MethodGet, srv.URL+"/z", "")
			assert.Equal(t, tt.wantHits, hits.Load())
			if tt.wantHits == 1 {
				assert.Empty(t, waits(), "must not wait for a Retry-After above the cap")
			} else {
				assert.Len(t, waits(), int(tt.wantHits-1))
			}
			if tt.wantAfter == 0 {
				require.NoError(t, err)
				return
			}
			var fe *Error
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.wantAfter, fe.RetryAfter)
			assert.Equal(t, tt.status, fe.StatusCode)
		})
	}
}

func TestCoreCancelDuringBackoff(t *testing.T) {
	t.Parallel()
	srv, hits := server(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Retry-After", "30")
		jsonReply(w, 503, `{}`)
	})
	c := newTestCore(t, ProviderIONOS, srv.URL, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxRetryAfter: time.Minute}))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	// The caller cancels while the core waits the 30 s the server asked for;
	// the wait is the real, context-aware one.
	var asked []time.Duration
	c.wait = func(ctx context.Context, d time.Duration) error {
		asked = append(asked, d)
		cancel()
		return poll.Wait(ctx, d)
	}
	_, _, err := do(t, c, ctx, http.MethodGet, srv.URL+"/z", "")
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, err, ErrTransport)
	assert.Equal(t, []time.Duration{30 * time.Second}, asked)
	assert.Equal(t, int64(1), hits.Load(), "no attempt after the cancelled wait")
}

func TestCoreDeadlineDuringRequest(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	c := newTestCore(t, ProviderIONOS, srv.URL)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, _, err := do(t, c, ctx, http.MethodGet, srv.URL+"/z", "")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorIs(t, err, ErrTransport)
	assert.Equal(t, int64(1), c.Stats().Attempts)
}

func TestCoreBodyCap(t *testing.T) {
	t.Parallel()
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		jsonReply(w, 200, `"`+strings.Repeat("a", len(r.URL.Query().Get("n")))+`"`)
	})
	c := newTestCore(t, ProviderIONOS, srv.URL, WithMaxBodyBytes(12))
	resp, body, err := do(t, c, t.Context(), http.MethodGet, srv.URL+"/z?n=xxxxxxxxxx", "") // exactly 12 bytes
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Len(t, body, 12)

	_, _, err = do(t, c, t.Context(), http.MethodGet, srv.URL+"/z?n=xxxxxxxxxxx", "") // 13 bytes
	require.ErrorIs(t, err, ErrTransport)
	var fe *Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, 200, fe.StatusCode)
	assert.Contains(t, err.Error(), "response body exceeds 12 bytes")
	assert.Equal(t, int64(2), c.Stats().Attempts, "an oversized body is not retried")
}

func TestCoreInvalidJSONOn2xx(t *testing.T) {
	t.Parallel()
	srv, _ := server(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("X-Request-Id", "rid-1")
		jsonReply(w, 200, `<html>oops</html>`)
	})
	c := newTestCore(t, ProviderIONOS, srv.URL)
	_, _, err := do(t, c, t.Context(), http.MethodGet, srv.URL+"/z", "")
	require.ErrorIs(t, err, ErrUnexpectedResponse)
	var fe *Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, 200, fe.StatusCode)
	assert.Equal(t, "rid-1", fe.RequestID)
	assert.Contains(t, fe.Messages, "oops")
}

func TestCoreRefusesForeignHost(t *testing.T) {
	t.Parallel()
	srv, hits := server(t, func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(200) })
	c := newTestCore(t, ProviderIONOS, "https://dns.de-fra.ionos.com")
	_, _, err := do(t, c, t.Context(), http.MethodGet, srv.URL+"/z", "")
	require.ErrorIs(t, err, ErrInvalidInput)
	assert.Zero(t, hits.Load())
	assert.NotContains(t, err.Error(), testToken)

	assert.True(t, sameOrigin(mustURL(t, "https://a.example"), mustURL(t, "https://A.example:443/x")))
	assert.False(t, sameOrigin(mustURL(t, "https://a.example"), mustURL(t, "http://a.example/x")))
	assert.False(t, sameOrigin(mustURL(t, "https://a.example"), mustURL(t, "https://a.example:8443/x")))
}

func TestCoreConcurrent(t *testing.T) {
	t.Parallel()
	srv, hits := server(t, func(w http.ResponseWriter, _ *http.Request, hit int) {
		if hit%3 == 0 {
			jsonReply(w, 503, `{}`)
			return
		}
		jsonReply(w, 200, `{}`)
	})
	c := newTestCore(t, ProviderCloudflare, srv.URL, WithRetryPolicy(RetryPolicy{MaxAttempts: 10, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}))
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			_, _, err := do(t, c, t.Context(), http.MethodGet, srv.URL+"/z", "")
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	st := c.Stats()
	assert.Equal(t, hits.Load(), st.Attempts)
	assert.Equal(t, st.Attempts-32, st.Retries)
}

func TestCoreNeverLeaksToken(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(&lockedWriter{w: &buf, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request, hit int) {
		switch {
		case r.URL.Path == "/drop":
			hijackClose(t, w)
		case hit%2 == 1:
			w.Header().Set("X-Request-Id", "req-"+fmt.Sprint(hit))
			jsonReply(w, 429, `{"message":"echo `+r.Header.Get("Authorization")+`"}`)
		default:
			jsonReply(w, 200, `{}`)
		}
	})
	c := newTestCore(t, ProviderDNSimple, srv.URL, WithLogger(logger))
	var errs []error
	_, _, err := do(t, c, t.Context(), http.MethodGet, srv.URL+"/zones?page=2", "")
	require.NoError(t, err)
	_, _, err = do(t, c, t.Context(), http.MethodPost, srv.URL+"/drop", "secret body")
	errs = append(errs, err, c.Check("CreateZone", nil, nil, err, false))
	_, _, err = do(t, c, t.Context(), http.MethodGet, "http://elsewhere.invalid/x", "")
	errs = append(errs, err)
	_, err = NewCore(testProvider(ProviderDNSimple), testToken+" bad", "https://api.dnsimple.com")
	errs = append(errs, err)

	mu.Lock()
	logs := buf.String()
	mu.Unlock()
	assert.Contains(t, logs, `"path":"/zones?page=2"`)
	assert.Contains(t, logs, `"status":429`)
	assert.Contains(t, logs, `"request_id":"req-1"`)
	assert.Contains(t, logs, `"attempt":2`)
	assert.NotContains(t, logs, testToken)
	assert.NotContains(t, logs, "secret body")
	assert.NotContains(t, logs, "Bearer")

	var prints []string
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		prints = append(prints, fmt.Sprintf(f, c), fmt.Sprintf(f, struct{ C *Core }{c}))
	}
	for _, e := range errs {
		require.Error(t, e)
		prints = append(prints, e.Error(), fmt.Sprintf("%v|%+v|%#v", e, e, e))
	}
	for _, p := range prints {
		assert.NotContains(t, p, testToken)
		assert.NotContains(t, p, "SUPERSECRET")
	}
	assert.Contains(t, fmt.Sprintf("%+v", c), "[REDACTED]")
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestNewCoreValidation(t *testing.T) {
	t.Parallel()
	ok := "https://api.example.com"
	tests := []struct {
		name     string
		provider string
		token    string
		base     string
		opts     []Option
		wantBase string
	}{
		{name: "ok", provider: "ionos", token: "t", base: ok + "/v1/", wantBase: ok + "/v1"},
		{name: "base override", provider: "ionos", token: "t", base: ok, opts: []Option{WithBaseURL("http://127.0.0.1:8080/")}, wantBase: "http://127.0.0.1:8080"},
		{name: "nil option ignored", provider: "ionos", token: "t", base: ok, opts: []Option{nil}, wantBase: ok},
		{name: "empty provider", token: "t", base: ok},
		{name: "upper provider", provider: "IONOS", token: "t", base: ok},
		{name: "empty token", provider: "ionos", base: ok},
		{name: "token with newline", provider: "ionos", token: "a\nb", base: ok},
		{name: "no base", provider: "ionos", token: "t"},
		{name: "bad scheme", provider: "ionos", token: "t", base: "ftp://x.example"},
		{name: "no host", provider: "ionos", token: "t", base: "https://"},
		{name: "relative", provider: "ionos", token: "t", base: "/v1"},
		{name: "userinfo", provider: "ionos", token: "t", base: "https://u:p@x.example"},
		{name: "query", provider: "ionos", token: "t", base: "https://x.example/?a=b"},
		{name: "unparsable", provider: "ionos", token: "t", base: "http://[::1"},
		{name: "bad WithBaseURL", provider: "ionos", token: "t", base: ok, opts: []Option{WithBaseURL(" https://x")}},
		{name: "nil client", provider: "ionos", token: "t", base: ok, opts: []Option{WithHTTPClient(nil)}},
		{name: "empty UA", provider: "ionos", token: "t", base: ok, opts: []Option{WithUserAgent(" ")}},
		{name: "UA control", provider: "ionos", token: "t", base: ok, opts: []Option{WithUserAgent("a\r\nX-Evil: 1")}},
		{name: "attempts 0", provider: "ionos", token: "t", base: ok, opts: []Option{WithRetryPolicy(RetryPolicy{})}},
		{name: "negative delay", provider: "ionos", token: "t", base: ok, opts: []Option{WithRetryPolicy(RetryPolicy{MaxAttempts: 1, BaseDelay: -1})}},
		{name: "base above max", provider: "ionos", token: "t", base: ok, opts: []Option{WithRetryPolicy(RetryPolicy{MaxAttempts: 1, BaseDelay: 2, MaxDelay: 1})}},
		{name: "zero body cap", provider: "ionos", token: "t", base: ok, opts: []Option{WithMaxBodyBytes(0)}},
		{name: "nil logger ok", provider: "ionos", token: "t", base: ok, opts: []Option{WithLogger(nil)}, wantBase: ok},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewCore(testProvider(tt.provider), tt.token, tt.base, tt.opts...)
			if tt.wantBase != "" {
				require.NoError(t, err)
				assert.Equal(t, tt.wantBase, c.BaseURL())
				return
			}
			require.ErrorIs(t, err, ErrInvalidInput)
			var fe *Error
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, "NewCore", fe.Operation)
			assert.Nil(t, c)
		})
	}
	assert.NoError(t, DefaultRetryPolicy().Validate())
}

func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	c := &Core{retry: RetryPolicy{MaxAttempts: 10, BaseDelay: 10 * time.Millisecond, MaxDelay: 80 * time.Millisecond}}
	for attempt := 1; attempt <= 64; attempt++ {
		ceil := min(10*time.Millisecond<<min(attempt-1, 20), 80*time.Millisecond)
		for range 50 {
			d := c.backoff(attempt)
			require.GreaterOrEqual(t, d, time.Duration(0))
			require.LessOrEqual(t, d, ceil, "attempt %d", attempt)
		}
	}
	assert.Zero(t, (&Core{}).backoff(3))
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}

// recordWaits replaces c's waiting with one that returns at once and records
// the durations asked for.
func recordWaits(c *Core) func() []time.Duration {
	var mu sync.Mutex
	var waits []time.Duration
	c.wait = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return ctx.Err()
	}
	return func() []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Duration(nil), waits...)
	}
}

func TestWaitCtx(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	// A cancelled context ends even an hour's wait: if it did not, this test
	// would hang until the test binary's timeout.
	require.ErrorIs(t, poll.Wait(ctx, time.Hour), context.Canceled)
	require.NoError(t, poll.Wait(t.Context(), time.Millisecond))
	require.NoError(t, poll.Wait(t.Context(), 0))
}

// TestOutcomeUnknown checks which failures leave a request's effect in
// doubt, as seen by an adapter rolling back a multi-request operation.
func TestOutcomeUnknown(t *testing.T) {
	t.Parallel()
	dropped := func(w http.ResponseWriter, _ *http.Request, _ int) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}
	tests := []struct {
		name    string
		handler func(w http.ResponseWriter, r *http.Request, hit int)
		cancel  string // "", "before", "wait"
		unknown bool
	}{
		{name: "503 on a POST", handler: func(w http.ResponseWriter, _ *http.Request, _ int) { jsonReply(w, 503, `{}`) }, unknown: true},
		{name: "connection dropped after sending", handler: dropped, unknown: true},
		{name: "HTML 200", handler: func(w http.ResponseWriter, _ *http.Request, _ int) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(200)
			_, _ = w.Write([]byte("<html>"))
		}, unknown: true},
		{name: "409 conflict", handler: func(w http.ResponseWriter, _ *http.Request, _ int) { jsonReply(w, 409, `{}`) }, unknown: false},
		{name: "429 then cancelled while waiting", handler: func(w http.ResponseWriter, _ *http.Request, _ int) {
			w.Header().Set("Retry-After", "30")
			jsonReply(w, 429, `{}`)
		}, cancel: "wait", unknown: false},
		{name: "cancelled before sending", handler: func(w http.ResponseWriter, _ *http.Request, _ int) { jsonReply(w, 200, `{}`) }, cancel: "before", unknown: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := server(t, tt.handler)
			c := newTestCore(t, ProviderCloudflare, srv.URL, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxRetryAfter: time.Minute}))
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			switch tt.cancel {
			case "before":
				cancel()
			case "wait":
				c.wait = func(ctx context.Context, d time.Duration) error { cancel(); return poll.Wait(ctx, d) }
			}
			_, _, err := do(t, c, ctx, http.MethodPost, srv.URL+"/z", `{}`)
			require.Error(t, err)
			assert.Equal(t, tt.unknown, OutcomeUnknown(err), "%v", err)
			// Relabelling keeps the verdict.
			assert.Equal(t, tt.unknown, OutcomeUnknown(c.Wrap("CreateZone", err)))
		})
	}
	assert.False(t, OutcomeUnknown(nil))
	assert.False(t, OutcomeUnknown(errors.New("plain")))
}
