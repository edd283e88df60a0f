package core

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	. "github.com/secondarydns/secondarydns-go/facade"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Shapes mirroring oapi-codegen's generated "WithResponse" structs.
type fakeZone struct {
	Name string `json:"name"`
}

type fakeGetZoneResponse struct {
	Body         []byte
	HTTPResponse *http.Response
	JSON200      *fakeZone
	JSON404      *struct {
		Message string `json:"message"`
	}
}

type fakeCreateZoneResponse struct {
	Body         []byte
	HTTPResponse *http.Response
	JSON201      *fakeZone
}

type fakeRangeResponse struct {
	Body         []byte
	HTTPResponse *http.Response
	JSON2XX      *fakeZone
	JSON4XX      *struct{}
}

type fakeDeleteZoneResponse struct {
	Body         []byte
	HTTPResponse *http.Response
}

// Raw is what scripts/templates/client-with-responses.tmpl adds to every
// generated response.
func (r *fakeGetZoneResponse) Raw() (*http.Response, []byte) {
	if r == nil {
		return nil, nil
	}
	return r.HTTPResponse, r.Body
}

func (r *fakeCreateZoneResponse) Raw() (*http.Response, []byte) {
	if r == nil {
		return nil, nil
	}
	return r.HTTPResponse, r.Body
}

func (r *fakeRangeResponse) Raw() (*http.Response, []byte) {
	if r == nil {
		return nil, nil
	}
	return r.HTTPResponse, r.Body
}

func (r *fakeDeleteZoneResponse) Raw() (*http.Response, []byte) {
	if r == nil {
		return nil, nil
	}
	return r.HTTPResponse, r.Body
}

func getJSON200(r *fakeGetZoneResponse) *fakeZone    { return r.JSON200 }
func getJSON201(r *fakeCreateZoneResponse) *fakeZone { return r.JSON201 }
func getJSON2XX(r *fakeRangeResponse) *fakeZone      { return r.JSON2XX }

// fakeGetZone behaves like a generated GetZoneWithResponse: it parses JSON
// bodies for 200 and 404 and fails on undecodable JSON, returning the
// response with the error.
func fakeGetZone(ctx context.Context, doer interface {
	Do(*http.Request) (*http.Response, error)
}, url string) (*fakeGetZoneResponse, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	rsp, err := doer.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(rsp.Body)
	defer func() { _ = rsp.Body.Close() }()
	if err != nil {
		return nil, err
	}
	r := &fakeGetZoneResponse{Body: body, HTTPResponse: rsp}
	isJSON := strings.Contains(rsp.Header.Get("Content-Type"), "json")
	switch {
	case isJSON && rsp.StatusCode == 200:
		var z fakeZone
		if err := json.Unmarshal(body, &z); err != nil {
			return r, err // as scripts/templates/client-with-responses.tmpl generates
		}
		r.JSON200 = &z
	case isJSON && rsp.StatusCode == 404:
		if err := json.Unmarshal(body, &r.JSON404); err != nil {
			return r, err
		}
	}
	return r, nil
}

