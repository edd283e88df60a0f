package core

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"

	"github.com/secondarydns/secondarydns-go/facade/internal/config"
	"github.com/secondarydns/secondarydns-go/facade/internal/poll"
	"github.com/secondarydns/secondarydns-go/facade/internal/text"
)

// Provider is what the core knows about one provider: given by each
// adapter to [NewCore], so that the core itself knows no provider by name.
type Provider struct {
	// Name is the provider's name, e.g. [facade.ProviderIONOS]: a non-empty
	// lower-case name, reported in [facade.Error.Provider].
	Name string
	// RequestIDHeaders are the response headers carrying the provider's
	// request identifier, in order of preference (see [Provider.RequestID]);
	// none means X-Request-Id, X-Correlation-Id and Cf-Ray.
	RequestIDHeaders []string
	// ConflictCodes are error codes of the provider that mean "already
	// exists" on a 400 or 422 answer (see [Provider.DecodeErrorBody]).
	ConflictCodes []string
}

// Core is the shared HTTP transport of one provider client. It implements
// the generated clients' HttpRequestDoer interface (Do) and classifies
// outcomes ([Core.Check], [Core.CheckResponse]).
//
// For every request Core
//   - refuses to send credentials anywhere but the configured base URL's
//     scheme, host and port, and never follows a redirect (not even to the
//     same origin, and also not with a client from [facade.WithHTTPClient], which
//     is copied, never modified): a 3xx answer is an [facade.ErrUnexpectedResponse]
//     error keeping the status and [facade.Error.Location], so that neither the
//     credentials nor a request body reach another URL and a write is
//     reported done only when the server that was asked says so;
//   - sends a new request per attempt (a RoundTripper may still hold the
//     previous one), each a copy of the caller's request carrying
//     Authorization: Bearer <token>, User-Agent and (unless already set)
//     Accept: application/json; the caller's request is never modified;
//   - retries with capped exponential backoff and full jitter (see
//     [facade.RetryPolicy]) on 429, 502, 503, 504 and connection errors for GET,
//     HEAD, OPTIONS, PUT and DELETE; other methods (POST, PATCH) are retried
//     only on 429 and on errors proving the request never left the client
//     (dial errors, DNS failures), never on 5xx or a connection dropped
//     after sending. Bodies are replayed through Request.GetBody; a request
//     with a body and no GetBody is never retried;
//   - honours Retry-After and, on 429, X-RateLimit-Reset, up to
//     RetryPolicy.MaxRetryAfter, but never waits less than the normal
//     backoff ("Retry-After: 0" and dates in the past get the backoff);
//   - waits with timers that honour the request context, never time.Sleep;
//   - reads a non-2xx body, capped at the configured size, before returning,
//     and stops reading when the context ends whatever the RoundTripper does;
//     a 1xx answer that net/http returns as final (a protocol switch nobody
//     asked for) is closed unread and is an [facade.ErrUnexpectedResponse] error,
//     so no answer keeps a call past its context or the client's Timeout.
//
// Do returns a response only for a final 2xx status; its body is streamed,
// capped at the configured size, and a JSON-typed body that cannot be JSON
// (an HTML page, a cut-short body) fails when read, with an *Error keeping
// the status and request ID. A 2xx that arrives is returned even if the
// request context ended meanwhile: the server acted, and the caller is told
// so. If its body can then no longer be read, the read fails with an
// [facade.ErrTransport] *Error that matches the context's error and keeps the 2xx
// StatusCode and the request ID. Likewise an error answer that arrived and
// was read as the context ended is reported as that answer (a 404 stays
// ErrNotFound), not as the context's end. The returned response's Request
// is the caller's request, never the copy that carried the credentials.
//
// A final non-2xx status, a body over the size cap and transport failures
// are returned as a nil response and an [*facade.Error] without Operation;
// [Core.Check] fills in the operation. Going through Core therefore keeps
// the status, request id and provider messages even when a generated client
// would have failed to parse an error body. When a state-changing request
// (not GET, HEAD or OPTIONS) was retried after an attempt whose outcome is
// unknown, its final error has [facade.Error.PriorAttemptUnknown] set: a 404 to a
// retried DELETE then most likely means that the earlier attempt deleted
// the object (see [facade.OutcomeUnknown]).
//
// A Core is safe for concurrent use. Its token is never logged or printed:
// fmt and slog render a *Core as its provider and base URL only, and no
// field of a Core holds the token in printable form, so printing a Core
// value shows no credential either.
type Core struct {
	provider string
	info     Provider
	token    *facade.Secret // pointer: printing a Core value shows an address, not the token
	baseURL  string
	base     *url.URL
	// direct holds the transport every attempt goes through directly, or
	// is nil when client must be used (its Jar keeps cookies); timeout
	// bounds one attempt (the HTTP client's Timeout), 0 for none. (A
	// pointer: printing a Core never walks the transport's state.)
	direct    *direct
	client    *http.Client
	timeout   time.Duration
	userAgent string
	retry     facade.RetryPolicy
	logger    *slog.Logger
	maxBody   int64
	now       func() time.Time
	// wait pauses between attempts; tests replace it to observe the waits.
	wait func(ctx context.Context, d time.Duration) error
	// jitter picks a wait in [0, ceil]; tests replace it. nil means
	// fullJitter.
	jitter func(ceil time.Duration) time.Duration
	// headers are added to every request; built once, shared read-only.
	// (The Authorization header is built per attempt from token, so that
	// no field of a Core holds the credential in printable form.)
	ua, accept []string
	// pollFirst and pollMax pace Poll.
	pollFirst, pollMax time.Duration

	attempts atomic.Int64
	retries  atomic.Int64

	// privatePrimaries and limits: see WithPrivatePrimaries and WithListLimits.
	privatePrimaries bool
	limits           facade.ListLimits
}

