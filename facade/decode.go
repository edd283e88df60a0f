package facade

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Bounds applied while decoding provider error bodies, so that a hostile or
// broken body cannot make an *Error arbitrarily large.
const (
	maxSnippetBytes  = 200  // sanitized snippet of an undecodable body
	maxSnippetScan   = 8192 // bytes of an undecodable body looked at
	maxMessages      = 32   // entries in Error.Messages / Error.Codes
	maxMessageBytes  = 512  // bytes per message or code
	maxFields        = 64   // entries in Error.Fields
	maxRequestIDSize = 128
)

// cloudflareConflictCodes are Cloudflare API error codes meaning "already
// exists". 1061 is "<zone> already exists". (1049 is deliberately absent: it
// means "<zone> is not a registered domain", which is invalid input.)
var cloudflareConflictCodes = []string{"1061"}

// conflictPhrases mark a provider message as an "already exists" conflict.
var conflictPhrases = []string{"already exists", "already been taken", "already in use"}

// KindForStatus returns the sentinel for a non-2xx HTTP status:
// 400 and 422 → [ErrInvalidInput], 401 → [ErrUnauthorized],
// 403 → [ErrForbidden], 404 → [ErrNotFound], 409 → [ErrConflict],
// 429 → [ErrRateLimited], 5xx → [ErrServer], anything else (including 1xx,
// 3xx and other 4xx) → [ErrUnexpectedResponse]. It returns nil for 2xx.
func KindForStatus(status int) error {
	switch {
	case status >= 200 && status < 300:
		return nil
	case status == http.StatusBadRequest, status == http.StatusUnprocessableEntity:
		return ErrInvalidInput
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusForbidden:
		return ErrForbidden
	case status == http.StatusNotFound:
		return ErrNotFound
	case status == http.StatusConflict:
		return ErrConflict
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status >= 500 && status < 600:
		return ErrServer
	default:
		return ErrUnexpectedResponse
	}
}

// DecodeErrorBody turns a provider's non-2xx response into an *Error. It
// never panics and never fails: whatever the body holds, the status,
// classification ([KindForStatus]), request id ([RequestID]) and RetryAfter
// are kept.
//
// Recognised JSON shapes (any of them is accepted from any provider):
//
//	Cloudflare: {"success":false,"errors":[{"code":1001,"message":"..."}],"messages":[]}
//	DNSimple:   {"message":"Validation failed","errors":{"name":["can't be blank"]}}
//	IONOS:      {"httpStatus":404,"messages":[{"errorCode":"dns-400-1","message":"..."}]}
//
// Integer codes become decimal strings; a field map fills [Error.Fields].
// A status no sentinel names ([KindForStatus] gives [ErrUnexpectedResponse]:
// a 405, a 3xx, a 1xx, ...) is described first in words: the status text,
// the methods of an Allow header ("allowed methods: GET, HEAD") and, for a
// 3xx, "redirect to <Location> not followed", with the Location kept in
// [Error.Location].
// A body that is not JSON, or JSON without recognisable content (an HTML 502
// page, an empty or truncated body, binary junk), yields at most one message:
// a sanitized, printable snippet of at most 200 bytes.
//
// Conflict signals: a Cloudflare error code 1061 or a message or field error
// containing "already exists", "already been taken" or "already in use"
// (DNSimple answers duplicates with 400 "has already been taken") turns a
// 400/422 into Kind() == [ErrConflict]; errors.Is then matches both
// [ErrConflict] and [ErrInvalidInput].
//
// RetryAfter comes from a Retry-After header (seconds or HTTP-date) on any
// status and, on 429 only, from X-RateLimit-Reset (Unix seconds, DNSimple).
// A 2xx status yields [ErrUnexpectedResponse].
func DecodeErrorBody(provider string, status int, header http.Header, body []byte) *Error {
	return decodeErrorBody(provider, status, "", header, body, time.Now())
}

// decodeErrorBody is [DecodeErrorBody] with the reason phrase of the status
// line ("" if unknown: the standard text for the status is used then).
func decodeErrorBody(provider string, status int, reason string, header http.Header, body []byte, now time.Time) *Error {
	e := &Error{
		Provider:   provider,
		StatusCode: status,
		kind:       KindForStatus(status),
		RequestID:  RequestID(provider, header),
	}
	if e.kind == ErrUnexpectedResponse {
		describeUnmapped(e, reason, header)
	}
	if e.kind == nil {
		e.kind = ErrUnexpectedResponse
	}
	if d, ok := retryAfterFromHeader(header, status, now); ok {
		e.RetryAfter = d
	}
	if !decodeJSONError(e, body) {
		if s := snippet(body); s != "" {
			e.addMessage(s)
		}
	}
	if e.kind == ErrInvalidInput && isConflictSignal(provider, e) {
		e.kind, e.also = ErrConflict, ErrInvalidInput
	}
	return e
}

