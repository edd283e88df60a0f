package fakes

import (
	"cmp"
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/secondarydns/secondarydns-go/test/spectest"
)

// Cloudflare error codes the fake answers with (in errors[0].code).
const (
	// CloudflareCodeInvalidZone (404): the zone ID is unknown.
	CloudflareCodeInvalidZone = 1001
	// CloudflareCodeNotFound (404): an unknown peer, TSIG, ACL or secondary
	// zone configuration.
	CloudflareCodeNotFound = 1003
	// CloudflareCodeValidation (400): a spec violation or a rejected value
	// (invalid IP or CIDR, unknown TSIG or peer reference, wrong zone type
	// or name, resource in use, ...).
	CloudflareCodeValidation = 1004
	// CloudflareCodeRateLimited (429): the RateLimit fault.
	CloudflareCodeRateLimited = 1015
	// CloudflareCodeAlreadyExists (400): a duplicate zone or secondary
	// zone configuration.
	CloudflareCodeAlreadyExists = 1061
	// CloudflareCodeNoRoute (404): the path matches no operation.
	CloudflareCodeNoRoute = 7003
	// CloudflareCodeAuth: 401 for a missing or wrong token, 403 for an
	// account ID that is not the fake's.
	CloudflareCodeAuth = 10000
	// CloudflareCodeUnavailable (503): the Unavailable fault.
	CloudflareCodeUnavailable = 10503
)

// CloudflareZone is a snapshot of a zone held by the Cloudflare fake.
type CloudflareZone struct {
	// ID is a 32-hex identifier.
	ID string
	// Name is the zone name (lower case).
	Name string
	// Type is "full", "partial" or "secondary".
	Type string
	// Status is "pending", or "active" for a secondary zone that has an
	// incoming configuration.
	Status string
	// AccountID is the fake's account.
	AccountID string
	// Created and Modified are timestamps from the fake's clock;
	// ActivatedOn is set while the zone is active.
	Created, Modified time.Time
	ActivatedOn       *time.Time
}

// CloudflarePeer is a snapshot of a secondary DNS peer.
type CloudflarePeer struct {
	// ID is a 32-hex identifier; Name is free text.
	ID, Name string
	// IP is the primary's address, possibly empty.
	IP string
	// Port defaults to 53.
	Port int
	// IXFREnable is the ixfr_enable flag.
	IXFREnable bool
	// TSIGID names a TSIG key of the account, or is empty.
	TSIGID string
}

// CloudflareTSIG is a snapshot of a TSIG key.
type CloudflareTSIG struct {
	// ID is a 32-hex identifier; Name, Algo and Secret are as sent.
	ID, Name, Algo, Secret string
}

// CloudflareACL is a snapshot of an ACL.
type CloudflareACL struct {
	// ID is a 32-hex identifier; Name and IPRange are as sent.
	ID, Name, IPRange string
}

// CloudflareIncoming is a snapshot of a zone's secondary (incoming)
// configuration.
type CloudflareIncoming struct {
	// ID is the zone's ID.
	ID string
	// Name is the zone name.
	Name string
	// Peers are peer IDs.
	Peers []string
	// AutoRefreshSeconds is as sent.
	AutoRefreshSeconds int64
	// SOASerial is 0 until a transfer from a reachable peer succeeded; the
	// first is date-based (YYYYMMDD01), each later one adds 1.
	SOASerial uint32
	// CheckedTime is the last (attempted) transfer; CreatedTime and
	// ModifiedTime track the configuration.
	CheckedTime, CreatedTime, ModifiedTime time.Time
}

