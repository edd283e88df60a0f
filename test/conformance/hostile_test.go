package conformance_test

// Hostile-server tests (issue 10): each adapter talks to an httptest server
// whose answers the test scripts per request, to show that the facade
// trusts nothing the server says: endless or repeating pages end with a
// clear error (class 4), an answer about another zone is never acted on
// (class 5), a 2xx without the expected resource is ErrUnexpectedResponse
// keeping status and request id (class 6), and waiting for the
// provisioning lock honours the context (class 7). The fuzz targets in
// fuzz_test.go use the same servers.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
	"github.com/secondarydns/secondarydns-go/test/conformance"
)

const (
	hostileAccountDNSimple   = 1010
	hostileAccountCloudflare = "0123456789abcdef0123456789abcdef"
	hostileRequestID         = "req-hostile-1"
)

// hostileProvider knows one provider's paths and JSON shapes well enough
// to script a server for its adapter.
type hostileProvider struct {
	name string
	// basePath is appended to the server URL to make the client's base URL.
	basePath string
	// newClient returns a client for baseURL.
	newClient func(t testing.TB, baseURL string, opts ...facade.Option) facade.SecondaryDNS
	// zone is zone number i called name, as the provider renders it.
	zone func(i int, name string) any
	// zoneList is a page of zones; more says whether another page follows.
	zoneList func(zones []any, page int, more bool) any
	// one wraps a single resource in the provider's envelope.
	one func(v any) any
	// isZoneList and isZoneGet recognise the zone listing and (DNSimple)
	// the GET of a zone by name; a provider addressing zones by ID looks
	// names up with the listing.
	isZoneList, isZoneGet func(r *http.Request) bool
	// aux answers the provider's other reads (primary servers, peers,
	// incoming configuration) with valid, empty-ish content; nil if none.
	aux func(r *http.Request) (any, bool)
}

func retryOnce() facade.Option { return facade.WithRetryPolicy(facade.RetryPolicy{MaxAttempts: 1}) }

