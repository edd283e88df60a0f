package facade

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Core is the shared HTTP transport of one provider client. It implements
// the generated clients' HttpRequestDoer interface (Do) and classifies
// outcomes ([Core.Check], [Core.CheckResponse]).
//
// For every request Core
//   - refuses to send credentials anywhere but the configured base URL's
//     scheme, host and port;
//   - sets Authorization: Bearer <token>, User-Agent and (unless already set)
//     Accept: application/json on a clone of the request, never on the
//     caller's request;
//   - retries with capped exponential backoff and full jitter (see
//     [RetryPolicy]) on 429, 502, 503, 504 and connection errors for GET,
//     HEAD, OPTIONS, PUT and DELETE; other methods (POST, PATCH) are retried
//     only on 429 and on errors proving the request never left the client
//     (dial errors, DNS failures), never on 5xx or a connection dropped
//     after sending. Bodies are replayed through Request.GetBody; a request
//     with a body and no GetBody is never retried;
//   - honours Retry-After and, on 429, X-RateLimit-Reset, up to
//     RetryPolicy.MaxRetryAfter;
//   - waits with timers that honour the request context, never time.Sleep;
//   - reads the whole response body, capped at the configured size, before
//     returning.
//
// Do returns a response only for a final 2xx status, with the body fully
// buffered in memory. A final non-2xx status, a body over the size cap, a
// 2xx JSON response whose body is not valid JSON, and transport failures are
// returned as a nil response and an [*Error] without Operation; [Core.Check]
// fills in the operation. Going through Core therefore keeps the status,
// request id and provider messages even when a generated client would have
// failed to parse an error body.
//
// A Core is safe for concurrent use. Its token is never logged or printed:
// fmt and slog render a Core as its provider and base URL only.
type Core struct {
	provider  string
	token     *Secret // pointer: printing a Core value shows an address, not the token
	baseURL   string
	base      *url.URL
	client    *http.Client
	userAgent string
	retry     RetryPolicy
	logger    *slog.Logger
	maxBody   int64
	now       func() time.Time
	// wait pauses between attempts; tests replace it to observe the waits.
	wait func(ctx context.Context, d time.Duration) error
	// headers are added to every request; built once, shared read-only.
	auth, ua, accept []string
	// pollFirst and pollMax pace Poll.
	pollFirst, pollMax time.Duration

	attempts atomic.Int64
	retries  atomic.Int64

	// privatePrimaries and limits: see WithPrivatePrimaries and WithListLimits.
	privatePrimaries bool
	limits           ListLimits
}

// NewCore returns a Core for provider (one of the Provider* constants, or
// any non-empty lower-case name) authenticating with the bearer token and
// talking to defaultBaseURL unless [WithBaseURL] overrides it. Options are
// applied in order; nil options are ignored. Any invalid argument yields an
// [*Error] of kind [ErrInvalidInput] with Operation "NewCore".
func NewCore(provider, token, defaultBaseURL string, opts ...Option) (*Core, error) {
	const op = "NewCore"
	fail := func(err error) (*Core, error) {
		e := Invalid(op, err)
		e.Provider = provider
		return nil, e
	}
	if provider == "" || strings.ToLower(provider) != provider || strings.ContainsFunc(provider, isSpaceOrControl) {
		return fail(fmt.Errorf("provider %q: must be a non-empty lower-case name", provider))
	}
	if token == "" || strings.ContainsFunc(token, isSpaceOrControl) {
		// Never echo the token, not even an invalid one.
		return fail(errors.New("token must be non-empty and contain no whitespace or control characters"))
	}
	cfg := config{
		userAgent:    DefaultUserAgent,
		retry:        DefaultRetryPolicy(),
		logger:       discardLogger(),
		maxBodyBytes: DefaultMaxBodyBytes,
		now:          time.Now,
		pollFirst:    DefaultPollFirst,
		pollMax:      DefaultPollMax,
	}
	if defaultBaseURL != "" {
		u, err := normalizeBaseURL(defaultBaseURL)
		if err != nil {
			return fail(err)
		}
		cfg.baseURL = u
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return fail(err)
		}
	}
	if cfg.baseURL == "" {
		return fail(errors.New("no base URL: pass a default or use WithBaseURL"))
	}
	if cfg.client == nil {
		cfg.client = &http.Client{Timeout: DefaultTimeout}
	}
	base, err := url.Parse(cfg.baseURL)
	if err != nil { // cannot happen: normalizeBaseURL parsed it
		return fail(err)
	}
	secret := Secret(token)
	return &Core{
		provider:  provider,
		token:     &secret,
		baseURL:   cfg.baseURL,
		base:      base,
		client:    cfg.client,
		userAgent: cfg.userAgent,
		retry:     cfg.retry,
		logger:    cfg.logger,
		maxBody:   cfg.maxBodyBytes,
		now:       cfg.now,
		wait:      waitCtx,
		pollFirst: cfg.pollFirst,
		pollMax:   cfg.pollMax,
		auth:      []string{"Bearer " + token},
		ua:        []string{cfg.userAgent},
		accept:    []string{"application/json"},

		privatePrimaries: cfg.privatePrimaries,
		limits:           cfg.limits.withDefaults(),
	}, nil
}

