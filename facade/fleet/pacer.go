package fleet

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/poll"
)

// Rate is a request budget: Requests per Per, with bursts of up to Burst
// requests (0: a small default).
type Rate struct {
	Requests int
	Per      time.Duration
	Burst    int
}

// IsZero reports whether r is unset.
func (r Rate) IsZero() bool { return r.Requests == 0 || r.Per == 0 }

// String formats the rate as "1200/5m0s".
func (r Rate) String() string { return fmt.Sprintf("%d/%s", r.Requests, r.Per) }

// Published limits and defaults per provider type.
var (
	// CloudflareRate is Cloudflare's published API limit: 1,200 requests
	// per 5 minutes per user/token; exceeding it blocks every call for 5
	// minutes.
	CloudflareRate = Rate{Requests: 1200, Per: 5 * time.Minute}
	// DNSimpleRate is DNSimple's published limit: 2,400 requests per hour.
	DNSimpleRate = Rate{Requests: 2400, Per: time.Hour}
	// IONOSRate is a conservative default for IONOS Cloud DNS, which
	// publishes no limit and answers 429 with Retry-After.
	IONOSRate = Rate{Requests: 300, Per: time.Minute}
)

// DefaultRate returns the default rate for a provider type.
func DefaultRate(providerType string) Rate {
	switch providerType {
	case facade.ProviderCloudflare:
		return CloudflareRate
	case facade.ProviderDNSimple:
		return DNSimpleRate
	default:
		return IONOSRate
	}
}

// Clock is the time source of a [Pacer] and of [Apply]'s backoffs. A scaled
// clock (see [ScaledClock]) lets tests run hours of pacing in seconds.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d of this clock's time or until ctx ends.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }
func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	return poll.Wait(ctx, d)
}

// RealClock is the wall clock.
func RealClock() Clock { return realClock{} }

type scaledClock struct {
	anchor time.Time
	scale  float64
}

// ScaledClock returns a clock running scale times faster than the wall
// clock from now on: Sleep(ctx, time.Minute) with scale 60 takes a second.
// Give the same clock (its Now) to the fakes so that both sides count time
// alike.
func ScaledClock(scale float64) Clock {
	if scale <= 0 {
		scale = 1
	}
	return &scaledClock{anchor: time.Now(), scale: scale}
}

func (c *scaledClock) Now() time.Time {
	return c.anchor.Add(time.Duration(float64(time.Since(c.anchor)) * c.scale))
}

func (c *scaledClock) Sleep(ctx context.Context, d time.Duration) error {
	return poll.Wait(ctx, time.Duration(float64(d)/c.scale))
}

// Pacer paces the requests of one provider account (one credential) with a
// token bucket, and adapts to what the server says: X-RateLimit-Remaining
// and X-RateLimit-Reset cap the requests sent until the reset, a 429 (with
// Retry-After, or the provider's known penalty) stops every request until
// the wait is over. Its [Pacer.Transport] wraps an http.RoundTripper; give
// the result to the provider client with facade.WithHTTPClient. A Pacer is
// safe for concurrent use; every wait honours the request's context.
type Pacer struct {
	clock   Clock
	rate    float64 // tokens per nanosecond
	burst   float64
	penalty time.Duration // block after a 429 without Retry-After
	limit   int           // the published requests per window
	window  time.Duration

	mu           sync.Mutex
	tokens       float64
	last         time.Time
	blockedUntil time.Time
	budget       int // requests the server still allows until budgetUntil; -1: unknown
	budgetUntil  time.Time

	latency     time.Duration // moving average of a request's round trip (clock time), 0 until one is seen
	inFlight    int           // requests sent through Transport and not yet answered
	maxInFlight int
	// ended holds, in order, when the requests sent through Transport
	// ended (answered or failed) within the last window: with inFlight,
	// every request the server may count in a window ending now or later.
	ended []time.Time

	sent, throttled, retried atomic.Int64
	waited                   atomic.Int64 // nanoseconds of clock time spent waiting
}

// PacerOption configures a [Pacer].
type PacerOption func(*Pacer)

// WithClock sets the pacer's clock (default: the wall clock).
func WithClock(c Clock) PacerOption { return func(p *Pacer) { p.clock = c } }

// WithPenalty sets how long every request waits after a 429 that says
// nothing about when to retry (default: the rate's period, as Cloudflare
// blocks for 5 minutes).
func WithPenalty(d time.Duration) PacerOption { return func(p *Pacer) { p.penalty = d } }

