package core

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	. "github.com/secondarydns/secondarydns-go/facade"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func TestKindForStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status int
		want   error
	}{
		{200, nil}, {204, nil}, {299, nil},
		{400, ErrInvalidInput}, {422, ErrInvalidInput},
		{401, ErrUnauthorized}, {403, ErrForbidden}, {404, ErrNotFound},
		{409, ErrConflict}, {429, ErrRateLimited},
		{500, ErrServer}, {502, ErrServer}, {503, ErrServer}, {504, ErrServer}, {599, ErrServer},
		{100, ErrUnexpectedResponse}, {302, ErrUnexpectedResponse}, {405, ErrUnexpectedResponse},
		{418, ErrUnexpectedResponse}, {600, ErrUnexpectedResponse}, {0, ErrUnexpectedResponse},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, KindForStatus(tt.status), "status %d", tt.status)
	}
}

func TestDecodeErrorBody(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	html502 := []byte("<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>")
	tests := []struct {
		name       string
		provider   string
		status     int
		header     http.Header
		body       string
		kind       error
		also       []error
		codes      []string
		messages   []string
		fields     map[string][]string
		requestID  string
		retryAfter time.Duration
	}{
		{
			name: "cloudflare 400", provider: ProviderCloudflare, status: 400,
			header: hdr("Cf-Ray", "8a1b2c3d4e5f-AMS"),
			body:   `{"success":false,"errors":[{"code":1001,"message":"Invalid zone identifier"}],"messages":[],"result":null}`,
			kind:   ErrInvalidInput, codes: []string{"1001"}, messages: []string{"Invalid zone identifier"}, requestID: "8a1b2c3d4e5f-AMS",
		},
		{
			name: "cloudflare 1061 already exists", provider: ProviderCloudflare, status: 400,
			body: `{"success":false,"errors":[{"code":1061,"message":"example.com already exists"}],"messages":[],"result":null}`,
			kind: ErrConflict, also: []error{ErrInvalidInput}, codes: []string{"1061"}, messages: []string{"example.com already exists"},
		},
		{
			name: "cloudflare conflict by message", provider: ProviderCloudflare, status: 422,
			body: `{"success":false,"errors":[{"code":1099,"message":"Zone Already Exists"}]}`,
			kind: ErrConflict, also: []error{ErrInvalidInput}, codes: []string{"1099"}, messages: []string{"Zone Already Exists"},
		},
		{
			name: "cloudflare 401 with error chain and string code", provider: ProviderCloudflare, status: 401,
			body: `{"success":false,"errors":[{"code":"10000","message":"Authentication error","error_chain":[{"code":6003,"message":"Invalid request headers"}]}]}`,
			kind: ErrUnauthorized, codes: []string{"10000", "6003"}, messages: []string{"Authentication error", "Invalid request headers"},
		},
		{
			name: "cloudflare 403", provider: ProviderCloudflare, status: 403,
			body: `{"success":false,"errors":[{"code":9109,"message":"Unauthorized to access requested resource"}]}`,
			kind: ErrForbidden, codes: []string{"9109"}, messages: []string{"Unauthorized to access requested resource"},
		},
		{
			name: "cloudflare 404", provider: ProviderCloudflare, status: 404,
			body: `{"success":false,"errors":[{"code":7003,"message":"Could not route"}]}`,
			kind: ErrNotFound, codes: []string{"7003"}, messages: []string{"Could not route"},
		},
		{
			name: "cloudflare 429 retry-after", provider: ProviderCloudflare, status: 429,
			header: hdr("Retry-After", "7"),
			body:   `{"success":false,"errors":[{"code":971,"message":"Please wait and consider throttling your request speed"}]}`,
			kind:   ErrRateLimited, codes: []string{"971"}, messages: []string{"Please wait and consider throttling your request speed"}, retryAfter: 7 * time.Second,
		},
		{
			name: "cloudflare html 502", provider: ProviderCloudflare, status: 502, body: string(html502),
			kind: ErrServer, messages: []string{"502 Bad Gateway 502 Bad Gateway nginx"},
		},
		{
			name: "dnsimple validation", provider: ProviderDNSimple, status: 400,
			header: hdr("X-Request-Id", "9c19a2b0-req"),
			body:   `{"message":"Validation failed","errors":{"name":["can't be blank","is invalid"],"primaries":["is too short"]}}`,
			kind:   ErrInvalidInput, messages: []string{"Validation failed"}, requestID: "9c19a2b0-req",
			fields: map[string][]string{"name": {"can't be blank", "is invalid"}, "primaries": {"is too short"}},
		},
		{
			name: "dnsimple taken is conflict", provider: ProviderDNSimple, status: 400,
			body: `{"message":"Validation failed","errors":{"name":["has already been taken"]}}`,
			kind: ErrConflict, also: []error{ErrInvalidInput}, messages: []string{"Validation failed"},
			fields: map[string][]string{"name": {"has already been taken"}},
		},
		{
			name: "dnsimple errors of other shapes", provider: ProviderDNSimple, status: 422,
			body: `{"message":"Nope","errors":{"base":"single string","weird":[1,{"x":1}],"n":42}}`,
			kind: ErrInvalidInput, messages: []string{"Nope"}, fields: map[string][]string{"base": {"single string"}},
		},
		{
			name: "dnsimple 404", provider: ProviderDNSimple, status: 404,
			body: "{\"message\":\"Zone `0` not found\"}",
			kind: ErrNotFound, messages: []string{"Zone `0` not found"},
		},
		{
			name: "dnsimple 429 ratelimit reset", provider: ProviderDNSimple, status: 429,
			header: hdr("X-RateLimit-Reset", "1767323105", "X-RateLimit-Remaining", "0"), // now+60s
			body:   `{"message":"API rate limit exceeded"}`,
			kind:   ErrRateLimited, messages: []string{"API rate limit exceeded"}, retryAfter: 60 * time.Second,
		},
		{
			name: "dnsimple 429 retry-after wins", provider: ProviderDNSimple, status: 429,
			header: hdr("X-RateLimit-Reset", "1767323105", "Retry-After", "3"),
			body:   `{"message":"slow down"}`,
			kind:   ErrRateLimited, messages: []string{"slow down"}, retryAfter: 3 * time.Second,
		},
		{
			name: "dnsimple reset ignored when not 429", provider: ProviderDNSimple, status: 401,
			header: hdr("X-RateLimit-Reset", "1767323105"),
			body:   `{"message":"Authentication failed"}`,
			kind:   ErrUnauthorized, messages: []string{"Authentication failed"},
		},
		{
			name: "ionos 404", provider: ProviderIONOS, status: 404,
			header: hdr("X-Request-Id", "ionos-req-1"),
			body:   `{"httpStatus":404,"messages":[{"errorCode":"dns-404-1","message":"zone not found"}]}`,
			kind:   ErrNotFound, codes: []string{"dns-404-1"}, messages: []string{"zone not found"}, requestID: "ionos-req-1",
		},
		{
			name: "ionos 409", provider: ProviderIONOS, status: 409,
			header: hdr("X-Correlation-Id", "corr-7"),
			body:   `{"httpStatus":409,"messages":[{"errorCode":"dns-409-1","message":"zone already exists"}]}`,
			kind:   ErrConflict, codes: []string{"dns-409-1"}, messages: []string{"zone already exists"}, requestID: "corr-7",
		},
		{
			name: "ionos 400 multi", provider: ProviderIONOS, status: 400,
			body: `{"httpStatus":400,"messages":[{"errorCode":"dns-400-1","message":"bad name"},{"errorCode":"dns-400-2","message":"bad ip"}]}`,
			kind: ErrInvalidInput, codes: []string{"dns-400-1", "dns-400-2"}, messages: []string{"bad name", "bad ip"},
		},
		{
			name: "ionos 401", provider: ProviderIONOS, status: 401,
			body: `{"httpStatus":401,"messages":[{"errorCode":"paas-auth-1","message":"Unauthorized"}]}`,
			kind: ErrUnauthorized, codes: []string{"paas-auth-1"}, messages: []string{"Unauthorized"},
		},
		{
			name: "ionos 500", provider: ProviderIONOS, status: 500,
			body: `{"httpStatus":500,"messages":[{"errorCode":"dns-500","message":"internal"}]}`,
			kind: ErrServer, codes: []string{"dns-500"}, messages: []string{"internal"},
		},
		{
			name: "ionos 503 http-date", provider: ProviderIONOS, status: 503,
			header: hdr("Retry-After", "Fri, 02 Jan 2026 03:04:35 GMT"),
			kind:   ErrServer, retryAfter: 30 * time.Second,
		},
		{name: "empty body 404", provider: ProviderIONOS, status: 404, kind: ErrNotFound},
		{name: "whitespace body 403", provider: ProviderDNSimple, status: 403, body: " \n\t", kind: ErrForbidden},
		{
			name: "truncated json", provider: ProviderDNSimple, status: 400, body: `{"message":"Validation fai`,
			kind: ErrInvalidInput, messages: []string{`{"message":"Validation fai`},
		},
		{
			name: "binary junk", provider: ProviderCloudflare, status: 500, body: "\x00\x01\x02\xff\xfe",
			kind: ErrServer, messages: []string{"non-text body (5 bytes)"},
		},
		{
			name: "json without known fields", provider: ProviderIONOS, status: 418, body: `{"foo":"bar"}`,
			kind: ErrUnexpectedResponse, messages: []string{"I'm a teapot", `{"foo":"bar"}`},
		},
		{
			name: "json array body", provider: ProviderIONOS, status: 400, body: `["a","b"]`,
			kind: ErrInvalidInput, messages: []string{`["a","b"]`},
		},
		{
			name: "2xx is unexpected", provider: ProviderIONOS, status: 200, body: `{}`,
			kind: ErrUnexpectedResponse, messages: []string{`{}`},
		},
		{
			name: "unknown provider generic error object", provider: "other", status: 400,
			header: hdr("Cf-Ray", "ray-1"),
			body:   `{"error":{"code":"E1","message":"boom"}}`,
			kind:   ErrInvalidInput, codes: []string{"E1"}, messages: []string{"boom"}, requestID: "ray-1",
		},
		{
			name: "control characters in messages are sanitized", provider: ProviderDNSimple, status: 400,
			body: "{\"message\":\"line1\\nline2\\u0007\\u001b[31mred\"}",
			kind: ErrInvalidInput, messages: []string{"line1 line2 [31mred"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := testProvider(tt.provider).decodeErrorBody(tt.status, "", tt.header, []byte(tt.body), now)
			require.NotNil(t, e)
			assert.Equal(t, tt.provider, e.Provider)
			assert.Equal(t, tt.status, e.StatusCode)
			assert.Equal(t, tt.kind, e.Kind())
			assert.ErrorIs(t, e, tt.kind)
			for _, k := range tt.also {
				assert.ErrorIs(t, e, k)
			}
			assert.Equal(t, tt.codes, e.Codes)
			assert.Equal(t, tt.messages, e.Messages)
			assert.Equal(t, tt.fields, e.Fields)
			assert.Equal(t, tt.requestID, e.RequestID)
			assert.Equal(t, tt.retryAfter, e.RetryAfter)
			assert.NotContains(t, e.Error(), "\n")
		})
	}
}

