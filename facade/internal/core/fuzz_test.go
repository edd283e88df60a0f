package core

// Fuzz targets for every decoder of untrusted input in the core: the
// provider error-body decoder (one target per provider), the response
// classifier (Core.Check / Core.Call), the whole response path from
// the wire through Core.Do to Core.Call (FuzzCoreResponse),
// zone-name, IP, primary, port and identifier validation, and Retry-After
// parsing.
//
// FuzzDecodeErrorBody (decode_test.go) fuzzes the decoder for all providers
// at once with a fixed header; the per-provider targets here also fuzz the
// headers (Retry-After, X-RateLimit-Reset, request ids) and check the
// documented bounds and classification field by field.
//
// Seed corpora live in testdata/fuzz/<FuzzName>/ and include the bodies of
// the recorded DNSimple responses (test/testdata/dnsimple/*.http); without
// -fuzz the seeds run as ordinary tests. Run one target with e.g.
//
//	go test -run='^$' -fuzz='^FuzzDecodeErrorBodyDNSimple$' -fuzztime=30s ./facade/internal/core
//
// or all of them with scripts/fuzz.sh. The properties only use the exported
// API, so that they keep holding across refactorings of the internals.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	. "github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/text"
)

// fuzzMaxInput bounds the inputs the targets look at, so that the fuzzer
// cannot spend its time (and memory) on huge values. Real error bodies are a
// few hundred bytes; Core caps real bodies at 8 MiB anyway.
const fuzzMaxInput = 1 << 20

// Documented bounds of a decoded *Error (see DecodeErrorBody).
const (
	fuzzMaxMessages     = 32
	fuzzMaxMessageBytes = 512
	fuzzMaxFields       = 64
	fuzzMaxRequestID    = 128
)

// fuzzHeader builds the response header of a fuzzed error response. Empty
// values are left out; values that net/http could never deliver (with CR,
// LF or NUL) are kept: DecodeErrorBody must cope with any header it is given.
func fuzzHeader(retryAfter, rateLimitReset, requestID string) http.Header {
	h := http.Header{}
	for k, v := range map[string]string{
		"Retry-After":       retryAfter,
		"X-Ratelimit-Reset": rateLimitReset,
		"X-Request-Id":      requestID,
		"X-Correlation-Id":  requestID,
		"Cf-Ray":            requestID,
	} {
		if v != "" {
			h.Set(k, v)
		}
	}
	return h
}

// checkInvalid asserts that err is a one-line ErrInvalidInput *Error from a
// validation function.
func checkInvalid(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Kind() != ErrInvalidInput {
		t.Fatalf("got %T %v, want an ErrInvalidInput *Error", err, err)
	}
	if msg := e.Error(); strings.ContainsAny(msg, "\r\n\x00") || !utf8.ValidString(msg) {
		t.Fatalf("Error() is not single-line UTF-8: %q", msg)
	}
}

// checkErrorBounds asserts the invariants every *Error built from a response
// must satisfy, whatever the response held.
func checkErrorBounds(t *testing.T, e *Error) {
	t.Helper()
	if e == nil {
		t.Fatal("nil *Error")
	}
	if e.Kind() == nil {
		t.Fatal("nil Kind")
	}
	if !errors.Is(e, e.Kind()) {
		t.Fatalf("errors.Is(e, e.Kind()) is false for %v", e.Kind())
	}
	if len(e.Messages) > fuzzMaxMessages+1 || len(e.Codes) > fuzzMaxMessages || len(e.Fields) > fuzzMaxFields {
		t.Fatalf("unbounded error: %d messages, %d codes, %d fields", len(e.Messages), len(e.Codes), len(e.Fields))
	}
	texts := append(append([]string{e.RequestID}, e.Messages...), e.Codes...)
	for f, ms := range e.Fields {
		if f == "" || len(ms) == 0 || len(ms) > fuzzMaxMessages {
			t.Fatalf("field %q with %d messages", f, len(ms))
		}
		texts = append(texts, f)
		texts = append(texts, ms...)
	}
	for i, s := range texts {
		if i > 0 && s == "" {
			t.Fatalf("empty message, code or field in %#v", e)
		}
		if len(s) > fuzzMaxMessageBytes {
			t.Fatalf("%d-byte text %q", len(s), s)
		}
		if !printable(s) {
			t.Fatalf("text not printable single-line UTF-8: %q", s)
		}
	}
	if len(e.RequestID) > fuzzMaxRequestID {
		t.Fatalf("%d-byte request id", len(e.RequestID))
	}
	if e.RetryAfter < 0 {
		t.Fatalf("negative RetryAfter %v", e.RetryAfter)
	}
	if msg := e.Error(); strings.ContainsAny(msg, "\r\n\x00") || !utf8.ValidString(msg) {
		t.Fatalf("Error() is not single-line UTF-8: %q", msg)
	}
}