// NewCore returns a Core for the provider p (p.Name: one of the
// facade.Provider* constants, or any non-empty lower-case name)
// authenticating with the bearer token and talking to defaultBaseURL
// unless [facade.WithBaseURL] overrides it. Options are applied in order;
// nil options are ignored. Any invalid argument yields an [*facade.Error]
// of kind [facade.ErrInvalidInput] with Operation "NewCore".
func NewCore(p Provider, token, defaultBaseURL string, opts ...facade.Option) (*Core, error) {
	const op = "NewCore"
	provider := p.Name
	fail := func(err error) (*Core, error) {
		e := facade.Invalid(op, err)
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
	cfg := config.Config{
		UserAgent:    facade.DefaultUserAgent,
		Retry:        config.Retry(facade.DefaultRetryPolicy()),
		Logger:       slog.New(slog.DiscardHandler),
		MaxBodyBytes: facade.DefaultMaxBodyBytes,
		Now:          time.Now,
		PollFirst:    facade.DefaultPollFirst,
		PollMax:      facade.DefaultPollMax,
	}
	if defaultBaseURL != "" {
		u, err := config.NormalizeBaseURL(defaultBaseURL)
		if err != nil {
			return fail(err)
		}
		cfg.BaseURL = u
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return fail(err)
		}
	}
	if cfg.BaseURL == "" {
		return fail(errors.New("no base URL: pass a default or use WithBaseURL"))
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: facade.DefaultTimeout}
	}
	// Redirects are never followed, whoever's client this is: attempts go
	// to its transport directly, or, if it keeps cookies, through a copy
	// with its own CheckRedirect, so the caller's client is not modified.
	// Either way the core bounds each attempt by the client's Timeout.
	client := *cfg.Client
	timeout := client.Timeout
	var d *direct
	if client.Jar == nil {
		d = &direct{rt: client.Transport}
		if d.rt == nil {
			d.rt = http.DefaultTransport
		}
	}
	client.CheckRedirect = refuseRedirect
	client.Transport = redirectGuard{next: client.Transport}
	client.Timeout = 0
	base, err := url.Parse(cfg.BaseURL)
	if err != nil { // cannot happen: normalizeBaseURL parsed it
		return fail(err)
	}
	secret := facade.Secret(token)
	if len(p.RequestIDHeaders) == 0 {
		p.RequestIDHeaders = defaultRequestIDHeaders
	}
	limits := facade.ListLimits(cfg.Limits)
	if limits.MaxPages == 0 {
		limits.MaxPages = facade.DefaultMaxListPages
	}
	if limits.MaxItems == 0 {
		limits.MaxItems = facade.DefaultMaxListItems
	}
	return &Core{
		provider:  provider,
		info:      p,
		token:     &secret,
		baseURL:   cfg.BaseURL,
		base:      base,
		direct:    d,
		client:    &client,
		timeout:   timeout,
		userAgent: cfg.UserAgent,
		retry:     facade.RetryPolicy(cfg.Retry),
		logger:    cfg.Logger,
		maxBody:   cfg.MaxBodyBytes,
		now:       cfg.Now,
		wait:      poll.Wait,
		pollFirst: cfg.PollFirst,
		pollMax:   cfg.PollMax,
		ua:        []string{cfg.UserAgent},
		accept:    []string{"application/json"},

		privatePrimaries: cfg.PrivatePrimaries,
		limits:           limits,
	}, nil
}

