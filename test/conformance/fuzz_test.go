package conformance_test

// Fuzz targets for the whole response path of each adapter (issue 10): a
// fuzzed status, header set and body, served by a loopback server to every
// request of a GetZone or a ListZones, must yield either a valid value or
// one *facade.Error of a real category (one of the Err* sentinels) carrying
// the provider, the operation and, when it reports a status, the status
// that was sent; never a panic and never a hang. Run one with e.g.
//
//	go test -run='^$' -fuzz='^FuzzIONOSGetZone$' -fuzztime=60s ./test/conformance
//
// or all of them with scripts/fuzz.sh (make fuzz), which finds them by name.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/http/httpguts"

	"github.com/secondarydns/secondarydns-go/facade"
)

// fuzzKinds are the categories an error may have.
var fuzzKinds = []error{
	facade.ErrNotFound, facade.ErrUnauthorized, facade.ErrForbidden, facade.ErrRateLimited, facade.ErrConflict,
	facade.ErrInvalidInput, facade.ErrServer, facade.ErrTransport, facade.ErrUnexpectedResponse,
}

// fuzzStatus maps any fuzzed number to a final status, 200–599.
func fuzzStatus(n uint16) int { return 200 + int(n)%400 }

// fuzzHeaders parses "Name: value" lines into headers a server can send,
// leaving out the framing headers (a wrong Content-Length makes a
// different, transport-level test).
func fuzzHeaders(s string) http.Header {
	h := http.Header{}
	for line := range strings.SplitSeq(s, "\n") {
		k, v, ok := strings.Cut(line, ":")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || !httpguts.ValidHeaderFieldName(k) || !httpguts.ValidHeaderFieldValue(v) {
			continue
		}
		switch http.CanonicalHeaderKey(k) {
		case "Content-Length", "Transfer-Encoding", "Connection", "Trailer", "Te", "Upgrade":
			continue
		}
		h.Add(k, v)
	}
	return h
}

// fuzzResponse runs op ("GetZone" or "ListZones") of provider p's adapter
// against a server answering every request with status, headers and body.
func fuzzResponse(f *testing.F, p hostileProvider, op string) {
	seed := func(status int, hdr string, body any) {
		b, _ := json.Marshal(body)
		f.Add(uint16(status-200), hdr, b)
	}
	zone := p.zone(1, "example.com")
	seed(200, "Content-Type: application/json", p.zoneList([]any{zone}, 1, false))
	seed(200, "Content-Type: application/json", p.zoneList([]any{zone, p.zone(2, "other.example")}, 1, true))
	seed(200, "", p.one(zone))
	seed(200, "X-Request-Id: r1\nCf-Ray: r1", json.RawMessage(`{}`))
	seed(200, "", json.RawMessage(`null`))
	seed(201, "", p.one(json.RawMessage(`{"id":"x","name":5}`)))
	seed(204, "", json.RawMessage(`[]`))
	seed(404, "X-Request-Id: r2", map[string]any{"message": "not found"})
	seed(429, "Retry-After: 0", map[string]any{"errors": []any{map[string]any{"code": 10000, "message": "slow down"}}})
	seed(503, "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT", json.RawMessage(`"<html>"`))
	seed(302, "Location: http://127.0.0.1:1/elsewhere", json.RawMessage(`{}`))
	seed(405, "Allow: GET", json.RawMessage(`{"httpStatus":405,"messages":[{"errorCode":"x","message":"no"}]}`))
	seed(200, "Content-Type: text/html", json.RawMessage(`"<html>ok</html>"`))

	srv := newFuzzServer(f)
	// One transport for every exec's client: a client with a transport of
	// its own per exec would leave its kept-alive connection open, and tens
	// of thousands of execs would run out of file descriptors.
	tr := &http.Transport{}
	f.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: tr}
	f.Fuzz(func(t *testing.T, rawStatus uint16, hdr string, body []byte) {
		if len(body) > 1<<16 || len(hdr) > 1<<12 {
			t.Skip()
		}
		status := fuzzStatus(rawStatus)
		headers := fuzzHeaders(hdr)
		srv.serve(status, headers, body)
		c := p.newClient(t, srv.url+p.basePath, facade.WithListLimits(facade.ListLimits{MaxPages: 4}), facade.WithHTTPClient(hc))
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()

		var errs []error
		switch op {
		case "GetZone":
			z, err := c.GetZone(ctx, "example.com")
			if err == nil {
				if z.Name != "example.com" || z.ID == "" || z.Provider != p.name {
					t.Fatalf("GetZone returned an invalid zone with a nil error: %+v", z)
				}
				return
			}
			errs = append(errs, err)
		case "ListZones":
			for z, err := range c.ListZones(ctx) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				if len(errs) > 0 {
					t.Fatalf("ListZones yielded a zone after its error")
				}
				if z.Name == "" || z.ID == "" || z.Provider != p.name {
					t.Fatalf("ListZones yielded an invalid zone: %+v", z)
				}
			}
			if len(errs) == 0 {
				return
			}
			if len(errs) > 1 {
				t.Fatalf("ListZones yielded %d errors: %v", len(errs), errs)
			}
		}
		err := errs[0]
		if errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("%s hung until its deadline: %v", op, err)
		}
		var fe *facade.Error
		if !errors.As(err, &fe) {
			t.Fatalf("%s: %T is not a *facade.Error: %v", op, err, err)
		}
		real := false
		for _, k := range fuzzKinds {
			real = real || fe.Kind() == k
		}
		if !real {
			t.Fatalf("%s: kind %v is not a sentinel", op, fe.Kind())
		}
		if fe.Provider != p.name || fe.Operation != op {
			t.Fatalf("%s: provider %q operation %q: %v", op, fe.Provider, fe.Operation, err)
		}
		switch {
		case fe.StatusCode != 0 && fe.StatusCode != status:
			t.Fatalf("%s: status %d reported, %d sent: %v", op, fe.StatusCode, status, err)
		case status >= 300 && fe.StatusCode != status:
			t.Fatalf("%s: a %d answer lost its status: %v", op, status, err)
		}
		if msg := err.Error(); strings.ContainsAny(msg, "\r\n\x00") {
			t.Fatalf("%s: error is not one line: %q", op, msg)
		}
	})
}

