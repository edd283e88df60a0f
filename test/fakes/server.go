package fakes

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/secondarydns/secondarydns-go/test/spectest"
)

// Option configures a fake. Options that do not apply to a provider are
// ignored by its constructor.
type Option func(*config)

type config struct {
	token             string
	accountID         string
	clock             func() time.Time
	provisioningReads int
	readsSet          bool
	provisioningDelay time.Duration
	faults            Faults
	logger            *slog.Logger
	validateResponses bool
	seed              uint64
	privatePrimaries  bool // see WithPrivatePrimaries

	transferTimeout time.Duration // see WithTransferTimeout

	rateLimit *RateLimit // ratelimit.go

	listener net.Listener // see WithListener
}

// WithToken sets the bearer token the fake accepts. The default is a
// token derived from the fake's seed ("fake-<provider>-token-<16 hex>").
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithAccountID sets the account the fake serves. DNSimple needs a decimal
// integer (default "1010"; NewDNSimple panics on anything else); Cloudflare
// takes a 32-hex identifier (default: generated from the seed). IONOS has no
// account in its paths and ignores it.
func WithAccountID(id string) Option { return func(c *config) { c.accountID = id } }

// WithClock sets the clock used for every timestamp, for provisioning
// delays and for DNSimple's X-RateLimit-Reset. It must be safe for
// concurrent use. The default is time.Now.
func WithClock(now func() time.Time) Option { return func(c *config) { c.clock = now } }

// WithProvisioningReads makes a new or updated IONOS zone turn from
// PROVISIONING to AVAILABLE once n reads (a GET of the zone, or a list page
// containing it) have shown it PROVISIONING. n = 0 makes the first read show
// it AVAILABLE. The default is 1 (unless [WithProvisioningDelay] is given,
// which then alone decides).
func WithProvisioningReads(n int) Option {
	return func(c *config) { c.provisioningReads, c.readsSet = n, true }
}

// WithProvisioningDelay makes a new or updated IONOS zone turn AVAILABLE
// once d has passed on the fake's clock since the change. Combined with
// [WithProvisioningReads], whichever condition is met first wins.
func WithProvisioningDelay(d time.Duration) Option {
	return func(c *config) { c.provisioningDelay = d }
}

// WithFaults sets the initial fault configuration (default: none). It can
// be changed later with [Server.SetFaults].
func WithFaults(f Faults) Option { return func(c *config) { c.faults = f } }

// WithLogger makes the fake log one line per request (at Debug level) and
// every invalid request or response (at Warn level). The default discards.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithValidateResponses turns validation of the fake's own responses
// against the prepared spec on or off (default off for New*, on for
// Start*). Invalid responses are recorded, see [Server.InvalidResponses].
func WithValidateResponses(on bool) Option { return func(c *config) { c.validateResponses = on } }

// WithListener makes the fake serve on l (which it then owns: Close closes
// it) instead of a new listener on a free loopback port. Use it to run a fake
// on a fixed address, as `secdns fake serve` does:
//
//	l, err := net.Listen("tcp", "127.0.0.1:5380")
//	if err != nil { ... }
//	f := fakes.NewIONOS(fakes.WithListener(l))
//	defer f.Close()
//
// The fake serves plain HTTP on it; its URL is built from l.Addr().
func WithListener(l net.Listener) Option { return func(c *config) { c.listener = l } }

// WithSeed seeds the generator of IDs, request IDs and default tokens and
// account IDs (default 1), so that a given sequence of requests always
// yields the same IDs.
func WithSeed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// Trigger decides which requests a fault hits. Counting and random draws
// happen under the fake's mutex, so a given request order and seed always
// produces the same faults.
type Trigger struct {
	// Every makes the fault hit every Every-th request (the Every-th,
	// 2·Every-th, ... counted since the last SetFaults). 0 disables it.
	Every int
	// Probability makes the fault hit each request with this probability,
	// drawn from the seeded generator of [Faults.Seed]. 0 disables it.
	Probability float64
	// Burst makes a hit also hit the next Burst-1 requests (values < 2
	// mean single hits).
	Burst int
	// Nth makes the fault hit the Nth request only (counted since the last
	// SetFaults), e.g. to lose the answer to one chosen request of a
	// multi-request operation. 0 disables it.
	Nth int
}

