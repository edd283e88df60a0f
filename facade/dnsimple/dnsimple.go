package dnsimple

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/core"
	"github.com/secondarydns/secondarydns-go/gen/dnsimpleapi"
)

// DNSimple API endpoints.
const (
	// ProductionURL is the production API, used unless an option overrides
	// it.
	ProductionURL = "https://api.dnsimple.com/v2"
	// SandboxURL is the sandbox API; see [WithSandbox].
	SandboxURL = "https://api.sandbox.dnsimple.com/v2"
)

// MaxPerPage is the largest page size DNSimple accepts in the PerPage
// fields of the list options.
const MaxPerPage = 100

// WithSandbox points the client at the DNSimple sandbox ([SandboxURL]). It
// is [facade.WithBaseURL](SandboxURL); a later WithBaseURL overrides it.
func WithSandbox() facade.Option { return facade.WithBaseURL(SandboxURL) }

// Client is a DNSimple client for one account. It implements
// [facade.SecondaryDNS]. A Client is safe for concurrent use.
type Client struct {
	core    *core.Core
	api     *dnsimpleapi.ClientWithResponses
	account dnsimpleapi.Account

	ns neutralState // the neutral layer's caches (secondarydns.go)
}

var _ facade.SecondaryDNS = (*Client)(nil)

// New returns a client for the DNSimple account accountID (> 0),
// authenticating with the API token and configured by opts (see
// [facade.Option] and [WithSandbox]). An empty token, a non-positive account
// ID or an invalid option yields a *[facade.Error] of kind
// [facade.ErrInvalidInput] with Operation "New".
func New(token string, accountID int64, opts ...facade.Option) (*Client, error) {
	cc, err := core.NewCore(provider(), token, ProductionURL, opts...)
	if err != nil {
		return nil, facade.Invalid("New", err)
	}
	if accountID <= 0 || int64(int(accountID)) != accountID {
		return nil, cc.Invalid("New", fmt.Errorf("account ID %d: must be a positive integer", accountID))
	}
	api, err := dnsimpleapi.NewClientWithResponses(cc.BaseURL(), dnsimpleapi.WithHTTPClient(cc))
	if err != nil {
		return nil, cc.Invalid("New", err)
	}
	return &Client{core: cc, api: api, account: dnsimpleapi.Account(accountID)}, nil
}

// provider is what the core needs to know about DNSimple: its name, where its
// answers carry a request ID.
func provider() core.Provider {
	return core.Provider{Name: facade.ProviderDNSimple, RequestIDHeaders: []string{"X-Request-Id"}}
}

// Provider returns [facade.ProviderDNSimple].
func (c *Client) Provider() string { return facade.ProviderDNSimple }

// Capabilities reports what DNSimple secondary zones support
// ([facade.SecondaryDNS]): primaries on any port and the time of the last
// transfer; no transfer trigger, no TSIG, no description, no serial and no
// per-primary status.
func (c *Client) Capabilities() facade.Capabilities {
	return facade.Capabilities{PrimaryPorts: true, LastTransfer: true}
}

// AccountID returns the account the client works on.
func (c *Client) AccountID() int64 { return int64(c.account) }

// String describes the client without its token.
func (c *Client) String() string { return c.core.String() }

// Stats returns the HTTP attempt counters of the client's transport.
func (c *Client) Stats() facade.Stats { return c.core.Stats() }

// PrimaryServer is a DNSimple primary server: a name server secondary
// zones transfer from.
type PrimaryServer struct {
	// ID is the primary server's identifier.
	ID int64
	// AccountID is the owning account.
	AccountID int64
	// Name is the server's display name.
	Name string
	// IP is the server's address.
	IP netip.Addr
	// Port is the server's port.
	Port uint16
	// LinkedSecondaryZones are the normalised names of the secondary zones
	// linked to the server.
	LinkedSecondaryZones []string
	// CreatedAt is when the server was created.
	CreatedAt time.Time
	// UpdatedAt is when the server was last updated.
	UpdatedAt time.Time
}

// PrimaryServerInput describes a primary server to create.
type PrimaryServerInput struct {
	// Name is the display name (required).
	Name string
	// IP is the server's address (required).
	IP netip.Addr
	// Port is the server's port; 0 leaves it to DNSimple (53).
	Port uint16
}