// describeUnmapped says in words what an answer the sentinels do not name
// was (a 405, a 3xx, a 1xx, ...): its reason phrase, the methods an Allow
// header permits and, for a redirect (which [Core] never follows), where it
// pointed, kept in [Error.Location].
func describeUnmapped(e *Error, reason string, header http.Header) {
	if e.StatusCode < 100 || e.StatusCode > 999 {
		e.addMessage("invalid HTTP status " + strconv.Itoa(e.StatusCode))
	}
	if reason = clip(reason, maxMessageBytes); reason == "" {
		reason = http.StatusText(e.StatusCode)
	}
	e.addMessage(reason)
	if allow := clip(strings.Join(header.Values("Allow"), ", "), maxMessageBytes); allow != "" {
		e.addMessage("allowed methods: " + allow)
	}
	if e.StatusCode >= 300 && e.StatusCode <= 399 {
		e.Location = clip(header.Get("Location"), maxMessageBytes)
		if e.Location != "" {
			e.addMessage(clip("redirect to "+e.Location+" not followed", maxMessageBytes))
		} else {
			e.addMessage("redirect not followed")
		}
	}
}

func isConflictSignal(provider string, e *Error) bool {
	if provider == ProviderCloudflare || provider == "" {
		for _, c := range e.Codes {
			if slices.Contains(cloudflareConflictCodes, c) {
				return true
			}
		}
	}
	texts := slices.Clone(e.Messages)
	for _, v := range e.Fields {
		texts = append(texts, v...)
	}
	for _, t := range texts {
		t = strings.ToLower(t)
		for _, p := range conflictPhrases {
			if strings.Contains(t, p) {
				return true
			}
		}
	}
	return false
}

// decodeJSONError fills e from a JSON error body and reports whether it found
// anything worth reporting.
func decodeJSONError(e *Error, body []byte) bool {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return false
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return false
	}
	before := len(e.Messages) + len(e.Codes)
	for _, k := range []string{"code", "errorCode", "error_code"} {
		e.addCode(top[k])
	}
	for _, k := range []string{"message", "detail", "title"} {
		e.addMessage(rawString(top[k]))
	}
	e.addItems(top["error"], 0)
	e.addItems(top["errors"], 0)
	e.addItems(top["messages"], 0)
	return len(e.Messages)+len(e.Codes) > before || len(e.Fields) > 0
}

// addItems accepts a string, an object ({"code","message"} item, or a
// field→messages map) or an array of those.
func (e *Error) addItems(raw json.RawMessage, depth int) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || depth > 4 {
		return
	}
	switch raw[0] {
	case '"':
		e.addMessage(rawString(raw))
	case '[':
		var arr []json.RawMessage
		if json.Unmarshal(raw, &arr) == nil {
			for _, it := range arr {
				e.addItems(it, depth+1)
			}
		}
	case '{':
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			return
		}
		if isItem(obj) {
			for _, k := range []string{"code", "errorCode", "error_code"} {
				e.addCode(obj[k])
			}
			for _, k := range []string{"message", "detail", "error"} {
				e.addMessage(rawString(obj[k]))
			}
			e.addItems(obj["error_chain"], depth+1)
			return
		}
		for _, field := range sortedKeys(obj) {
			e.addField(field, obj[field])
		}
	}
}

func isItem(obj map[string]json.RawMessage) bool {
	for _, k := range []string{"code", "errorCode", "error_code", "message", "detail"} {
		if _, ok := obj[k]; ok {
			return true
		}
	}
	return false
}

func (e *Error) addField(field string, raw json.RawMessage) {
	if len(e.Fields) >= maxFields {
		return
	}
	field = clip(field, maxMessageBytes)
	var msgs []string
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) > 0 && raw[0] == '[':
		var arr []json.RawMessage
		if json.Unmarshal(raw, &arr) == nil {
			for _, it := range arr {
				if s := clip(rawString(it), maxMessageBytes); s != "" && len(msgs) < maxMessages {
					msgs = append(msgs, s)
				}
			}
		}
	default:
		if s := clip(rawString(raw), maxMessageBytes); s != "" {
			msgs = append(msgs, s)
		}
	}
	if len(msgs) == 0 || field == "" {
		return
	}
	if e.Fields == nil {
		e.Fields = make(map[string][]string)
	}
	e.Fields[field] = append(e.Fields[field], msgs...)
}

func (e *Error) addMessage(s string) {
	s = clip(s, maxMessageBytes)
	if s == "" || len(e.Messages) >= maxMessages || slices.Contains(e.Messages, s) {
		return
	}
	e.Messages = append(e.Messages, s)
}