var hostileProviders = []hostileProvider{
	{
		name: facade.ProviderIONOS,
		newClient: func(t testing.TB, u string, opts ...facade.Option) facade.SecondaryDNS {
			c, err := ionos.New("tok", append([]facade.Option{facade.WithBaseURL(u), retryOnce()}, opts...)...)
			require.NoError(t, err)
			return c
		},
		zone: func(i int, name string) any {
			return map[string]any{
				"id": fmt.Sprintf("00000000-0000-4000-8000-%012d", i), "type": "secondaryzone", "href": "/secondaryzones/x",
				"metadata":   map[string]any{"state": "AVAILABLE", "nameservers": []string{"ns1.example"}},
				"properties": map[string]any{"zoneName": name, "primaryIps": []string{"192.0.2.1"}},
			}
		},
		zoneList: func(zones []any, page int, more bool) any {
			links := map[string]any{"self": "/secondaryzones"}
			if more {
				links["next"] = "/secondaryzones?offset=" + strconv.Itoa(page*len(zones))
			}
			return map[string]any{"id": "00000000-0000-4000-8000-000000000000", "type": "collection", "href": "/secondaryzones",
				"offset": 0, "limit": len(zones), "items": zones, "_links": links}
		},
		one:        func(v any) any { return v },
		isZoneList: func(r *http.Request) bool { return r.Method == http.MethodGet && r.URL.Path == "/secondaryzones" },
		isZoneGet:  func(*http.Request) bool { return false },
	},
	{
		name:     facade.ProviderDNSimple,
		basePath: "/v2",
		newClient: func(t testing.TB, u string, opts ...facade.Option) facade.SecondaryDNS {
			c, err := dnsimple.New("tok", hostileAccountDNSimple, append([]facade.Option{facade.WithBaseURL(u), retryOnce()}, opts...)...)
			require.NoError(t, err)
			return c
		},
		zone: func(i int, name string) any {
			return map[string]any{"id": i + 1, "account_id": hostileAccountDNSimple, "name": name, "reverse": false, "secondary": true,
				"last_transferred_at": nil, "active": true, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}
		},
		zoneList: func(zones []any, page int, more bool) any { return dnsimpleList(zones, page, more) },
		one:      func(v any) any { return map[string]any{"data": v} },
		isZoneList: func(r *http.Request) bool {
			return r.Method == http.MethodGet && r.URL.Path == "/v2/1010/zones"
		},
		isZoneGet: func(r *http.Request) bool {
			return r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v2/1010/zones/")
		},
		aux: func(r *http.Request) (any, bool) {
			if r.Method == http.MethodGet && r.URL.Path == "/v2/1010/secondary_dns/primaries" {
				return dnsimpleList([]any{}, 1, false), true
			}
			return nil, false
		},
	},
	{
		name:     facade.ProviderCloudflare,
		basePath: "/client/v4",
		newClient: func(t testing.TB, u string, opts ...facade.Option) facade.SecondaryDNS {
			c, err := cloudflare.New("tok", hostileAccountCloudflare, append([]facade.Option{facade.WithBaseURL(u), retryOnce()}, opts...)...)
			require.NoError(t, err)
			return c
		},
		zone: func(i int, name string) any {
			return map[string]any{"id": fmt.Sprintf("%032x", i+1), "name": name, "type": "secondary", "status": "active",
				"account": map[string]any{"id": hostileAccountCloudflare}, "name_servers": []string{"ns1.example"}}
		},
		zoneList: func(zones []any, page int, more bool) any {
			total := page
			if more {
				total = 1 << 30
			}
			return map[string]any{"success": true, "errors": []any{}, "messages": []any{}, "result": zones,
				"result_info": map[string]any{"page": page, "per_page": 50, "count": len(zones), "total_count": total * 50, "total_pages": total}}
		},
		one: func(v any) any {
			return map[string]any{"success": true, "errors": []any{}, "messages": []any{}, "result": v}
		},
		isZoneList: func(r *http.Request) bool { return r.Method == http.MethodGet && r.URL.Path == "/client/v4/zones" },
		isZoneGet:  func(*http.Request) bool { return false },
		aux: func(r *http.Request) (any, bool) {
			ok := func(v any) any {
				return map[string]any{"success": true, "errors": []any{}, "messages": []any{}, "result": v}
			}
			switch {
			case r.Method != http.MethodGet:
			case strings.HasSuffix(r.URL.Path, "/secondary_dns/peers"), strings.HasSuffix(r.URL.Path, "/secondary_dns/tsigs"):
				return ok([]any{}), true
			case strings.HasSuffix(r.URL.Path, "/secondary_dns/incoming"):
				id := strings.Split(r.URL.Path, "/")[4]
				return ok(map[string]any{"id": id, "name": "x.", "peers": []string{}, "auto_refresh_seconds": 86400, "soa_serial": 1}), true
			}
			return nil, false
		},
	},
}

func dnsimpleList(items []any, page int, more bool) any {
	total := page
	if more {
		total = 1 << 30
	}
	return map[string]any{"data": items, "pagination": map[string]any{
		"current_page": page, "per_page": 100, "total_entries": total * 100, "total_pages": total}}
}

// hostileServer serves answer (which returns the status and JSON body of a
// request, or ok false for "not scripted", answered 599 so that the test
// notices) and records every request as "METHOD path".
type hostileServer struct {
	url      string
	mu       sync.Mutex
	requests []string
}

func startHostile(t testing.TB, p hostileProvider, answer func(r *http.Request) (status int, body any, ok bool)) *hostileServer {
	hs := &hostileServer{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hs.mu.Lock()
		hs.requests = append(hs.requests, r.Method+" "+r.URL.Path)
		hs.mu.Unlock()
		status, body, ok := answer(r)
		if !ok && p.aux != nil {
			body, ok = p.aux(r)
			status = http.StatusOK
		}
		if !ok {
			status, body = 599, map[string]any{"message": "not scripted: " + r.Method + " " + r.URL.Path}
		}
		w.Header().Set("Content-Type", "application/json")
		for _, h := range []string{"X-Request-Id", "Cf-Ray"} {
			w.Header().Set(h, hostileRequestID)
		}
		w.WriteHeader(status)
		if raw, isRaw := body.(json.RawMessage); isRaw {
			_, _ = w.Write(raw)
			return
		}
		_ = json.NewEncoder(w).Encode(body)
	}))
	t.Cleanup(srv.Close)
	hs.url = srv.URL + p.basePath
	return hs
}

// writes returns the recorded requests that are not reads.
func (hs *hostileServer) writes() []string {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	var out []string
	for _, r := range hs.requests {
		if !strings.HasPrefix(r, http.MethodGet+" ") {
			out = append(out, r)
		}
	}
	return out
}

func (hs *hostileServer) count() int {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	return len(hs.requests)
}