// Zone is a DNSimple zone (primary or secondary).
type Zone struct {
	// ID is the zone's identifier.
	ID int64
	// AccountID is the owning account.
	AccountID int64
	// Name is the normalised zone name.
	Name string
	// Secondary reports whether the zone is a secondary zone.
	Secondary bool
	// Reverse reports whether the zone is a reverse zone.
	Reverse bool
	// Active reports whether DNS service is active for the zone (false if
	// not reported).
	Active bool
	// LastTransferredAt is when a secondary zone was last transferred, zero
	// if never or for a primary zone.
	LastTransferredAt time.Time
	// CreatedAt is when the zone was created.
	CreatedAt time.Time
	// UpdatedAt is when the zone was last updated.
	UpdatedAt time.Time
}

// Domain is a DNSimple domain.
type Domain struct {
	// ID is the domain's identifier.
	ID int64
	// AccountID is the owning account.
	AccountID int64
	// RegistrantID is the registrant contact, 0 if none.
	RegistrantID int64
	// Name is the normalised domain name (A-labels).
	Name string
	// UnicodeName is the domain name in Unicode.
	UnicodeName string
	// State is "hosted", "registered" or "expired".
	State string
	// AutoRenew reports whether the domain renews automatically.
	AutoRenew bool
	// PrivateWhois reports whether WHOIS privacy is enabled.
	PrivateWhois bool
	// ExpiresAt is when the registration expires, zero if not registered.
	ExpiresAt time.Time
	// CreatedAt is when the domain was created.
	CreatedAt time.Time
	// UpdatedAt is when the domain was last updated.
	UpdatedAt time.Time
}

// ListOptions sorts and pages [Client.ListPrimaryServers].
type ListOptions struct {
	// Sort is "", "id:asc", "id:desc", "name:asc" or "name:desc".
	Sort string
	// PerPage is the page size, 1–100; 0 uses DNSimple's default.
	PerPage int
}

// ZoneListOptions filters, sorts and pages [Client.ListAccountZones].
type ZoneListOptions struct {
	// NameLike, if set, lists only zones whose name contains it.
	NameLike string
	// Sort is "", "id:asc", "id:desc", "name:asc" or "name:desc".
	Sort string
	// PerPage is the page size, 1–100; 0 uses DNSimple's default.
	PerPage int
}

// DomainListOptions filters, sorts and pages [Client.ListDomains].
type DomainListOptions struct {
	// NameLike, if set, lists only domains whose name contains it.
	NameLike string
	// RegistrantID, if > 0, lists only domains of that registrant.
	RegistrantID int64
	// Sort is "", "id:asc", "id:desc", "name:asc", "name:desc",
	// "expiration:asc" or "expiration:desc".
	Sort string
	// PerPage is the page size, 1–100; 0 uses DNSimple's default.
	PerPage int
}

// ListPrimaryServers iterates over the account's primary servers, fetching
// pages lazily. Invalid options are yielded as an [facade.ErrInvalidInput]
// error without any request; any error is yielded once, last.
func (c *Client) ListPrimaryServers(ctx context.Context, opts ListOptions) iter.Seq2[PrimaryServer, error] {
	return c.listPrimaryServers(ctx, "ListPrimaryServers", opts)
}

func (c *Client) listPrimaryServers(ctx context.Context, op string, opts ListOptions) iter.Seq2[PrimaryServer, error] {
	var p dnsimpleapi.ListPrimaryServersParams
	var err error
	if opts.Sort != "" {
		s := dnsimpleapi.ListPrimaryServersParamsSort(opts.Sort)
		if !s.Valid() {
			err = c.core.Invalid(op, fmt.Errorf("sort %q: must be id:asc, id:desc, name:asc or name:desc", opts.Sort))
		}
		p.Sort = &s
	}
	if err == nil {
		p.PerPage, err = c.perPage(op, opts.PerPage)
	}
	if err != nil {
		return failSeq[PrimaryServer](err)
	}
	return paginate(ctx, c, op, func(s PrimaryServer) int64 { return s.ID }, func(ctx context.Context, page *int) ([]PrimaryServer, dnsimpleapi.Pagination, error) {
		q := p
		q.Page = page
		rsp, err := c.api.ListPrimaryServersWithResponse(ctx, c.account, &q)
		got, err := core.Call(c.core, op, rsp, err, (*dnsimpleapi.ListPrimaryServersResponse).GetJSON200)
		if err != nil {
			return nil, dnsimpleapi.Pagination{}, err
		}
		if got.Data == nil {
			return nil, dnsimpleapi.Pagination{}, c.core.Unexpected(op, rsp.HTTPResponse, rsp.Body, "response holds no list of primary servers (\"data\" missing)")
		}
		out := make([]PrimaryServer, 0, len(got.Data))
		for i := range got.Data {
			s, err := c.convertPrimaryServer(op, rsp.HTTPResponse, rsp.Body, &got.Data[i])
			if err != nil {
				return nil, dnsimpleapi.Pagination{}, err
			}
			out = append(out, s)
		}
		return out, got.Pagination, nil
	})
}