func TestDecodeErrorBodyBounds(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("x", 1<<20)
	t.Run("long non-json body", func(t *testing.T) {
		t.Parallel()
		e := testProvider(ProviderIONOS).DecodeErrorBody(502, nil, []byte(huge))
		require.Len(t, e.Messages, 1)
		assert.LessOrEqual(t, len(e.Messages[0]), 200)
		assert.ErrorIs(t, e, ErrServer)
	})
	t.Run("long message and many items", func(t *testing.T) {
		t.Parallel()
		var b strings.Builder
		b.WriteString(`{"message":"` + huge + `","errors":[`)
		for i := range 1000 {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"code":` + strconv.Itoa(i) + `,"message":"m` + strconv.Itoa(i) + `"}`)
		}
		b.WriteString(`]}`)
		e := testProvider(ProviderCloudflare).DecodeErrorBody(400, nil, []byte(b.String()))
		assert.LessOrEqual(t, len(e.Messages), maxMessages)
		assert.LessOrEqual(t, len(e.Codes), maxMessages)
		for _, m := range e.Messages {
			assert.LessOrEqual(t, len(m), maxMessageBytes)
		}
	})
	t.Run("utf8 cut on rune boundary", func(t *testing.T) {
		t.Parallel()
		e := testProvider(ProviderIONOS).DecodeErrorBody(500, nil, []byte(strings.Repeat("ü", 300)))
		require.Len(t, e.Messages, 1)
		assert.Equal(t, strings.Repeat("ü", 100), e.Messages[0])
	})
	t.Run("deeply nested json", func(t *testing.T) {
		t.Parallel()
		body := `{"errors":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}`
		e := testProvider(ProviderIONOS).DecodeErrorBody(400, nil, []byte(body))
		assert.ErrorIs(t, e, ErrInvalidInput)
	})
}

func FuzzDecodeErrorBody(f *testing.F) {
	f.Add(400, []byte(`{"success":false,"errors":[{"code":1061,"message":"already exists"}]}`))
	f.Add(422, []byte(`{"message":"Validation failed","errors":{"name":["can't be blank"]}}`))
	f.Add(404, []byte(`{"httpStatus":404,"messages":[{"errorCode":"dns-404","message":"x"}]}`))
	f.Add(502, []byte("<html>bad gateway</html>"))
	f.Add(500, []byte("\xff\x00{"))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		for _, p := range []string{ProviderIONOS, ProviderDNSimple, ProviderCloudflare, ""} {
			e := testProvider(p).DecodeErrorBody(status, hdr("Retry-After", "5"), body)
			if e == nil || e.Kind() == nil {
				t.Fatal("nil error or kind")
			}
			if len(e.Messages) > maxMessages+1 || strings.ContainsAny(e.Error(), "\n\r") {
				t.Fatalf("unbounded or multi-line: %q", e.Error())
			}
		}
	})
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true},
		{"120", 120 * time.Second, true},
		{" 5 ", 5 * time.Second, true},
		{"Fri, 02 Jan 2026 03:05:05 GMT", time.Minute, true},
		{"Friday, 02-Jan-26 03:05:05 GMT", time.Minute, true},
		{"Fri Jan  2 03:05:05 2026", time.Minute, true},
		{"Thu, 01 Jan 2026 00:00:00 GMT", 0, true}, // past
		{"99999999999999999999", maxParsedWait, true},
		{"", 0, false},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseRetryAfter(tt.in, now)
		assert.Equal(t, tt.ok, ok, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}

func TestErrorFormatting(t *testing.T) {
	t.Parallel()
	e := testProvider(ProviderDNSimple).DecodeErrorBody(404, hdr("X-Request-Id", "9c19"), []byte("{\"message\":\"Zone `x` not found\"}"))
	e.Operation = "GetZone"
	assert.Equal(t, "dnsimple: GetZone: 404 not found: Zone `x` not found (request 9c19)", e.Error())

	e = testProvider(ProviderCloudflare).DecodeErrorBody(429, hdr("Retry-After", "2", "Cf-Ray", "r"), []byte(`{"errors":[{"code":971,"message":"slow"}]}`))
	assert.Equal(t, "cloudflare: 429 rate limited: slow [971] (retry after 2s) (request r)", e.Error())

	e = testProvider(ProviderDNSimple).DecodeErrorBody(400, nil, []byte(`{"errors":{"name":["is bad"]}}`))
	assert.Equal(t, "dnsimple: 400 invalid input: name is bad", e.Error())

	tr := transportError(ProviderIONOS, "ListZones", context.Canceled, errors.New("dial tcp: boom"))
	assert.Equal(t, "context canceled\ndial tcp: boom", tr.Cause().Error())
	assert.Equal(t, "ionos: ListZones: transport error: context canceled dial tcp: boom", tr.Error())
	assert.ErrorIs(t, tr, context.Canceled)
	assert.ErrorIs(t, tr, ErrTransport)
	assert.NotErrorIs(t, tr, ErrServer)

	var nilErr *Error
	assert.Equal(t, "<nil>", nilErr.Error())
	assert.Equal(t, ErrUnexpectedResponse, nilErr.Kind())
	assert.Nil(t, nilErr.Unwrap())
	assert.Equal(t, ErrUnexpectedResponse, (&Error{}).Kind())
}

func TestInvalid(t *testing.T) {
	t.Parallel()
	e := Invalid("CreateZone", errors.New("bad thing"))
	assert.ErrorIs(t, e, ErrInvalidInput)
	assert.Equal(t, "CreateZone: invalid input: bad thing", e.Error())

	_, err := NormalizeZoneName("")
	e = Invalid("GetZone", err)
	assert.Equal(t, "GetZone", e.Operation)
	assert.ErrorIs(t, e, ErrInvalidInput)
	var orig *Error
	require.ErrorAs(t, err, &orig)
	assert.Empty(t, orig.Operation, "Invalid must not mutate its argument")

	// Keeps the kind of an existing *Error.
	e = Invalid("X", testProvider(ProviderIONOS).DecodeErrorBody(404, nil, nil))
	assert.ErrorIs(t, e, ErrNotFound)
}