// Faults configures fault injection. The zero value injects nothing.
//
// Per request, in this order: Latency (honouring the request's context),
// then the rejecting faults DropBefore, RateLimit, BadGateway and
// Unavailable (the first that triggers wins; none of them changes any
// state), then authentication, spec validation and the operation itself,
// then DropAfter (the operation has taken effect but the client gets no
// response).
type Faults struct {
	// Seed seeds the generator used by Trigger.Probability.
	Seed uint64
	// Latency delays every request by this much.
	Latency time.Duration
	// LatencyJitter adds a uniformly random extra delay in [0, LatencyJitter).
	LatencyJitter time.Duration
	// DropBefore closes the connection without a response before the
	// request is processed.
	DropBefore Trigger
	// RateLimit answers 429 in the provider's error shape with a
	// Retry-After header (DNSimple also gets X-RateLimit-Remaining: 0 and
	// X-RateLimit-Reset = now + RetryAfter).
	RateLimit Trigger
	// RetryAfter is the Retry-After sent with RateLimit, rounded up to whole
	// seconds. 0 means 1 second; a negative value sends "0".
	RetryAfter time.Duration
	// BadGateway answers 502 with the HTML body "<html>Bad Gateway</html>"
	// (Content-Type text/html), as a proxy in front of the API would.
	BadGateway Trigger
	// Unavailable answers 503 with a JSON body in the provider's error shape.
	Unavailable Trigger
	// DropAfter processes the request (state changes happen) and then closes
	// the connection without a response, so the client cannot know the
	// outcome.
	DropAfter Trigger
}

// Stats counts what a fake did. Faulted requests are counted in Requests
// and in their fault's counter only.
type Stats struct {
	// Requests is every request received.
	Requests int
	// Handled is the requests that passed faults and authentication and got
	// an answer from the fake's API logic (including 4XX answers and answers
	// to invalid requests).
	Handled int
	// Unauthorized is the requests rejected with 401 for a missing or wrong
	// token.
	Unauthorized int
	// InvalidRequests and InvalidResponses count spec validation failures.
	InvalidRequests, InvalidResponses int
	// Delayed is the requests that got added latency.
	Delayed int
	// RateLimited, BadGateway, Unavailable, DroppedBefore and DroppedAfter
	// count injected faults by kind.
	RateLimited, BadGateway, Unavailable, DroppedBefore, DroppedAfter int
}

// TB is the part of testing.TB the Start* helpers need.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Cleanup(func())
}

// reply is an answer built by a provider backend.
type reply struct {
	status int
	header http.Header
	body   any // marshalled to JSON unless nil
}

// backend is the provider-specific part of a fake. All its methods are
// called with Server.mu held.
type backend interface {
	// handle answers a valid, authenticated request.
	handle(ex *spectest.Exchange, r *http.Request, body []byte) reply
	// errorReply builds an error in the provider's shape. kind is one of
	// the errKind constants.
	errorReply(status int, kind errKind, msg string) reply
	// decorate adds the headers every response carries.
	decorate(h http.Header, rateLimited bool, retryAfter time.Duration)
}

// errKind tells errorReply why the core rejects a request.
type errKind int

const (
	kindAuth errKind = iota
	kindInvalid
	kindNoRoute
	kindRateLimit
	kindUnavailable
)

// Server is the part every fake shares: the loopback HTTP server, the
// token check, spec validation, fault injection and counters. It is
// embedded in [IONOS], [DNSimple] and [Cloudflare]; its methods are safe for
// concurrent use.
type Server struct {
	provider string
	basePath string
	cfg      config
	v        *spectest.Validator
	http     *http.Server
	root     string // "http://" + the listener's address
	log      *slog.Logger
	be       backend
	rl       *limiter // nil: no rate limit (ratelimit.go)

	mu          sync.Mutex // guards everything below and the backend's state
	faults      Faults
	faultRNG    *rand.Rand
	idRNG       *rand.Rand
	counters    [5]int // per trigger: requests seen since SetFaults
	bursts      [5]int // per trigger: remaining burst hits
	stats       Stats
	invalidReqs []error
	invalidRsps []error

	dnsOnce sync.Once // starts dnsSide, see DNS
	dnsSide atomic.Pointer[DNS]
	hookMu  sync.Mutex // guards hook and hookN (hooks.go)
	hook    Hook
	hookN   int

	// closeMu guards closing; handlers counts the requests being handled,
	// so that Close can wait for them (Add only under closeMu, while not
	// closing).
	closeMu  sync.RWMutex
	closing  bool
	handlers sync.WaitGroup
}

// maxBody bounds the request bodies the fakes read.
const maxBody = 16 << 20

const (
	trigDropBefore = iota
	trigRateLimit
	trigBadGateway
	trigUnavailable
	trigDropAfter
)