// CreatePrimaryServer creates a primary server.
func (c *Client) CreatePrimaryServer(ctx context.Context, in PrimaryServerInput) (PrimaryServer, error) {
	return c.createPrimaryServer(ctx, "CreatePrimaryServer", in)
}

func (c *Client) createPrimaryServer(ctx context.Context, op string, in PrimaryServerInput) (PrimaryServer, error) {
	name := strings.TrimSpace(in.Name)
	if name == "" || strings.ContainsFunc(name, isControl) {
		return PrimaryServer{}, c.core.Invalid(op, errors.New("primary server name: must be non-empty without control characters"))
	}
	ps, err := c.core.ValidatePrimaries(op, []facade.Primary{{Addr: in.IP, Port: in.Port}})
	if err != nil {
		return PrimaryServer{}, err
	}
	body := dnsimpleapi.CreatePrimaryServerJSONRequestBody{Name: name, IP: ps[0].Addr.String()}
	if in.Port != 0 {
		port := int(in.Port)
		body.Port = &port
	}
	rsp, err := c.api.CreatePrimaryServerWithResponse(ctx, c.account, body)
	got, err := core.Call(c.core, op, rsp, err, (*dnsimpleapi.CreatePrimaryServerResponse).GetJSON201)
	if err != nil {
		return PrimaryServer{}, err
	}
	out, err := c.convertPrimaryServer(op, rsp.HTTPResponse, rsp.Body, got.Data)
	if err == nil && (out.IP != ps[0].Addr || (in.Port != 0 && out.Port != in.Port)) {
		err = c.core.Unexpected(op, rsp.HTTPResponse, rsp.Body, "asked to create primary server %s, the server answered with %s",
			netip.AddrPortFrom(ps[0].Addr, ps[0].PortOrDefault()), netip.AddrPortFrom(out.IP, out.Port))
	}
	return out, err
}

// GetPrimaryServer returns the primary server id, or an error matching
// [facade.ErrNotFound].
func (c *Client) GetPrimaryServer(ctx context.Context, id int64) (PrimaryServer, error) {
	const op = "GetPrimaryServer"
	pid, err := c.id(op, "primary server id", id)
	if err != nil {
		return PrimaryServer{}, err
	}
	rsp, err := c.api.GetPrimaryServerWithResponse(ctx, c.account, pid)
	got, err := core.Call(c.core, op, rsp, err, (*dnsimpleapi.GetPrimaryServerResponse).GetJSON200)
	if err != nil {
		return PrimaryServer{}, err
	}
	return c.sameServer(op, rsp.HTTPResponse, rsp.Body, pid, &got.Data)
}

// DeletePrimaryServer deletes the primary server id.
func (c *Client) DeletePrimaryServer(ctx context.Context, id int64) error {
	return c.deletePrimaryServer(ctx, "DeletePrimaryServer", id)
}

func (c *Client) deletePrimaryServer(ctx context.Context, op string, id int64) error {
	pid, err := c.id(op, "primary server id", id)
	if err != nil {
		return err
	}
	rsp, err := c.api.DeletePrimaryServerWithResponse(ctx, c.account, pid)
	return core.Exec(c.core, op, rsp, err)
}

// LinkPrimaryServer links the primary server id to the secondary zone and
// returns the updated server.
func (c *Client) LinkPrimaryServer(ctx context.Context, id int64, zone string) (PrimaryServer, error) {
	return c.link(ctx, "LinkPrimaryServer", id, zone, true)
}

// UnlinkPrimaryServer unlinks the primary server id from the secondary
// zone and returns the updated server.
func (c *Client) UnlinkPrimaryServer(ctx context.Context, id int64, zone string) (PrimaryServer, error) {
	return c.link(ctx, "UnlinkPrimaryServer", id, zone, false)
}