// NewPacer returns a pacer for rate. To stay within a server that counts
// requests in any sliding window of length Per, the bucket refills at
// (Requests - Burst) per Per, less a 2% margin for clock differences.
func NewPacer(r Rate, opts ...PacerOption) (*Pacer, error) {
	if r.Requests <= 0 || r.Per <= 0 || r.Burst < 0 {
		return nil, facade.Invalid("NewPacer", fmt.Errorf("rate %s: need requests > 0 and per > 0", r))
	}
	burst := r.Burst
	if burst == 0 {
		burst = max(1, min(10, r.Requests/100))
	}
	if burst >= r.Requests {
		burst = max(1, r.Requests/2)
	}
	perWindow := float64(r.Requests-burst) * 0.98
	if perWindow < 1 {
		perWindow = 1
	}
	p := &Pacer{
		clock:   RealClock(),
		rate:    perWindow / float64(r.Per),
		burst:   float64(burst),
		penalty: r.Per,
		budget:  -1,
		limit:   r.Requests,
		window:  r.Per,
	}
	for _, o := range opts {
		if o != nil {
			o(p)
		}
	}
	p.tokens = p.burst
	p.last = p.clock.Now()
	return p, nil
}

// Wait takes one request's token, waiting as long as needed or until ctx
// ends.
func (p *Pacer) Wait(ctx context.Context) error { return p.wait(ctx, false) }

// wait is Wait; send also counts the request as in flight (see
// [Pacer.Transport], which calls end when it is answered).
func (p *Pacer) wait(ctx context.Context, send bool) error {
	for {
		d := p.reserve(send)
		if d <= 0 {
			p.sent.Add(1)
			return nil
		}
		p.waited.Add(int64(d))
		if err := p.clock.Sleep(ctx, d); err != nil {
			return err
		}
	}
}

// reserve takes a token and returns 0, or returns how long to wait before
// trying again. With send, the request is counted in flight.
//
// Besides the token bucket, reserve keeps a window guard: the server
// counts a request when it arrives, at some time between its sending and
// its answer, so every request answered within the last window, or not
// answered yet, may fall in the same window as the next one. While those
// reach the published limit, the next request waits for the oldest answer
// to leave the window. However slow the answers (a loaded machine, a
// congested link), the server never sees more than its limit in any
// window, so Cloudflare's 5-minute block cannot be triggered by this
// pacer's own requests.
func (p *Pacer) reserve(send bool) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.clock.Now()
	if now.Before(p.blockedUntil) {
		return p.blockedUntil.Sub(now)
	}
	if send {
		cut := now.Add(-p.window)
		i := 0
		for i < len(p.ended) && !p.ended[i].After(cut) {
			i++
		}
		p.ended = p.ended[i:]
		if p.inFlight+len(p.ended) >= p.limit {
			if len(p.ended) == 0 {
				return p.window / time.Duration(p.limit) // every counted request is in flight: wait for an answer
			}
			return p.ended[0].Sub(cut) + time.Nanosecond
		}
	}
	if p.budget >= 0 && !now.Before(p.budgetUntil) {
		p.budget = -1
	}
	if p.budget == 0 {
		return p.budgetUntil.Sub(now) + time.Millisecond
	}
	p.tokens = math.Min(p.burst, p.tokens+float64(now.Sub(p.last))*p.rate)
	p.last = now
	if p.tokens < 1 {
		return time.Duration(math.Ceil((1 - p.tokens) / p.rate))
	}
	p.tokens--
	if p.budget > 0 {
		p.budget--
	}
	if send {
		p.inFlight++
		p.maxInFlight = max(p.maxInFlight, p.inFlight)
	}
	return 0
}

// Observe adapts the pacer to a response's rate-limit headers. The
// remaining budget a response reports does not count the requests still
// on their way to the server, so the requests in flight through
// [Pacer.Transport] are taken off it.
func (p *Pacer) Observe(resp *http.Response) {
	if resp == nil {
		return
	}
	now := p.clock.Now()
	h := resp.Header
	p.mu.Lock()
	defer p.mu.Unlock()
	if rem, err := strconv.Atoi(h.Get("X-RateLimit-Remaining")); err == nil && rem >= 0 {
		rem = max(0, rem-p.inFlight)
		if reset, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			// Whole seconds, possibly truncated: one more second is safe.
			until := time.Unix(reset, 0).Add(time.Second)
			if until.After(now) && until.Sub(now) <= 24*time.Hour {
				// A later window replaces the budget; a late answer from
				// an earlier window does not.
				if p.budget < 0 || until.After(p.budgetUntil) || (until.Equal(p.budgetUntil) && rem < p.budget) {
					p.budget, p.budgetUntil = rem, until
				}
			}
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		wait := p.penalty
		if s := h.Get("Retry-After"); s != "" {
			if secs, err := strconv.Atoi(s); err == nil && secs >= 0 {
				wait = time.Duration(secs) * time.Second
			} else if t, err := http.ParseTime(s); err == nil {
				wait = t.Sub(now)
			}
		}
		if until := now.Add(wait); until.After(p.blockedUntil) {
			p.blockedUntil = until
		}
		p.tokens = 0
	}
}