// Cloudflare is a fake Cloudflare API v4 (zones and secondary DNS,
// including ACLs).
//
// Semantics: paths with another account ID, and zone creation for another
// account, get 403 with code 10000. Zone names are unique (400, code
// 1061 "<name> already exists"); zones are "full" unless type says
// otherwise and start "pending"; a secondary zone turns "active"
// (activated_on set) once it has an incoming configuration, and back to
// "pending" when it is deleted. Unknown zone IDs get 404 code 1001; unknown
// peers, TSIGs, ACLs and incoming configurations 404 code 1003. Peers need
// a valid public IP (loopback and private ones only with
// [WithPrivatePrimaries]) if one is given (port defaults to 53) and a
// tsig_id naming an existing TSIG; TSIG algorithms must be hmac-md5.sig-alg.reg.int.,
// hmac-sha1/224/256/384/512 (trailing dot optional); ACL ranges must be
// CIDRs no wider than /24 (IPv4) or /64 (IPv6). A TSIG used by a peer, and
// a peer used by an incoming configuration, cannot be deleted (400 code
// 1004). An incoming configuration needs a secondary zone, name equal to the
// zone name, at least one existing peer, auto_refresh_seconds >= 0; POST on
// a zone that has one gets code 1061, PUT on one that has none 404. Creating
// or updating it, and force AXFR (which needs one, 400 otherwise), "transfer"
// the zone: checked_time is set to now and, if any peer has a reachable IP
// (not in [UnreachableNet]), soa_serial becomes YYYYMMDD01 of the clock's
// date the first time and +1 on every later force AXFR. Force AXFR answers
// result "OK". Deleting a zone deletes its incoming configuration. Zone
// lists: page/per_page (default 20, 5..50 per the spec), filters name (exact
// or with equal:, not_equal:, contains:, starts_with:, ends_with:), status,
// account.id, account.name, match=all|any, order=name|status|account.id|
// account.name with direction (default name asc); result_info has page,
// per_page, count, total_count and total_pages. Peer, TSIG and ACL lists
// are unpaginated (the spec has no parameters), in creation order.
type Cloudflare struct {
	*Server
	account  string
	zones    []*CloudflareZone
	peers    []*CloudflarePeer
	tsigs    []*CloudflareTSIG
	acls     []*CloudflareACL
	incoming map[string]*CloudflareIncoming
}

// NewCloudflare starts a fake Cloudflare server. Close it when done.
func NewCloudflare(opts ...Option) *Cloudflare {
	cfg := newConfig(opts)
	s := newServer("cloudflare", cfg)
	f := &Cloudflare{Server: s, account: cfg.accountID, incoming: map[string]*CloudflareIncoming{}}
	if f.account == "" {
		f.account = s.hexID(16)
	}
	f.start(f)
	return f
}

// StartCloudflare is [NewCloudflare] for a test, with response validation
// on; see [StartIONOS].
func StartCloudflare(t TB, opts ...Option) *Cloudflare {
	t.Helper()
	f := NewCloudflare(startOpts(opts)...)
	f.checkAtCleanup(t)
	return f
}

// AccountID returns the account the fake serves.
func (f *Cloudflare) AccountID() string { return f.account }

// Zones returns snapshots of all zones, in creation order.
func (f *Cloudflare) Zones() []CloudflareZone {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]CloudflareZone, 0, len(f.zones))
	for _, z := range f.zones {
		out = append(out, z.snapshot())
	}
	return out
}

func (z *CloudflareZone) snapshot() CloudflareZone {
	c := *z
	if z.ActivatedOn != nil {
		t := *z.ActivatedOn
		c.ActivatedOn = &t
	}
	return c
}

// Peers returns snapshots of all peers, in creation order.
func (f *Cloudflare) Peers() []CloudflarePeer {
	f.mu.Lock()
	defer f.mu.Unlock()
	return derefAll(f.peers)
}

// TSIGs returns snapshots of all TSIG keys, in creation order.
func (f *Cloudflare) TSIGs() []CloudflareTSIG {
	f.mu.Lock()
	defer f.mu.Unlock()
	return derefAll(f.tsigs)
}

// ACLs returns snapshots of all ACLs, in creation order.
func (f *Cloudflare) ACLs() []CloudflareACL {
	f.mu.Lock()
	defer f.mu.Unlock()
	return derefAll(f.acls)
}

// Incoming returns a snapshot of the zone's incoming configuration.
func (f *Cloudflare) Incoming(zoneID string) (CloudflareIncoming, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	in, ok := f.incoming[zoneID]
	if !ok {
		return CloudflareIncoming{}, false
	}
	c := *in
	c.Peers = slices.Clone(in.Peers)
	return c, true
}