func (c *Client) link(ctx context.Context, op string, id int64, zone string, link bool) (PrimaryServer, error) {
	pid, err := c.id(op, "primary server id", id)
	if err != nil {
		return PrimaryServer{}, err
	}
	name, err := facade.NormalizeZoneName(zone)
	if err != nil {
		return PrimaryServer{}, c.core.Invalid(op, err)
	}
	body := dnsimpleapi.PrimaryServerZone{Zone: name}
	if link {
		rsp, err := c.api.LinkPrimaryServerWithResponse(ctx, c.account, pid, body)
		got, err := core.Call(c.core, op, rsp, err, (*dnsimpleapi.LinkPrimaryServerResponse).GetJSON200)
		if err != nil {
			return PrimaryServer{}, err
		}
		return c.sameServer(op, rsp.HTTPResponse, rsp.Body, pid, &got.Data)
	}
	rsp, err := c.api.UnlinkPrimaryServerWithResponse(ctx, c.account, pid, body)
	got, err := core.Call(c.core, op, rsp, err, (*dnsimpleapi.UnlinkPrimaryServerResponse).GetJSON200)
	if err != nil {
		return PrimaryServer{}, err
	}
	return c.sameServer(op, rsp.HTTPResponse, rsp.Body, pid, &got.Data)
}

// CreateSecondaryZone creates a secondary zone (without primaries; link
// them with [Client.LinkPrimaryServer]). An existing zone of that name fails
// with [facade.ErrConflict].
func (c *Client) CreateSecondaryZone(ctx context.Context, name string) (Zone, error) {
	return c.createSecondaryZone(ctx, "CreateSecondaryZone", name)
}

func (c *Client) createSecondaryZone(ctx context.Context, op, name string) (Zone, error) {
	n, err := facade.NormalizeZoneName(name)
	if err != nil {
		return Zone{}, c.core.Invalid(op, err)
	}
	rsp, err := c.api.CreateSecondaryZoneWithResponse(ctx, c.account, dnsimpleapi.CreateSecondaryZoneJSONRequestBody{Name: n})
	got, err := core.Call(c.core, op, rsp, err, (*dnsimpleapi.CreateSecondaryZoneResponse).GetJSON201)
	if err != nil {
		return Zone{}, err
	}
	return c.namedZone(op, rsp.HTTPResponse, rsp.Body, n, &got.Data)
}

// ListAccountZones iterates over the account's zones, primary and
// secondary (the API's ListZones; the name ListZones belongs to
// [facade.SecondaryDNS]), fetching pages lazily.
func (c *Client) ListAccountZones(ctx context.Context, opts ZoneListOptions) iter.Seq2[Zone, error] {
	return c.listZones(ctx, "ListAccountZones", opts)
}

func (c *Client) listZones(ctx context.Context, op string, opts ZoneListOptions) iter.Seq2[Zone, error] {
	var p dnsimpleapi.ListZonesParams
	var err error
	if opts.Sort != "" {
		s := dnsimpleapi.ListZonesParamsSort(opts.Sort)
		if !s.Valid() {
			err = c.core.Invalid(op, fmt.Errorf("sort %q: must be id:asc, id:desc, name:asc or name:desc", opts.Sort))
		}
		p.Sort = &s
	}
	if err == nil {
		p.NameLike, err = c.nameLike(op, opts.NameLike)
	}
	if err == nil {
		p.PerPage, err = c.perPage(op, opts.PerPage)
	}
	if err != nil {
		return failSeq[Zone](err)
	}
	return paginate(ctx, c, op, func(z Zone) int64 { return z.ID }, func(ctx context.Context, page *int) ([]Zone, dnsimpleapi.Pagination, error) {
		q := p
		q.Page = page
		rsp, err := c.api.ListZonesWithResponse(ctx, c.account, &q)
		got, err := core.Call(c.core, op, rsp, err, (*dnsimpleapi.ListZonesResponse).GetJSON200)
		if err != nil {
			return nil, dnsimpleapi.Pagination{}, err
		}
		if got.Data == nil {
			return nil, dnsimpleapi.Pagination{}, c.core.Unexpected(op, rsp.HTTPResponse, rsp.Body, "response holds no list of zones (\"data\" missing)")
		}
		out := make([]Zone, len(got.Data))
		for i := range got.Data {
			if out[i], err = c.convertZone(op, rsp.HTTPResponse, rsp.Body, &got.Data[i]); err != nil {
				return nil, dnsimpleapi.Pagination{}, err
			}
		}
		return out, got.Pagination, nil
	})
}

