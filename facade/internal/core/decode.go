package core

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/text"
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

// conflictPhrases mark a provider message as an "already exists" conflict.
var conflictPhrases = [...]string{"already exists", "already been taken", "already in use"}

// defaultRequestIDHeaders are the request-ID headers of a [Provider] that
// names none.
var defaultRequestIDHeaders = []string{"X-Request-Id", "X-Correlation-Id", "Cf-Ray"}

// KindForStatus returns the sentinel for a non-2xx HTTP status:
// 400 and 422 → [facade.ErrInvalidInput], 401 → [facade.ErrUnauthorized],
// 403 → [facade.ErrForbidden], 404 → [facade.ErrNotFound], 409 → [facade.ErrConflict],
// 429 → [facade.ErrRateLimited], 5xx → [facade.ErrServer], anything else (including 1xx,
// 3xx and other 4xx) → [facade.ErrUnexpectedResponse]. It returns nil for 2xx.
func KindForStatus(status int) error {
	switch {
	case status >= 200 && status < 300:
		return nil
	case status == http.StatusBadRequest, status == http.StatusUnprocessableEntity:
		return facade.ErrInvalidInput
	case status == http.StatusUnauthorized:
		return facade.ErrUnauthorized
	case status == http.StatusForbidden:
		return facade.ErrForbidden
	case status == http.StatusNotFound:
		return facade.ErrNotFound
	case status == http.StatusConflict:
		return facade.ErrConflict
	case status == http.StatusTooManyRequests:
		return facade.ErrRateLimited
	case status >= 500 && status < 600:
		return facade.ErrServer
	default:
		return facade.ErrUnexpectedResponse
	}
}

// DecodeErrorBody turns p's non-2xx response into an *Error. It
// never panics and never fails: whatever the body holds, the status,
// classification ([KindForStatus]), request id ([Provider.RequestID]) and
// RetryAfter are kept.
//
// Recognised JSON shapes (any of them is accepted from any provider):
//
//	Cloudflare: {"success":false,"errors":[{"code":1001,"message":"..."}],"messages":[]}
//	DNSimple:   {"message":"Validation failed","errors":{"name":["can't be blank"]}}
//	IONOS:      {"httpStatus":404,"messages":[{"errorCode":"dns-400-1","message":"..."}]}
//
// Integer codes become decimal strings; a field map fills [facade.Error.Fields].
// A status no sentinel names ([KindForStatus] gives [facade.ErrUnexpectedResponse]:
// a 405, a 3xx, a 1xx, ...) is described first in words: the status text,
// the methods of an Allow header ("allowed methods: GET, HEAD") and, for a
// 3xx, "redirect to <Location> not followed", with the Location kept in
// [facade.Error.Location].
// A body that is not JSON, or JSON without recognisable content (an HTML 502
// page, an empty or truncated body, binary junk), yields at most one message:
// a sanitized, printable snippet of at most 200 bytes.
//
// Conflict signals: one of p.ConflictCodes (Cloudflare's 1061) or a message
// or field error containing "already exists", "already been taken" or
// "already in use" (DNSimple answers duplicates with 400 "has already been
// taken") turns a 400/422 into Kind() == [facade.ErrConflict]; errors.Is
// then matches both [facade.ErrConflict] and [facade.ErrInvalidInput].
//
// RetryAfter comes from a Retry-After header (seconds or HTTP-date) on any
// status and, on 429 only, from X-RateLimit-Reset (Unix seconds, DNSimple).
// A 2xx status yields [facade.ErrUnexpectedResponse].
func (p Provider) DecodeErrorBody(status int, header http.Header, body []byte) *facade.Error {
	return p.decodeErrorBody(status, "", header, body, time.Now())
}

// decodeErrorBody is [DecodeErrorBody] with the reason phrase of the status
// line ("" if unknown: the standard text for the status is used then).
func (p Provider) decodeErrorBody(status int, reason string, header http.Header, body []byte, now time.Time) *facade.Error {
	kind := KindForStatus(status)
	d := details{StatusCode: status}
	if kind == facade.ErrUnexpectedResponse {
		describeUnmapped(&d, reason, header)
	}
	if kind == nil {
		kind = facade.ErrUnexpectedResponse
	}
	if !decodeJSONError(&d, body) {
		if s := snippet(body); s != "" {
			d.addMessage(s)
		}
	}
	if kind == facade.ErrInvalidInput && p.isConflictSignal(&d) {
		// facade.Error matches ErrInvalidInput too for a 400/422 conflict.
		kind = facade.ErrConflict
	}
	e := facade.NewError(kind, nil)
	e.Provider, e.StatusCode, e.RequestID = p.Name, status, p.RequestID(header)
	e.Codes, e.Messages, e.Fields, e.Location = d.Codes, d.Messages, d.Fields, d.Location
	if wait, ok := retryAfterFromHeader(header, status, now); ok {
		e.RetryAfter = wait
	}
	return e
}