// Provider returns the provider name given to [NewCore] (Provider.Name).
func (c *Core) Provider() string { return c.provider }

// BaseURL returns the normalised API base URL (no trailing slash), suitable
// for the generated clients' constructors.
func (c *Core) BaseURL() string { return c.baseURL }

// RetryPolicy returns the retry policy in effect.
func (c *Core) RetryPolicy() facade.RetryPolicy { return c.retry }

// Stats returns the counters accumulated since the Core was created.
func (c *Core) Stats() facade.Stats {
	return facade.Stats{Attempts: c.attempts.Load(), Retries: c.retries.Load()}
}

// String describes the Core without its token.
func (c *Core) String() string {
	if c == nil {
		return "facade.Core(nil)"
	}
	return fmt.Sprintf("facade.Core{provider: %q, baseURL: %q, token: %s}", c.provider, c.baseURL, text.Redacted)
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
		return nil, c.newError(facade.ErrInvalidInput, nil, "", "nil request")
	}
	ctx := req.Context()
	if !sameOrigin(c.base, req.URL) {
		return nil, c.newError(facade.ErrInvalidInput, nil, "",
			fmt.Sprintf("refusing to send credentials to %s://%s (base URL is %s)", req.URL.Scheme, req.URL.Host, c.baseURL))
	}
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	// unknown records that an earlier attempt was sent and its outcome is
	// unknown (no answer, or a 5xx): the final answer may then be the
	// effect of that attempt, e.g. a 404 to a retried DELETE.
	unknown := false
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			e := transportError(c.provider, "", err, nil)
			e.Refused = true // nothing was sent
			return nil, c.priorUnknown(req, e, unknown)
		}
		resp, body, err := c.attempt(ctx, req, attempt)
		if err == nil && isSuccess(resp.StatusCode) {
			// A success that arrived is kept, even if ctx ended meanwhile:
			// the server acted. (Reading its body may still fail then; see
			// successBody.) The caller sees its own request, never the copy
			// carrying the credentials.
			resp.Request = req
			return resp, nil
		}
		if ctx.Err() != nil {
			if err == nil {
				// The server's answer arrived (and its body was read):
				// report it rather than the context's end, no retry.
				return nil, c.priorUnknown(req, c.finish(ctx, resp, body, nil), unknown)
			}
			e := transportError(c.provider, "", ctx.Err(), err)
			e.Refused = neverSent(err)
			return nil, c.priorUnknown(req, e, unknown)
		}
		wait, again := c.retryDecision(req.Method, attempt, replayable, resp, err)
		if !again {
			return nil, c.priorUnknown(req, c.finish(ctx, resp, body, err), unknown)
		}
		unknown = unknown || outcomeUnknownAttempt(resp, err)
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
			e.Refused = (resp != nil && resp.StatusCode == http.StatusTooManyRequests) || (err != nil && neverSent(err))
			return nil, c.priorUnknown(req, e, unknown)
		}
	}
}