func (e *Error) addCode(raw json.RawMessage) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || len(e.Codes) >= maxMessages {
		return
	}
	var c string
	switch {
	case raw[0] == '"':
		c = rawString(raw)
	default:
		var n json.Number
		if json.Unmarshal(raw, &n) != nil {
			return
		}
		c = n.String()
	}
	c = clip(c, maxMessageBytes)
	if c != "" && !slices.Contains(e.Codes, c) {
		e.Codes = append(e.Codes, c)
	}
}

// rawString returns raw as a string if it is a JSON string, else "".
func rawString(raw json.RawMessage) string {
	if len(raw) == 0 || raw[0] != '"' {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// clip makes s single-line printable text of at most n bytes.
func clip(s string, n int) string {
	s = strings.TrimSpace(sanitize(s, n))
	return s
}

// sanitize keeps printable runes of s (control and invalid bytes become a
// single space), collapses whitespace runs and cuts at n bytes on a rune
// boundary.
func sanitize(s string, n int) string {
	var b strings.Builder
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError || !unicode.IsPrint(r) || unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		need := utf8.RuneLen(r)
		if space {
			need++
		}
		if b.Len()+need > n {
			break
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// snippet returns a short printable excerpt of an undecodable body: HTML
// tags are dropped, whitespace collapsed, non-printable bytes removed, at
// most maxSnippetBytes long. A body with no printable content yields a
// placeholder naming its size.
func snippet(body []byte) string {
	if len(body) == 0 {
		return ""
	}
	scan := body
	if len(scan) > maxSnippetScan {
		scan = scan[:maxSnippetScan]
	}
	t := bytes.TrimSpace(scan)
	if len(t) == 0 {
		return ""
	}
	if t[0] == '<' {
		t = stripTags(t)
	}
	if s := sanitize(string(t), maxSnippetBytes); s != "" {
		return s
	}
	return "non-text body (" + strconv.Itoa(len(body)) + " bytes)"
}

// stripTags replaces <...> tags by a space, keeping the text between them;
// good enough to make proxy error pages readable.
func stripTags(b []byte) []byte {
	out := make([]byte, 0, len(b))
	in := false
	for _, c := range b {
		switch {
		case c == '<':
			in = true
			out = append(out, ' ')
		case c == '>' && in:
			in = false
		case !in:
			out = append(out, c)
		}
	}
	return out
}

// RequestID returns the provider's request identifier from a response
// header: Cf-Ray for Cloudflare, X-Request-Id for DNSimple, X-Request-Id or
// X-Correlation-Id for IONOS; for other providers the first present of those
// three. The value is sanitized and at most 128 bytes.
func RequestID(provider string, h http.Header) string {
	if h == nil {
		return ""
	}
	var keys []string
	switch provider {
	case ProviderCloudflare:
		keys = []string{"Cf-Ray"}
	case ProviderDNSimple:
		keys = []string{"X-Request-Id"}
	case ProviderIONOS:
		keys = []string{"X-Request-Id", "X-Correlation-Id"}
	default:
		keys = []string{"X-Request-Id", "X-Correlation-Id", "Cf-Ray"}
	}
	for _, k := range keys {
		if v := clip(h.Get(k), maxRequestIDSize); v != "" {
			return v
		}
	}
	return ""
}

// maxParsedWait bounds parsed waits so that huge values cannot overflow.
const maxParsedWait = 1000 * 24 * time.Hour

// ParseRetryAfter parses a Retry-After header value: either delay-seconds
// ("120") or an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT"), relative to now.
// Dates in the past yield 0. ok is false for empty or malformed values.
func ParseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if strings.Trim(v, "0123456789") == "" {
		secs, err := strconv.ParseUint(v, 10, 64)
		if err != nil || secs > uint64(maxParsedWait/time.Second) {
			return maxParsedWait, true // only overflow can fail here
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return clampWait(t.Sub(now)), true
}

// parseRateLimitReset parses DNSimple's X-RateLimit-Reset (Unix seconds).
func parseRateLimitReset(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil || secs < 0 || secs > now.Unix()+int64(maxParsedWait/time.Second) {
		return 0, false
	}
	return clampWait(time.Unix(secs, 0).Sub(now)), true
}

func clampWait(d time.Duration) time.Duration {
	return min(max(d, 0), maxParsedWait)
}

// retryAfterFromHeader returns the wait requested by a response: Retry-After
// for any status, or X-RateLimit-Reset for a 429 without Retry-After.
func retryAfterFromHeader(h http.Header, status int, now time.Time) (time.Duration, bool) {
	if h == nil {
		return 0, false
	}
	if d, ok := ParseRetryAfter(h.Get("Retry-After"), now); ok {
		return d, true
	}
	if status == http.StatusTooManyRequests {
		return parseRateLimitReset(h.Get("X-RateLimit-Reset"), now)
	}
	return 0, false
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