// GetAccountZone returns the zone called name, primary or secondary (the
// API's GetZone; the name GetZone belongs to [facade.SecondaryDNS]), or an
// error matching [facade.ErrNotFound].
func (c *Client) GetAccountZone(ctx context.Context, name string) (Zone, error) {
	return c.getZone(ctx, "GetAccountZone", name)
}

func (c *Client) getZone(ctx context.Context, op, name string) (Zone, error) {
	n, err := facade.NormalizeZoneName(name)
	if err != nil {
		return Zone{}, c.core.Invalid(op, err)
	}
	rsp, err := c.api.GetZoneWithResponse(ctx, c.account, n)
	got, err := core.Call(c.core, op, rsp, err, (*dnsimpleapi.GetZoneResponse).GetJSON200)
	if err != nil {
		return Zone{}, err
	}
	return c.namedZone(op, rsp.HTTPResponse, rsp.Body, n, &got.Data)
}

// ListDomains iterates over the account's domains, fetching pages lazily.
func (c *Client) ListDomains(ctx context.Context, opts DomainListOptions) iter.Seq2[Domain, error] {
	const op = "ListDomains"
	var p dnsimpleapi.ListDomainsParams
	var err error
	if opts.Sort != "" {
		s := dnsimpleapi.ListDomainsParamsSort(opts.Sort)
		if !s.Valid() {
			err = c.core.Invalid(op, fmt.Errorf("sort %q: must be id:asc, id:desc, name:asc, name:desc, expiration:asc or expiration:desc", opts.Sort))
		}
		p.Sort = &s
	}
	if err == nil {
		p.NameLike, err = c.nameLike(op, opts.NameLike)
	}
	if err == nil && opts.RegistrantID != 0 {
		var rid int
		rid, err = c.id(op, "registrant id", opts.RegistrantID)
		p.RegistrantID = &rid
	}
	if err == nil {
		p.PerPage, err = c.perPage(op, opts.PerPage)
	}
	if err != nil {
		return failSeq[Domain](err)
	}
	return paginate(ctx, c, op, func(d Domain) int64 { return d.ID }, func(ctx context.Context, page *int) ([]Domain, dnsimpleapi.Pagination, error) {
		q := p
		q.Page = page
		rsp, err := c.api.ListDomainsWithResponse(ctx, c.account, &q)
		got, err := core.Call(c.core, op, rsp, err, (*dnsimpleapi.ListDomainsResponse).GetJSON200)
		if err != nil {
			return nil, dnsimpleapi.Pagination{}, err
		}
		if got.Data == nil {
			return nil, dnsimpleapi.Pagination{}, c.core.Unexpected(op, rsp.HTTPResponse, rsp.Body, "response holds no list of domains (\"data\" missing)")
		}
		out := make([]Domain, len(got.Data))
		for i := range got.Data {
			if out[i], err = c.convertDomain(op, rsp.HTTPResponse, rsp.Body, &got.Data[i]); err != nil {
				return nil, dnsimpleapi.Pagination{}, err
			}
		}
		return out, got.Pagination, nil
	})
}

// CreateDomain adds the domain called name to the account (as a hosted
// domain). An existing domain fails with [facade.ErrConflict].
func (c *Client) CreateDomain(ctx context.Context, name string) (Domain, error) {
	const op = "CreateDomain"
	n, err := facade.NormalizeZoneName(name)
	if err != nil {
		return Domain{}, c.core.Invalid(op, err)
	}
	rsp, err := c.api.CreateDomainWithResponse(ctx, c.account, dnsimpleapi.CreateDomainJSONRequestBody{Name: n})
	got, err := core.Call(c.core, op, rsp, err, (*dnsimpleapi.CreateDomainResponse).GetJSON201)
	if err != nil {
		return Domain{}, err
	}
	return c.sameDomain(op, rsp.HTTPResponse, rsp.Body, n, &got.Data)
}