// AddZone seeds a zone of the given type ("" means "full") and returns it.
// It fails on an invalid or duplicate name or an unknown type.
func (f *Cloudflare) AddZone(name, typ string) (CloudflareZone, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	name = normName(name)
	if typ == "" {
		typ = "full"
	}
	if !validDomain(name) || !slices.Contains([]string{"full", "partial", "secondary"}, typ) {
		return CloudflareZone{}, fmt.Errorf("fakes: AddZone: invalid name %q or type %q", name, typ)
	}
	if f.zoneByName(name) != nil {
		return CloudflareZone{}, fmt.Errorf("fakes: AddZone: %q exists", name)
	}
	return f.addZone(name, typ).snapshot(), nil
}

// AddPeer seeds a peer (port 0 means 53) and returns it.
func (f *Cloudflare) AddPeer(p CloudflarePeer) CloudflarePeer {
	f.mu.Lock()
	defer f.mu.Unlock()
	p.ID = f.hexID(16)
	if p.Port == 0 {
		p.Port = 53
	}
	f.peers = append(f.peers, &p)
	return p
}

func derefAll[T any](in []*T) []T {
	out := make([]T, 0, len(in))
	for _, p := range in {
		out = append(out, *p)
	}
	return out
}

func (f *Cloudflare) addZone(name, typ string) *CloudflareZone {
	now := f.now()
	z := &CloudflareZone{ID: f.hexID(16), Name: name, Type: typ, Status: "pending", AccountID: f.account, Created: now, Modified: now}
	f.zones = append(f.zones, z)
	return z
}

func (f *Cloudflare) zoneByName(name string) *CloudflareZone {
	for _, z := range f.zones {
		if z.Name == name {
			return z
		}
	}
	return nil
}

func findByID[T any](items []*T, id string, idOf func(*T) string) *T {
	for _, it := range items {
		if idOf(it) == id {
			return it
		}
	}
	return nil
}

func cfError(status, code int, msg string) reply {
	return reply{status: status, body: map[string]any{
		"success":  false,
		"errors":   []map[string]any{{"code": code, "message": msg}},
		"messages": []any{},
		"result":   nil,
	}}
}

func cfOK(result any) reply {
	return reply{status: 200, body: map[string]any{"success": true, "errors": []any{}, "messages": []any{}, "result": result}}
}

func (f *Cloudflare) errorReply(status int, kind errKind, msg string) reply {
	code := CloudflareCodeValidation
	switch kind {
	case kindAuth:
		code = CloudflareCodeAuth
		msg = "Authentication error"
	case kindNoRoute:
		code = CloudflareCodeNoRoute
	case kindRateLimit:
		code = CloudflareCodeRateLimited
		msg = "Rate limited. Please wait and consider throttling your request speed"
	case kindUnavailable:
		code = CloudflareCodeUnavailable
	}
	return cfError(status, code, msg)
}

func (f *Cloudflare) decorate(h http.Header, _ bool, _ time.Duration) {
	h.Set("Cf-Ray", f.hexID(8)+"-FRA")
}

func (f *Cloudflare) zoneJSON(z *CloudflareZone) map[string]any {
	var activated any
	if z.ActivatedOn != nil {
		activated = z.ActivatedOn.Format(time.RFC3339)
	}
	return map[string]any{
		"id":                    z.ID,
		"name":                  z.Name,
		"status":                z.Status,
		"type":                  z.Type,
		"paused":                false,
		"development_mode":      0,
		"name_servers":          []string{"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"},
		"original_name_servers": nil,
		"original_registrar":    nil,
		"original_dnshost":      nil,
		"created_on":            z.Created.Format(time.RFC3339),
		"modified_on":           z.Modified.Format(time.RFC3339),
		"activated_on":          activated,
		"account":               map[string]any{"id": z.AccountID, "name": "Fake Account"},
		"owner":                 map[string]any{"id": z.AccountID, "name": "Fake Account", "type": "organization"},
		"meta":                  map[string]any{"step": 2, "custom_certificate_quota": 0, "page_rule_quota": 3, "phishing_detected": false},
	}
}

func peerJSON(p *CloudflarePeer) map[string]any {
	m := map[string]any{"id": p.ID, "name": p.Name, "port": p.Port, "ixfr_enable": p.IXFREnable}
	if p.IP != "" {
		m["ip"] = p.IP
	}
	if p.TSIGID != "" {
		m["tsig_id"] = p.TSIGID
	}
	return m
}

