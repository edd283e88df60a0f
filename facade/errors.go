package facade

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/secondarydns/secondarydns-go/facade/internal/text"
)

// Provider names used in [Error.Provider] and [SecondaryDNS.Provider].
const (
	// ProviderIONOS identifies IONOS Cloud DNS.
	ProviderIONOS = "ionos"
	// ProviderDNSimple identifies DNSimple.
	ProviderDNSimple = "dnsimple"
	// ProviderCloudflare identifies Cloudflare.
	ProviderCloudflare = "cloudflare"
)

// Sentinel errors classify every [*Error]. Test for them with errors.Is; the
// value returned by [Error.Kind] is always one of them.
var (
	// ErrNotFound reports that the zone or resource does not exist (HTTP 404).
	ErrNotFound = errors.New("not found")
	// ErrUnauthorized reports missing or invalid credentials (HTTP 401).
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden reports valid credentials lacking permission (HTTP 403).
	ErrForbidden = errors.New("forbidden")
	// ErrRateLimited reports that the provider throttled the request
	// (HTTP 429). [Error.RetryAfter] tells how long the provider asked to wait,
	// when it said so.
	ErrRateLimited = errors.New("rate limited")
	// ErrConflict reports that the resource already exists or is in a
	// conflicting state (HTTP 409, or a provider-specific "already exists"
	// signal on another status, e.g. DNSimple's 400 "has already been
	// taken": errors.Is then also matches [ErrInvalidInput]).
	ErrConflict = errors.New("conflict")
	// ErrInvalidInput reports input rejected by the provider (HTTP 400/422) or
	// by the facade's own validation before any request was sent.
	ErrInvalidInput = errors.New("invalid input")
	// ErrUnsupported reports that the provider cannot do what was asked (a
	// transfer trigger at DNSimple, TSIG or a primary port other than 53 at
	// IONOS). It is raised before any request is sent; [Capabilities] tells
	// in advance. Such an error also matches errors.ErrUnsupported.
	ErrUnsupported = errors.New("unsupported by the provider")
	// ErrServer reports a provider-side failure (HTTP 5xx).
	ErrServer = errors.New("server error")
	// ErrTransport reports that no usable response was received: connection
	// errors, timeouts, context cancellation (errors.Is with context.Canceled
	// or context.DeadlineExceeded also matches then) and response bodies
	// exceeding the configured size cap.
	ErrTransport = errors.New("transport error")
	// ErrUnexpectedResponse reports a response the facade cannot use: a
	// success status whose body does not decode, a status the operation does
	// not define or no other sentinel names (a redirect, which is never
	// followed, see [Error.Location]; a 1xx; a 405 or 410, described by
	// their reason phrase and Allow header), or a server misbehaving (e.g.
	// repeating a page). Its StatusCode is the status received, if any.
	ErrUnexpectedResponse = errors.New("unexpected response")
)

// Error is the single error type returned by the facade and its adapters.
//
// The provider clients build every Error they return; code building on
// facade creates one with [NewError] or [Invalid]. Error unwraps to its kind sentinel (see [Error.Kind]) and to its cause, so
// errors.Is(err, ErrNotFound), errors.Is(err, context.Canceled) and
// errors.As(err, &fe) all work.
type Error struct {
	// Provider is the provider name, e.g. [ProviderDNSimple]. It is empty
	// for errors raised before a provider was known.
	Provider string
	// Operation is the facade or API operation that failed, e.g. "GetZone".
	Operation string
	// StatusCode is the HTTP status of the response, 0 if none was received.
	StatusCode int
	// Codes are the provider's error codes, as strings (Cloudflare's integer
	// codes are formatted in decimal).
	Codes []string
	// Messages are the provider's human-readable messages, or a short
	// sanitized snippet of a body that could not be decoded.
	Messages []string
	// Fields maps an input field to the provider's complaints about it.
	Fields map[string][]string
	// RequestID is the provider's request identifier, from X-Request-Id
	// (DNSimple, IONOS), X-Correlation-Id (IONOS) or Cf-Ray (Cloudflare).
	RequestID string
	// RetryAfter is how long the provider asked the client to wait, from
	// Retry-After or X-RateLimit-Reset; 0 if it did not say.
	RetryAfter time.Duration
	// Location is the Location header of a redirect (3xx) answer, which
	// the facade never follows: credentials go to the base URL's origin
	// only, and a write is reported done only when the server that was
	// asked says so. Sanitized, at most 512 bytes; empty for other answers.
	Location string
	// PriorAttemptUnknown reports that this request (a state-changing one:
	// not GET, HEAD or OPTIONS) was retried after an attempt whose outcome
	// is unknown (the connection failed after sending, or the server
	// answered 5xx), so the answer described by this error may be the
	// effect of that earlier attempt: a 404 to a retried DELETE most likely
	// means the earlier attempt deleted the object, not that it never
	// existed. [OutcomeUnknown] is true for such an error.
	PriorAttemptUnknown bool
	// Refused reports that the server certainly did not act on the
	// request: it was never sent, or its last attempt was refused with 429
	// and the caller's context ended the wait for the next one.
	// [OutcomeUnknown] is false for such an error.
	Refused bool

	kind  error // one of the sentinels
	cause error // underlying error, e.g. a *url.Error or context.Canceled
}