func newConfig(opts []Option) config {
	c := config{clock: time.Now, provisioningReads: 1, seed: 1}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.provisioningDelay > 0 && !c.readsSet {
		c.provisioningReads = -1
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	return c
}

func newServer(provider string, cfg config) *Server {
	v, err := spectest.NewValidator(provider)
	if err != nil {
		// The documents are embedded and tested: this cannot happen in a
		// built module.
		panic(fmt.Sprintf("fakes: %v", err))
	}
	s := &Server{
		provider: provider,
		basePath: v.BasePath(),
		cfg:      cfg,
		v:        v,
		log:      cfg.logger.With("fake", provider),
		idRNG:    rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x9e3779b97f4a7c15)),
	}
	if s.cfg.token == "" {
		s.cfg.token = "fake-" + provider + "-token-" + s.hexID(8)
	}
	s.setFaultsLocked(cfg.faults)
	s.rl = newLimiter(cfg.rateLimit)
	return s
}

// start begins serving, on the configured listener or a new one on a free
// loopback port; called by the constructors once the backend is set. It
// panics if no loopback port can be had, as httptest does.
func (s *Server) start(be backend) {
	s.be = be
	l := s.cfg.listener
	if l == nil {
		var err error
		if l, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			if l, err = net.Listen("tcp6", "[::1]:0"); err != nil {
				panic(fmt.Sprintf("fakes: listening on loopback: %v", err))
			}
		}
	}
	s.root = "http://" + l.Addr().String()
	s.http = &http.Server{
		Handler:           http.HandlerFunc(s.serveTracked),
		ReadHeaderTimeout: time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	go func() { _ = s.http.Serve(l) }()
}

// serveTracked runs ServeHTTP, counted in handlers so that Close can wait
// for it; a request arriving while the fake closes gets no answer.
func (s *Server) serveTracked(w http.ResponseWriter, r *http.Request) {
	s.closeMu.RLock()
	if s.closing {
		s.closeMu.RUnlock()
		panic(http.ErrAbortHandler)
	}
	s.handlers.Add(1)
	s.closeMu.RUnlock()
	defer s.handlers.Done()
	s.ServeHTTP(w, r)
}

// URL returns the base URL to give a generated client: the server's URL
// plus the provider's base path ("/v2" for DNSimple, "/client/v4" for
// Cloudflare, nothing for IONOS).
func (s *Server) URL() string { return s.root + s.basePath }

// ServerURL returns the server's root URL, without the base path.
func (s *Server) ServerURL() string { return s.root }

// Addr returns the address the fake's HTTP server listens on ("ip:port").
func (s *Server) Addr() string { return strings.TrimPrefix(s.root, "http://") }

// Token returns the bearer token the fake accepts.
func (s *Server) Token() string { return s.cfg.token }

// Provider returns "ionos", "dnsimple" or "cloudflare".
func (s *Server) Provider() string { return s.provider }

// Close shuts the server down: it closes the listener and every client
// connection, waits for the requests being handled to finish (a [Hook] that
// blocks delays it), and stops the DNS side. It may be called more than once.
func (s *Server) Close() {
	s.closeMu.Lock()
	s.closing = true
	s.closeMu.Unlock()
	_ = s.http.Close()
	s.handlers.Wait()
	s.closeDNS()
}

// InvalidRequests returns the requests that failed spec validation (each
// answered with 400 in the provider's shape), or matched no operation
// (answered with 404), in arrival order.
func (s *Server) InvalidRequests() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.invalidReqs...)
}

// InvalidResponses returns the fake's own responses that failed spec
// validation; only recorded with [WithValidateResponses](true). Responses
// to invalid requests, 502/503 faults (which no operation declares) and
// dropped connections are not validated; 401s and 429s are, when the
// request is otherwise valid.
func (s *Server) InvalidResponses() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.invalidRsps...)
}

// ResetInvalid forgets the recorded invalid requests and responses, for a
// test that sent invalid traffic on purpose and has checked it.
func (s *Server) ResetInvalid() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.invalidReqs, s.invalidRsps = nil, nil
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// SetFaults replaces the fault configuration, restarting the Every
// counters, bursts and the random generator (seeded with f.Seed).
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setFaultsLocked(f)
}

// Faults returns the current fault configuration.
func (s *Server) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

func (s *Server) setFaultsLocked(f Faults) {
	s.faults = f
	s.faultRNG = rand.New(rand.NewPCG(f.Seed, f.Seed^0x5851f42d4c957f2d))
	s.counters = [5]int{}
	s.bursts = [5]int{}
}