func tsigJSON(t *CloudflareTSIG) map[string]any {
	return map[string]any{"id": t.ID, "name": t.Name, "algo": t.Algo, "secret": t.Secret}
}

func aclJSON(a *CloudflareACL) map[string]any {
	return map[string]any{"id": a.ID, "name": a.Name, "ip_range": a.IPRange}
}

func incomingJSON(in *CloudflareIncoming) map[string]any {
	return map[string]any{
		"id":                   in.ID,
		"name":                 in.Name,
		"peers":                in.Peers,
		"auto_refresh_seconds": in.AutoRefreshSeconds,
		"soa_serial":           in.SOASerial,
		"checked_time":         in.CheckedTime.Format(time.RFC3339),
		"created_time":         in.CreatedTime.Format(time.RFC3339),
		"modified_time":        in.ModifiedTime.Format(time.RFC3339),
	}
}

func listJSON[T any](items []*T, render func(*T) map[string]any) reply {
	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		out = append(out, render(it))
	}
	rep := cfOK(out)
	rep.body.(map[string]any)["result_info"] = map[string]int{"page": 1, "per_page": max(len(out), 1), "count": len(out), "total_count": len(out)}
	return rep
}

func (f *Cloudflare) handle(ex *spectest.Exchange, r *http.Request, body []byte) reply {
	if acc, ok := ex.PathParams["account_id"]; ok && acc != f.account {
		return cfError(403, CloudflareCodeAuth, "Authentication error")
	}
	op := ex.OperationID
	switch {
	case strings.HasSuffix(op, "Peer") || op == "ListPeers":
		return f.handlePeers(op, ex.PathParams["peer_id"], body)
	case strings.HasSuffix(op, "TSIG") || op == "ListTSIGs":
		return f.handleTSIGs(op, ex.PathParams["tsig_id"], body)
	case strings.HasSuffix(op, "ACL") || op == "ListACLs":
		return f.handleACLs(op, ex.PathParams["acl_id"], body)
	case op == "ListZones":
		return f.listZones(r)
	case op == "CreateZone":
		var b struct {
			Name    string `json:"name"`
			Type    string `json:"type"`
			Account struct {
				ID string `json:"id"`
			} `json:"account"`
		}
		if err := decodeJSON(body, &b); err != nil {
			return cfError(400, CloudflareCodeValidation, err.Error())
		}
		if b.Account.ID == "" {
			return cfError(400, CloudflareCodeValidation, "account.id is required")
		}
		if b.Account.ID != f.account {
			return cfError(403, CloudflareCodeAuth, "Authentication error")
		}
		name := normName(b.Name)
		if !validDomain(name) {
			return cfError(400, CloudflareCodeValidation, fmt.Sprintf("invalid domain name %q", b.Name))
		}
		if f.zoneByName(name) != nil {
			return cfError(400, CloudflareCodeAlreadyExists, name+" already exists")
		}
		if b.Type == "" {
			b.Type = "full"
		}
		return cfOK(f.zoneJSON(f.addZone(name, b.Type)))
	}

	// Zone-scoped operations.
	zid := ex.PathParams["zone_id"]
	z := findByID(f.zones, zid, func(z *CloudflareZone) string { return z.ID })
	if z == nil {
		return cfError(404, CloudflareCodeInvalidZone, "Invalid zone identifier")
	}
	in := f.incoming[zid]
	switch op {
	case "GetZone":
		return cfOK(f.zoneJSON(z))
	case "DeleteZone":
		f.zones = slices.DeleteFunc(f.zones, func(x *CloudflareZone) bool { return x == z })
		delete(f.incoming, zid)
		return cfOK(map[string]any{"id": zid})
	case "GetIncoming":
		if in == nil {
			return cfError(404, CloudflareCodeNotFound, "secondary zone configuration not found")
		}
		return cfOK(incomingJSON(in))
	case "DeleteIncoming":
		if in == nil {
			return cfError(404, CloudflareCodeNotFound, "secondary zone configuration not found")
		}
		delete(f.incoming, zid)
		z.Status, z.ActivatedOn, z.Modified = "pending", nil, f.now()
		return cfOK(map[string]any{"id": zid})
	case "CreateIncoming", "UpdateIncoming":
		if op == "CreateIncoming" && in != nil {
			return cfError(400, CloudflareCodeAlreadyExists, "secondary zone configuration already exists")
		}
		if op == "UpdateIncoming" && in == nil {
			return cfError(404, CloudflareCodeNotFound, "secondary zone configuration not found")
		}
		var b struct {
			Name               string   `json:"name"`
			Peers              []string `json:"peers"`
			AutoRefreshSeconds int64    `json:"auto_refresh_seconds"`
		}
		if err := decodeJSON(body, &b); err != nil {
			return cfError(400, CloudflareCodeValidation, err.Error())
		}
		if z.Type != "secondary" {
			return cfError(400, CloudflareCodeValidation, "zone is not a secondary zone")
		}
		if normName(b.Name) != z.Name {
			return cfError(400, CloudflareCodeValidation, fmt.Sprintf("name %q does not match the zone name %s", b.Name, z.Name))
		}
		if len(b.Peers) == 0 {
			return cfError(400, CloudflareCodeValidation, "at least one peer is required")
		}
		for _, pid := range b.Peers {
			if findByID(f.peers, pid, func(p *CloudflarePeer) string { return p.ID }) == nil {
				return cfError(400, CloudflareCodeValidation, fmt.Sprintf("peer %s not found", pid))
			}
		}
		if b.AutoRefreshSeconds < 0 {
			return cfError(400, CloudflareCodeValidation, "auto_refresh_seconds must not be negative")
		}
		now := f.now()
		if in == nil {
			in = &CloudflareIncoming{ID: zid, CreatedTime: now}
			f.incoming[zid] = in
			z.Status, z.ActivatedOn = "active", &now
		}
		in.Name, in.Peers, in.AutoRefreshSeconds, in.ModifiedTime = z.Name, slices.Clone(b.Peers), b.AutoRefreshSeconds, now
		z.Modified = now
		f.transfer(in, false)
		return cfOK(incomingJSON(in))
	case "ForceAXFR":
		if in == nil {
			return cfError(400, CloudflareCodeValidation, "zone has no secondary zone configuration")
		}
		f.transfer(in, true)
		return cfOK("OK")
	}
	return cfError(404, CloudflareCodeNoRoute, "operation not implemented: "+op)
}