// outcomeUnknownAttempt reports whether an attempt that is about to be
// retried may have taken effect: it was sent and got no answer, or a 5xx.
// A 429 and a request that never left did nothing.
func outcomeUnknownAttempt(resp *http.Response, err error) bool {
	if err != nil {
		return !neverSent(err)
	}
	return resp.StatusCode >= 500
}

// priorUnknown marks e, the final error of a state-changing request, when
// an earlier attempt's outcome is unknown: its answer is then no proof that
// nothing happened (see [facade.Error.PriorAttemptUnknown]).
func (c *Core) priorUnknown(req *http.Request, e *facade.Error, unknown bool) *facade.Error {
	if unknown && !isSafe(req.Method) {
		e.PriorAttemptUnknown = true
		e.Refused = false
	}
	return e
}

// outgoing returns the request for attempt n: a new request each time (a
// RoundTripper may still hold the previous one, see [http.RoundTripper]),
// a shallow copy of req with its own header map holding the authentication,
// User-Agent and Accept headers, so that req itself (which may belong to
// the caller) never carries the token. From the second attempt on, the body
// comes from req.GetBody.
func (c *Core) outgoing(ctx context.Context, req *http.Request, n int) (*http.Request, error) {
	r := req.WithContext(ctx)
	h := make(http.Header, len(req.Header)+3)
	for k, v := range req.Header {
		h[k] = v
	}
	h["Authorization"] = []string{"Bearer " + c.token.Reveal()}
	h["User-Agent"] = c.ua
	if _, ok := h["Accept"]; !ok {
		h["Accept"] = c.accept
	}
	r.Header = h
	if n > 1 && req.Body != nil && req.Body != http.NoBody {
		b, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = b
	}
	return r, nil
}

// attempt performs try number n of req. A 2xx body is left to be streamed to
// the caller through [successBody]; a 1xx answer (which net/http returns as
// final only for a protocol switch, whose "body" is the raw connection) is
// closed unread; any other body is read (capped, and cut short when ctx
// ends) for error decoding.
func (c *Core) attempt(ctx context.Context, req *http.Request, n int) (*http.Response, []byte, error) {
	c.attempts.Add(1)
	actx, cancel := ctx, context.CancelFunc(func() {})
	if c.timeout > 0 {
		actx, cancel = context.WithTimeout(ctx, c.timeout)
	}
	out, err := c.outgoing(actx, req, n)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	start := time.Now()
	resp, err := c.send(out)
	var body []byte
	if err == nil {
		restoreLocation(resp)
		switch {
		case isSuccess(resp.StatusCode):
			// The attempt's deadline holds until the caller has read
			// the body: the body's Close ends it.
			resp.Body = c.newSuccessBody(actx, resp, cancel)
			cancel = nil
		case resp.StatusCode < 200:
			_ = resp.Body.Close()
			resp.Body = http.NoBody
		default:
			body, err = c.readBody(actx, resp)
		}
	}
	if cancel != nil {
		cancel()
	}
	c.logAttempt(ctx, req, n, resp, err, time.Since(start))
	return resp, body, err
}

// send performs one round trip of out: on the transport directly (no
// redirect is followed: a 3xx is an answer like any other), or through the
// client when it keeps cookies. It checks what http.Client would: a
// transport answering nothing, or a response without a body.
func (c *Core) send(out *http.Request) (*http.Response, error) {
	if c.direct == nil {
		return c.client.Do(out)
	}
	resp, err := c.direct.rt.RoundTrip(out)
	switch {
	case err != nil:
		if resp != nil && resp.Body != nil {
			_ = resp.Body.Close()
		}
		return nil, &url.Error{Op: urlErrorOp(out.Method), URL: out.URL.String(), Err: err}
	case resp == nil:
		return nil, &url.Error{Op: urlErrorOp(out.Method), URL: out.URL.String(),
			Err: fmt.Errorf("http: RoundTripper implementation (%T) returned a nil *Response with a nil error", c.direct.rt)}
	case resp.Body == nil:
		resp.Body = http.NoBody
	}
	return resp, nil
}