// Provider returns the provider name given to [NewCore].
func (c *Core) Provider() string { return c.provider }

// BaseURL returns the normalised API base URL (no trailing slash), suitable
// for the generated clients' constructors.
func (c *Core) BaseURL() string { return c.baseURL }

// RetryPolicy returns the retry policy in effect.
func (c *Core) RetryPolicy() RetryPolicy { return c.retry }

// Stats are cumulative counters of a [Core].
type Stats struct {
	// Attempts counts HTTP attempts sent (first tries and retries).
	Attempts int64
	// Retries counts attempts that were retries.
	Retries int64
}

// Stats returns the counters accumulated since the Core was created.
func (c *Core) Stats() Stats {
	return Stats{Attempts: c.attempts.Load(), Retries: c.retries.Load()}
}

// String describes the Core without its token.
func (c *Core) String() string {
	if c == nil {
		return "facade.Core(nil)"
	}
	return fmt.Sprintf("facade.Core{provider: %q, baseURL: %q, token: %s}", c.provider, c.baseURL, redacted)
}

// GoString is like String, for %#v.
func (c *Core) GoString() string { return c.String() }

// Format prints [Core.String] for every verb, so no verb reveals the token.
func (c *Core) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue implements slog.LogValuer without the token.
func (c *Core) LogValue() slog.Value {
	return slog.GroupValue(slog.String("provider", c.provider), slog.String("base_url", c.baseURL))
}

// Do sends req with authentication, retries and body capping; see [Core].
func (c *Core) Do(req *http.Request) (*http.Response, error) {
	if req == nil || req.URL == nil {
		return nil, &Error{Provider: c.provider, kind: ErrInvalidInput, Messages: []string{"nil request"}}
	}
	ctx := req.Context()
	if !sameOrigin(c.base, req.URL) {
		return nil, &Error{Provider: c.provider, kind: ErrInvalidInput,
			Messages: []string{fmt.Sprintf("refusing to send credentials to %s://%s (base URL is %s)", req.URL.Scheme, req.URL.Host, c.baseURL)}}
	}
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	out := c.outgoing(req)
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			e := transportError(c.provider, "", err, nil)
			e.refused = true // nothing was sent
			return nil, e
		}
		resp, body, err := c.attempt(ctx, req, out, attempt)
		if ctx.Err() != nil {
			e := transportError(c.provider, "", ctx.Err(), err)
			e.refused = neverSent(err)
			return nil, e
		}
		wait, again := c.retryDecision(req.Method, attempt, replayable, resp, err)
		if !again {
			return c.finish(ctx, resp, body, err)
		}
		c.retries.Add(1)
		if c.logger.Enabled(ctx, slog.LevelDebug) {
			c.logger.LogAttrs(ctx, slog.LevelDebug, "secondarydns: retrying",
				slog.String("provider", c.provider), slog.String("method", req.Method),
				slog.String("path", pathAndQuery(req.URL)), slog.Int("attempt", attempt),
				slog.Duration("wait", wait))
		}
		if werr := c.wait(ctx, wait); werr != nil {
			e := transportError(c.provider, "", ctx.Err(), werr)
			// Only a refusal or a request that never left makes the outcome
			// certain; after a 5xx or a dropped connection it is not.
			e.refused = (resp != nil && resp.StatusCode == http.StatusTooManyRequests) || (err != nil && neverSent(err))
			return nil, e
		}
	}
}

// outgoing returns the request to send: a shallow copy of req with its own
// header map holding the authentication, User-Agent and Accept headers, so
// that req itself (which may belong to the caller) never carries the token.
func (c *Core) outgoing(req *http.Request) *http.Request {
	r := new(http.Request)
	*r = *req
	h := make(http.Header, len(req.Header)+3)
	for k, v := range req.Header {
		h[k] = v
	}
	h["Authorization"] = c.auth
	h["User-Agent"] = c.ua
	if _, ok := h["Accept"]; !ok {
		h["Accept"] = c.accept
	}
	r.Header = h
	return r
}