// transfer simulates a zone transfer: checked_time is now, and the serial
// advances if a peer is reachable (first transfer: date-based; forced
// later ones: +1).
func (f *Cloudflare) transfer(in *CloudflareIncoming, forced bool) {
	now := f.now()
	in.CheckedTime = now
	reachable := false
	for _, pid := range in.Peers {
		p := findByID(f.peers, pid, func(p *CloudflarePeer) string { return p.ID })
		if p != nil && p.IP != "" && !Unreachable(p.IP) {
			reachable = true
		}
	}
	switch {
	case !reachable:
	case in.SOASerial == 0:
		in.SOASerial = uint32(now.Year()*1000000+int(now.Month())*10000+now.Day()*100) + 1
	case forced:
		in.SOASerial++
	}
}

type cfPeerBody struct {
	Name       string `json:"name"`
	IP         string `json:"ip"`
	Port       *int   `json:"port"`
	IXFREnable bool   `json:"ixfr_enable"`
	TSIGID     string `json:"tsig_id"`
}

func (f *Cloudflare) handlePeers(op, id string, body []byte) reply {
	var p *CloudflarePeer
	if id != "" {
		if p = findByID(f.peers, id, func(p *CloudflarePeer) string { return p.ID }); p == nil {
			return cfError(404, CloudflareCodeNotFound, "peer not found")
		}
	}
	switch op {
	case "ListPeers":
		return listJSON(f.peers, peerJSON)
	case "GetPeer":
		return cfOK(peerJSON(p))
	case "DeletePeer":
		for _, in := range f.incoming {
			if slices.Contains(in.Peers, id) {
				return cfError(400, CloudflareCodeValidation, fmt.Sprintf("peer is in use by zone %s", in.Name))
			}
		}
		f.peers = slices.DeleteFunc(f.peers, func(x *CloudflarePeer) bool { return x == p })
		return cfOK(map[string]any{"id": id})
	}
	var b cfPeerBody
	if err := decodeJSON(body, &b); err != nil {
		return cfError(400, CloudflareCodeValidation, err.Error())
	}
	if strings.TrimSpace(b.Name) == "" {
		return cfError(400, CloudflareCodeValidation, "name is required")
	}
	if b.IP != "" {
		if why := f.cfg.refusedPrimary(b.IP); why != "" {
			return cfError(400, CloudflareCodeValidation, fmt.Sprintf("ip %q %s", b.IP, why))
		}
	}
	port := 53
	if b.Port != nil {
		port = *b.Port
	}
	if port < 1 || port > 65535 {
		return cfError(400, CloudflareCodeValidation, fmt.Sprintf("port %d out of range", port))
	}
	if b.TSIGID != "" && findByID(f.tsigs, b.TSIGID, func(t *CloudflareTSIG) string { return t.ID }) == nil {
		return cfError(400, CloudflareCodeValidation, fmt.Sprintf("tsig_id %s not found", b.TSIGID))
	}
	if p == nil {
		p = &CloudflarePeer{ID: f.hexID(16)}
		f.peers = append(f.peers, p)
	}
	p.Name, p.IP, p.Port, p.IXFREnable, p.TSIGID = b.Name, b.IP, port, b.IXFREnable, b.TSIGID
	return cfOK(peerJSON(p))
}

