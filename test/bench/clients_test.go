package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	cfsdk "github.com/cloudflare/cloudflare-go/v6"
	cfdns "github.com/cloudflare/cloudflare-go/v6/dns"
	cfoption "github.com/cloudflare/cloudflare-go/v6/option"
	cfzones "github.com/cloudflare/cloudflare-go/v6/zones"
	dnsimplesdk "github.com/dnsimple/dnsimple-go/v7/dnsimple"
	"github.com/google/uuid"
	ionossdk "github.com/ionos-cloud/sdk-go-dns"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
	"github.com/secondarydns/secondarydns-go/facade/ionos"
	"github.com/secondarydns/secondarydns-go/gen/cloudflareapi"
	"github.com/secondarydns/secondarydns-go/gen/dnsimpleapi"
	"github.com/secondarydns/secondarydns-go/gen/ionosapi"
)

// impl is one way of making the benchmarked calls: get one zone, and list
// every zone of a listing of total zones with the given page size,
// returning how many were seen (checked against total by the caller).
type impl struct {
	get  func(ctx context.Context) error
	list func(ctx context.Context, pageSize int) (int, error)
}

// Every client gets its own *http.Client like this one: default transport
// (keep-alive on loopback), and the timeout a careful program sets; the
// facade's default client is the same.
func newHTTPClient() *http.Client { return &http.Client{Timeout: 30 * time.Second} }

func bearer(_ context.Context, req *http.Request) error {
	req.Header.Set("Authorization", "Bearer "+token)
	return nil
}

// ---------------------------------------------------------------- raw

// rawGet is the baseline: one GET with net/http, status check, streaming
// decode with encoding/json, body drained for connection reuse.
func rawGet(ctx context.Context, hc *http.Client, url string, dst any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(dst); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// Full, typed zone objects for the raw baseline.
type rawIONOSZone struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Href     string `json:"href"`
	Metadata struct {
		CreatedDate          time.Time `json:"createdDate"`
		CreatedBy            string    `json:"createdBy"`
		CreatedByUserID      string    `json:"createdByUserId"`
		LastModifiedDate     time.Time `json:"lastModifiedDate"`
		LastModifiedBy       string    `json:"lastModifiedBy"`
		LastModifiedByUserID string    `json:"lastModifiedByUserId"`
		ResourceURN          string    `json:"resourceURN"`
		State                string    `json:"state"`
		Nameservers          []string  `json:"nameservers"`
	} `json:"metadata"`
	Properties struct {
		ZoneName    string       `json:"zoneName"`
		Description string       `json:"description"`
		PrimaryIPs  []netip.Addr `json:"primaryIps"`
	} `json:"properties"`
}

type rawIONOSList struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	Href   string `json:"href"`
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"`
	Links  struct {
		Self string `json:"self"`
		Prev string `json:"prev"`
		Next string `json:"next"`
	} `json:"_links"`
	Items []rawIONOSZone `json:"items"`
}