// byName are the facade methods that address a zone by name.
var byName = []string{"GetZone", "SetPrimaries", "DeleteZone", "Transfer", "TransferStatus"}

// callByName calls a by-name method of c for example.com.
func callByName(ctx context.Context, c facade.SecondaryDNS, op string) (facade.Zone, error) {
	switch op {
	case "GetZone":
		return c.GetZone(ctx, "example.com")
	case "SetPrimaries":
		return c.SetPrimaries(ctx, "example.com", primariesB)
	case "DeleteZone":
		return facade.Zone{}, c.DeleteZone(ctx, "example.com")
	case "Transfer":
		return facade.Zone{}, c.Transfer(ctx, "example.com")
	case "TransferStatus":
		ts, err := c.TransferStatus(ctx, "example.com")
		return facade.Zone{Name: ts.Zone}, err
	}
	panic(op)
}

var primariesB = []facade.Primary{{Addr: mustAddr("192.0.2.10")}}

// TestHostileEndlessPages (class 4): a server that always reports another
// page, with fresh zones or with the same page again (the client computes
// the next cursor itself), makes ListZones and the by-name lookups end with
// ErrUnexpectedResponse within the listing limits, never loop.
func TestHostileEndlessPages(t *testing.T) {
	t.Parallel()
	for _, p := range hostileProviders {
		for _, mode := range []string{"fresh", "repeat"} {
			t.Run(p.name+"/"+mode, func(t *testing.T) {
				t.Parallel()
				var pages atomic.Int64
				page := func(r *http.Request) any {
					n := int(pages.Add(1))
					zones := make([]any, 50)
					for i := range zones {
						id := i
						if mode == "fresh" {
							id = n*50 + i
						}
						zones[i] = p.zone(id, fmt.Sprintf("z%d.example", id))
					}
					return p.zoneList(zones, n, true)
				}
				hs := startHostile(t, p, func(r *http.Request) (int, any, bool) {
					switch {
					case p.isZoneList(r):
						return 200, page(r), true
					case p.isZoneGet(r): // DNSimple: the zone exists; its primary servers never end
						return 200, p.one(p.zone(1, "example.com")), true
					case p.name == facade.ProviderDNSimple && r.URL.Path == "/v2/1010/secondary_dns/primaries":
						n := int(pages.Add(1))
						servers := make([]any, 100)
						for i := range servers {
							id := i + 1
							if mode == "fresh" {
								id = n*100 + i + 1
							}
							servers[i] = map[string]any{"id": id, "account_id": 1010, "name": "s", "ip": "192.0.2.1", "port": 53,
								"linked_secondary_zones": []string{}, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}
						}
						return 200, dnsimpleList(servers, n, true), true
					}
					return 0, nil, false
				})
				const maxPages = 10
				c := p.newClient(t, hs.url, facade.WithListLimits(facade.ListLimits{MaxPages: maxPages}))
				ctx := t.Context()
				for _, op := range append([]string{"ListZones"}, byName...) {
					if p.name == facade.ProviderDNSimple && (op == "Transfer" || op == "DeleteZone") {
						continue // no listing: no request at all, or a GET by name
					}
					before := pages.Load()
					var err error
					if op == "ListZones" {
						n := 0
						for _, e := range c.ListZones(ctx) {
							if e != nil {
								err = e
								break
							}
							n++
						}
						assert.LessOrEqual(t, n, maxPages*100, "ListZones yielded more than the limit allows")
					} else {
						_, err = callByName(ctx, c, op)
					}
					require.ErrorIs(t, err, facade.ErrUnexpectedResponse, "%s", op)
					assert.NotErrorIs(t, err, facade.ErrNotFound, "%s", op)
					want := "pages"
					if mode == "repeat" {
						want = "repeated"
					}
					assert.Contains(t, err.Error(), want, "%s", op)
					assert.LessOrEqual(t, pages.Load()-before, int64(maxPages+1), "%s: pages fetched", op)
				}
				assert.Empty(t, hs.writes(), "a lookup that never found its zone wrote")
			})
		}
	}
}

