package fakes

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// RateLimit makes a fake enforce a request budget per token, the way the
// real provider does. Time is the fake's clock ([WithClock]): give it a
// fast clock to run hours of rate limiting in seconds.
type RateLimit struct {
	// Requests are allowed per Window.
	Requests int
	// Window is the counting period.
	Window time.Duration
	// Fixed counts in consecutive fixed windows starting at the first
	// request (DNSimple); otherwise any sliding window of length Window
	// may hold at most Requests allowed requests (Cloudflare, IONOS).
	Fixed bool
	// Block, if set, refuses every request for this long once the budget
	// is exceeded (Cloudflare: 5 minutes), instead of only until the
	// window allows again.
	Block time.Duration
	// Headers sends X-RateLimit-Limit, X-RateLimit-Remaining and
	// X-RateLimit-Reset (a Unix time) with every response (DNSimple).
	Headers bool
}

// CloudflareRateLimit is Cloudflare's published limit: 1,200 requests per
// 5 minutes; exceeding it blocks every call for 5 minutes (429 with
// Retry-After).
func CloudflareRateLimit() RateLimit {
	return RateLimit{Requests: 1200, Window: 5 * time.Minute, Block: 5 * time.Minute}
}

// DNSimpleRateLimit is DNSimple's published limit: 2,400 requests per hour,
// reported in X-RateLimit-* headers; 429 once used up until the reset.
func DNSimpleRateLimit() RateLimit {
	return RateLimit{Requests: 2400, Window: time.Hour, Fixed: true, Headers: true}
}

// IONOSRateLimit is a limit of n requests per window answered with 429 and
// Retry-After, as IONOS does (it publishes no numbers).
func IONOSRateLimit(n int, window time.Duration) RateLimit {
	return RateLimit{Requests: n, Window: window}
}

// WithRateLimit makes the fake enforce rl (default: no limit).
func WithRateLimit(rl RateLimit) Option {
	return func(c *config) { c.rateLimit = &rl }
}

// RateLimitStats count what the rate limiter did.
type RateLimitStats struct {
	// Allowed and Rejected count requests let through and answered 429.
	Allowed, Rejected int
	// First and Last are the fake-clock times of the first and last
	// allowed request.
	First, Last time.Time
}

type limiter struct {
	rl RateLimit

	mu           sync.Mutex
	log          []time.Time // sliding: ring of allowed request times
	next         int
	windowStart  time.Time // fixed
	used         int       // fixed
	blockedUntil time.Time
	stats        RateLimitStats
}

func newLimiter(rl *RateLimit) *limiter {
	if rl == nil || rl.Requests <= 0 || rl.Window <= 0 {
		return nil
	}
	return &limiter{rl: *rl, log: make([]time.Time, 0, rl.Requests)}
}

// allow reports whether a request at now may proceed and, if not, the
// wait to announce.
func (l *limiter) allow(now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Before(l.blockedUntil) {
		l.stats.Rejected++
		return false, l.blockedUntil.Sub(now)
	}
	var wait time.Duration
	ok := true
	if l.rl.Fixed {
		if l.windowStart.IsZero() || !now.Before(l.windowStart.Add(l.rl.Window)) {
			l.windowStart, l.used = now, 0
		}
		if l.used >= l.rl.Requests {
			ok, wait = false, l.windowStart.Add(l.rl.Window).Sub(now)
		} else {
			l.used++
		}
	} else {
		if len(l.log) < l.rl.Requests {
			l.log = append(l.log, now)
		} else if oldest := l.log[l.next]; now.Sub(oldest) < l.rl.Window {
			ok, wait = false, oldest.Add(l.rl.Window).Sub(now)
		} else {
			l.log[l.next] = now
			l.next = (l.next + 1) % l.rl.Requests
		}
	}
	if !ok {
		l.stats.Rejected++
		if l.rl.Block > 0 {
			l.blockedUntil = now.Add(l.rl.Block)
			wait = l.rl.Block
		}
		return false, wait
	}
	l.stats.Allowed++
	if l.stats.First.IsZero() {
		l.stats.First = now
	}
	l.stats.Last = now
	return true, 0
}

// headers sets the X-RateLimit-* headers for a response at now.
func (l *limiter) headers(h http.Header, now time.Time) {
	if !l.rl.Headers {
		return
	}
	l.mu.Lock()
	remaining, reset := l.rl.Requests-l.used, l.windowStart.Add(l.rl.Window)
	if l.windowStart.IsZero() {
		remaining, reset = l.rl.Requests, now.Add(l.rl.Window)
	}
	l.mu.Unlock()
	h.Set("X-RateLimit-Limit", strconv.Itoa(l.rl.Requests))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(remaining, 0)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
}

// admit runs the rate limiter; it reports whether it
// has answered the request (with 429).
func (s *Server) admit(w http.ResponseWriter, r *http.Request) bool {
	if s.rl == nil {
		return false
	}
	now := s.cfg.clock()
	ok, wait := s.rl.allow(now)
	if ok {
		return false
	}
	s.mu.Lock()
	s.stats.RateLimited++
	rep := s.be.errorReply(http.StatusTooManyRequests, kindRateLimit, "Too many requests")
	s.mu.Unlock()
	if rep.header == nil {
		rep.header = http.Header{}
	}
	secs := int((wait + time.Second - 1) / time.Second)
	rep.header.Set("Retry-After", strconv.Itoa(max(secs, 1)))
	s.finish(w, r, s.exchangeFor(r), rep, true, time.Duration(secs)*time.Second, "rate-limit")
	return true
}

// rateLimitHeaders overrides the backend's X-RateLimit-* headers with the
// limiter's, when it sends them.
func (s *Server) rateLimitHeaders(h http.Header) {
	if s.rl != nil {
		s.rl.headers(h, s.cfg.clock())
	}
}

// RateLimitStats returns the rate limiter's counters (zero without
// [WithRateLimit]).
func (s *Server) RateLimitStats() RateLimitStats {
	if s.rl == nil {
		return RateLimitStats{}
	}
	s.rl.mu.Lock()
	defer s.rl.mu.Unlock()
	return s.rl.stats
}