// GetDomain returns the domain given by name or decimal ID, or an error
// matching [facade.ErrNotFound].
func (c *Client) GetDomain(ctx context.Context, nameOrID string) (Domain, error) {
	const op = "GetDomain"
	d, err := c.domainParam(op, nameOrID)
	if err != nil {
		return Domain{}, err
	}
	rsp, err := c.api.GetDomainWithResponse(ctx, c.account, d)
	got, err := core.Call(c.core, op, rsp, err, (*dnsimpleapi.GetDomainResponse).GetJSON200)
	if err != nil {
		return Domain{}, err
	}
	return c.sameDomain(op, rsp.HTTPResponse, rsp.Body, d, &got.Data)
}

// DeleteDomain deletes the domain given by name or decimal ID. This is
// also how a secondary zone is deleted.
func (c *Client) DeleteDomain(ctx context.Context, nameOrID string) error {
	return c.deleteDomain(ctx, "DeleteDomain", nameOrID)
}

func (c *Client) deleteDomain(ctx context.Context, op, nameOrID string) error {
	d, err := c.domainParam(op, nameOrID)
	if err != nil {
		return err
	}
	rsp, err := c.api.DeleteDomainWithResponse(ctx, c.account, d)
	return core.Exec(c.core, op, rsp, err)
}

// paginate runs a page/per_page listing through core.PaginateUnique,
// with items identified by id: the cursor is the next page number, present
// while current_page < total_pages. Errors are labelled with op.
func paginate[T any](ctx context.Context, c *Client, op string, id func(T) int64,
	fetch func(ctx context.Context, page *int) ([]T, dnsimpleapi.Pagination, error)) iter.Seq2[T, error] {
	return core.PaginateUniqueInt(ctx, c.core, op, id, func(ctx context.Context, cursor string) ([]T, string, error) {
		var page *int
		current := 1
		if cursor != "" {
			current, _ = strconv.Atoi(cursor) // cursors are ours
			page = &current
		}
		items, pg, err := fetch(ctx, page)
		if err != nil {
			return nil, "", err
		}
		if pg.CurrentPage > 0 {
			current = pg.CurrentPage
		}
		next := ""
		if current < pg.TotalPages && len(items) > 0 {
			next = strconv.Itoa(current + 1)
		}
		return items, next, nil
	})
}

// failSeq yields err once.
func failSeq[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

func (c *Client) perPage(op string, n int) (*int, error) {
	switch {
	case n == 0:
		return nil, nil
	case n < 0 || n > MaxPerPage:
		return nil, c.core.Invalid(op, fmt.Errorf("per page %d: must be between 1 and %d", n, MaxPerPage))
	}
	return &n, nil
}

func (c *Client) nameLike(op, s string) (*string, error) {
	if s == "" {
		return nil, nil
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || isControl(r) }) {
		return nil, c.core.Invalid(op, fmt.Errorf("name filter %q: must not contain whitespace or control characters", s))
	}
	return &s, nil
}

// id checks a numeric identifier.
func (c *Client) id(op, field string, id int64) (int, error) {
	if id <= 0 || int64(int(id)) != id {
		return 0, c.core.Invalid(op, fmt.Errorf("%s %d: must be a positive integer", field, id))
	}
	return int(id), nil
}

// domainParam validates a domain given by name or decimal ID.
func (c *Client) domainParam(op, nameOrID string) (string, error) {
	if nameOrID != "" && strings.Trim(nameOrID, "0123456789") == "" {
		id, err := strconv.ParseInt(nameOrID, 10, 64)
		if err != nil || id <= 0 {
			return "", c.core.Invalid(op, fmt.Errorf("domain id %q: must be a positive integer", nameOrID))
		}
		return strconv.FormatInt(id, 10), nil
	}
	n, err := facade.NormalizeZoneName(nameOrID)
	if err != nil {
		return "", c.core.Invalid(op, err)
	}
	return n, nil
}

func (c *Client) convertPrimaryServer(op string, hr *http.Response, body []byte, s *dnsimpleapi.PrimaryServer) (PrimaryServer, error) {
	if s == nil || s.ID <= 0 {
		return PrimaryServer{}, c.core.Unexpected(op, hr, body, "response holds no primary server (id missing)")
	}
	ip, err := netip.ParseAddr(s.IP)
	if err != nil {
		return PrimaryServer{}, c.core.Unexpected(op, hr, body, "primary server %d has an invalid IP address %q", s.ID, s.IP)
	}
	if s.Port < 0 || s.Port > 65535 {
		return PrimaryServer{}, c.core.Unexpected(op, hr, body, "primary server %d has an invalid port %d", s.ID, s.Port)
	}
	port := uint16(s.Port)
	if port == 0 {
		port = facade.DefaultPort
	}
	out := PrimaryServer{
		ID:        int64(s.ID),
		AccountID: int64(s.AccountID),
		Name:      s.Name,
		IP:        ip.Unmap(),
		Port:      port,
		CreatedAt: s.CreatedAt,
		UpdatedAt: s.UpdatedAt,
	}
	for _, z := range s.LinkedSecondaryZones {
		out.LinkedSecondaryZones = append(out.LinkedSecondaryZones, core.NormalizeReportedName(z))
	}
	return out, nil
}