// PacerStats are cumulative counters of a [Pacer].
type PacerStats struct {
	// Sent counts requests let through.
	Sent int64
	// Throttled counts 429 answers seen.
	Throttled int64
	// Retried counts requests the transport re-sent after a 429.
	Retried int64
	// Waited is the clock time requests spent waiting, summed.
	Waited time.Duration
	// MaxInFlight is the most requests that were in flight through
	// [Pacer.Transport] at once.
	MaxInFlight int
}

// Stats returns the counters.
func (p *Pacer) Stats() PacerStats {
	p.mu.Lock()
	maxInFlight := p.maxInFlight
	p.mu.Unlock()
	return PacerStats{Sent: p.sent.Load(), Throttled: p.throttled.Load(), Retried: p.retried.Load(), Waited: time.Duration(p.waited.Load()), MaxInFlight: maxInFlight}
}

// Burst returns how many requests the pacer lets through at once after a
// pause (its token bucket's size).
func (p *Pacer) Burst() int { return int(p.burst) }

// Rate returns the pace in requests per second of the pacer's clock.
func (p *Pacer) Rate() float64 { return p.rate * float64(time.Second) }

// Latency returns the moving average of the requests' round trip (from
// sending to the response's headers, on the pacer's clock; waits for the
// pacer not included), or 0 before the first response.
func (p *Pacer) Latency() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.latency
}

// end counts a request (let through by wait with send) answered or
// failed, and, if answered, folds its round trip since sent into the
// moving average of the latency.
func (p *Pacer) end(sent time.Time, answered bool) {
	now := p.clock.Now()
	d := now.Sub(sent)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inFlight--
	if n := len(p.ended); n > 0 && now.Before(p.ended[n-1]) {
		now = p.ended[n-1] // keep the order whatever the clock does
	}
	p.ended = append(p.ended, now) // reslicing in reserve drops the old ones; append reallocates
	switch {
	case !answered || d < 0:
	case p.latency == 0:
		p.latency = max(d, 1)
	default:
		p.latency += (d - p.latency) / 8
	}
}

// MaxConcurrency bounds [Pacer.Concurrency]. Requests stay paced however
// many callers wait, so more would not add load; but a slow server makes
// the observed latency, and so the suggestion, grow, and every change in
// flight is one an interrupted run may leave half-done.
const MaxConcurrency = 64

// Concurrency returns how many callers, each sending one request at a time,
// keep the pacer busy: by Little's law the pace times the observed latency,
// doubled for the latency's spread, plus two (so that a caller is always
// ready when a token is), at least 2 and at most [MaxConcurrency]. Before
// the first response it returns 2. More callers would only wait for the
// pacer; fewer would leave part of the allowed rate unused.
func (p *Pacer) Concurrency() int {
	n := p.Rate() * p.Latency().Seconds() * 2
	if n >= MaxConcurrency {
		return MaxConcurrency
	}
	return min(MaxConcurrency, int(math.Ceil(n))+2)
}

// maxThrottleRetries bounds how often the transport re-sends a request
// answered 429 before passing the 429 on.
const maxThrottleRetries = 5

// Transport wraps base (nil: http.DefaultTransport) so that every request
// waits for the pacer, and a 429 answer (which the server did not act on)
// is waited out and re-sent, up to 5 times, with the body replayed; only
// then is the 429 returned.
func (p *Pacer) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &pacedTransport{p: p, base: base}
}

type pacedTransport struct {
	p    *Pacer
	base http.RoundTripper
}

func (t *pacedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	for try := 0; ; try++ {
		r := req
		if try > 0 && req.Body != nil && req.Body != http.NoBody {
			if req.GetBody == nil {
				return nil, fmt.Errorf("fleet: cannot re-send a throttled request without GetBody")
			}
			b, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			r = req.Clone(ctx)
			r.Body = b
		}
		if err := t.p.wait(ctx, true); err != nil {
			closeBody(r)
			return nil, err
		}
		sent := t.p.clock.Now()
		resp, err := t.base.RoundTrip(r)
		t.p.end(sent, err == nil)
		if err != nil {
			return nil, err
		}
		t.p.Observe(resp)
		if resp.StatusCode != http.StatusTooManyRequests {
			return resp, nil
		}
		t.p.throttled.Add(1)
		if try >= maxThrottleRetries || (req.Body != nil && req.Body != http.NoBody && req.GetBody == nil) {
			return resp, nil
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		_ = resp.Body.Close()
		t.p.retried.Add(1)
	}
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}