// printable reports whether s is valid UTF-8 of printable runes and plain
// spaces only, with no leading or trailing space.
func printable(s string) bool {
	if !utf8.ValidString(s) || strings.TrimSpace(s) != s {
		return false
	}
	for _, r := range s {
		if r != ' ' && (!unicode.IsPrint(r) || unicode.IsSpace(r)) {
			return false
		}
	}
	return true
}

// wantKind returns the kinds DecodeErrorBody may give a status: the status'
// own, or ErrConflict for a 400/422 carrying an "already exists" signal.
func wantKind(status int) []error {
	k := KindForStatus(status)
	switch {
	case k == nil:
		return []error{ErrUnexpectedResponse}
	case k == ErrInvalidInput:
		return []error{ErrInvalidInput, ErrConflict}
	default:
		return []error{k}
	}
}

// fuzzDecodeErrorBody is the property shared by the per-provider targets.
func fuzzDecodeErrorBody(f *testing.F, provider string) {
	f.Add(404, "", "", "9c19bef5-6902-421c-9f91-dec3bae26102", []byte("{\"message\":\"Zone `0` not found\"}"))
	f.Add(429, "1", "1591300248", "", []byte(`{"message":"slow down"}`))
	f.Add(502, "", "", "", []byte("<html>Bad Gateway</html>"))
	f.Add(400, "Wed, 21 Oct 2015 07:28:00 GMT", "", "r", []byte(`{"errors":{"name":["has already been taken"]}}`))
	f.Fuzz(func(t *testing.T, status int, retryAfter, reset, requestID string, body []byte) {
		if len(body) > fuzzMaxInput || len(retryAfter)+len(reset)+len(requestID) > fuzzMaxInput {
			t.Skip("input larger than 1 MiB")
		}
		h := fuzzHeader(retryAfter, reset, requestID)
		e := testProvider(provider).DecodeErrorBody(status, h, body)
		checkErrorBounds(t, e)
		if e.Provider != provider || e.StatusCode != status || e.Operation != "" {
			t.Fatalf("provider/status/operation not kept: %q %d %q", e.Provider, e.StatusCode, e.Operation)
		}
		if want := wantKind(status); !slicesContainsErr(want, e.Kind()) {
			t.Fatalf("status %d classified %v, want one of %v", status, e.Kind(), want)
		}
		if e.Kind() == ErrConflict && KindForStatus(status) == ErrInvalidInput && !errors.Is(e, ErrInvalidInput) {
			t.Fatal("a conflict signalled by a 400/422 must still match ErrInvalidInput")
		}
		if want := testProvider(provider).RequestID(h); e.RequestID != want {
			t.Fatalf("RequestID %q, want %q", e.RequestID, want)
		}
		// A delay-seconds Retry-After is independent of the clock.
		if d, ok := ParseRetryAfter(retryAfter, time.Now()); ok && isDigits(strings.TrimSpace(retryAfter)) && e.RetryAfter != d {
			t.Fatalf("RetryAfter %v, want %v from %q", e.RetryAfter, d, retryAfter)
		}
		// Deterministic, apart from waits computed from the clock.
		again := testProvider(provider).DecodeErrorBody(status, h, body)
		e.RetryAfter, again.RetryAfter = 0, 0
		if !reflect.DeepEqual(e, again) {
			t.Fatalf("not deterministic:\n%#v\n%#v", e, again)
		}
	})
}