// TestHostileOtherZone (class 5): whatever zone the server answers with
// when asked about example.com (victim.example), no by-name method acts on
// it or returns it: the answer is ErrNotFound (a listing without the name)
// or ErrUnexpectedResponse (an answer about another zone), and nothing is
// written.
func TestHostileOtherZone(t *testing.T) {
	t.Parallel()
	for _, p := range hostileProviders {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			hs := startHostile(t, p, func(r *http.Request) (int, any, bool) {
				victim := p.zone(7, "victim.example")
				switch {
				case p.isZoneList(r):
					return 200, p.zoneList([]any{victim}, 1, false), true
				case p.isZoneGet(r):
					return 200, p.one(victim), true
				}
				return 0, nil, false
			})
			c := p.newClient(t, hs.url)
			for _, op := range byName {
				if op == "Transfer" && p.name == facade.ProviderDNSimple {
					continue
				}
				z, err := callByName(t.Context(), c, op)
				require.Error(t, err, "%s acted on victim.example", op)
				assert.NotEqual(t, "victim.example", z.Name, "%s", op)
				if !assert.True(t, errorsIsAny(err, facade.ErrNotFound, facade.ErrUnexpectedResponse), "%s: %v", op, err) {
					continue
				}
				if errorsIsAny(err, facade.ErrUnexpectedResponse) {
					assert.Contains(t, err.Error(), "victim.example", "%s: the error names what the server answered", op)
				}
			}
			assert.Empty(t, hs.writes(), "a by-name method wrote after the server answered with another zone")
		})
	}
}

func errorsIsAny(err error, kinds ...error) bool {
	for _, k := range kinds {
		if errorsIs(err, k) {
			return true
		}
	}
	return false
}

// TestHostileShapes (class 6): a 2xx whose body is not the expected
// resource ({}, null, another resource's JSON, a zone without id or name)
// answered to the zone lookup is ErrUnexpectedResponse, never ErrNotFound
// nor a zero value with a nil error, and keeps the status and request id.
func TestHostileShapes(t *testing.T) {
	t.Parallel()
	for _, p := range hostileProviders {
		noID := p.zone(3, "example.com").(map[string]any)
		delete(noID, "id")
		noName := p.zone(3, "example.com").(map[string]any)
		delete(noName, "name")
		delete(noName, "properties")
		bodies := map[string]func(bool) any{
			"empty object":   func(bool) any { return json.RawMessage(`{}`) },
			"null":           func(bool) any { return json.RawMessage(`null`) },
			"empty envelope": func(bool) any { return p.one(json.RawMessage(`{}`)) },
			"null envelope":  func(bool) any { return p.one(json.RawMessage(`null`)) },
			"other resource": func(bool) any {
				return p.one(map[string]any{"id": 9, "ip": "192.0.2.1", "port": 53, "ip_range": "192.0.2.0/24", "zoneName": 5})
			},
			"zone without id":   func(list bool) any { return wrapZone(p, noID, list) },
			"zone without name": func(list bool) any { return wrapZone(p, noName, list) },
		}
		for what, body := range bodies {
			t.Run(p.name+"/"+what, func(t *testing.T) {
				t.Parallel()
				hs := startHostile(t, p, func(r *http.Request) (int, any, bool) {
					switch {
					case p.isZoneList(r):
						return 200, body(true), true
					case p.isZoneGet(r):
						return 200, body(false), true
					}
					return 0, nil, false
				})
				c := p.newClient(t, hs.url)
				ops := []string{"GetZone", "DeleteZone", "TransferStatus"}
				for _, op := range ops {
					z, err := callByName(t.Context(), c, op)
					require.Error(t, err, "%s: a zero value with a nil error (%+v)", op, z)
					assert.NotErrorIs(t, err, facade.ErrNotFound, "%s", op)
					require.ErrorIs(t, err, facade.ErrUnexpectedResponse, "%s", op)
					var fe *facade.Error
					require.ErrorAs(t, err, &fe)
					assert.Equal(t, 200, fe.StatusCode, "%s: %v", op, err)
					assert.Equal(t, hostileRequestID, fe.RequestID, "%s: %v", op, err)
					assert.Equal(t, op, fe.Operation)
				}
				if p.name == facade.ProviderDNSimple {
					dc := c.(*dnsimple.Client)
					_, err := dc.GetAccountZone(t.Context(), "example.com")
					require.ErrorIs(t, err, facade.ErrUnexpectedResponse, "GetAccountZone")
				}
				assert.Empty(t, hs.writes())
			})
		}
	}
}

