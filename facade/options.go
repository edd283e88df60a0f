package facade

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/secondarydns/secondarydns-go/facade/internal/config"
)

// Version is the SDK version reported in the default User-Agent.
const Version = "0.1.0"

// DefaultUserAgent is the User-Agent sent unless [WithUserAgent] is used.
const DefaultUserAgent = "secondarydns-go/" + Version

// DefaultMaxBodyBytes is the default response body size cap (8 MiB).
const DefaultMaxBodyBytes int64 = 8 << 20

// DefaultTimeout is the per-attempt timeout of the HTTP client a provider
// client creates when [WithHTTPClient] is not used.
const DefaultTimeout = 30 * time.Second

// RetryPolicy controls how a provider client retries failed attempts.
//
// Retries use capped exponential backoff with full jitter: before retry n
// (n ≥ 1) the wait is uniformly random in [0, min(MaxDelay, BaseDelay·2^(n-1))].
// When the provider says how long to wait (Retry-After, or X-RateLimit-Reset
// on a 429) that wait is used instead, unless it exceeds MaxRetryAfter: then
// the client stops retrying and returns the response at once, and the classified
// [*Error] carries the requested wait in RetryAfter.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, including the first
	// (1 disables retries). Must be ≥ 1.
	MaxAttempts int
	// BaseDelay is the backoff before the first retry. Must be ≥ 0 and
	// ≤ MaxDelay.
	BaseDelay time.Duration
	// MaxDelay caps a single computed backoff. Must be ≥ 0.
	MaxDelay time.Duration
	// MaxRetryAfter caps a server-requested wait; a longer request stops the
	// retries. Must be ≥ 0.
	MaxRetryAfter time.Duration
}

// DefaultRetryPolicy returns the policy used unless [WithRetryPolicy] is
// given: 4 attempts, 500ms base delay, 10s max delay, 30s max Retry-After.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, BaseDelay: 500 * time.Millisecond, MaxDelay: 10 * time.Second, MaxRetryAfter: 30 * time.Second}
}

// Validate reports whether p is usable. Any non-negative durations are
// accepted, however large: the backoff arithmetic saturates at MaxDelay
// instead of overflowing.
func (p RetryPolicy) Validate() error {
	switch {
	case p.MaxAttempts < 1:
		return fmt.Errorf("retry policy: MaxAttempts must be >= 1, got %d", p.MaxAttempts)
	case p.BaseDelay < 0 || p.MaxDelay < 0 || p.MaxRetryAfter < 0:
		return errors.New("retry policy: delays must not be negative")
	case p.BaseDelay > p.MaxDelay:
		return fmt.Errorf("retry policy: BaseDelay %s exceeds MaxDelay %s", p.BaseDelay, p.MaxDelay)
	}
	return nil
}

// Option configures a provider client (ionos.New, dnsimple.New,
// cloudflare.New). Options validate their input; the client's constructor
// reports the first failure as an [ErrInvalidInput] error with Operation
// "New". nil options are ignored.
type Option func(*config.Config) error

// WithBaseURL overrides the provider's default API base URL, e.g. for a
// sandbox or a test server. The URL must be absolute with an http or https
// scheme and a host, and carry no user info, query or fragment. A trailing
// slash is removed.
func WithBaseURL(raw string) Option {
	return func(c *config.Config) error {
		u, err := config.NormalizeBaseURL(raw)
		if err != nil {
			return err
		}
		c.BaseURL = u
		return nil
	}
}

// WithHTTPClient sets the HTTP client used for every attempt: its
// Transport, Jar and Timeout (which, if set, applies per attempt). The
// client must not be nil. hc itself is never modified: the provider client
// uses a copy taken now, whose CheckRedirect refuses every redirect (hc's
// own CheckRedirect is not used), so credentials can reach no origin but
// the base URL's and a 3xx answer is an [ErrUnexpectedResponse] error
// keeping [Error.Location]. Later changes to hc are not seen.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config.Config) error {
		if hc == nil {
			return errors.New("HTTP client must not be nil")
		}
		c.Client = hc
		return nil
	}
}

// WithUserAgent sets the User-Agent header. It must be non-empty printable
// ASCII without control characters.
func WithUserAgent(ua string) Option {
	return func(c *config.Config) error {
		if strings.TrimSpace(ua) == "" {
			return errors.New("user agent must not be empty")
		}
		for _, r := range ua {
			if r < 0x20 || r > 0x7e {
				return fmt.Errorf("user agent %q: only printable ASCII allowed", ua)
			}
		}
		c.UserAgent = ua
		return nil
	}
}

// WithRetryPolicy sets the retry policy; it must pass [RetryPolicy.Validate].
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *config.Config) error {
		if err := p.Validate(); err != nil {
			return err
		}
		c.Retry = config.Retry(p)
		return nil
	}
}

// WithLogger sets the logger for per-attempt debug records (method, path and
// query, status, attempt, duration, request id; never headers, credentials
// or bodies). nil discards logs, which is the default.
func WithLogger(l *slog.Logger) Option {
	return func(c *config.Config) error {
		if l == nil {
			l = slog.New(slog.DiscardHandler)
		}
		c.Logger = l
		return nil
	}
}

// WithMaxBodyBytes caps the size of a response body a client reads
// (default [DefaultMaxBodyBytes]). Must be > 0.
func WithMaxBodyBytes(n int64) Option {
	return func(c *config.Config) error {
		if n <= 0 {
			return fmt.Errorf("max body bytes must be > 0, got %d", n)
		}
		c.MaxBodyBytes = n
		return nil
	}
}

// WithPolling sets how often a client re-reads an object while it waits
// for the provider's asynchronous work (e.g. IONOS provisioning with
// [WithWaitUntilAvailable]): after first, then doubling up to max. Both must
// be positive and first ≤ max. The default is [DefaultPollFirst] doubling up
// to [DefaultPollMax].
func WithPolling(first, max time.Duration) Option {
	return func(c *config.Config) error {
		if first <= 0 || max <= 0 || first > max {
			return fmt.Errorf("polling: need 0 < first ≤ max, got first %v, max %v", first, max)
		}
		c.PollFirst, c.PollMax = first, max
		return nil
	}
}