func slicesContainsErr(errs []error, err error) bool {
	for _, e := range errs {
		if e == err {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// FuzzDecodeErrorBodyIONOS fuzzes DecodeErrorBody for IONOS: any status,
// headers and body give a bounded, printable, correctly classified *Error,
// deterministically.
func FuzzDecodeErrorBodyIONOS(f *testing.F) { fuzzDecodeErrorBody(f, ProviderIONOS) }

// FuzzDecodeErrorBodyDNSimple is FuzzDecodeErrorBodyIONOS for DNSimple; its
// corpus holds the recorded DNSimple responses.
func FuzzDecodeErrorBodyDNSimple(f *testing.F) { fuzzDecodeErrorBody(f, ProviderDNSimple) }

// FuzzDecodeErrorBodyCloudflare is FuzzDecodeErrorBodyIONOS for Cloudflare.
func FuzzDecodeErrorBodyCloudflare(f *testing.F) { fuzzDecodeErrorBody(f, ProviderCloudflare) }

// fuzzResponse is shaped like an oapi-codegen "WithResponse" struct with a
// JSON 200 and a JSON 201 success body, for Core.Call.
type fuzzResponse struct {
	Body         []byte
	HTTPResponse *http.Response
	JSON200      *struct{ ID string }
	JSON201      *struct{ ID string }
}

func (r *fuzzResponse) Raw() (*http.Response, []byte) {
	if r == nil {
		return nil, nil
	}
	return r.HTTPResponse, r.Body
}

// fuzzPayload picks the JSON field of the answer's status, as an adapter
// of an operation with two success bodies would.
func fuzzPayload(r *fuzzResponse) *struct{ ID string } {
	switch r.HTTPResponse.StatusCode {
	case 200:
		return r.JSON200
	case 201:
		return r.JSON201
	}
	return nil
}

// sentinels are the kinds an *Error may have.
var sentinels = []error{
	ErrNotFound, ErrUnauthorized, ErrForbidden, ErrRateLimited, ErrConflict,
	ErrInvalidInput, ErrUnsupported, ErrServer, ErrTransport, ErrUnexpectedResponse,
}

// FuzzCheck fuzzes the response classifier: Core.Check and
// Call with an arbitrary provider, status, headers, body and
// "decoded" flag. The outcome is nil exactly for a decoded 2xx; otherwise an
// *Error carrying the operation, provider and status, within the bounds of
// DecodeErrorBody. A generated client's error is ErrTransport (or keeps the
// kind of an *Error) and never loses its cause.
func FuzzCheck(f *testing.F) {
	f.Add(uint8(1), 200, "", "", []byte(`{"data":{"id":1}}`), true, "")
	f.Add(uint8(1), 404, "", "9c19", []byte("{\"message\":\"Zone `0` not found\"}"), false, "")
	f.Add(uint8(0), 201, "", "", []byte(`<html>`), false, "")
	f.Add(uint8(2), 429, "0", "", []byte(`{"success":false,"errors":[{"code":1015,"message":"rate limited"}]}`), false, "")
	f.Add(uint8(0), 200, "", "", []byte(nil), true, "read tcp 127.0.0.1:1: connection reset by peer")
	providers := []string{ProviderIONOS, ProviderDNSimple, ProviderCloudflare}
	f.Fuzz(func(t *testing.T, p uint8, status int, retryAfter, requestID string, body []byte, decoded bool, callErr string) {
		if len(body) > fuzzMaxInput || len(retryAfter)+len(requestID)+len(callErr) > fuzzMaxInput {
			t.Skip("input larger than 1 MiB")
		}
		provider := providers[int(p)%len(providers)]
		c, err := NewCore(testProvider(provider), "fuzz-token", "https://api.example.test")
		if err != nil {
			t.Fatal(err)
		}
		h := fuzzHeader(retryAfter, "", requestID)
		resp := &http.Response{StatusCode: status, Header: h}

		if callErr != "" {
			cause := errors.New(callErr)
			got := c.Check("Op", nil, body, cause, decoded)
			var e *Error
			if !errors.As(got, &e) {
				t.Fatalf("Check returned %T, want *Error", got)
			}
			if !errors.Is(got, ErrTransport) || !errors.Is(got, cause) || e.Operation != "Op" || e.Provider != provider {
				t.Fatalf("a call error must become an ErrTransport keeping its cause: %v", got)
			}
			if strings.ContainsAny(got.Error(), "\r\n") {
				t.Fatalf("multi-line error: %q", got.Error())
			}
			// An *Error from Core.Do keeps its kind.
			inner := testProvider(provider).DecodeErrorBody(status, h, body)
			_, got = Call(c, "Op", (*fuzzResponse)(nil), inner, fuzzPayload)
			if !errors.As(got, &e) || e.Kind() != inner.Kind() || e.Operation != "Op" || e.StatusCode != status {
				t.Fatalf("wrapped *Error changed: %v from %v", got, inner)
			}
			return
		}

		got := c.Check("Op", resp, body, nil, decoded)
		ok2xx := status >= 200 && status <= 299
		if (got == nil) != (ok2xx && decoded) {
			t.Fatalf("status %d decoded=%v: Check = %v", status, decoded, got)
		}
		if got != nil {
			var e *Error
			if !errors.As(got, &e) {
				t.Fatalf("Check returned %T, want *Error", got)
			}
			checkErrorBounds(t, e)
			if e.Operation != "Op" || e.Provider != provider || e.StatusCode != status {
				t.Fatalf("operation/provider/status not kept: %#v", e)
			}
			if want := wantKind(status); !slicesContainsErr(want, e.Kind()) {
				t.Fatalf("status %d classified %v, want one of %v", status, e.Kind(), want)
			}
		}

		// The same response as a generated struct: decoded means "the JSON
		// field for this status is set"; 2xx statuses other than 200 and 201
		// are undeclared and so never decoded.
		rsp := &fuzzResponse{Body: body, HTTPResponse: resp}
		if decoded {
			switch status {
			case 200:
				rsp.JSON200 = &struct{ ID string }{}
			case 201:
				rsp.JSON201 = &struct{ ID string }{}
			}
		}
		declared := decoded && (status == 200 || status == 201)
		_, got2 := Call(c, "Op", rsp, nil, fuzzPayload)
		if (got2 == nil) != (ok2xx && declared) {
			t.Fatalf("status %d decoded=%v: Call = %v", status, decoded, got2)
		}
		if got2 != nil {
			var e *Error
			if !errors.As(got2, &e) || e.StatusCode != status || e.Operation != "Op" {
				t.Fatalf("Call = %#v", got2)
			}
			checkErrorBounds(t, e)
		}
	})
}

// FuzzParseRetryAfter checks ParseRetryAfter on arbitrary values and clocks:
// no panic, never a negative wait, a zero wait when not ok, delay-seconds
// always accepted and exact (up to the cap), HTTP-dates relative to now.
func FuzzParseRetryAfter(f *testing.F) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Unix()
	for _, s := range []string{"0", "120", " 5 ", "Fri, 02 Jan 2026 03:05:05 GMT", "Friday, 02-Jan-26 03:05:05 GMT", "Fri Jan  2 03:05:05 2026", "99999999999999999999", "-1", "1.5", "soon", "+3", ""} {
		f.Add(s, now)
	}
	f.Fuzz(func(t *testing.T, v string, nowUnix int64) {
		if len(v) > fuzzMaxInput {
			t.Skip("input larger than 1 MiB")
		}
		now := time.Unix(nowUnix, 0).UTC()
		d, ok := ParseRetryAfter(v, now)
		if d < 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v: negative", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v, false: want 0 when not ok", v, d)
		}
		tv := strings.TrimSpace(v)
		if isDigits(tv) {
			if !ok {
				t.Fatalf("ParseRetryAfter(%q): delay-seconds refused", v)
			}
			if n, err := strconv.ParseUint(tv, 10, 64); err == nil && n <= 1e6 && d != time.Duration(n)*time.Second {
				t.Fatalf("ParseRetryAfter(%q) = %v, want %ds", v, d, n)
			}
			return
		}
		if tm, err := http.ParseTime(tv); err == nil {
			if !ok {
				t.Fatalf("ParseRetryAfter(%q): HTTP-date refused", v)
			}
			if want := tm.Sub(now); want > 0 && want < 24*time.Hour && d != want {
				t.Fatalf("ParseRetryAfter(%q, %v) = %v, want %v", v, now, d, want)
			}
			if tm.Before(now) && d != 0 {
				t.Fatalf("ParseRetryAfter(%q, %v) = %v, want 0 for a past date", v, now, d)
			}
		} else if ok {
			t.Fatalf("ParseRetryAfter(%q) = %v, true: neither delay-seconds nor an HTTP-date", v, d)
		}
	})
}