// attempt performs one try of out (a copy of req). A 2xx body is left to be
// streamed to the caller through [successBody]; any other body is read
// (capped) for error decoding.
func (c *Core) attempt(ctx context.Context, req, out *http.Request, n int) (*http.Response, []byte, error) {
	c.attempts.Add(1)
	if n > 1 && req.Body != nil && req.Body != http.NoBody {
		b, err := req.GetBody()
		if err != nil {
			return nil, nil, err
		}
		out.Body = b
	}
	start := time.Now()
	resp, err := c.client.Do(out)
	var body []byte
	if err == nil {
		if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
			resp.Body = c.newSuccessBody(resp)
		} else {
			body, err = c.readBody(resp)
		}
	}
	c.logAttempt(ctx, req, n, resp, err, time.Since(start))
	return resp, body, err
}

// errBodyTooLarge marks a body over the cap; such responses are never retried.
var errBodyTooLarge = errors.New("response body too large")

// readBody reads and closes resp.Body, replacing it with an in-memory copy.
// It fails with an ErrTransport *Error once the body exceeds the cap instead
// of truncating.
func (c *Core) readBody(resp *http.Response) ([]byte, error) {
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > c.maxBody {
		return nil, &Error{
			Provider: c.provider, StatusCode: resp.StatusCode, kind: ErrTransport, cause: errBodyTooLarge,
			RequestID: RequestID(c.provider, resp.Header),
			Messages:  []string{"response body exceeds " + strconv.FormatInt(c.maxBody, 10) + " bytes"},
		}
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	return b, nil
}

// retryDecision reports whether and how long to wait before another attempt.
func (c *Core) retryDecision(method string, attempt int, replayable bool, resp *http.Response, err error) (time.Duration, bool) {
	if attempt >= c.retry.MaxAttempts || !replayable {
		return 0, false
	}
	idempotent := isIdempotent(method)
	if err != nil {
		if errors.Is(err, errBodyTooLarge) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return 0, false
		}
		if idempotent || neverSent(err) {
			return c.backoff(attempt), true
		}
		return 0, false
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		if !idempotent {
			return 0, false
		}
	default:
		return 0, false
	}
	if d, ok := retryAfterFromHeader(resp.Header, resp.StatusCode, c.now()); ok {
		if d > c.retry.MaxRetryAfter {
			return 0, false // the caller gets the error with RetryAfter set
		}
		return d, true
	}
	return c.backoff(attempt), true
}

// backoff returns a full-jitter wait before retry number attempt.
func (c *Core) backoff(attempt int) time.Duration {
	ceil := c.retry.BaseDelay
	for i := 1; i < attempt && ceil < c.retry.MaxDelay; i++ {
		ceil *= 2
	}
	ceil = min(ceil, c.retry.MaxDelay)
	if ceil <= 0 {
		return 0
	}
	return rand.N(ceil + 1)
}

// finish turns the last attempt into Do's result.
func (c *Core) finish(ctx context.Context, resp *http.Response, body []byte, err error) (*http.Response, error) {
	if err != nil {
		var fe *Error
		if errors.As(err, &fe) {
			return nil, fe
		}
		e := transportError(c.provider, "", ctx.Err(), err)
		e.refused = neverSent(err)
		return nil, e
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, decodeErrorBody(c.provider, resp.StatusCode, resp.Header, body, c.now())
	}
	return resp, nil
}

// undecodable builds the ErrUnexpectedResponse error for a 2xx body the
// caller cannot use.
func (c *Core) undecodable(resp *http.Response, body []byte, why string) *Error {
	e := &Error{Provider: c.provider, StatusCode: resp.StatusCode, kind: ErrUnexpectedResponse,
		RequestID: RequestID(c.provider, resp.Header), Messages: []string{why}}
	if s := snippet(body); s != "" {
		e.Messages = append(e.Messages, s)
	}
	return e
}

func (c *Core) logAttempt(ctx context.Context, req *http.Request, n int, resp *http.Response, err error, d time.Duration) {
	if !c.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("provider", c.provider), slog.String("method", req.Method),
		slog.String("path", pathAndQuery(req.URL)), slog.Int("attempt", n), slog.Duration("duration", d),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		if id := RequestID(c.provider, resp.Header); id != "" {
			attrs = append(attrs, slog.String("request_id", id))
		}
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", oneLine(err.Error())))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "secondarydns: http attempt", attrs...)
}

// waitCtx waits for d or until ctx is done, whichever comes first.
func waitCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func isIdempotent(method string) bool {
	switch method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// neverSent reports errors that prove the request never reached the server:
// failures to resolve or connect.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect") {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

func isJSONContent(h http.Header) bool {
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// sameOrigin compares scheme, host and effective port.
func sameOrigin(base, u *url.URL) bool {
	return strings.EqualFold(base.Scheme, u.Scheme) &&
		strings.EqualFold(base.Hostname(), u.Hostname()) &&
		effectivePort(base) == effectivePort(u)
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

func pathAndQuery(u *url.URL) string {
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

func isSpaceOrControl(r rune) bool { return isControl(r) || r == ' ' || r == '\u00a0' || r == '\t' }