func TestCheckResponseEndToEnd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		ct       string
		status   int
		body     string
		kind     error
		status0  int
		contains string
	}{
		{name: "200 ok", ct: "application/json", status: 200, body: `{"name":"example.com"}`},
		{name: "200 html", ct: "text/html", status: 200, body: "<html><body>login</body></html>", kind: ErrUnexpectedResponse, status0: 200, contains: "login"},
		{name: "200 empty json", ct: "application/json", status: 200, body: "", kind: ErrUnexpectedResponse, status0: 200, contains: "response body is empty where a JSON document was expected"},
		{name: "200 truncated json", ct: "application/json", status: 200, body: `{"name":"exa`, kind: ErrUnexpectedResponse, status0: 200},
		{name: "200 html labelled json", ct: "application/json; charset=utf-8", status: 200, body: "<html><body>Sign in</body></html>\n", kind: ErrUnexpectedResponse, status0: 200, contains: "Sign in"},
		{name: "200 json with trailing newline", ct: "application/json", status: 200, body: "{\"name\":\"example.com\"}\n"},
		{name: "200 wrong json type", ct: "application/json", status: 200, body: `{"name":42}`, kind: ErrUnexpectedResponse, status0: 200, contains: `response field "name" holds a JSON number where a string was expected`},
		{name: "404 json", ct: "application/json", status: 404, body: `{"message":"Zone not found"}`, kind: ErrNotFound, status0: 404, contains: "Zone not found"},
		{name: "404 json of the wrong shape", ct: "application/json", status: 404, body: `["x"]`, kind: ErrNotFound, status0: 404},
		{name: "502 html", ct: "text/html", status: 502, body: "<html><title>502 Bad Gateway</title></html>", kind: ErrServer, status0: 502, contains: "502 Bad Gateway"},
		{name: "401 empty", status: 401, kind: ErrUnauthorized, status0: 401},
		{name: "403", ct: "application/json", status: 403, body: `{"message":"no"}`, kind: ErrForbidden, status0: 403},
		{name: "409", ct: "application/json", status: 409, body: `{"message":"exists"}`, kind: ErrConflict, status0: 409},
		{name: "422", ct: "application/json", status: 422, body: `{"message":"bad"}`, kind: ErrInvalidInput, status0: 422},
		{name: "418", ct: "text/plain", status: 418, body: "teapot", kind: ErrUnexpectedResponse, status0: 418},
		{name: "201 not declared", ct: "application/json", status: 201, body: `{}`, kind: ErrUnexpectedResponse, status0: 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := server(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				if tt.ct != "" {
					w.Header().Set("Content-Type", tt.ct)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			})
			c := newTestCore(t, ProviderDNSimple, srv.URL)
			rsp, err := fakeGetZone(t.Context(), c, srv.URL+"/zones/example.com")
			z, err := Call(c, "GetZone", rsp, err, getJSON200)
			if tt.kind == nil {
				require.NoError(t, err)
				assert.Equal(t, "example.com", z.Name)
				return
			}
			assert.Nil(t, z)
			require.ErrorIs(t, err, tt.kind)
			var fe *Error
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, "GetZone", fe.Operation)
			assert.Equal(t, ProviderDNSimple, fe.Provider)
			assert.Equal(t, tt.status0, fe.StatusCode)
			assert.Contains(t, err.Error(), tt.contains)
			assert.True(t, strings.HasPrefix(err.Error(), "dnsimple: GetZone: "), err.Error())
		})
	}
}

func TestCheckResponseTransportAndContext(t *testing.T) {
	t.Parallel()
	c := newTestCore(t, ProviderIONOS, "https://api.example.com")
	var nilRsp *fakeGetZoneResponse

	_, err := Call(c, "ListZones", nilRsp, errors.New("dial tcp 127.0.0.1:1: connect: connection refused"), getJSON200)
	require.ErrorIs(t, err, ErrTransport)
	assert.Equal(t, "ionos: ListZones: transport error: dial tcp 127.0.0.1:1: connect: connection refused", err.Error())

	err = Exec(c, "ListZones", nilRsp, context.Canceled)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, err, ErrTransport)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	rsp, err := fakeGetZone(ctx, c, "https://api.example.com/zones/x")
	_, err = Call(c, "GetZone", rsp, err, getJSON200)
	require.ErrorIs(t, err, context.Canceled)
	var fe *Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "GetZone", fe.Operation)

	// A nil response without an error is unexpected, not a panic.
	_, err = Call(c, "GetZone", nilRsp, nil, getJSON200)
	require.ErrorIs(t, err, ErrUnexpectedResponse)
	require.ErrorIs(t, Exec[*fakeDeleteZoneResponse](c, "GetZone", nil, nil), ErrUnexpectedResponse)
	require.ErrorIs(t, c.Check("GetZone", nil, nil, nil, true), ErrUnexpectedResponse)
}

// TestCallShapes: which field holds the payload is the adapter's choice
// (payload), checked by the compiler; a response of another shape (not a
// generated response, a value instead of a pointer) no longer compiles.
func TestCallShapes(t *testing.T) {
	t.Parallel()
	c := newTestCore(t, ProviderCloudflare, "https://api.example.com")
	ok := func(status int) *http.Response {
		return &http.Response{StatusCode: status, Header: http.Header{}}
	}
	create := func(r *fakeCreateZoneResponse) func() error {
		return func() error { _, err := Call(c, "Op", r, nil, getJSON201); return err }
	}
	rng := func(r *fakeRangeResponse) func() error {
		return func() error { _, err := Call(c, "Op", r, nil, getJSON2XX); return err }
	}
	del := func(r *fakeDeleteZoneResponse) func() error {
		return func() error { return Exec(c, "Op", r, nil) }
	}
	tests := []struct {
		name string
		call func() error
		kind error
	}{
		{name: "delete 204 without JSON fields", call: del(&fakeDeleteZoneResponse{HTTPResponse: ok(204)})},
		{name: "delete 200 without JSON fields", call: del(&fakeDeleteZoneResponse{HTTPResponse: ok(200), Body: []byte(`{}`)})},
		{name: "create 201 decoded", call: create(&fakeCreateZoneResponse{HTTPResponse: ok(201), JSON201: &fakeZone{}})},
		{name: "create 201 not decoded", call: create(&fakeCreateZoneResponse{HTTPResponse: ok(201)}), kind: ErrUnexpectedResponse},
		{name: "create 200 undeclared", call: create(&fakeCreateZoneResponse{HTTPResponse: ok(200)}), kind: ErrUnexpectedResponse},
		{name: "2XX range decoded", call: rng(&fakeRangeResponse{HTTPResponse: ok(202), JSON2XX: &fakeZone{}})},
		{name: "2XX range not decoded", call: rng(&fakeRangeResponse{HTTPResponse: ok(200)}), kind: ErrUnexpectedResponse},
		{name: "non-2xx", call: del(&fakeDeleteZoneResponse{HTTPResponse: &http.Response{StatusCode: 404, Header: http.Header{"Cf-Ray": {"r1"}}}, Body: []byte(`{"errors":[{"code":1001,"message":"nope"}]}`)}), kind: ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.call()
			if tt.kind == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.kind)
		})
	}
}

func TestCheckExplicit(t *testing.T) {
	t.Parallel()
	c := newTestCore(t, ProviderDNSimple, "https://api.example.com")
	resp := &http.Response{StatusCode: 200, Header: http.Header{"X-Request-Id": {"abc"}}}
	assert.NoError(t, c.Check("GetZone", resp, []byte(`{}`), nil, true))

	err := c.Check("GetZone", resp, []byte("<html>maintenance</html>"), nil, false)
	require.ErrorIs(t, err, ErrUnexpectedResponse)
	var fe *Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, 200, fe.StatusCode)
	assert.Equal(t, "abc", fe.RequestID)

	// Errors from Do or validation keep their kind and gain the operation,
	// without mutating the original.
	orig := testProvider(ProviderDNSimple).DecodeErrorBody(429, http.Header{"Retry-After": {"9"}}, nil)
	err = c.Check("ListZones", nil, nil, orig, false)
	require.ErrorIs(t, err, ErrRateLimited)
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "ListZones", fe.Operation)
	assert.Equal(t, int64(9), int64(fe.RetryAfter.Seconds()))
	assert.Empty(t, orig.Operation)

	_, verr := NormalizeZoneName("bad..name")
	err = c.Invalid("CreateZone", verr)
	require.ErrorIs(t, err, ErrInvalidInput)
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, ProviderDNSimple, fe.Provider)
	assert.Equal(t, "CreateZone", fe.Operation)
	err = c.Invalid("CreateZone", errors.New("primaries required"))
	assert.Equal(t, "dnsimple: CreateZone: invalid input: primaries required", err.Error())
}
