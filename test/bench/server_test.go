package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The canned server runs in a child process (this test binary re-executed
// with serverEnv set), so that its allocations and CPU time never show up in
// the client's B/op, allocs/op and cpu-ns/op. It serves pre-encoded bodies,
// built on first use and cached, and validates nothing: the cost of the
// server is small and the same for every client.
const serverEnv = "SECDNS_BENCH_SERVER"

// Fixed identifiers of the canned data.
const (
	token         = "bench-token"
	dnsimpleAcct  = 1010
	cloudflareAcc = "0123456789abcdef0123456789abcdef"
)

func TestMain(m *testing.M) {
	if os.Getenv(serverEnv) != "" {
		serveChild()
		return
	}
	code := m.Run()
	stopServer()
	os.Exit(code)
}

var (
	srvOnce sync.Once
	srvAddr string
	srvCmd  *exec.Cmd
	srvIn   io.WriteCloser
	srvErr  error
)

// serverURL returns the base URL of the canned server, starting it once.
func serverURL(tb testing.TB) string {
	tb.Helper()
	srvOnce.Do(func() {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), serverEnv+"=1", "GOMAXPROCS=1")
		cmd.Stderr = os.Stderr
		in, err := cmd.StdinPipe()
		if err != nil {
			srvErr = err
			return
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			srvErr = err
			return
		}
		if err := cmd.Start(); err != nil {
			srvErr = err
			return
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil {
			srvErr = fmt.Errorf("canned server: %w", err)
			return
		}
		srvCmd, srvIn, srvAddr = cmd, in, "http://"+strings.TrimSpace(line)
	})
	if srvErr != nil {
		tb.Fatal(srvErr)
	}
	return srvAddr
}

func stopServer() {
	if srvCmd != nil {
		_ = srvIn.Close() // the child exits when its stdin closes
		_ = srvCmd.Wait()
	}
}

func serveChild() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(ln.Addr().String())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	_ = http.Serve(ln, &canned{})
}

// canned serves /{provider}/{total}/... where total is the number of zones
// in the listing:
//
//	/ionos/N/secondaryzones[/{id}]                 (offset, limit)
//	/dnsimple/N/v2/{account}/zones[/{name}]        (page, per_page)
//	/cloudflare/N/client/v4/zones                  (page, per_page)
//	/cloudflare/N/client/v4/zones/{id}/secondary_dns/incoming
type canned struct {
	cache sync.Map // request key -> []byte
}

func (s *canned) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 3)
	if len(parts) < 3 || r.Method != http.MethodGet {
		http.Error(w, `{"error":"no route"}`, http.StatusNotFound)
		return
	}
	provider, rest := parts[0], "/"+parts[2]
	total, err := strconv.Atoi(parts[1])
	if err != nil {
		http.Error(w, `{"error":"bad total"}`, http.StatusNotFound)
		return
	}
	q := r.URL.Query()
	var key string
	var build func() any
	switch {
	case provider == "ionos" && strings.HasSuffix(rest, "/secondaryzones"):
		off, lim := atoiOr(q.Get("offset"), 0), atoiOr(q.Get("limit"), 100)
		key = fmt.Sprintf("ionos/%d/list/%d/%d", total, off, lim)
		build = func() any { return ionosList(total, off, lim) }
	case provider == "ionos" && strings.Contains(rest, "/secondaryzones/"):
		key = "ionos/get"
		build = func() any { return ionosZone(0) }
	case provider == "dnsimple" && strings.HasSuffix(rest, "/zones"):
		page, per := atoiOr(q.Get("page"), 1), atoiOr(q.Get("per_page"), 30)
		key = fmt.Sprintf("dnsimple/%d/list/%d/%d", total, page, per)
		build = func() any { return dnsimpleList(total, page, per) }
	case provider == "dnsimple" && strings.Contains(rest, "/zones/"):
		key = "dnsimple/get"
		build = func() any { return map[string]any{"data": dnsimpleZone(0)} }
	case provider == "cloudflare" && strings.HasSuffix(rest, "/secondary_dns/incoming"):
		key = "cloudflare/incoming"
		build = cloudflareIncoming
	case provider == "cloudflare" && strings.HasSuffix(rest, "/zones"):
		page, per := atoiOr(q.Get("page"), 1), atoiOr(q.Get("per_page"), 20)
		key = fmt.Sprintf("cloudflare/%d/list/%d/%d", total, page, per)
		build = func() any { return cloudflareList(total, page, per) }
	default:
		http.Error(w, `{"error":"no route"}`, http.StatusNotFound)
		return
	}
	body, ok := s.cache.Load(key)
	if !ok {
		b, err := json.Marshal(build())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		body, _ = s.cache.LoadOrStore(key, b)
	}
	b := body.([]byte)
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	_, _ = w.Write(b)
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

// ---- canned data: every field of each provider's zone object is set ----

const (
	stamp1 = "2024-03-01T10:20:30Z"
	stamp2 = "2025-06-15T08:09:10.123Z"
)

func ionosID(i int) string  { return fmt.Sprintf("%08x-0000-4000-8000-%012x", i+1, i+1) }
func zoneName(i int) string { return fmt.Sprintf("zone-%05d.example.com", i) }
func cloudflareID(i int) string {
	return fmt.Sprintf("%032x", i+1)
}