// now returns the fake's clock in UTC, truncated to seconds. Called with
// mu held or not; the clock must be safe for concurrent use.
func (s *Server) now() time.Time { return s.cfg.clock().UTC().Truncate(time.Second) }

// hexID returns n random bytes, hex-encoded. mu must be held (or the
// server not yet started).
func (s *Server) hexID(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(s.idRNG.Uint32())
	}
	return hex.EncodeToString(b)
}

// newUUID returns a random (version 4) UUID from the ID generator. mu must
// be held.
func (s *Server) newUUID() string {
	var u uuid.UUID
	for i := range u {
		u[i] = byte(s.idRNG.Uint32())
	}
	u[6] = (u[6] & 0x0f) | 0x40
	u[8] = (u[8] & 0x3f) | 0x80
	return u.String()
}

// fire evaluates every trigger for one request (all counters advance and
// all draws happen, for determinism) and reports which fired. mu held.
func (s *Server) fire() (hit [5]bool) {
	trigs := [5]Trigger{s.faults.DropBefore, s.faults.RateLimit, s.faults.BadGateway, s.faults.Unavailable, s.faults.DropAfter}
	for i, t := range trigs {
		if t.Every <= 0 && t.Probability <= 0 && t.Nth <= 0 {
			continue
		}
		s.counters[i]++
		inBurst := s.bursts[i] > 0
		if inBurst {
			s.bursts[i]--
		}
		fresh := (t.Every > 0 && s.counters[i]%t.Every == 0) || (t.Nth > 0 && s.counters[i] == t.Nth)
		if t.Probability > 0 && s.faultRNG.Float64() < t.Probability {
			fresh = true
		}
		if fresh && !inBurst && t.Burst > 1 {
			s.bursts[i] = t.Burst - 1
		}
		fired := inBurst || fresh
		hit[i] = fired
	}
	return hit
}

// serveHTTP answers a request: faults, authentication, validation, the
// operation. ServeHTTP (hooks.go) runs it, through the hook if one is set.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.stats.Requests++
	hit := s.fire()
	delay := s.faults.Latency
	if j := s.faults.LatencyJitter; j > 0 {
		delay += time.Duration(s.faultRNG.Int64N(int64(j)))
	}
	if delay > 0 {
		s.stats.Delayed++
	}
	s.mu.Unlock()

	// Read the body first: only then does net/http notice a client that
	// goes away, which cancels r.Context() during the delay.
	if r.Body != nil {
		b, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		_ = r.Body.Close()
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}

	if s.admit(w, r) { // rate limit (ratelimit.go)
		return
	}
	switch {
	case hit[trigDropBefore]:
		s.count(func(st *Stats) { st.DroppedBefore++ })
		s.drop(w, r, "drop-before")
		return
	case hit[trigRateLimit]:
		s.mu.Lock()
		s.stats.RateLimited++
		ra := s.faults.RetryAfter
		rep := s.be.errorReply(http.StatusTooManyRequests, kindRateLimit, "Too many requests")
		s.mu.Unlock()
		secs := 1
		switch {
		case ra < 0:
			secs = 0
		case ra > 0:
			secs = int((ra + time.Second - 1) / time.Second)
		}
		if rep.header == nil {
			rep.header = http.Header{}
		}
		rep.header.Set("Retry-After", strconv.Itoa(secs))
		s.finish(w, r, s.exchangeFor(r), rep, true, time.Duration(secs)*time.Second, "rate-limit")
		return
	case hit[trigBadGateway]:
		s.count(func(st *Stats) { st.BadGateway++ })
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html>Bad Gateway</html>")
		s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", 502, "fault", "bad-gateway")
		return
	case hit[trigUnavailable]:
		s.mu.Lock()
		s.stats.Unavailable++
		rep := s.be.errorReply(http.StatusServiceUnavailable, kindUnavailable, "Service Unavailable")
		s.mu.Unlock()
		s.finish(w, r, nil, rep, false, 0, "unavailable")
		return
	}

	// Authentication comes before spec validation.
	if r.Header.Get("Authorization") != "Bearer "+s.cfg.token {
		s.mu.Lock()
		s.stats.Unauthorized++
		rep := s.be.errorReply(http.StatusUnauthorized, kindAuth, "Authentication failed")
		s.mu.Unlock()
		s.finish(w, r, s.exchangeFor(r), rep, false, 0, "")
		return
	}

	ex, verr := s.v.ValidateRequest(r)
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
	}
	s.mu.Lock()
	s.stats.Handled++
	var rep reply
	switch {
	case ex == nil:
		err := fmt.Errorf("invalid request: %w", verr)
		s.invalidReqs = append(s.invalidReqs, err)
		s.stats.InvalidRequests++
		s.log.Warn("invalid request", "err", err)
		rep = s.be.errorReply(http.StatusNotFound, kindNoRoute, fmt.Sprintf("no route for %s %s", r.Method, r.URL.Path))
	case verr != nil:
		err := fmt.Errorf("invalid request: %w", verr)
		s.invalidReqs = append(s.invalidReqs, err)
		s.stats.InvalidRequests++
		s.log.Warn("invalid request", "err", err)
		rep = s.be.errorReply(http.StatusBadRequest, kindInvalid, "Invalid request: "+verr.Error())
		ex = nil // a response to an invalid request is not validated
	default:
		rep = s.be.handle(ex, r, body)
	}
	s.mu.Unlock()

	if hit[trigDropAfter] {
		s.count(func(st *Stats) { st.DroppedAfter++ })
		s.drop(w, r, "drop-after")
		return
	}
	s.finish(w, r, ex, rep, false, 0, "")
}