// kinds are the sentinels an [*Error] may be classified as.
var kinds = [...]error{
	ErrNotFound, ErrUnauthorized, ErrForbidden, ErrRateLimited, ErrConflict,
	ErrInvalidInput, ErrUnsupported, ErrServer, ErrTransport, ErrUnexpectedResponse,
}

// NewError returns an [*Error] classified as kind, which must be one of the
// Err* sentinels, with cause (nil for none) as its [Error.Cause]; the
// caller fills in the exported fields. Any other kind is a programming
// error, reported as [ErrUnexpectedResponse] whose cause joins kind and
// cause, so that errors.Is(err, kind) still holds.
func NewError(kind, cause error) *Error {
	for _, k := range kinds {
		if k == kind {
			return &Error{kind: kind, cause: cause}
		}
	}
	return &Error{kind: ErrUnexpectedResponse, cause: errors.Join(kind, cause)}
}

// Kind returns the sentinel classifying e, e.g. [ErrNotFound]. It returns
// [ErrUnexpectedResponse] for a zero Error.
func (e *Error) Kind() error {
	if e == nil || e.kind == nil {
		return ErrUnexpectedResponse
	}
	return e.kind
}

// Cause returns the underlying error (a transport error, a context error, a
// decode error), or nil.
func (e *Error) Cause() error {
	if e == nil {
		return nil
	}
	return e.cause
}

// Unwrap returns the kind sentinel(s) and the cause, for errors.Is/As.
func (e *Error) Unwrap() []error {
	if e == nil {
		return nil
	}
	errs := make([]error, 0, 3)
	errs = append(errs, e.Kind())
	if e.kind == ErrConflict && (e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusUnprocessableEntity) {
		// A conflict the provider signalled with a 400 or 422 (DNSimple's
		// "has already been taken") is also invalid input.
		errs = append(errs, ErrInvalidInput)
	}
	if e.cause != nil {
		errs = append(errs, e.cause)
	}
	return errs
}

// Error returns a one-line description such as
//
//	dnsimple: GetZone: 404 not found: Zone `x` not found (request 9c19a2)
func (e *Error) Error() string {
	if e == nil {
		return "<nil>"
	}
	var b strings.Builder
	for _, p := range []string{e.Provider, e.Operation} {
		if p != "" {
			b.WriteString(p)
			b.WriteString(": ")
		}
	}
	if e.StatusCode != 0 {
		b.WriteString(strconv.Itoa(e.StatusCode))
		b.WriteByte(' ')
	}
	b.WriteString(e.Kind().Error())
	var details []string
	details = append(details, e.Messages...)
	for _, f := range text.SortedKeys(e.Fields) {
		details = append(details, f+" "+strings.Join(e.Fields[f], ", "))
	}
	if len(details) == 0 && e.cause != nil {
		details = append(details, e.cause.Error())
	}
	if len(details) > 0 {
		b.WriteString(": ")
		b.WriteString(strings.Join(details, "; "))
	}
	if len(e.Codes) > 0 {
		b.WriteString(" [")
		b.WriteString(strings.Join(e.Codes, ","))
		b.WriteByte(']')
	}
	if e.PriorAttemptUnknown {
		b.WriteString(" (after a retry: an earlier attempt's outcome is unknown and it may have taken effect)")
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after ")
		b.WriteString(e.RetryAfter.String())
		b.WriteByte(')')
	}
	if e.RequestID != "" {
		b.WriteString(" (request ")
		b.WriteString(e.RequestID)
		b.WriteByte(')')
	}
	return text.OneLine(b.String())
}

// Invalid returns an [ErrInvalidInput] error for operation op wrapping err.
// If err already is (or wraps) an *Error, a copy is returned with Operation
// set, keeping its kind.
func Invalid(op string, err error) *Error {
	var fe *Error
	if errors.As(err, &fe) {
		cp := *fe
		cp.Operation = op
		return &cp
	}
	e := &Error{Operation: op, kind: ErrInvalidInput, cause: err}
	if err != nil {
		e.Messages = []string{err.Error()}
	}
	return e
}

// invalidf builds an operation-less ErrInvalidInput error, used by the
// validation functions.
func invalidf(msg string) *Error {
	return &Error{kind: ErrInvalidInput, Messages: []string{msg}}
}

// OutcomeUnknown reports whether a failed request may nevertheless have
// taken effect on the server:
//   - true when the connection failed (or the caller's context ended) after
//     the request was sent, the server answered 5xx, a 3xx or 1xx, or a 2xx
//     whose body could not be used (the server did act then), and when an
//     earlier attempt of a retried request had such an outcome
//     ([Error.PriorAttemptUnknown]), whatever the last answer was;
//   - false for a request that was never sent, for any 4xx answer to a
//     request sent once (the server refused it: ErrNotFound, ErrConflict,
//     ErrInvalidInput, a 405, ...), for a context that ended while waiting
//     to retry an attempt refused with 429, for nil and for errors that are
//     not a *Error of kind ErrTransport, ErrServer or ErrUnexpectedResponse.
//
// A caller undoing a multi-request operation must look for what such a
// request may have created.
func OutcomeUnknown(err error) bool {
	var fe *Error
	if errors.As(err, &fe) {
		switch {
		case fe.PriorAttemptUnknown:
			return true
		case fe.Refused:
			return false
		case fe.StatusCode >= 400 && fe.StatusCode <= 499:
			return false
		}
	}
	return errors.Is(err, ErrTransport) || errors.Is(err, ErrServer) || errors.Is(err, ErrUnexpectedResponse)
}