// cfTSIGAlgos are the TSIG algorithms accepted, without trailing dot.
func cfTSIGAlgo(a string) bool {
	a = strings.TrimSuffix(strings.ToLower(a), ".")
	return slices.Contains([]string{"hmac-md5.sig-alg.reg.int", "hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512"}, a)
}

func (f *Cloudflare) handleTSIGs(op, id string, body []byte) reply {
	var t *CloudflareTSIG
	if id != "" {
		if t = findByID(f.tsigs, id, func(t *CloudflareTSIG) string { return t.ID }); t == nil {
			return cfError(404, CloudflareCodeNotFound, "tsig not found")
		}
	}
	switch op {
	case "ListTSIGs":
		return listJSON(f.tsigs, tsigJSON)
	case "GetTSIG":
		return cfOK(tsigJSON(t))
	case "DeleteTSIG":
		for _, p := range f.peers {
			if p.TSIGID == id {
				return cfError(400, CloudflareCodeValidation, fmt.Sprintf("tsig is in use by peer %s", p.Name))
			}
		}
		f.tsigs = slices.DeleteFunc(f.tsigs, func(x *CloudflareTSIG) bool { return x == t })
		return cfOK(map[string]any{"id": id})
	}
	var b struct {
		Name   string `json:"name"`
		Algo   string `json:"algo"`
		Secret string `json:"secret"`
	}
	if err := decodeJSON(body, &b); err != nil {
		return cfError(400, CloudflareCodeValidation, err.Error())
	}
	switch {
	case strings.TrimSpace(b.Name) == "":
		return cfError(400, CloudflareCodeValidation, "name is required")
	case !cfTSIGAlgo(b.Algo):
		return cfError(400, CloudflareCodeValidation, fmt.Sprintf("algo %q is not supported", b.Algo))
	case strings.TrimSpace(b.Secret) == "":
		return cfError(400, CloudflareCodeValidation, "secret is required")
	}
	if t == nil {
		t = &CloudflareTSIG{ID: f.hexID(16)}
		f.tsigs = append(f.tsigs, t)
	}
	t.Name, t.Algo, t.Secret = b.Name, b.Algo, b.Secret
	return cfOK(tsigJSON(t))
}

// validACLRange accepts an address or a CIDR no wider than /24 (IPv4) or
// /64 (IPv6).
func validACLRange(s string) bool {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.IsValid()
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return false
	}
	if p.Addr().Is4() {
		return p.Bits() >= 24
	}
	return p.Bits() >= 64
}

func (f *Cloudflare) handleACLs(op, id string, body []byte) reply {
	var a *CloudflareACL
	if id != "" {
		if a = findByID(f.acls, id, func(a *CloudflareACL) string { return a.ID }); a == nil {
			return cfError(404, CloudflareCodeNotFound, "acl not found")
		}
	}
	switch op {
	case "ListACLs":
		return listJSON(f.acls, aclJSON)
	case "GetACL":
		return cfOK(aclJSON(a))
	case "DeleteACL":
		f.acls = slices.DeleteFunc(f.acls, func(x *CloudflareACL) bool { return x == a })
		return cfOK(map[string]any{"id": id})
	}
	var b struct {
		Name    string `json:"name"`
		IPRange string `json:"ip_range"`
	}
	if err := decodeJSON(body, &b); err != nil {
		return cfError(400, CloudflareCodeValidation, err.Error())
	}
	if strings.TrimSpace(b.Name) == "" {
		return cfError(400, CloudflareCodeValidation, "name is required")
	}
	if !validACLRange(b.IPRange) {
		return cfError(400, CloudflareCodeValidation, fmt.Sprintf("ip_range %q must be an IP or a CIDR of at most /24 (IPv4) or /64 (IPv6)", b.IPRange))
	}
	if a == nil {
		a = &CloudflareACL{ID: f.hexID(16)}
		f.acls = append(f.acls, a)
	}
	a.Name, a.IPRange = b.Name, b.IPRange
	return cfOK(aclJSON(a))
}

// cfMatch applies a Cloudflare filter value: "op:value" with op equal,
// not_equal, contains, starts_with or ends_with, or a bare value (equal).
// Comparison is case-insensitive.
func cfMatch(filter, v string) bool {
	op, val, ok := strings.Cut(filter, ":")
	if !ok || !slices.Contains([]string{"equal", "not_equal", "contains", "starts_with", "ends_with"}, op) {
		op, val = "equal", filter
	}
	val, v = strings.ToLower(val), strings.ToLower(v)
	switch op {
	case "not_equal":
		return v != val
	case "contains":
		return strings.Contains(v, val)
	case "starts_with":
		return strings.HasPrefix(v, val)
	case "ends_with":
		return strings.HasSuffix(v, val)
	}
	return v == val
}

func (f *Cloudflare) listZones(r *http.Request) reply {
	q := r.URL.Query()
	var preds []func(*CloudflareZone) bool
	if v := q.Get("name"); v != "" {
		preds = append(preds, func(z *CloudflareZone) bool { return cfMatch(v, z.Name) })
	}
	if v := q.Get("status"); v != "" {
		preds = append(preds, func(z *CloudflareZone) bool { return z.Status == v })
	}
	if v := q.Get("account.id"); v != "" {
		preds = append(preds, func(z *CloudflareZone) bool { return z.AccountID == v })
	}
	if v := q.Get("account.name"); v != "" {
		preds = append(preds, func(*CloudflareZone) bool { return cfMatch(v, "Fake Account") })
	}
	anyMatch := q.Get("match") == "any"
	var items []*CloudflareZone
	for _, z := range f.zones {
		ok := !anyMatch || len(preds) == 0
		for _, p := range preds {
			if anyMatch {
				ok = ok || p(z)
			} else {
				ok = ok && p(z)
			}
		}
		if ok {
			items = append(items, z)
		}
	}
	key := func(z *CloudflareZone) string {
		switch q.Get("order") {
		case "status":
			return z.Status
		case "account.id":
			return z.AccountID
		case "account.name":
			return "Fake Account"
		}
		return z.Name
	}
	slices.SortStableFunc(items, func(a, b *CloudflareZone) int {
		c := cmp.Or(cmp.Compare(key(a), key(b)), cmp.Compare(a.Name, b.Name))
		if q.Get("direction") == "desc" {
			return -c
		}
		return c
	})
	page := max(queryInt(r, "page", 1), 1)
	per := min(max(queryInt(r, "per_page", 20), 5), 50)
	lo, hi := bounds(len(items), (page-1)*per, per)
	out := make([]map[string]any, 0, hi-lo)
	for _, z := range items[lo:hi] {
		out = append(out, f.zoneJSON(z))
	}
	rep := cfOK(out)
	rep.body.(map[string]any)["result_info"] = map[string]int{
		"page": page, "per_page": per, "count": len(out), "total_count": len(items),
		"total_pages": (len(items) + per - 1) / per,
	}
	return rep
}