// fuzzWireTransport answers every request with the raw bytes of wire over
// an in-memory connection, then closes it: the real net/http client code
// parses whatever the fuzzer wrote.
func fuzzWireTransport(wire []byte) *http.Transport {
	return &http.Transport{
		DisableKeepAlives: true,
		DialContext: func(context.Context, string, string) (net.Conn, error) {
			client, srv := net.Pipe()
			go func() {
				defer func() { _ = srv.Close() }()
				if _, err := http.ReadRequest(bufio.NewReader(srv)); err != nil {
					return
				}
				_, _ = srv.Write(wire)
			}()
			return client, nil
		},
	}
}

// fuzzHeaderValue keeps the printable ASCII of v, so that the fuzzed value
// stays one header line.
func fuzzHeaderValue(v string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return -1
		}
		return r
	}, v)
}

// FuzzCoreResponse fuzzes the whole response path of one call: a fuzzed
// status line (any three-digit status, any reason phrase), headers
// (Content-Type, Retry-After, Location, Allow, request ids) and body are
// written on the wire, parsed by net/http, passed through Core.Do (retries,
// redirect refusal, body cap, 1xx handling), a generated-style parser and
// Core.Call. The outcome is either success, exactly when the
// status is 200 and the body decodes, or one *Error with a real kind that
// keeps the status that was sent, within the documented bounds, with the
// Location of a 3xx and a known outcome for a 4xx; never a panic and never
// a wait for the context's deadline. (After a 1xx the transport reads the
// rest of the wire as a new response: only the bounds are checked then.)
func FuzzCoreResponse(f *testing.F) {
	f.Add(200, "OK", "application/json", "", "", "", "rid", []byte(`{"name":"example.com"}`))
	f.Add(200, "OK", "application/json", "", "", "", "", []byte(`{"name":42}`))
	f.Add(200, "OK", "application/json", "", "", "", "", []byte(``))
	f.Add(200, "OK", "application/json", "", "", "", "", []byte(strings.Repeat("[", 10001)))
	f.Add(201, "Created", "application/json", "", "", "", "", []byte(`{}`))
	f.Add(204, "No Content", "", "", "", "", "", []byte(nil))
	f.Add(301, "Moved Permanently", "text/html", "", "https://evil.example/x", "", "", []byte(`<a>moved</a>`))
	f.Add(307, "", "", "", "http://127.0.0.1:1/", "", "", []byte(nil))
	f.Add(405, "Method Not Allowed", "application/json", "", "", "GET, HEAD", "r", []byte(`{"message":"no"}`))
	f.Add(429, "Too Many Requests", "application/json", "0", "", "", "", []byte(`{}`))
	f.Add(503, "Service Unavailable", "text/html", "Wed, 21 Oct 2015 07:28:00 GMT", "", "", "", []byte(`<html>down</html>`))
	f.Add(101, "Switching Protocols", "", "", "", "", "", []byte(nil))
	f.Add(103, "Early Hints", "", "", "", "", "", []byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"))
	f.Add(999, "What", "application/json", "", "", "", "", []byte(`{"message":"odd"}`))
	f.Fuzz(func(t *testing.T, status int, reason, contentType, retryAfter, location, allow, requestID string, body []byte) {
		if len(body) > fuzzMaxInput || len(reason)+len(contentType)+len(retryAfter)+len(location)+len(allow)+len(requestID) > fuzzMaxInput {
			t.Skip("input larger than 1 MiB")
		}
		if status < 100 || status > 999 {
			status = 100 + int(uint(status)%900)
		}
		var wire strings.Builder
		fmt.Fprintf(&wire, "HTTP/1.1 %d %s\r\n", status, fuzzHeaderValue(reason))
		sent := http.Header{}
		for k, v := range map[string]string{
			"Content-Type": contentType, "Retry-After": retryAfter, "Location": location,
			"Allow": allow, "X-Request-Id": requestID, "Cf-Ray": requestID,
		} {
			if v = strings.TrimSpace(fuzzHeaderValue(v)); v != "" {
				sent.Set(k, v)
				fmt.Fprintf(&wire, "%s: %s\r\n", k, v)
			}
		}
		fmt.Fprintf(&wire, "Content-Length: %d\r\nConnection: close\r\n\r\n", len(body))
		wire.Write(body)

		provider := []string{ProviderIONOS, ProviderDNSimple, ProviderCloudflare}[len(body)%3]
		c, err := NewCore(testProvider(provider), "fuzz-token", "http://api.example.test",
			WithHTTPClient(&http.Client{Transport: fuzzWireTransport([]byte(wire.String()))}),
			WithRetryPolicy(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxRetryAfter: time.Second}))
		if err != nil {
			t.Fatal(err)
		}
		c.wait = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
		// A watchdog, not a timing assertion: no answer may hold the call
		// until the context's deadline.
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		rsp, err := fuzzGetZone(ctx, c, "http://api.example.test/zones/example.com")
		_, err = Call(c, "GetZone", rsp, err, getJSON200)
		if errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("status %d: the call waited for the context's deadline: %v", status, err)
		}

		ct := sent.Get("Content-Type")
		var z struct {
			Name string `json:"name"`
		}
		decodes := status == 200 && strings.Contains(ct, "json") && json.Unmarshal(body, &z) == nil
		// After an informational (1xx) answer the transport reads the rest
		// of the wire as a new response, whatever it says.
		informational := status < 200
		if err == nil && informational {
			return
		}
		if err == nil {
			if !decodes || rsp == nil || rsp.JSON200 == nil || rsp.HTTPResponse.StatusCode != 200 {
				t.Fatalf("status %d, content type %q, body %q: success reported for an answer that is not one", status, ct, body)
			}
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("Call returned %T %v, want *Error", err, err)
		}
		checkErrorBounds(t, e)
		if !slicesContainsErr(sentinels, e.Kind()) {
			t.Fatalf("kind %v is not one of the sentinels", e.Kind())
		}
		if e.Operation != "GetZone" || e.Provider != provider {
			t.Fatalf("operation/provider not kept: %#v", e)
		}
		switch {
		case status >= 200:
			if decodes {
				t.Fatalf("status 200 with a decodable JSON body failed: %v", err)
			}
			if e.StatusCode != status {
				t.Fatalf("sent status %d, error says %d: %v", status, e.StatusCode, err)
			}
		case e.StatusCode == 0 && e.Kind() != ErrTransport && !strings.Contains(err.Error(), "invalid HTTP status 0"):
			// After a 1xx, the wire may hold a "000" status line.
			t.Fatalf("no status but kind %v: %v", e.Kind(), err)
		}
		if status >= 300 && status <= 399 && e.Location != text.Clip(sent.Get("Location"), fuzzMaxMessageBytes) {
			t.Fatalf("Location %q, sent %q", e.Location, sent.Get("Location"))
		}
		if status >= 400 && status <= 499 && OutcomeUnknown(err) {
			t.Fatalf("a %d is a refusal, but OutcomeUnknown says otherwise: %v", status, err)
		}
	})
}