// sameServer converts the primary server of an answer about server id and
// checks that it is that server.
func (c *Client) sameServer(op string, hr *http.Response, body []byte, id int, s *dnsimpleapi.PrimaryServer) (PrimaryServer, error) {
	out, err := c.convertPrimaryServer(op, hr, body, s)
	if err == nil && out.ID != int64(id) {
		err = c.core.Unexpected(op, hr, body, "asked for primary server %d, the server answered with %d", id, out.ID)
	}
	return out, err
}

// convertZone converts a zone of a 2xx answer; one without id or name (an
// empty object, null, another resource) is facade.ErrUnexpectedResponse.
func (c *Client) convertZone(op string, hr *http.Response, body []byte, z *dnsimpleapi.Zone) (Zone, error) {
	if z == nil || z.ID <= 0 || z.Name == "" {
		return Zone{}, c.core.Unexpected(op, hr, body, "response holds no zone (id or name missing)")
	}
	out := Zone{
		ID:        int64(z.ID),
		AccountID: int64(z.AccountID),
		Name:      core.NormalizeReportedName(z.Name),
		Secondary: z.Secondary,
		Reverse:   z.Reverse,
		Active:    z.Active != nil && *z.Active,
		CreatedAt: z.CreatedAt,
		UpdatedAt: z.UpdatedAt,
	}
	if z.LastTransferredAt != nil {
		out.LastTransferredAt = *z.LastTransferredAt
	}
	return out, nil
}

// namedZone converts the zone of an answer about the zone called name (a
// normalised name) and checks that it is that zone.
func (c *Client) namedZone(op string, hr *http.Response, body []byte, name string, z *dnsimpleapi.Zone) (Zone, error) {
	out, err := c.convertZone(op, hr, body, z)
	if err == nil {
		err = c.core.CheckName(op, hr, body, name, out.Name)
	}
	if err != nil {
		return Zone{}, err
	}
	return out, nil
}

// convertDomain converts a domain of a 2xx answer; one without id or name
// is facade.ErrUnexpectedResponse.
func (c *Client) convertDomain(op string, hr *http.Response, body []byte, d *dnsimpleapi.Domain) (Domain, error) {
	if d == nil || d.ID <= 0 || d.Name == "" || d.State == "" {
		return Domain{}, c.core.Unexpected(op, hr, body, "response holds no domain (id, name or state missing)")
	}
	out := Domain{
		ID:           int64(d.ID),
		AccountID:    int64(d.AccountID),
		Name:         core.NormalizeReportedName(d.Name),
		UnicodeName:  d.UnicodeName,
		State:        string(d.State),
		AutoRenew:    d.AutoRenew,
		PrivateWhois: d.PrivateWhois,
		CreatedAt:    d.CreatedAt,
		UpdatedAt:    d.UpdatedAt,
	}
	if d.RegistrantID != nil {
		out.RegistrantID = int64(*d.RegistrantID)
	}
	if d.ExpiresAt != nil {
		out.ExpiresAt = *d.ExpiresAt
	}
	return out, nil
}

// sameDomain converts the domain of an answer about key (a normalised name
// or a decimal ID, as domainParam returns it) and checks that it is that
// domain.
func (c *Client) sameDomain(op string, hr *http.Response, body []byte, key string, d *dnsimpleapi.Domain) (Domain, error) {
	out, err := c.convertDomain(op, hr, body, d)
	switch {
	case err != nil:
	case strings.Trim(key, "0123456789") == "":
		if strconv.FormatInt(out.ID, 10) != key {
			err = c.core.Unexpected(op, hr, body, "asked for domain %s, the server answered with domain %d", key, out.ID)
		}
	default:
		err = c.core.CheckName(op, hr, body, key, out.Name)
	}
	if err != nil {
		return Domain{}, err
	}
	return out, nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }
