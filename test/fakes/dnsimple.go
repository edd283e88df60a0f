package fakes

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/secondarydns/secondarydns-go/test/spectest"
)

// DNSimple rate-limit headers: the fake reports a window of this many
// requests per hour.
const dnsimpleRateLimit = 2400

// DNSimpleZone is a snapshot of a zone held by the DNSimple fake.
type DNSimpleZone struct {
	// ID is the zone's integer ID (distinct from its domain's ID).
	ID int
	// Name is the zone name (lower case, no trailing dot).
	Name string
	// Secondary is true for zones made by POST secondary_dns/zones.
	Secondary bool
	// LastTransferredAt is nil until a reachable primary is linked.
	LastTransferredAt *time.Time
	// Created and Updated are timestamps from the fake's clock.
	Created, Updated time.Time
}

// DNSimpleDomain is a snapshot of a domain held by the DNSimple fake.
type DNSimpleDomain struct {
	// ID is the domain's integer ID.
	ID int
	// Name is the domain name (lower case, no trailing dot).
	Name string
	// RegistrantID is always nil for domains the fake creates.
	RegistrantID *int
	// State is "hosted" for domains the fake creates.
	State string
	// Created and Updated are timestamps from the fake's clock.
	Created, Updated time.Time
}

// DNSimplePrimaryServer is a snapshot of a primary server.
type DNSimplePrimaryServer struct {
	// ID is the primary server's integer ID.
	ID int
	// Name, IP and Port (default 53) are as created.
	Name, IP string
	Port     int
	// LinkedSecondaryZones are the linked zone names, in link order.
	LinkedSecondaryZones []string
	// Created and Updated are timestamps from the fake's clock.
	Created, Updated time.Time
}

// DNSimple is a fake DNSimple API v2 (secondary DNS, zones and domains).
//
// Semantics: the {account} in the path must be the fake's account, else 401
// {"message":"Authentication failed"} (the only error status every
// operation declares). Every domain has a zone of the same name and vice
// versa: POST domains makes a primary zone (secondary false), POST
// secondary_dns/zones a secondary one; both appear in zones and domains.
// Names are unique across both: a duplicate gets 400 {"message":"Validation
// failed","errors":{"name":["has already been taken"]}}; an invalid name
// 400 with errors.name. Deleting a domain deletes its zone and unlinks it
// from every primary server. A primary server needs a name and a valid
// public IP (loopback and private ones only with [WithPrivatePrimaries];
// 400 with errors.ip otherwise), its port defaults to 53. Linking needs an
// existing secondary zone (400 otherwise; unknown primary server 404) and
// sets the zone's last_transferred_at to now if the primary is reachable
// (not in [UnreachableNet]) and the zone had none; linking twice is a no-op,
// unlinking a zone that is not linked is a no-op (200). Deleting a primary
// server unlinks its zones. GET of a zone or domain accepts a name or a
// numeric ID. Lists: page/per_page (default 30, max 100, larger values are
// clamped), name_like (contains, case-insensitive), registrant_id, and the
// spec's sorts (defaults: zones and domains name:asc, primaries id:asc).
// Every response carries X-Request-Id and X-RateLimit-Limit (2400),
// X-RateLimit-Remaining (counting down, restarting at 2400 rather than
// reaching 0; only the RateLimit fault sends 0) and X-RateLimit-Reset.
type DNSimple struct {
	*Server
	account   int
	nextID    int
	domains   []*dnsimpleDomain
	primaries []*DNSimplePrimaryServer
	rlUsed    int
	rlReset   time.Time
}

type dnsimpleDomain struct {
	DNSimpleDomain
	zone DNSimpleZone
}

// NewDNSimple starts a fake DNSimple server. Close it when done. It panics
// if [WithAccountID] is not a decimal integer.
func NewDNSimple(opts ...Option) *DNSimple {
	cfg := newConfig(opts)
	if cfg.accountID == "" {
		cfg.accountID = "1010"
	}
	acc, err := strconv.Atoi(cfg.accountID)
	if err != nil || acc <= 0 {
		panic(fmt.Sprintf("fakes: DNSimple account ID %q must be a positive integer", cfg.accountID))
	}
	f := &DNSimple{Server: newServer("dnsimple", cfg), account: acc, nextID: 1}
	f.start(f)
	return f
}

// StartDNSimple is [NewDNSimple] for a test, with response validation on;
// see [StartIONOS].
func StartDNSimple(t TB, opts ...Option) *DNSimple {
	t.Helper()
	f := NewDNSimple(startOpts(opts)...)
	f.checkAtCleanup(t)
	return f
}

// AccountID returns the account the fake serves.
func (f *DNSimple) AccountID() int { return f.account }

// Zones returns snapshots of all zones, sorted by name.
func (f *DNSimple) Zones() []DNSimpleZone {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]DNSimpleZone, 0, len(f.domains))
	for _, d := range f.domains {
		z := d.zone
		if z.LastTransferredAt != nil {
			t := *z.LastTransferredAt
			z.LastTransferredAt = &t
		}
		out = append(out, z)
	}
	slices.SortFunc(out, func(a, b DNSimpleZone) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// Domains returns snapshots of all domains, sorted by name.
func (f *DNSimple) Domains() []DNSimpleDomain {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]DNSimpleDomain, 0, len(f.domains))
	for _, d := range f.domains {
		out = append(out, d.DNSimpleDomain)
	}
	slices.SortFunc(out, func(a, b DNSimpleDomain) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// PrimaryServers returns snapshots of all primary servers, sorted by ID.
func (f *DNSimple) PrimaryServers() []DNSimplePrimaryServer {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]DNSimplePrimaryServer, 0, len(f.primaries))
	for _, p := range f.primaries {
		c := *p
		c.LinkedSecondaryZones = slices.Clone(p.LinkedSecondaryZones)
		out = append(out, c)
	}
	return out
}

// AddZone seeds a domain with its zone (secondary or not) and returns the
// zone. It fails on an invalid or duplicate name.
func (f *DNSimple) AddZone(name string, secondary bool) (DNSimpleZone, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	name = normName(name)
	if !validDomain(name) {
		return DNSimpleZone{}, fmt.Errorf("fakes: AddZone: invalid name %q", name)
	}
	if f.domain(name) != nil {
		return DNSimpleZone{}, fmt.Errorf("fakes: AddZone: %q exists", name)
	}
	return f.addDomain(name, secondary).zone, nil
}

// AddPrimaryServer seeds a primary server (port 0 means 53).
func (f *DNSimple) AddPrimaryServer(name, ip string, port int) DNSimplePrimaryServer {
	f.mu.Lock()
	defer f.mu.Unlock()
	if port == 0 {
		port = 53
	}
	p := f.addPrimary(name, ip, port)
	c := *p
	c.LinkedSecondaryZones = []string{}
	return c
}

func (f *DNSimple) id() int {
	n := f.nextID
	f.nextID++
	return n
}

func (f *DNSimple) addDomain(name string, secondary bool) *dnsimpleDomain {
	now := f.now()
	d := &dnsimpleDomain{
		DNSimpleDomain: DNSimpleDomain{ID: f.id(), Name: name, State: "hosted", Created: now, Updated: now},
		zone:           DNSimpleZone{Name: name, Secondary: secondary, Created: now, Updated: now},
	}
	d.zone.ID = f.id()
	f.domains = append(f.domains, d)
	return d
}

func (f *DNSimple) addPrimary(name, ip string, port int) *DNSimplePrimaryServer {
	now := f.now()
	p := &DNSimplePrimaryServer{ID: f.id(), Name: name, IP: ip, Port: port, LinkedSecondaryZones: []string{}, Created: now, Updated: now}
	f.primaries = append(f.primaries, p)
	return p
}

// domain finds a domain by name or numeric ID.
func (f *DNSimple) domain(key string) *dnsimpleDomain { return f.find(key, false) }

// zone finds a zone (returned with its domain) by name or numeric zone ID.
func (f *DNSimple) zone(key string) *dnsimpleDomain { return f.find(key, true) }

func (f *DNSimple) find(key string, byZoneID bool) *dnsimpleDomain {
	id, err := strconv.Atoi(key)
	name := normName(key)
	for _, d := range f.domains {
		did := d.ID
		if byZoneID {
			did = d.zone.ID
		}
		if err == nil && did == id || d.Name == name {
			return d
		}
	}
	return nil
}