type rawDNSimpleZone struct {
	ID                int64      `json:"id"`
	AccountID         int64      `json:"account_id"`
	Name              string     `json:"name"`
	Reverse           bool       `json:"reverse"`
	Secondary         bool       `json:"secondary"`
	LastTransferredAt *time.Time `json:"last_transferred_at"`
	Active            bool       `json:"active"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
}

type rawDNSimplePagination struct {
	CurrentPage  int `json:"current_page"`
	PerPage      int `json:"per_page"`
	TotalEntries int `json:"total_entries"`
	TotalPages   int `json:"total_pages"`
}

type rawCloudflareZone struct {
	ID                  string     `json:"id"`
	Name                string     `json:"name"`
	Status              string     `json:"status"`
	Paused              bool       `json:"paused"`
	Type                string     `json:"type"`
	DevelopmentMode     int        `json:"development_mode"`
	NameServers         []string   `json:"name_servers"`
	OriginalNameServers []string   `json:"original_name_servers"`
	OriginalRegistrar   string     `json:"original_registrar"`
	OriginalDNSHost     string     `json:"original_dnshost"`
	ModifiedOn          time.Time  `json:"modified_on"`
	CreatedOn           time.Time  `json:"created_on"`
	ActivatedOn         *time.Time `json:"activated_on"`
	CNAMESuffix         string     `json:"cname_suffix"`
	VanityNameServers   []string   `json:"vanity_name_servers"`
	VerificationKey     string     `json:"verification_key"`
	Meta                struct {
		Step                   int  `json:"step"`
		CustomCertificateQuota int  `json:"custom_certificate_quota"`
		PageRuleQuota          int  `json:"page_rule_quota"`
		PhishingDetected       bool `json:"phishing_detected"`
		CDNOnly                bool `json:"cdn_only"`
		DNSOnly                bool `json:"dns_only"`
		FoundationDNS          bool `json:"foundation_dns"`
	} `json:"meta"`
	Owner struct {
		ID   string `json:"id"`
		Type string `json:"type"`
		Name string `json:"name"`
	} `json:"owner"`
	Account struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"account"`
	Permissions []string `json:"permissions"`
	Plan        struct {
		ID                string  `json:"id"`
		Name              string  `json:"name"`
		Price             float64 `json:"price"`
		Currency          string  `json:"currency"`
		Frequency         string  `json:"frequency"`
		IsSubscribed      bool    `json:"is_subscribed"`
		CanSubscribe      bool    `json:"can_subscribe"`
		LegacyID          string  `json:"legacy_id"`
		LegacyDiscount    bool    `json:"legacy_discount"`
		ExternallyManaged bool    `json:"externally_managed"`
	} `json:"plan"`
	Tenant struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"tenant"`
	TenantUnit struct {
		ID string `json:"id"`
	} `json:"tenant_unit"`
}

type rawCloudflareMessage struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

type rawCloudflareIncoming struct {
	Success  bool                   `json:"success"`
	Errors   []rawCloudflareMessage `json:"errors"`
	Messages []rawCloudflareMessage `json:"messages"`
	Result   struct {
		ID                 string    `json:"id"`
		Name               string    `json:"name"`
		Peers              []string  `json:"peers"`
		AutoRefreshSeconds int64     `json:"auto_refresh_seconds"`
		SOASerial          int64     `json:"soa_serial"`
		CheckedTime        time.Time `json:"checked_time"`
		CreatedTime        time.Time `json:"created_time"`
		ModifiedTime       time.Time `json:"modified_time"`
	} `json:"result"`
}

type rawCloudflareList struct {
	Success    bool                   `json:"success"`
	Errors     []rawCloudflareMessage `json:"errors"`
	Messages   []rawCloudflareMessage `json:"messages"`
	Result     []rawCloudflareZone    `json:"result"`
	ResultInfo struct {
		Page       int `json:"page"`
		PerPage    int `json:"per_page"`
		Count      int `json:"count"`
		TotalCount int `json:"total_count"`
		TotalPages int `json:"total_pages"`
	} `json:"result_info"`
}

func rawIONOS(base string) impl {
	hc := newHTTPClient()
	return impl{
		get: func(ctx context.Context) error {
			var z rawIONOSZone
			return rawGet(ctx, hc, base+"/secondaryzones/"+ionosID(0), &z)
		},
		list: func(ctx context.Context, limit int) (int, error) {
			n := 0
			for offset := 0; ; {
				var page rawIONOSList
				if err := rawGet(ctx, hc, base+"/secondaryzones?offset="+strconv.Itoa(offset)+"&limit="+strconv.Itoa(limit), &page); err != nil {
					return n, err
				}
				n += len(page.Items)
				if page.Links.Next == "" || len(page.Items) == 0 {
					return n, nil
				}
				offset += len(page.Items)
			}
		},
	}
}

func rawDNSimple(base string) impl {
	hc := newHTTPClient()
	prefix := base + "/v2/" + strconv.Itoa(dnsimpleAcct) + "/zones"
	return impl{
		get: func(ctx context.Context) error {
			var z struct {
				Data rawDNSimpleZone `json:"data"`
			}
			return rawGet(ctx, hc, prefix+"/"+zoneName(0), &z)
		},
		list: func(ctx context.Context, per int) (int, error) {
			n := 0
			for page := 1; ; page++ {
				var p struct {
					Data       []rawDNSimpleZone     `json:"data"`
					Pagination rawDNSimplePagination `json:"pagination"`
				}
				if err := rawGet(ctx, hc, prefix+"?page="+strconv.Itoa(page)+"&per_page="+strconv.Itoa(per), &p); err != nil {
					return n, err
				}
				n += len(p.Data)
				if page >= p.Pagination.TotalPages {
					return n, nil
				}
			}
		},
	}
}

func rawCloudflare(base string) impl {
	hc := newHTTPClient()
	return impl{
		get: func(ctx context.Context) error {
			var in rawCloudflareIncoming
			return rawGet(ctx, hc, base+"/zones/"+cloudflareID(0)+"/secondary_dns/incoming", &in)
		},
		list: func(ctx context.Context, per int) (int, error) {
			n := 0
			for page := 1; ; page++ {
				var p rawCloudflareList
				if err := rawGet(ctx, hc, base+"/zones?account.id="+cloudflareAcc+"&page="+strconv.Itoa(page)+"&per_page="+strconv.Itoa(per), &p); err != nil {
					return n, err
				}
				for i := range p.Result {
					if p.Result[i].Type == "secondary" {
						n++
					}
				}
				if page >= p.ResultInfo.TotalPages {
					return n, nil
				}
			}
		},
	}
}

// ---------------------------------------------------------------- facade

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func facadeIONOSClient(base string) *ionos.Client {
	return must(ionos.New(token, facade.WithBaseURL(base)))
}

func facadeDNSimpleClient(base string) *dnsimple.Client {
	return must(dnsimple.New(token, dnsimpleAcct, facade.WithBaseURL(base+"/v2")))
}

func facadeCloudflareClient(base string) *cloudflare.Client {
	return must(cloudflare.New(token, cloudflareAcc, facade.WithBaseURL(base)))
}

func ionosListOptions(limit int) ionos.ListOptions { return ionos.ListOptions{PageSize: limit} }

func dnsimpleListOptions(per int) dnsimple.ZoneListOptions {
	return dnsimple.ZoneListOptions{PerPage: per}
}

func cloudflareListOptions(per int) cloudflare.ZoneListOptions {
	return cloudflare.ZoneListOptions{Type: cloudflare.ZoneTypeSecondary, PerPage: per}
}

// collect drains a facade listing into a slice.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) { return facade.Collect(seq) }

// count drains a listing without keeping it, returning how many items it
// yielded before its error, if any.
func count[T any](seq iter.Seq2[T, error]) (int, error) {
	n := 0
	for _, err := range seq {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func facadeIONOS(base string) impl {
	c := facadeIONOSClient(base)
	return impl{
		get: func(ctx context.Context) error {
			_, err := c.GetSecondaryZone(ctx, ionosID(0))
			return err
		},
		list: func(ctx context.Context, limit int) (int, error) {
			return count(c.ListSecondaryZones(ctx, ionosListOptions(limit)))
		},
	}
}

func facadeDNSimple(base string) impl {
	c := facadeDNSimpleClient(base)
	return impl{
		get: func(ctx context.Context) error {
			_, err := c.GetAccountZone(ctx, zoneName(0))
			return err
		},
		list: func(ctx context.Context, per int) (int, error) {
			return count(c.ListAccountZones(ctx, dnsimpleListOptions(per)))
		},
	}
}

func facadeCloudflare(base string) impl {
	c := facadeCloudflareClient(base)
	return impl{
		get: func(ctx context.Context) error {
			_, err := c.GetIncoming(ctx, cloudflareID(0))
			return err
		},
		list: func(ctx context.Context, per int) (int, error) {
			return count(c.ListAccountZones(ctx, cloudflareListOptions(per)))
		},
	}
}

// ---------------------------------------------------------------- generated

func genIONOS(base string) impl {
	c := must(ionosapi.NewClientWithResponses(base, ionosapi.WithHTTPClient(newHTTPClient()), ionosapi.WithRequestEditorFn(bearer)))
	id := openapi_types.UUID(uuid.MustParse(ionosID(0)))
	return impl{
		get: func(ctx context.Context) error {
			rsp, err := c.GetSecondaryZoneWithResponse(ctx, id)
			if err != nil {
				return err
			}
			if rsp.JSON200 == nil {
				return fmt.Errorf("status %d", rsp.StatusCode())
			}
			return nil
		},
		list: func(ctx context.Context, limit int) (int, error) {
			n := 0
			l := ionosapi.PaginationLimit(limit)
			for offset := ionosapi.PaginationOffset(0); ; {
				o := offset
				rsp, err := c.ListSecondaryZonesWithResponse(ctx, &ionosapi.ListSecondaryZonesParams{Limit: &l, Offset: &o})
				if err != nil {
					return n, err
				}
				if rsp.JSON200 == nil {
					return n, fmt.Errorf("status %d", rsp.StatusCode())
				}
				n += len(rsp.JSON200.Items)
				if rsp.JSON200.UnderscoreLinks.Next == nil || len(rsp.JSON200.Items) == 0 {
					return n, nil
				}
				offset += ionosapi.PaginationOffset(len(rsp.JSON200.Items))
			}
		},
	}
}

func genDNSimple(base string) impl {
	c := must(dnsimpleapi.NewClientWithResponses(base+"/v2", dnsimpleapi.WithHTTPClient(newHTTPClient()), dnsimpleapi.WithRequestEditorFn(bearer)))
	return impl{
		get: func(ctx context.Context) error {
			rsp, err := c.GetZoneWithResponse(ctx, dnsimpleAcct, zoneName(0))
			if err != nil {
				return err
			}
			if rsp.JSON200 == nil {
				return fmt.Errorf("status %d", rsp.StatusCode())
			}
			return nil
		},
		list: func(ctx context.Context, per int) (int, error) {
			n := 0
			for page := 1; ; page++ {
				p := page
				rsp, err := c.ListZonesWithResponse(ctx, dnsimpleAcct, &dnsimpleapi.ListZonesParams{Page: &p, PerPage: &per})
				if err != nil {
					return n, err
				}
				if rsp.JSON200 == nil {
					return n, fmt.Errorf("status %d", rsp.StatusCode())
				}
				n += len(rsp.JSON200.Data)
				if page >= rsp.JSON200.Pagination.TotalPages {
					return n, nil
				}
			}
		},
	}
}

func genCloudflare(base string) impl {
	c := must(cloudflareapi.NewClientWithResponses(base, cloudflareapi.WithHTTPClient(newHTTPClient()), cloudflareapi.WithRequestEditorFn(bearer)))
	acct := cloudflareAcc
	return impl{
		get: func(ctx context.Context) error {
			rsp, err := c.GetIncomingWithResponse(ctx, cloudflareID(0))
			if err != nil {
				return err
			}
			if rsp.JSON200 == nil || rsp.JSON200.Result == nil {
				return fmt.Errorf("status %d", rsp.StatusCode())
			}
			return nil
		},
		list: func(ctx context.Context, per int) (int, error) {
			// The generated ZonesZone has no "type" (the upstream schema
			// omits it) and ZonesResultInfo no total_pages: count all zones
			// (all are secondary here) and stop on total_count.
			n := 0
			for page := 1; ; page++ {
				p := page
				rsp, err := c.ListZonesWithResponse(ctx, &cloudflareapi.ListZonesParams{AccountID: &acct, Page: &p, PerPage: &per})
				if err != nil {
					return n, err
				}
				if rsp.JSON200 == nil || rsp.JSON200.Result == nil || rsp.JSON200.ResultInfo == nil || rsp.JSON200.ResultInfo.TotalCount == nil {
					return n, fmt.Errorf("status %d", rsp.StatusCode())
				}
				n += len(*rsp.JSON200.Result)
				if page*per >= *rsp.JSON200.ResultInfo.TotalCount {
					return n, nil
				}
			}
		},
	}
}

// ---------------------------------------------------------------- official SDKs

func sdkIONOS(base string) impl {
	cfg := ionossdk.NewConfiguration("", "", token, base)
	cfg.HTTPClient = newHTTPClient()
	c := ionossdk.NewAPIClient(cfg)
	return impl{
		get: func(ctx context.Context) error {
			_, _, err := c.SecondaryZonesApi.SecondaryzonesFindById(ctx, ionosID(0)).Execute()
			return err
		},
		list: func(ctx context.Context, limit int) (int, error) {
			n := 0
			for offset := int32(0); ; {
				page, _, err := c.SecondaryZonesApi.SecondaryzonesGet(ctx).Offset(offset).Limit(int32(limit)).Execute()
				if err != nil {
					return n, err
				}
				if page.Items == nil {
					return n, fmt.Errorf("no items")
				}
				n += len(*page.Items)
				if page.Links == nil || page.Links.Next == nil || len(*page.Items) == 0 {
					return n, nil
				}
				offset += int32(len(*page.Items))
			}
		},
	}
}

func sdkDNSimple(base string) impl {
	// The documented entry point: an OAuth2 static-token HTTP client.
	c := dnsimplesdk.NewClient(dnsimplesdk.StaticTokenHTTPClient(context.Background(), token))
	c.BaseURL = base
	acct := strconv.Itoa(dnsimpleAcct)
	return impl{
		get: func(ctx context.Context) error {
			_, err := c.Zones.GetZone(ctx, acct, zoneName(0))
			return err
		},
		list: func(ctx context.Context, per int) (int, error) {
			n := 0
			for page := 1; ; page++ {
				p := page
				rsp, err := c.Zones.ListZones(ctx, acct, &dnsimplesdk.ZoneListOptions{ListOptions: dnsimplesdk.ListOptions{Page: &p, PerPage: &per}})
				if err != nil {
					return n, err
				}
				n += len(rsp.Data)
				if rsp.Pagination == nil || page >= rsp.Pagination.TotalPages {
					return n, nil
				}
			}
		},
	}
}

func sdkCloudflare(base string) impl {
	c := cfsdk.NewClient(cfoption.WithAPIToken(token), cfoption.WithBaseURL(base+"/"), cfoption.WithHTTPClient(newHTTPClient()))
	return impl{
		get: func(ctx context.Context) error {
			_, err := c.DNS.ZoneTransfers.Incoming.Get(ctx, cfdns.ZoneTransferIncomingGetParams{ZoneID: cfsdk.F(cloudflareID(0))})
			return err
		},
		list: func(ctx context.Context, per int) (int, error) {
			// ListAutoPaging stops at the first empty page, so it sends one
			// request more than the others.
			it := c.Zones.ListAutoPaging(ctx, cfzones.ZoneListParams{
				Account: cfsdk.F(cfzones.ZoneListParamsAccount{ID: cfsdk.F(cloudflareAcc)}),
				PerPage: cfsdk.F(float64(per)),
			})
			n := 0
			for it.Next() {
				if it.Current().Type == cfzones.TypeSecondary {
					n++
				}
			}
			return n, it.Err()
		},
	}
}