// details collects what an error answer says, for [facade.Error]'s fields
// of the same names.
type details struct {
	StatusCode int
	Location   string
	Codes      []string
	Messages   []string
	Fields     map[string][]string
}

// describeUnmapped says in words what an answer the sentinels do not name
// was (a 405, a 3xx, a 1xx, ...): its reason phrase, the methods an Allow
// header permits and, for a redirect (which [Core] never follows), where it
// pointed, kept in [facade.Error.Location].
func describeUnmapped(e *details, reason string, header http.Header) {
	if e.StatusCode < 100 || e.StatusCode > 999 {
		e.addMessage("invalid HTTP status " + strconv.Itoa(e.StatusCode))
	}
	if reason = text.Clip(reason, maxMessageBytes); reason == "" {
		reason = http.StatusText(e.StatusCode)
	}
	e.addMessage(reason)
	if allow := text.Clip(strings.Join(header.Values("Allow"), ", "), maxMessageBytes); allow != "" {
		e.addMessage("allowed methods: " + allow)
	}
	if e.StatusCode >= 300 && e.StatusCode <= 399 {
		e.Location = text.Clip(header.Get("Location"), maxMessageBytes)
		if e.Location != "" {
			e.addMessage(text.Clip("redirect to "+e.Location+" not followed", maxMessageBytes))
		} else {
			e.addMessage("redirect not followed")
		}
	}
}

func (p Provider) isConflictSignal(e *details) bool {
	for _, c := range e.Codes {
		if slices.Contains(p.ConflictCodes, c) {
			return true
		}
	}
	texts := slices.Clone(e.Messages)
	for _, v := range e.Fields {
		texts = append(texts, v...)
	}
	for _, t := range texts {
		t = strings.ToLower(t)
		for _, phrase := range conflictPhrases {
			if strings.Contains(t, phrase) {
				return true
			}
		}
	}
	return false
}

// decodeJSONError fills e from a JSON error body and reports whether it found
// anything worth reporting.
func decodeJSONError(e *details, body []byte) bool {
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
func (e *details) addItems(raw json.RawMessage, depth int) {
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
		for _, field := range text.SortedKeys(obj) {
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

func (e *details) addField(field string, raw json.RawMessage) {
	if len(e.Fields) >= maxFields {
		return
	}
	field = text.Clip(field, maxMessageBytes)
	var msgs []string
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) > 0 && raw[0] == '[':
		var arr []json.RawMessage
		if json.Unmarshal(raw, &arr) == nil {
			for _, it := range arr {
				if s := text.Clip(rawString(it), maxMessageBytes); s != "" && len(msgs) < maxMessages {
					msgs = append(msgs, s)
				}
			}
		}
	default:
		if s := text.Clip(rawString(raw), maxMessageBytes); s != "" {
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

func (e *details) addMessage(s string) {
	s = text.Clip(s, maxMessageBytes)
	if s == "" || len(e.Messages) >= maxMessages || slices.Contains(e.Messages, s) {
		return
	}
	e.Messages = append(e.Messages, s)
}

func (e *details) addCode(raw json.RawMessage) {
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
	c = text.Clip(c, maxMessageBytes)
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
	if s := text.Sanitize(string(t), maxSnippetBytes); s != "" {
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
// header: the first of p.RequestIDHeaders present (Cf-Ray for Cloudflare,
// X-Request-Id for DNSimple, X-Request-Id or X-Correlation-Id for IONOS;
// with none given, the first present of those three). The value is
// sanitized and at most 128 bytes.
func (p Provider) RequestID(h http.Header) string {
	if h == nil {
		return ""
	}
	keys := p.RequestIDHeaders
	if len(keys) == 0 {
		keys = defaultRequestIDHeaders
	}
	for _, k := range keys {
		if v := text.Clip(h.Get(k), maxRequestIDSize); v != "" {
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