func ionosZone(i int) map[string]any {
	id := ionosID(i)
	return map[string]any{
		"id":   id,
		"type": "secondaryzone",
		"href": "/secondaryzones/" + id,
		"metadata": map[string]any{
			"createdDate":          stamp1,
			"createdBy":            "bench@example.com",
			"createdByUserId":      "11111111-2222-4333-8444-555555555555",
			"lastModifiedDate":     stamp2,
			"lastModifiedBy":       "bench@example.com",
			"lastModifiedByUserId": "11111111-2222-4333-8444-555555555555",
			"resourceURN":          "ionos:dns:de-fra:secondaryzone:" + id,
			"state":                "AVAILABLE",
			"nameservers":          []string{"nscs.ui-dns.com", "nscs.ui-dns.de", "nscs.ui-dns.org", "nscs.ui-dns.biz"},
		},
		"properties": map[string]any{
			"zoneName":    zoneName(i),
			"description": fmt.Sprintf("benchmark zone %d", i),
			"primaryIps":  []string{"192.0.2.1", "2001:db8::53"},
		},
	}
}

func ionosList(total, offset, limit int) map[string]any {
	items := []any{}
	for i := offset; i < min(offset+limit, total); i++ {
		items = append(items, ionosZone(i))
	}
	self := fmt.Sprintf("/secondaryzones?offset=%d&limit=%d", offset, limit)
	links := map[string]any{"self": self}
	if offset > 0 {
		links["prev"] = fmt.Sprintf("/secondaryzones?offset=%d&limit=%d", max(0, offset-limit), limit)
	}
	if offset+limit < total {
		links["next"] = fmt.Sprintf("/secondaryzones?offset=%d&limit=%d", offset+limit, limit)
	}
	return map[string]any{
		"id":     "99999999-8888-4777-8666-555555555555",
		"type":   "collection",
		"href":   self,
		"offset": offset,
		"limit":  limit,
		"_links": links,
		"items":  items,
	}
}

func dnsimpleZone(i int) map[string]any {
	return map[string]any{
		"id":                  i + 1,
		"account_id":          dnsimpleAcct,
		"name":                zoneName(i),
		"reverse":             false,
		"secondary":           true,
		"last_transferred_at": stamp2,
		"active":              true,
		"created_at":          stamp1,
		"updated_at":          stamp2,
	}
}

func dnsimpleList(total, page, per int) map[string]any {
	data := []any{}
	for i := (page - 1) * per; i < min(page*per, total); i++ {
		data = append(data, dnsimpleZone(i))
	}
	return map[string]any{
		"data": data,
		"pagination": map[string]any{
			"current_page": page, "per_page": per,
			"total_entries": total, "total_pages": (total + per - 1) / per,
		},
	}
}

func cloudflareZone(i int) map[string]any {
	return map[string]any{
		"id":                    cloudflareID(i),
		"name":                  zoneName(i),
		"status":                "active",
		"paused":                false,
		"type":                  "secondary",
		"development_mode":      0,
		"name_servers":          []string{"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"},
		"original_name_servers": []string{"ns1.example.net", "ns2.example.net"},
		"original_registrar":    "example registrar",
		"original_dnshost":      "example dns host",
		"modified_on":           stamp2,
		"created_on":            stamp1,
		"activated_on":          stamp2,
		"cname_suffix":          "cdn.cloudflare.net",
		"vanity_name_servers":   []string{},
		"verification_key":      "284344499-1084221259",
		"meta": map[string]any{
			"step": 2, "custom_certificate_quota": 1, "page_rule_quota": 3,
			"phishing_detected": false, "cdn_only": false, "dns_only": true, "foundation_dns": false,
		},
		"owner":       map[string]any{"id": cloudflareAcc, "type": "organization", "name": "Bench Org"},
		"account":     map[string]any{"id": cloudflareAcc, "name": "Bench Account"},
		"permissions": []string{"#zone:read", "#zone:edit"},
		"plan": map[string]any{
			"id": "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "name": "Enterprise Website", "price": 0,
			"currency": "USD", "frequency": "", "is_subscribed": true, "can_subscribe": false,
			"legacy_id": "enterprise", "legacy_discount": false, "externally_managed": false,
		},
		"tenant":      map[string]any{"id": "", "name": ""},
		"tenant_unit": map[string]any{"id": ""},
	}
}

func cloudflareList(total, page, per int) map[string]any {
	result := []any{}
	for i := (page - 1) * per; i < min(page*per, total); i++ {
		result = append(result, cloudflareZone(i))
	}
	return map[string]any{
		"success":  true,
		"errors":   []any{},
		"messages": []any{},
		"result":   result,
		"result_info": map[string]any{
			"page": page, "per_page": per, "count": len(result),
			"total_count": total, "total_pages": (total + per - 1) / per,
		},
	}
}

func cloudflareIncoming() any {
	return map[string]any{
		"success":  true,
		"errors":   []any{},
		"messages": []any{},
		"result": map[string]any{
			"id":                   cloudflareID(0),
			"name":                 zoneName(0) + ".",
			"peers":                []string{"23ff594956f20c2a721606e94745a8aa", "00920f38ce07c2e2f4df50b1f61d4194"},
			"auto_refresh_seconds": 86400,
			"soa_serial":           2024030101,
			"checked_time":         "2025-06-15T08:09:10.883908+01:00",
			"created_time":         "2024-03-01T10:20:30.883908+01:00",
			"modified_time":        "2025-06-15T08:09:10.883908+01:00",
		},
	}
}