// fuzzGetZone is a generated-style GetZone: a JSON 200 body decodes into
// JSON200; a body that does not decode is returned with the response and
// the error, as scripts/templates/client-with-responses.tmpl generates.
func fuzzGetZone(ctx context.Context, c *Core, url string) (*fakeGetZoneResponse, error) {
	return fakeGetZone(ctx, c, url)
}

// FuzzValidatePort checks ValidatePort against its documented range, and
// RequireID's documented rules.
func FuzzValidatePort(f *testing.F) {
	f.Add(53, "zone", "0f3a")
	f.Add(0, "id", "..")
	f.Add(65536, "account", "a/b")
	f.Add(-1, "", "\u00a0x")
	f.Fuzz(func(t *testing.T, port int, field, id string) {
		if len(field)+len(id) > fuzzMaxInput {
			t.Skip("input larger than 1 MiB")
		}
		if err := ValidatePort(port); (err == nil) != (port >= 1 && port <= 65535) {
			t.Fatalf("ValidatePort(%d) = %v", port, err)
		} else if err != nil {
			checkInvalid(t, err)
		}
		bad := id == "" || len(id) > 255 || id == "." || id == ".." || strings.ContainsFunc(id, func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsControl(r) || r == '/' || r == '\\' || r == utf8.RuneError
		})
		err := RequireID(field, id)
		if (err != nil) != bad {
			t.Fatalf("RequireID(%q, %q) = %v, want error: %v", field, id, err, bad)
		}
		switch {
		case err == nil:
		case utf8.ValidString(field):
			checkInvalid(t, err)
		default:
			// field is the caller's constant argument name, used as
			// given; only the untrusted id is sanitized.
			if !errors.Is(err, ErrInvalidInput) || strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("RequireID(%q, %q) = %q, want a one-line ErrInvalidInput", field, id, err)
			}
		}
	})
}