// fuzzServer answers every request with the response set by serve. One
// serves a whole fuzz target: the inputs of a worker run one at a time.
type fuzzServer struct {
	url     string
	mu      sync.Mutex
	status  int
	headers http.Header
	body    []byte
}

func newFuzzServer(f *testing.F) *fuzzServer {
	fs := &fuzzServer{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fs.mu.Lock()
		status, headers, body := fs.status, fs.headers, fs.body
		fs.mu.Unlock()
		for k, vs := range headers {
			w.Header()[k] = vs
		}
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	f.Cleanup(srv.Close)
	fs.url = srv.URL
	return fs
}

func (fs *fuzzServer) serve(status int, headers http.Header, body []byte) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.status, fs.headers, fs.body = status, headers, body
}

func hostile(name string) hostileProvider {
	for _, p := range hostileProviders {
		if p.name == name {
			return p
		}
	}
	panic(name)
}

// FuzzIONOSGetZone fuzzes the answers to IONOS GetZone's requests.
func FuzzIONOSGetZone(f *testing.F) { fuzzResponse(f, hostile(facade.ProviderIONOS), "GetZone") }

// FuzzIONOSListZones fuzzes the answers to IONOS ListZones' requests.
func FuzzIONOSListZones(f *testing.F) { fuzzResponse(f, hostile(facade.ProviderIONOS), "ListZones") }

// FuzzDNSimpleGetZone fuzzes the answers to DNSimple GetZone's requests.
func FuzzDNSimpleGetZone(f *testing.F) { fuzzResponse(f, hostile(facade.ProviderDNSimple), "GetZone") }

// FuzzDNSimpleListZones fuzzes the answers to DNSimple ListZones' requests.
func FuzzDNSimpleListZones(f *testing.F) {
	fuzzResponse(f, hostile(facade.ProviderDNSimple), "ListZones")
}

// FuzzCloudflareGetZone fuzzes the answers to Cloudflare GetZone's requests.
func FuzzCloudflareGetZone(f *testing.F) {
	fuzzResponse(f, hostile(facade.ProviderCloudflare), "GetZone")
}

// FuzzCloudflareListZones fuzzes the answers to Cloudflare ListZones'
// requests.
func FuzzCloudflareListZones(f *testing.F) {
	fuzzResponse(f, hostile(facade.ProviderCloudflare), "ListZones")
}
