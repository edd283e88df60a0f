// Package contract_test holds the contract tests of the generated clients
// gen/ionosapi, gen/dnsimpleapi and gen/cloudflareapi.
//
// What they guarantee, per provider:
//
//   - Every operation of specs/sources.json (which is every operation of the
//     prepared document, and so of the generated client) is called through
//     the generated ClientWithResponses, with realistic arguments, against a
//     loopback server built like spectesting.NewServer (spectest.NewRecorder
//     around the handler, one Validator per provider). That server fails the
//     test on any request or response that does not validate against the
//     provider's prepared OpenAPI document (kin-openapi openapi3filter):
//     parameters, request body, security, response status, headers and body.
//     TestEveryOperationHasAContractRow enforces "every": an operation without
//     a row fails it, unless it is in the skipped map with a reason.
//   - The server records the operation each request matched, and its method
//     and path; a transport on the client side records the request as sent
//     (method, path, query, body, credentials). Each row asserts both, so a
//     row cannot pass by reaching the wrong operation.
//   - The canned responses are real ones wherever they exist: DNSimple's
//     recorded responses (test/testdata/dnsimple/*.http) are replayed with
//     their status and headers; IONOS bodies are the examples of its API
//     reference (copied into test/testdata/contract/ionos); Cloudflare bodies
//     are built from the prepared document's example values
//     (test/testdata/contract/cloudflare). Each row then asserts the typed
//     result the generated client decoded from them, and that the status and
//     replayed headers reached the caller unchanged.
//   - Each provider's error shape (DNSimple 404, IONOS 404 Error, Cloudflare
//     4XX failure envelope) validates and decodes into the typed error field.
//
// What they do not guarantee: that the prepared documents describe the real
// APIs. Only the DNSimple responses were recorded from a real API; the IONOS
// and Cloudflare bodies come from documentation examples. DNSimple's
// pages-*.http recordings do not validate (their items are {"id":N} only);
// TestDNSimplePaginationRecordings says so and checks only their pagination.
//
// Nothing here leaves the loopback interface or reads outside the repository.
package contract_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/test/spectest"
)

// token is the credential every client sends; the handler checks it arrived.
const token = "contract-test-token"

// bearer is the request editor that authenticates every generated client.
func bearer(_ context.Context, r *http.Request) error {
	r.Header.Set("Authorization", "Bearer "+token)
	return nil
}

// canned is the response a test server answers with.
type canned struct {
	status int
	header http.Header
	body   []byte
	source string // the file it comes from, for failure messages
}

// jsonFile returns a canned JSON response with a body from
// test/testdata/contract/<name>.
func jsonFile(t testing.TB, status int, name string) canned {
	t.Helper()
	p := filepath.Join("..", "testdata", "contract", filepath.FromSlash(name))
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	return canned{
		status: status,
		header: http.Header{"Content-Type": {"application/json"}},
		body:   b,
		source: p,
	}
}

// hopByHop lists the headers that belong to the recorded connection, not to
// the response, and are dropped when a recording is replayed (Content-Length
// is recomputed by the test server).
var hopByHop = []string{
	"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
	"Content-Length",
}

// parseHTTP reads a recorded raw HTTP response (status line, headers, blank
// line, body), as stored in test/testdata/dnsimple/*.http. Headers keep their
// recorded values and order; hop-by-hop headers are dropped.
func parseHTTP(raw []byte) (canned, error) {
	rsp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
	if err != nil {
		return canned{}, err
	}
	defer rsp.Body.Close()
	body, err := io.ReadAll(rsp.Body)
	if err != nil {
		return canned{}, err
	}
	h := rsp.Header.Clone()
	for _, k := range hopByHop {
		h.Del(k)
	}
	return canned{status: rsp.StatusCode, header: h, body: body}, nil
}

// recorded returns the DNSimple recording test/testdata/dnsimple/<name>.
func recorded(t testing.TB, name string) canned {
	t.Helper()
	p := filepath.Join("..", "testdata", "dnsimple", name)
	raw, err := os.ReadFile(p)
	require.NoError(t, err)
	c, err := parseHTTP(raw)
	require.NoError(t, err, "parsing %s", p)
	c.source = p
	return c
}

// contractCase is one row of a provider's table: one call of one operation
// through the generated client C.
type contractCase[C any] struct {
	op     string     // operation ID, as in specs/sources.json
	name   string     // subtest name when it is not op (extra rows, e.g. errors)
	method string     // expected request method
	path   string     // expected request path below the base path, as sent
	query  url.Values // expected query parameters; nil means none
	body   string     // expected JSON request body; "" means none
	resp   canned
	// call makes the request with the generated client, asserts the typed
	// result and returns the raw response.
	call func(t *testing.T, ctx context.Context, c C) *http.Response
}

func (tc contractCase[C]) testName() string {
	if tc.name != "" {
		return tc.name
	}
	return tc.op
}

// sentRequest is a request as the generated client sent it.
type sentRequest struct {
	method string
	path   string
	query  url.Values
	auth   string
	body   []byte
}

// recordingTransport records the requests a client sends. It sits on the
// client side because the validating server lets openapi3filter add the
// defaults of absent query parameters (e.g. Cloudflare's match=all) to the
// request before the handler sees it.
type recordingTransport struct {
	next http.RoundTripper
	mu   sync.Mutex
	sent []sentRequest
}

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	s := sentRequest{
		method: req.Method,
		path:   req.URL.EscapedPath(),
		query:  req.URL.Query(),
		auth:   req.Header.Get("Authorization"),
	}
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		s.body = b
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	rt.mu.Lock()
	rt.sent = append(rt.sent, s)
	rt.mu.Unlock()
	return rt.next.RoundTrip(req)
}

func (rt *recordingTransport) requests() []sentRequest {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]sentRequest(nil), rt.sent...)
}

// matchedRoute is what the test server received: the operation the request
// matched in the prepared document, and its method and path.
type matchedRoute struct {
	operationID string
	method      string
	path        string
}

// newValidatingServer is spectesting.NewServer with a validator the caller
// already has (loading and checking a prepared document for every row would
// dominate the package's run time): a loopback server that passes every
// request to h and fails t on any request or response that does not match
// the provider's prepared document.
func newValidatingServer(t *testing.T, v *spectest.Validator, h http.Handler) (*httptest.Server, *spectest.Recorder) {
	t.Helper()
	rec := spectest.NewRecorder(v, h, func(err error) { t.Errorf("spectest %s: %v", v.Provider(), err) })
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return srv, rec
}

// runContract runs every row against its own validating server. newClient
// builds the provider's generated client for a server URL (which includes the
// document's base path) and HTTP client.
func runContract[C any](t *testing.T, provider string, newClient func(server string, hc *http.Client) (C, error), cases []contractCase[C]) {
	t.Helper()
	// One validator per provider (it is safe for concurrent use): it
	// validates every exchange and names the operation a request matched.
	v, err := spectest.NewValidator(provider)
	require.NoError(t, err)
	for _, tc := range cases {
		t.Run(tc.testName(), func(t *testing.T) {
			t.Parallel()
			var (
				mu     sync.Mutex
				routes []matchedRoute
			)
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				m := matchedRoute{method: r.Method, path: r.URL.EscapedPath()}
				if ex, _ := v.ValidateRequest(r); ex != nil {
					m.operationID = ex.OperationID
				}
				mu.Lock()
				routes = append(routes, m)
				mu.Unlock()
				for k, vs := range tc.resp.header {
					w.Header()[k] = append([]string(nil), vs...)
				}
				w.WriteHeader(tc.resp.status)
				_, _ = w.Write(tc.resp.body)
			})
			srv, rec := newValidatingServer(t, v, h)
			hc := srv.Client()
			rt := &recordingTransport{next: hc.Transport}
			hc.Transport = rt
			c, err := newClient(srv.URL+v.BasePath(), hc)
			require.NoError(t, err)

			rsp := tc.call(t, context.Background(), c)

			// Both exchanges validated (failures were already reported).
			assert.Equal(t, 1, rec.Served(), "requests validated")
			assert.Empty(t, rec.Errors(), "validation failures")

			// The route the server matched.
			mu.Lock()
			defer mu.Unlock()
			require.Len(t, routes, 1, "requests the server received")
			assert.Equal(t, tc.op, routes[0].operationID, "operation the request matched")
			assert.Equal(t, tc.method, routes[0].method)
			assert.Equal(t, v.BasePath()+tc.path, routes[0].path)

			// The request as the client sent it.
			sent := rt.requests()
			require.Len(t, sent, 1, "requests the client sent")
			got := sent[0]
			assert.Equal(t, tc.method, got.method)
			assert.Equal(t, v.BasePath()+tc.path, got.path)
			assertQuery(t, tc.query, got.query)
			assert.Equal(t, "Bearer "+token, got.auth)
			if tc.body == "" {
				assert.Empty(t, got.body, "request body")
			} else {
				assert.JSONEq(t, tc.body, string(got.body), "request body")
			}

			// The response reached the caller as canned.
			require.NotNil(t, rsp, "raw response")
			assert.Equal(t, tc.resp.status, rsp.StatusCode, "status of %s", tc.resp.source)
			for k := range tc.resp.header {
				assert.Equal(t, tc.resp.header.Values(k), rsp.Header.Values(k), "header %s of %s", k, tc.resp.source)
			}
		})
	}
}

func assertQuery(t *testing.T, want, got url.Values) {
	t.Helper()
	if len(want) == 0 {
		assert.Empty(t, got, "query")
		return
	}
	assert.Equal(t, want, got, "query")
}

// ptr returns a pointer to v, for the generated clients' optional fields.
func ptr[T any](v T) *T { return &v }
