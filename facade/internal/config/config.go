// Package config holds what the options of package facade set, so that
// facade (which defines the options) and its internal core (which reads
// them) share one type without importing each other.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Retry mirrors facade.RetryPolicy field for field, so that the two
// convert into each other.
type Retry struct {
	MaxAttempts   int
	BaseDelay     time.Duration
	MaxDelay      time.Duration
	MaxRetryAfter time.Duration
}

// Limits mirrors facade.ListLimits field for field.
type Limits struct {
	MaxPages int
	MaxItems int
}

// Config is what the options modify; the core copies it into a client.
type Config struct {
	BaseURL      string
	Client       *http.Client
	UserAgent    string
	Retry        Retry
	Logger       *slog.Logger
	MaxBodyBytes int64
	Now          func() time.Time
	PollFirst    time.Duration
	PollMax      time.Duration
	// PrivatePrimaries and Limits: see facade.WithPrivatePrimaries and
	// facade.WithListLimits.
	PrivatePrimaries bool
	Limits           Limits
}

// NormalizeBaseURL checks an API base URL (absolute, http or https, a
// host, no user info, query or fragment) and removes a trailing slash.
func NormalizeBaseURL(raw string) (string, error) {
	if strings.TrimSpace(raw) != raw || raw == "" {
		return "", fmt.Errorf("base URL %q: must be non-empty without surrounding spaces", raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("base URL: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("base URL %q: scheme must be http or https", raw)
	case u.Host == "" || u.Hostname() == "":
		return "", fmt.Errorf("base URL %q: host missing", raw)
	case u.User != nil:
		return "", errors.New("base URL: must not contain user info")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", fmt.Errorf("base URL %q: must not contain a query or fragment", raw)
	}
	return strings.TrimRight(u.String(), "/"), nil
}