// TestHostileDNSimpleDomain (classes 5 and 6): DNSimple's typed GetDomain
// refuses an empty answer and a domain other than the one asked for.
func TestHostileDNSimpleDomain(t *testing.T) {
	t.Parallel()
	p := hostileProviders[1]
	domain := func(id int, name string) any {
		return map[string]any{"data": map[string]any{"id": id, "account_id": 1010, "name": name, "unicode_name": name,
			"state": "hosted", "auto_renew": false, "private_whois": false, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}}
	}
	for what, tc := range map[string]struct {
		body any
		key  string
	}{
		"empty":        {json.RawMessage(`{"data":{}}`), "example.com"},
		"null":         {json.RawMessage(`null`), "example.com"},
		"other name":   {domain(4, "victim.example"), "example.com"},
		"other ID":     {domain(4, "example.com"), "5"},
		"by name, ok":  {domain(4, "example.com"), "example.com"},
		"by ID, ok":    {domain(5, "example.com"), "5"},
		"no id":        {json.RawMessage(`{"data":{"name":"example.com"}}`), "example.com"},
		"another kind": {p.one(p.zone(1, "example.com")), "2"},
	} {
		t.Run(what, func(t *testing.T) {
			t.Parallel()
			hs := startHostile(t, p, func(r *http.Request) (int, any, bool) {
				if strings.HasPrefix(r.URL.Path, "/v2/1010/domains/") {
					return 200, tc.body, true
				}
				return 0, nil, false
			})
			c := p.newClient(t, hs.url).(*dnsimple.Client)
			d, err := c.GetDomain(t.Context(), tc.key)
			if strings.HasSuffix(what, ", ok") {
				require.NoError(t, err)
				assert.Equal(t, "example.com", d.Name)
				return
			}
			require.ErrorIs(t, err, facade.ErrUnexpectedResponse, "%+v", d)
			var fe *facade.Error
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, 200, fe.StatusCode)
			assert.Equal(t, hostileRequestID, fe.RequestID)
		})
	}
}

func wrapZone(p hostileProvider, z any, list bool) any {
	if list {
		return p.zoneList([]any{z}, 1, false)
	}
	return p.one(z)
}

// TestHostileLockHonoursContext (class 7): a CreateZone waiting for the
// client's lock on creating an account object (a DNSimple primary server, a
// Cloudflare peer), held by another CreateZone whose creation request the
// server holds, returns with its context's error before the lock is
// released, and sends nothing while it waits: DNSimple resolves primary
// servers before anything else, so the waiting call sends nothing at all;
// Cloudflare creates the zone first, so the waiting call sends exactly that
// creation and, once its context ended, the deletion rolling it back.
func TestHostileLockHonoursContext(t *testing.T) {
	t.Parallel()
	for _, p := range hostileProviders[1:] { // DNSimple and Cloudflare create account objects
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			entered, release := make(chan struct{}), make(chan struct{})
			var (
				once  sync.Once
				zones atomic.Int32
			)
			hs := startHostile(t, p, func(r *http.Request) (int, any, bool) {
				path := strings.TrimPrefix(r.URL.Path, p.basePath)
				switch {
				case r.Method == http.MethodPost && (strings.HasSuffix(path, "/secondary_dns/primaries") || strings.HasSuffix(path, "/secondary_dns/peers")):
					once.Do(func() { close(entered) })
					<-release
					return 503, map[string]any{"message": "unavailable"}, true
				case r.Method == http.MethodPost && (path == "/zones" || strings.HasSuffix(path, "/secondary_dns/zones")):
					var body struct {
						Name string `json:"name"`
					}
					_ = json.NewDecoder(r.Body).Decode(&body)
					status := http.StatusCreated
					if p.name == facade.ProviderCloudflare {
						status = http.StatusOK
					}
					return status, p.one(p.zone(int(zones.Add(1)), body.Name)), true
				case r.Method == http.MethodDelete:
					return 200, p.one(map[string]any{"id": strings.TrimPrefix(path, "/zones/")}), true
				}
				return 0, nil, false
			})
			c := p.newClient(t, hs.url)
			first := make(chan error, 1)
			go func() {
				_, err := c.CreateZone(context.Background(), "first.example", primariesB)
				first <- err
			}()
			select {
			case <-entered: // the first call holds the lock, its request held by the server
			case err := <-first:
				hs.mu.Lock()
				defer hs.mu.Unlock()
				require.FailNow(t, "the first call ended", "%v after %q", err, hs.requests)
			}
			before := hs.count()

			ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
			defer cancel()
			second := make(chan error, 1)
			go func() {
				_, err := c.CreateZone(ctx, "second.example", primariesB)
				second <- err
			}()
			// A hang guard, not a timing assertion: with a lock that ignores
			// ctx the second call would wait for the first forever.
			select {
			case err := <-second:
				require.ErrorIs(t, err, context.DeadlineExceeded)
				require.ErrorIs(t, err, facade.ErrTransport)
				assert.False(t, facade.OutcomeUnknown(err), "nothing was sent while waiting: the outcome is known")
				var fe *facade.Error
				require.ErrorAs(t, err, &fe)
				assert.Equal(t, "CreateZone", fe.Operation)
			case <-time.After(30 * time.Second):
				t.Error("CreateZone waited for the provisioning lock past its deadline")
			}
			var want []string
			if p.name == facade.ProviderCloudflare {
				id := fmt.Sprintf("%032x", zones.Load()+1)
				want = []string{"POST /client/v4/zones", "DELETE /client/v4/zones/" + id}
			}
			hs.mu.Lock()
			sent := append([]string(nil), hs.requests[before:]...)
			hs.mu.Unlock()
			assert.Equal(t, want, sent, "the waiting call's requests")
			close(release)
			assert.Error(t, <-first)
		})
	}
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