// exchangeFor returns the request's exchange if responses are validated
// and the request itself is valid, so that a 401 or 429 the core answers
// can be checked against the spec too; nil otherwise.
func (s *Server) exchangeFor(r *http.Request) *spectest.Exchange {
	if !s.cfg.validateResponses {
		return nil
	}
	ex, err := s.v.ValidateRequest(r)
	if err != nil {
		return nil
	}
	return ex
}

func (s *Server) count(f func(*Stats)) {
	s.mu.Lock()
	f(&s.stats)
	s.mu.Unlock()
}

// drop closes the connection without answering.
func (s *Server) drop(w http.ResponseWriter, r *http.Request, fault string) {
	s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "fault", fault)
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// finish adds the common headers, validates the response if asked to, and
// writes it.
func (s *Server) finish(w http.ResponseWriter, r *http.Request, ex *spectest.Exchange, rep reply, rateLimited bool, retryAfter time.Duration, fault string) {
	h := w.Header()
	for k, vs := range rep.header {
		h[k] = vs
	}
	var body []byte
	if rep.body != nil {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep.body); err != nil {
			panic(fmt.Sprintf("fakes: encoding response: %v", err))
		}
		body = bytes.TrimRight(buf.Bytes(), "\n")
		if h.Get("Content-Type") == "" {
			h.Set("Content-Type", "application/json")
		}
	}
	s.mu.Lock()
	s.be.decorate(h, rateLimited, retryAfter)
	s.mu.Unlock()
	s.rateLimitHeaders(h)
	if ex != nil && s.cfg.validateResponses {
		if err := s.v.ValidateResponse(context.WithoutCancel(r.Context()), ex, rep.status, h, body); err != nil {
			err = fmt.Errorf("invalid response: %w", err)
			s.mu.Lock()
			s.invalidRsps = append(s.invalidRsps, err)
			s.stats.InvalidResponses++
			s.mu.Unlock()
			s.log.Warn("invalid response", "err", err)
		}
	}
	w.WriteHeader(rep.status)
	if len(body) > 0 {
		_, _ = w.Write(body)
	}
	op := ""
	if ex != nil {
		op = ex.OperationID
	}
	s.log.Debug("request", "method", r.Method, "path", r.URL.RequestURI(), "op", op, "status", rep.status, "fault", fault)
}

// checkAtCleanup registers t.Cleanup to report invalid traffic and close.
func (s *Server) checkAtCleanup(t TB) {
	t.Cleanup(func() {
		t.Helper()
		for _, err := range s.InvalidRequests() {
			t.Errorf("fakes %s: %v", s.provider, err)
		}
		for _, err := range s.InvalidResponses() {
			t.Errorf("fakes %s: %v", s.provider, err)
		}
		s.Close()
	})
}

// startOpts puts response validation first, so the caller can turn it off.
func startOpts(opts []Option) []Option {
	return append([]Option{WithValidateResponses(true)}, opts...)
}

// decodeJSON decodes a validated request body.
func decodeJSON(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return fmt.Errorf("empty body")
	}
	return json.Unmarshal(body, v)
}

// page returns the bounds [lo, hi) of a page of size per over n items
// starting at offset off.
func bounds(n, off, per int) (int, int) {
	lo := min(max(off, 0), n)
	hi := min(lo+max(per, 0), n)
	return lo, hi
}

// queryInt reads an integer query parameter, def if absent or malformed.
func queryInt(r *http.Request, name string, def int) int {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def
	}
	return n
}