func (f *DNSimple) primary(id string) *DNSimplePrimaryServer {
	n, err := strconv.Atoi(id)
	if err != nil {
		return nil
	}
	for _, p := range f.primaries {
		if p.ID == n {
			return p
		}
	}
	return nil
}

func (f *DNSimple) errorReply(status int, kind errKind, msg string) reply {
	if kind == kindRateLimit {
		msg = "quota exceeded"
	}
	return dnsimpleMsg(status, msg)
}

func dnsimpleMsg(status int, msg string) reply {
	return reply{status: status, body: map[string]any{"message": msg}}
}

func dnsimpleFieldError(field, msg string) reply {
	return reply{status: 400, body: map[string]any{
		"message": "Validation failed",
		"errors":  map[string][]string{field: {msg}},
	}}
}

func (f *DNSimple) decorate(h http.Header, rateLimited bool, retryAfter time.Duration) {
	now := f.now()
	if f.rlReset.IsZero() || !now.Before(f.rlReset) || f.rlUsed >= dnsimpleRateLimit-1 {
		f.rlUsed, f.rlReset = 0, now.Add(time.Hour)
	}
	f.rlUsed++
	remaining, reset := dnsimpleRateLimit-f.rlUsed, f.rlReset
	if rateLimited {
		remaining, reset = 0, now.Add(max(retryAfter, 0))
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(dnsimpleRateLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("X-Request-Id", f.newUUID())
	if strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (f *DNSimple) zoneJSON(z *DNSimpleZone) map[string]any {
	var last any
	if z.LastTransferredAt != nil {
		last = ts(*z.LastTransferredAt)
	}
	return map[string]any{
		"id":                  z.ID,
		"account_id":          f.account,
		"name":                z.Name,
		"reverse":             strings.HasSuffix(z.Name, ".in-addr.arpa") || strings.HasSuffix(z.Name, ".ip6.arpa"),
		"secondary":           z.Secondary,
		"last_transferred_at": last,
		"active":              true,
		"created_at":          ts(z.Created),
		"updated_at":          ts(z.Updated),
	}
}

func (f *DNSimple) domainJSON(d *dnsimpleDomain) map[string]any {
	return map[string]any{
		"id":            d.ID,
		"account_id":    f.account,
		"registrant_id": d.RegistrantID,
		"name":          d.Name,
		"unicode_name":  d.Name,
		"state":         d.State,
		"auto_renew":    false,
		"private_whois": false,
		"expires_on":    nil,
		"expires_at":    nil,
		"created_at":    ts(d.Created),
		"updated_at":    ts(d.Updated),
	}
}

func (f *DNSimple) primaryJSON(p *DNSimplePrimaryServer) map[string]any {
	return map[string]any{
		"id":                     p.ID,
		"account_id":             f.account,
		"name":                   p.Name,
		"ip":                     p.IP,
		"port":                   p.Port,
		"linked_secondary_zones": slices.Clone(p.LinkedSecondaryZones), // encoded after the lock is released
		"created_at":             ts(p.Created),
		"updated_at":             ts(p.Updated),
	}
}

func data(v any) map[string]any { return map[string]any{"data": v} }

func (f *DNSimple) handle(ex *spectest.Exchange, r *http.Request, body []byte) reply {
	if ex.PathParams["account"] != strconv.Itoa(f.account) {
		return dnsimpleMsg(401, "Authentication failed")
	}
	switch ex.OperationID {
	case "ListPrimaryServers":
		items := slices.Clone(f.primaries)
		sortBy(items, r.URL.Query().Get("sort"), "id:asc", map[string]func(a, b *DNSimplePrimaryServer) int{
			"id":   func(a, b *DNSimplePrimaryServer) int { return cmp.Compare(a.ID, b.ID) },
			"name": func(a, b *DNSimplePrimaryServer) int { return cmp.Compare(a.Name, b.Name) },
		})
		return dnsimplePage(r, items, f.primaryJSON)
	case "CreatePrimaryServer":
		var b struct {
			Name string `json:"name"`
			IP   string `json:"ip"`
			Port *int   `json:"port"`
		}
		if err := decodeJSON(body, &b); err != nil {
			return dnsimpleMsg(400, err.Error())
		}
		if strings.TrimSpace(b.Name) == "" {
			return dnsimpleFieldError("name", "can't be blank")
		}
		if strings.TrimSpace(b.IP) == "" {
			return dnsimpleFieldError("ip", "can't be blank")
		}
		if why := f.cfg.refusedPrimary(b.IP); why != "" {
			return dnsimpleFieldError("ip", why)
		}
		port := 53
		if b.Port != nil {
			port = *b.Port
		}
		return reply{status: 201, body: data(f.primaryJSON(f.addPrimary(b.Name, b.IP, port)))}
	case "GetPrimaryServer":
		p := f.primary(ex.PathParams["primaryserver"])
		if p == nil {
			return f.primaryNotFound(ex)
		}
		return reply{status: 200, body: data(f.primaryJSON(p))}
	case "DeletePrimaryServer":
		p := f.primary(ex.PathParams["primaryserver"])
		if p == nil {
			return f.primaryNotFound(ex)
		}
		f.primaries = slices.DeleteFunc(f.primaries, func(x *DNSimplePrimaryServer) bool { return x == p })
		return reply{status: 204}
	case "LinkPrimaryServer", "UnlinkPrimaryServer":
		p := f.primary(ex.PathParams["primaryserver"])
		if p == nil {
			return f.primaryNotFound(ex)
		}
		var b struct {
			Zone string `json:"zone"`
		}
		if err := decodeJSON(body, &b); err != nil {
			return dnsimpleMsg(400, err.Error())
		}
		d := f.zone(b.Zone)
		if d == nil || strings.TrimSpace(b.Zone) == "" {
			return dnsimpleMsg(400, fmt.Sprintf("Zone `%s` not found", b.Zone))
		}
		if !d.zone.Secondary {
			return dnsimpleMsg(400, fmt.Sprintf("Zone `%s` is not a secondary zone", d.Name))
		}
		linked := slices.Contains(p.LinkedSecondaryZones, d.Name)
		now := f.now()
		if ex.OperationID == "LinkPrimaryServer" {
			if !linked {
				p.LinkedSecondaryZones = append(p.LinkedSecondaryZones, d.Name)
				p.Updated = now
			}
			if d.zone.LastTransferredAt == nil && !Unreachable(p.IP) {
				d.zone.LastTransferredAt = &now
				d.zone.Updated = now
			}
		} else if linked {
			p.LinkedSecondaryZones = slices.DeleteFunc(p.LinkedSecondaryZones, func(s string) bool { return s == d.Name })
			p.Updated = now
		}
		return reply{status: 200, body: data(f.primaryJSON(p))}
	case "CreateSecondaryZone", "CreateDomain":
		var b struct {
			Name string `json:"name"`
		}
		if err := decodeJSON(body, &b); err != nil {
			return dnsimpleMsg(400, err.Error())
		}
		name := normName(b.Name)
		if name == "" {
			return dnsimpleFieldError("name", "can't be blank")
		}
		if !validDomain(name) {
			return dnsimpleFieldError("name", "is an invalid domain")
		}
		if f.domain(name) != nil {
			return dnsimpleFieldError("name", "has already been taken")
		}
		d := f.addDomain(name, ex.OperationID == "CreateSecondaryZone")
		if ex.OperationID == "CreateDomain" {
			return reply{status: 201, body: data(f.domainJSON(d))}
		}
		return reply{status: 201, body: data(f.zoneJSON(&d.zone))}
	case "ListZones":
		items := f.filterDomains(r)
		sortBy(items, r.URL.Query().Get("sort"), "name:asc", map[string]func(a, b *dnsimpleDomain) int{
			"id":   func(a, b *dnsimpleDomain) int { return cmp.Compare(a.zone.ID, b.zone.ID) },
			"name": func(a, b *dnsimpleDomain) int { return cmp.Compare(a.Name, b.Name) },
		})
		return dnsimplePage(r, items, func(d *dnsimpleDomain) map[string]any { return f.zoneJSON(&d.zone) })
	case "GetZone":
		d := f.zone(ex.PathParams["zone"])
		if d == nil {
			return dnsimpleMsg(404, fmt.Sprintf("Zone `%s` not found", ex.PathParams["zone"]))
		}
		return reply{status: 200, body: data(f.zoneJSON(&d.zone))}
	case "ListDomains":
		items := f.filterDomains(r)
		if q := r.URL.Query().Get("registrant_id"); q != "" {
			items = slices.DeleteFunc(items, func(d *dnsimpleDomain) bool {
				return d.RegistrantID == nil || strconv.Itoa(*d.RegistrantID) != q
			})
		}
		sortBy(items, r.URL.Query().Get("sort"), "name:asc", map[string]func(a, b *dnsimpleDomain) int{
			"id":         func(a, b *dnsimpleDomain) int { return cmp.Compare(a.ID, b.ID) },
			"name":       func(a, b *dnsimpleDomain) int { return cmp.Compare(a.Name, b.Name) },
			"expiration": func(a, b *dnsimpleDomain) int { return cmp.Compare(a.ID, b.ID) }, // none expire
		})
		return dnsimplePage(r, items, f.domainJSON)
	case "GetDomain":
		d := f.domain(ex.PathParams["domain"])
		if d == nil {
			return dnsimpleMsg(404, fmt.Sprintf("Domain `%s` not found", ex.PathParams["domain"]))
		}
		return reply{status: 200, body: data(f.domainJSON(d))}
	case "DeleteDomain":
		d := f.domain(ex.PathParams["domain"])
		if d == nil {
			return dnsimpleMsg(404, fmt.Sprintf("Domain `%s` not found", ex.PathParams["domain"]))
		}
		f.domains = slices.DeleteFunc(f.domains, func(x *dnsimpleDomain) bool { return x == d })
		for _, p := range f.primaries {
			if slices.Contains(p.LinkedSecondaryZones, d.Name) {
				p.LinkedSecondaryZones = slices.DeleteFunc(p.LinkedSecondaryZones, func(s string) bool { return s == d.Name })
				p.Updated = f.now()
			}
		}
		return reply{status: 204}
	}
	return dnsimpleMsg(404, "operation not implemented: "+ex.OperationID)
}

func (f *DNSimple) primaryNotFound(ex *spectest.Exchange) reply {
	return dnsimpleMsg(404, fmt.Sprintf("Primary server `%s` not found", ex.PathParams["primaryserver"]))
}

func (f *DNSimple) filterDomains(r *http.Request) []*dnsimpleDomain {
	like := strings.ToLower(r.URL.Query().Get("name_like"))
	var out []*dnsimpleDomain
	for _, d := range f.domains {
		if like == "" || strings.Contains(d.Name, like) {
			out = append(out, d)
		}
	}
	return out
}

// sortBy sorts items by a DNSimple sort parameter ("name:asc"); ties are
// broken by the original order.
func sortBy[T any](items []T, sort, def string, keys map[string]func(a, b T) int) {
	if sort == "" {
		sort = def
	}
	field, dir, _ := strings.Cut(sort, ":")
	c, ok := keys[field]
	if !ok {
		return
	}
	slices.SortStableFunc(items, func(a, b T) int {
		if dir == "desc" {
			return c(b, a)
		}
		return c(a, b)
	})
}

// dnsimplePage answers a list with DNSimple's page/per_page pagination.
func dnsimplePage[T any](r *http.Request, items []T, render func(T) map[string]any) reply {
	page := max(queryInt(r, "page", 1), 1)
	per := queryInt(r, "per_page", 30)
	if per < 1 {
		per = 30
	}
	per = min(per, 100)
	lo, hi := bounds(len(items), (page-1)*per, per)
	out := make([]map[string]any, 0, hi-lo)
	for _, it := range items[lo:hi] {
		out = append(out, render(it))
	}
	return reply{status: 200, body: map[string]any{
		"data": out,
		"pagination": map[string]int{
			"current_page":  page,
			"per_page":      per,
			"total_entries": len(items),
			"total_pages":   (len(items) + per - 1) / per,
		},
	}}
}