func errorsIs(err, target error) bool { return errors.Is(err, target) }

// TestHostileStaleRememberedID: an IONOS client remembers a zone's ID from
// a listing; later the server answers 404 for that ID and its lookup
// listing shows only a zone of another name (or the right name under
// another ID). The client acts on no other zone: with only another name
// listed it fails with ErrNotFound and sends nothing to the other zone's
// ID; with the name under a new ID it acts on that ID, once.
func TestHostileStaleRememberedID(t *testing.T) {
	t.Parallel()
	p := hostileProviders[0] // IONOS addresses zones by remembered IDs
	oldID, otherID := fmt.Sprintf("00000000-0000-4000-8000-%012d", 1), fmt.Sprintf("00000000-0000-4000-8000-%012d", 2)
	for _, op := range []string{"DeleteZone", "Transfer", "TransferStatus"} {
		for _, relisted := range []string{"other.example", "stale.example"} {
			t.Run(op+"/"+relisted, func(t *testing.T) {
				t.Parallel()
				var listings atomic.Int32
				hs := startHostile(t, p, func(r *http.Request) (int, any, bool) {
					switch {
					case p.isZoneList(r) && listings.Add(1) == 1:
						return 200, p.zoneList([]any{p.zone(1, "stale.example")}, 1, false), true
					case p.isZoneList(r):
						return 200, p.zoneList([]any{p.zone(2, relisted)}, 1, false), true
					case strings.Contains(r.URL.Path, oldID):
						return 404, map[string]any{"httpStatus": 404, "messages": []any{map[string]any{"errorCode": "dns-404", "message": "not found"}}}, true
					case strings.Contains(r.URL.Path, otherID) && r.Method == http.MethodDelete:
						return 202, map[string]any{}, true
					case strings.Contains(r.URL.Path, otherID) && r.Method == http.MethodGet: // the transfer status
						return 202, map[string]any{"type": "collection", "items": []any{}}, true
					case strings.Contains(r.URL.Path, otherID):
						return 202, map[string]any{}, true
					}
					return 0, nil, false
				})
				c := p.newClient(t, hs.url)
				for _, err := range c.ListZones(t.Context()) {
					require.NoError(t, err)
				}
				err := conformanceCall(t, c, op, "stale.example")
				hs.mu.Lock()
				reqs := append([]string(nil), hs.requests...)
				hs.mu.Unlock()
				actedOnOther, triedOld := 0, false
				for _, r := range reqs {
					if strings.Contains(r, otherID) {
						actedOnOther++
					}
					triedOld = triedOld || strings.Contains(r, oldID)
				}
				assert.True(t, triedOld, "the remembered ID was used first: %v", reqs)
				if relisted == "other.example" {
					require.ErrorIs(t, err, facade.ErrNotFound, "%v", reqs)
					assert.Zero(t, actedOnOther, "acted on another zone: %v", reqs)
					return
				}
				require.NoError(t, err, "%v", reqs)
				assert.Equal(t, 1, actedOnOther, "acted once on the zone's new ID: %v", reqs)
			})
		}
	}
}

// conformanceCall runs a by-name method with the suite's Call.
func conformanceCall(t *testing.T, c facade.SecondaryDNS, op, name string) error {
	return conformance.Call(t.Context(), c, op, name, primariesB)
}