// direct is the transport a Core calls without an http.Client.
type direct struct{ rt http.RoundTripper }

// urlErrorOp is the Op of the *url.Error http.Client returns: the method
// in title case ("Get").
func urlErrorOp(method string) string {
	if method == "" {
		return "Get"
	}
	return method[:1] + strings.ToLower(method[1:])
}

// errBodyTooLarge marks a body over the cap; such responses are never retried.
var errBodyTooLarge = errors.New("response body too large")

// readBody reads and closes resp.Body, replacing it with an in-memory copy.
// It fails with an ErrTransport *Error once the body exceeds the cap instead
// of truncating. When ctx ends, the body is closed, which ends the read
// whatever the RoundTripper does with the context.
func (c *Core) readBody(ctx context.Context, resp *http.Response) ([]byte, error) {
	rc := resp.Body
	stop := context.AfterFunc(ctx, func() { _ = rc.Close() })
	defer stop()
	defer func() { _ = rc.Close() }()
	b, err := io.ReadAll(io.LimitReader(rc, c.maxBody+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > c.maxBody {
		return nil, c.tooLarge(resp)
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	return b, nil
}

// tooLarge is the error for a response body over the cap.
func (c *Core) tooLarge(resp *http.Response) *facade.Error {
	e := c.newError(facade.ErrTransport, errBodyTooLarge, "", "response body exceeds "+strconv.FormatInt(c.maxBody, 10)+" bytes")
	e.StatusCode, e.RequestID = resp.StatusCode, c.info.RequestID(resp.Header)
	return e
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
		// "Retry-After: 0" or a date in the past is no licence for
		// back-to-back retries: wait at least the normal backoff.
		return max(d, c.backoff(attempt)), true
	}
	return c.backoff(attempt), true
}

// backoff returns a full-jitter wait before retry number attempt. The
// arithmetic saturates at MaxDelay, so no policy can make it overflow.
func (c *Core) backoff(attempt int) time.Duration {
	ceil := c.retry.BaseDelay
	for i := 1; i < attempt && ceil < c.retry.MaxDelay; i++ {
		if ceil > c.retry.MaxDelay/2 {
			ceil = c.retry.MaxDelay
			break
		}
		ceil *= 2
	}
	ceil = min(ceil, c.retry.MaxDelay)
	if ceil <= 0 {
		return 0
	}
	if c.jitter != nil {
		return c.jitter(ceil)
	}
	return fullJitter(ceil)
}

// fullJitter returns a uniformly random duration in [0, ceil] for ceil ≥ 0,
// without overflowing for any ceil.
func fullJitter(ceil time.Duration) time.Duration {
	return time.Duration(rand.Uint64N(uint64(ceil) + 1))
}

// finish turns the last attempt, which did not succeed, into Do's error.
func (c *Core) finish(ctx context.Context, resp *http.Response, body []byte, err error) *facade.Error {
	if err != nil {
		var fe *facade.Error
		if errors.As(err, &fe) {
			return fe
		}
		e := transportError(c.provider, "", ctx.Err(), err)
		e.Refused = neverSent(err)
		return e
	}
	return c.info.decodeErrorBody(resp.StatusCode, reasonPhrase(resp), resp.Header, body, c.now())
}

// undecodable builds the ErrUnexpectedResponse error for a 2xx body the
// caller cannot use; cause is the decoding error, if any.
func (c *Core) undecodable(resp *http.Response, body []byte, cause error, why string) *facade.Error {
	e := c.newError(facade.ErrUnexpectedResponse, cause, "", why)
	e.StatusCode, e.RequestID = resp.StatusCode, c.info.RequestID(resp.Header)
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
		if id := c.info.RequestID(resp.Header); id != "" {
			attrs = append(attrs, slog.String("request_id", id))
		}
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", text.OneLine(err.Error())))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "secondarydns: http attempt", attrs...)
}

// isSafe reports methods that change nothing on the server.
func isSafe(method string) bool {
	switch method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	return false
}

func isSuccess(status int) bool { return status >= 200 && status <= 299 }

// refuseRedirect is the CheckRedirect of every Core's client: a redirect is
// never followed, so credentials and request bodies reach no other URL and
// a write is never turned into a read of another resource. The 3xx answer
// becomes an [facade.ErrUnexpectedResponse] error keeping status and Location.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// redirectGuard wraps the transport of a Core's client. net/http's Client
// looks at the Location of a 301, 302, 303, 307 or 308 before it asks
// CheckRedirect, and fails without the response if it cannot parse it; so
// the guard moves Location out of its sight (under locationKey, a key the
// header parser never produces) and [Core.attempt] puts it back.
type redirectGuard struct{ next http.RoundTripper }

// locationKey holds a redirect's Location between redirectGuard and
// Core.attempt: not in canonical form, so no server can send it.
const locationKey = "location"

// RoundTrip implements http.RoundTripper.
func (g redirectGuard) RoundTrip(r *http.Request) (*http.Response, error) {
	next := g.next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(r)
	if err == nil && resp.StatusCode >= 300 && resp.StatusCode <= 399 && resp.Header != nil {
		if loc, ok := resp.Header["Location"]; ok {
			delete(resp.Header, "Location")
			resp.Header[locationKey] = loc
		}
	}
	return resp, err
}

// restoreLocation undoes redirectGuard's hiding of Location.
func restoreLocation(resp *http.Response) {
	if loc, ok := resp.Header[locationKey]; ok {
		delete(resp.Header, locationKey)
		resp.Header["Location"] = loc
	}
}

// reasonPhrase returns the reason phrase of resp's status line ("Method Not
// Allowed"), or "" if the server sent none.
func reasonPhrase(resp *http.Response) string {
	s := strings.TrimSpace(resp.Status)
	if code := strconv.Itoa(resp.StatusCode); strings.HasPrefix(s, code) {
		s = strings.TrimSpace(s[len(code):])
	}
	return s
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

// isJSONContent reports a JSON media type (application/json or
// anything+json, parameters ignored), without allocating.
func isJSONContent(h http.Header) bool {
	mt := h.Get("Content-Type")
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = mt[:i]
	}
	mt = strings.TrimSpace(mt)
	const suffix = "+json"
	slash := strings.IndexByte(mt, '/')
	if slash <= 0 || slash == len(mt)-1 || strings.ContainsAny(mt, " \t\"(),:<>?@[\\]{}=") || strings.Count(mt, "/") != 1 {
		return false
	}
	return strings.EqualFold(mt, "application/json") ||
		(len(mt) > len(suffix) && strings.EqualFold(mt[len(mt)-len(suffix):], suffix))
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

func isSpaceOrControl(r rune) bool {
	return text.IsControl(r) || r == ' ' || r == '\u00a0' || r == '\t'
}

// newError returns an *Error of kind for operation op of c's provider,
// with cause and the message msg (none if empty).
func (c *Core) newError(kind, cause error, op, msg string) *facade.Error {
	e := facade.NewError(kind, cause)
	e.Provider, e.Operation = c.provider, op
	if msg != "" {
		e.Messages = []string{msg}
	}
	return e
}

// transportError wraps a transport-level failure. ctxErr is the request
// context's error, if any; it stays matchable with errors.Is even when err
// does not wrap it.
func transportError(provider, op string, ctxErr, err error) *facade.Error {
	cause := err
	switch {
	case ctxErr == nil || errors.Is(err, ctxErr):
	case err == nil:
		cause = ctxErr
	default:
		cause = errors.Join(ctxErr, err)
	}
	e := facade.NewError(facade.ErrTransport, cause)
	e.Provider, e.Operation = provider, op
	return e
}
