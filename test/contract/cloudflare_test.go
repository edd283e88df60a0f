package contract_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/gen/cloudflareapi"
	"github.com/secondarydns/secondarydns-go/specs"
)

type cloudflareCase = contractCase[*cloudflareapi.ClientWithResponses]

func newCloudflareClient(server string, hc *http.Client) (*cloudflareapi.ClientWithResponses, error) {
	return cloudflareapi.NewClientWithResponses(server,
		cloudflareapi.WithHTTPClient(hc), cloudflareapi.WithRequestEditorFn(bearer))
}

// The identifiers are the example values of the prepared document's schemas,
// so that requests and the example-built responses agree.
const (
	cfAccount       = "01a7362d577a6c3019a474fd6f485823" // secondary-dns_account_identifier
	cfZone          = "023e105f4ecef8ad9ca31a8372d0c353" // zones_identifier
	cfSecondaryZone = "269d8f4853475ca241c4e730be286b20" // secondary-dns_identifier
	cfPeer          = "23ff594956f20c2a721606e94745a8aa" // secondary-dns_components-schemas-identifier
	cfPeer2         = "00920f38ce07c2e2f4df50b1f61d4194" // second secondary-dns_peers example
	cfTSIG          = "69cd1e104af3e6ed3cb344f263fd0d5a" // secondary-dns_schemas-identifier
	cfACL           = "23ff594956f20c2a721606e94745a8aa" // secondary-dns_components-schemas-identifier
	cfTSIGSecret    = "caf79a7804b04337c9c66ccd7bef9190a1e1679b5dd03d8aa10f7ad45e1a9dab92b417896c15d4d007c7c14194538d2a5d0feffdecc5a7f0e1c570cfa700837c"
)

func cfIncomingInput() cloudflareapi.SecondaryDNSIncomingInput {
	return cloudflareapi.SecondaryDNSIncomingInput{
		Name:               "www.example.com.",
		Peers:              []string{cfPeer, cfPeer2},
		AutoRefreshSeconds: 86400,
	}
}

const cfIncomingJSON = `{"name":"www.example.com.","peers":["` + cfPeer + `","` + cfPeer2 + `"],"auto_refresh_seconds":86400}`

func cfPeerInput() cloudflareapi.SecondaryDNSPeerInput {
	return cloudflareapi.SecondaryDNSPeerInput{Name: "my-peer-1", IP: ptr("192.0.2.53"), Port: ptr[int64](53)}
}

const cfPeerJSON = `{"name":"my-peer-1","ip":"192.0.2.53","port":53}`

func cfTSIGInput() cloudflareapi.SecondaryDNSTsigInput {
	return cloudflareapi.SecondaryDNSTsigInput{Name: "tsig.customer.cf.", Algo: "hmac-sha512.", Secret: cfTSIGSecret}
}

const cfTSIGJSON = `{"name":"tsig.customer.cf.","algo":"hmac-sha512.","secret":"` + cfTSIGSecret + `"}`

func cfACLInput() cloudflareapi.SecondaryDNSACLInput {
	return cloudflareapi.SecondaryDNSACLInput{Name: "my-acl-1", IPRange: "192.0.2.53/28"}
}

const cfACLJSON = `{"name":"my-acl-1","ip_range":"192.0.2.53/28"}`

// The shared assertions on the envelopes and results decoded from
// test/testdata/contract/cloudflare.

func assertCFSuccess(t *testing.T, success bool, errs, msgs []struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}) {
	t.Helper()
	assert.True(t, success)
	assert.NotNil(t, errs)
	assert.Empty(t, errs)
	assert.NotNil(t, msgs)
	assert.Empty(t, msgs)
}

func assertCFZone(t *testing.T, z *cloudflareapi.ZonesZone) {
	t.Helper()
	require.NotNil(t, z)
	assert.Equal(t, cfZone, z.ID)
	assert.Equal(t, "example.com", z.Name)
	assert.Equal(t, ptr("Example Account Name"), z.Account.Name)
	assert.Equal(t, ptr([]string{"bob.ns.cloudflare.com", "lola.ns.cloudflare.com"}), z.NameServers)
	assert.Equal(t, ptr("GoDaddy"), z.OriginalRegistrar)
	require.NotNil(t, z.ActivatedOn)
	assert.Equal(t, mustTime(t, "2014-01-02T00:01:00.12345Z"), *z.ActivatedOn)
	assert.Equal(t, ptr[float32](7200), z.DevelopmentMode)
	assert.Equal(t, ptr(2), z.Meta.Step)
}

func assertCFIncoming(t *testing.T, r *cloudflareapi.SecondaryDNSSingleResponseIncoming) {
	t.Helper()
	require.NotNil(t, r)
	assertCFSuccess(t, bool(r.Success), r.Errors, r.Messages)
	require.NotNil(t, r.Result)
	res := r.Result
	require.NotNil(t, res.SoaSerial)
	assert.Equal(t, int64(2019102400), *res.SoaSerial, "soa_serial must decode exactly, as int64")
	assert.Equal(t, ptr[int64](86400), res.AutoRefreshSeconds)
	assert.Equal(t, ptr(cfSecondaryZone), res.ID)
	assert.Equal(t, ptr("www.example.com."), res.Name)
	assert.Equal(t, ptr([]string{cfPeer, cfPeer2}), res.Peers)
	assert.Equal(t, ptr("2019-10-24T17:09:42.883908+01:00"), res.CheckedTime)
}

func assertCFPeer(t *testing.T, p *cloudflareapi.SecondaryDNSPeer) {
	t.Helper()
	require.NotNil(t, p)
	assert.Equal(t, ptr(cfPeer), p.ID)
	assert.Equal(t, "my-peer-1", p.Name)
	assert.Equal(t, ptr("192.0.2.53"), p.IP)
	assert.Equal(t, ptr[int64](53), p.Port)
	assert.Equal(t, ptr(false), p.IxfrEnable)
	assert.Equal(t, ptr(cfTSIG), p.TsigID)
}

func assertCFTSIG(t *testing.T, k *cloudflareapi.SecondaryDNSTsig) {
	t.Helper()
	require.NotNil(t, k)
	assert.Equal(t, ptr(cfTSIG), k.ID)
	assert.Equal(t, "tsig.customer.cf.", k.Name)
	assert.Equal(t, "hmac-sha512.", k.Algo)
	assert.Equal(t, cfTSIGSecret, k.Secret)
}

func assertCFACL(t *testing.T, a *cloudflareapi.SecondaryDNSACL) {
	t.Helper()
	require.NotNil(t, a)
	assert.Equal(t, ptr(cfACL), a.ID)
	assert.Equal(t, "my-acl-1", a.Name)
	assert.Equal(t, "192.0.2.53/28", a.IPRange)
}

func cfResponse(t testing.TB, op string) canned {
	return jsonFile(t, http.StatusOK, "cloudflare/"+op+".json")
}

// cloudflareCases is the Cloudflare table. The bodies
// (test/testdata/contract/cloudflare/<operation>.json) are the 200 responses
// assembled from the example values of the prepared document's schemas, in
// the envelope shapes of Cloudflare's secondary DNS reference (seed 001).
func cloudflareCases(t testing.TB) []cloudflareCase {
	accountPath := "/accounts/" + cfAccount + "/secondary_dns"
	incomingPath := "/zones/" + cfSecondaryZone + "/secondary_dns/incoming"
	return []cloudflareCase{
		// Zones.
		{
			op:     "ListZones",
			method: http.MethodGet, path: "/zones",
			query: url.Values{"name": {"example.com"}, "account.id": {cfAccount}, "page": {"1"}, "per_page": {"20"}},
			resp:  cfResponse(t, "ListZones"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.ListZonesWithResponse(ctx, &cloudflareapi.ListZonesParams{
					Name: ptr("example.com"), AccountID: ptr(cfAccount), Page: ptr(1), PerPage: ptr(20),
				})
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, rsp.JSON200.Success, rsp.JSON200.Errors, rsp.JSON200.Messages)
				require.NotNil(t, rsp.JSON200.Result)
				require.Len(t, *rsp.JSON200.Result, 1)
				assertCFZone(t, &(*rsp.JSON200.Result)[0])
				require.NotNil(t, rsp.JSON200.ResultInfo)
				assert.Equal(t, ptr(1), rsp.JSON200.ResultInfo.Count)
				assert.Equal(t, ptr(20), rsp.JSON200.ResultInfo.PerPage)
				return rsp.HTTPResponse
			},
		},
		{
			op:     "CreateZone",
			method: http.MethodPost, path: "/zones",
			body: `{"name":"example.com","account":{"id":"` + cfZone + `"},"type":"secondary"}`,
			resp: cfResponse(t, "CreateZone"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				body := cloudflareapi.CreateZoneJSONRequestBody{Name: "example.com", Type: ptr(cloudflareapi.Secondary)}
				body.Account.ID = ptr(cfZone)
				rsp, err := c.CreateZoneWithResponse(ctx, body)
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, rsp.JSON200.Success, rsp.JSON200.Errors, rsp.JSON200.Messages)
				assertCFZone(t, rsp.JSON200.Result)
				return rsp.HTTPResponse
			},
		},
		{
			op:     "GetZone",
			method: http.MethodGet, path: "/zones/" + cfZone,
			resp: cfResponse(t, "GetZone"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.GetZoneWithResponse(ctx, cfZone)
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, rsp.JSON200.Success, rsp.JSON200.Errors, rsp.JSON200.Messages)
				assertCFZone(t, rsp.JSON200.Result)
				return rsp.HTTPResponse
			},
		},
		{
			op:     "DeleteZone",
			method: http.MethodDelete, path: "/zones/" + cfZone,
			resp: cfResponse(t, "DeleteZone"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.DeleteZoneWithResponse(ctx, cfZone)
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, rsp.JSON200.Success, rsp.JSON200.Errors, rsp.JSON200.Messages)
				require.NotNil(t, rsp.JSON200.Result)
				assert.Equal(t, cfZone, rsp.JSON200.Result.ID)
				return rsp.HTTPResponse
			},
		},

		// Secondary zone configuration (incoming transfers).
		{
			op:     "GetIncoming",
			method: http.MethodGet, path: incomingPath,
			resp: cfResponse(t, "GetIncoming"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.GetIncomingWithResponse(ctx, cfSecondaryZone)
				require.NoError(t, err)
				assertCFIncoming(t, rsp.JSON200)
				return rsp.HTTPResponse
			},
		},
		{
			op:     "CreateIncoming",
			method: http.MethodPost, path: incomingPath,
			body: cfIncomingJSON,
			resp: cfResponse(t, "CreateIncoming"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.CreateIncomingWithResponse(ctx, cfSecondaryZone, cfIncomingInput())
				require.NoError(t, err)
				assertCFIncoming(t, rsp.JSON200)
				return rsp.HTTPResponse
			},
		},
		{
			op:     "UpdateIncoming",
			method: http.MethodPut, path: incomingPath,
			body: cfIncomingJSON,
			resp: cfResponse(t, "UpdateIncoming"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.UpdateIncomingWithResponse(ctx, cfSecondaryZone, cfIncomingInput())
				require.NoError(t, err)
				assertCFIncoming(t, rsp.JSON200)
				return rsp.HTTPResponse
			},
		},
		{
			op:     "DeleteIncoming",
			method: http.MethodDelete, path: incomingPath,
			resp: cfResponse(t, "DeleteIncoming"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.DeleteIncomingWithResponse(ctx, cfSecondaryZone)
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, bool(rsp.JSON200.Success), rsp.JSON200.Errors, rsp.JSON200.Messages)
				require.NotNil(t, rsp.JSON200.Result)
				assert.Equal(t, ptr(cfSecondaryZone), rsp.JSON200.Result.ID)
				return rsp.HTTPResponse
			},
		},
		{
			op:     "ForceAXFR",
			method: http.MethodPost, path: "/zones/" + cfSecondaryZone + "/secondary_dns/force_axfr",
			resp: cfResponse(t, "ForceAXFR"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.ForceAXFRWithResponse(ctx, cfSecondaryZone)
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, bool(rsp.JSON200.Success), rsp.JSON200.Errors, rsp.JSON200.Messages)
				assert.Equal(t, ptr("OK"), rsp.JSON200.Result)
				return rsp.HTTPResponse
			},
		},

		// Peers.
		{
			op:     "ListPeers",
			method: http.MethodGet, path: accountPath + "/peers",
			resp: cfResponse(t, "ListPeers"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.ListPeersWithResponse(ctx, cfAccount)
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, bool(rsp.JSON200.Success), rsp.JSON200.Errors, rsp.JSON200.Messages)
				require.NotNil(t, rsp.JSON200.Result)
				require.Len(t, *rsp.JSON200.Result, 1)
				assertCFPeer(t, &(*rsp.JSON200.Result)[0])
				return rsp.HTTPResponse
			},
		},
		{
			op:     "CreatePeer",
			method: http.MethodPost, path: accountPath + "/peers",
			body: cfPeerJSON,
			resp: cfResponse(t, "CreatePeer"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.CreatePeerWithResponse(ctx, cfAccount, cfPeerInput())
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, bool(rsp.JSON200.Success), rsp.JSON200.Errors, rsp.JSON200.Messages)
				assertCFPeer(t, rsp.JSON200.Result)
				return rsp.HTTPResponse
			},
		},
		{
			op:     "GetPeer",
			method: http.MethodGet, path: accountPath + "/peers/" + cfPeer,
			resp: cfResponse(t, "GetPeer"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.GetPeerWithResponse(ctx, cfAccount, cfPeer)
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, bool(rsp.JSON200.Success), rsp.JSON200.Errors, rsp.JSON200.Messages)
				assertCFPeer(t, rsp.JSON200.Result)
				return rsp.HTTPResponse
			},
		},
		{
			op:     "UpdatePeer",
			method: http.MethodPut, path: accountPath + "/peers/" + cfPeer,
			body: `{"name":"my-peer-1","ip":"192.0.2.53","port":53,"ixfr_enable":false,"tsig_id":"` + cfTSIG + `"}`,
			resp: cfResponse(t, "UpdatePeer"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				in := cfPeerInput()
				in.IxfrEnable = ptr(false)
				in.TsigID = ptr(cfTSIG)
				rsp, err := c.UpdatePeerWithResponse(ctx, cfAccount, cfPeer, in)
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, bool(rsp.JSON200.Success), rsp.JSON200.Errors, rsp.JSON200.Messages)
				assertCFPeer(t, rsp.JSON200.Result)
				return rsp.HTTPResponse
			},
		},
		{
			op:     "DeletePeer",
			method: http.MethodDelete, path: accountPath + "/peers/" + cfPeer,
			resp: cfResponse(t, "DeletePeer"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.DeletePeerWithResponse(ctx, cfAccount, cfPeer)
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, bool(rsp.JSON200.Success), rsp.JSON200.Errors, rsp.JSON200.Messages)
				require.NotNil(t, rsp.JSON200.Result)
				assert.Equal(t, ptr(cfPeer), rsp.JSON200.Result.ID)
				return rsp.HTTPResponse
			},
		},

		// TSIG keys.
		{
			op:     "ListTSIGs",
			method: http.MethodGet, path: accountPath + "/tsigs",
			resp: cfResponse(t, "ListTSIGs"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.ListTSIGsWithResponse(ctx, cfAccount)
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, bool(rsp.JSON200.Success), rsp.JSON200.Errors, rsp.JSON200.Messages)
				require.NotNil(t, rsp.JSON200.Result)
				require.Len(t, *rsp.JSON200.Result, 1)
				assertCFTSIG(t, &(*rsp.JSON200.Result)[0])
				return rsp.HTTPResponse
			},
		},
		{
			op:     "CreateTSIG",
			method: http.MethodPost, path: accountPath + "/tsigs",
			body: cfTSIGJSON,
			resp: cfResponse(t, "CreateTSIG"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.CreateTSIGWithResponse(ctx, cfAccount, cfTSIGInput())
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, bool(rsp.JSON200.Success), rsp.JSON200.Errors, rsp.JSON200.Messages)
				assertCFTSIG(t, rsp.JSON200.Result)
				return rsp.HTTPResponse
			},
		},
		{
			op:     "GetTSIG",
			method: http.MethodGet, path: accountPath + "/tsigs/" + cfTSIG,
			resp: cfResponse(t, "GetTSIG"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.GetTSIGWithResponse(ctx, cfAccount, cfTSIG)
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, bool(rsp.JSON200.Success), rsp.JSON200.Errors, rsp.JSON200.Messages)
				assertCFTSIG(t, rsp.JSON200.Result)
				return rsp.HTTPResponse
			},
		},
		{
			op:     "UpdateTSIG",
			method: http.MethodPut, path: accountPath + "/tsigs/" + cfTSIG,
			body: cfTSIGJSON,
			resp: cfResponse(t, "UpdateTSIG"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.UpdateTSIGWithResponse(ctx, cfAccount, cfTSIG, cfTSIGInput())
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, bool(rsp.JSON200.Success), rsp.JSON200.Errors, rsp.JSON200.Messages)
				assertCFTSIG(t, rsp.JSON200.Result)
				return rsp.HTTPResponse
			},
		},
		{
			op:     "DeleteTSIG",
			method: http.MethodDelete, path: accountPath + "/tsigs/" + cfTSIG,
			resp: cfResponse(t, "DeleteTSIG"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.DeleteTSIGWithResponse(ctx, cfAccount, cfTSIG)
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, bool(rsp.JSON200.Success), rsp.JSON200.Errors, rsp.JSON200.Messages)
				require.NotNil(t, rsp.JSON200.Result)
				assert.Equal(t, ptr(cfTSIG), rsp.JSON200.Result.ID)
				return rsp.HTTPResponse
			},
		},

		// ACLs.
		{
			op:     "ListACLs",
			method: http.MethodGet, path: accountPath + "/acls",
			resp: cfResponse(t, "ListACLs"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.ListACLsWithResponse(ctx, cfAccount)
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, bool(rsp.JSON200.Success), rsp.JSON200.Errors, rsp.JSON200.Messages)
				require.NotNil(t, rsp.JSON200.Result)
				require.Len(t, *rsp.JSON200.Result, 1)
				assertCFACL(t, &(*rsp.JSON200.Result)[0])
				return rsp.HTTPResponse
			},
		},
		{
			op:     "CreateACL",
			method: http.MethodPost, path: accountPath + "/acls",
			body: cfACLJSON,
			resp: cfResponse(t, "CreateACL"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.CreateACLWithResponse(ctx, cfAccount, cfACLInput())
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, bool(rsp.JSON200.Success), rsp.JSON200.Errors, rsp.JSON200.Messages)
				assertCFACL(t, rsp.JSON200.Result)
				return rsp.HTTPResponse
			},
		},
		{
			op:     "GetACL",
			method: http.MethodGet, path: accountPath + "/acls/" + cfACL,
			resp: cfResponse(t, "GetACL"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.GetACLWithResponse(ctx, cfAccount, cfACL)
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, bool(rsp.JSON200.Success), rsp.JSON200.Errors, rsp.JSON200.Messages)
				assertCFACL(t, rsp.JSON200.Result)
				return rsp.HTTPResponse
			},
		},
		{
			op:     "UpdateACL",
			method: http.MethodPut, path: accountPath + "/acls/" + cfACL,
			body: cfACLJSON,
			resp: cfResponse(t, "UpdateACL"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.UpdateACLWithResponse(ctx, cfAccount, cfACL, cfACLInput())
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, bool(rsp.JSON200.Success), rsp.JSON200.Errors, rsp.JSON200.Messages)
				assertCFACL(t, rsp.JSON200.Result)
				return rsp.HTTPResponse
			},
		},
		{
			op:     "DeleteACL",
			method: http.MethodDelete, path: accountPath + "/acls/" + cfACL,
			resp: cfResponse(t, "DeleteACL"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.DeleteACLWithResponse(ctx, cfAccount, cfACL)
				require.NoError(t, err)
				require.NotNil(t, rsp.JSON200, "body: %s", rsp.Body)
				assertCFSuccess(t, bool(rsp.JSON200.Success), rsp.JSON200.Errors, rsp.JSON200.Messages)
				require.NotNil(t, rsp.JSON200.Result)
				assert.Equal(t, ptr(cfACL), rsp.JSON200.Result.ID)
				return rsp.HTTPResponse
			},
		},

		// Error: the 4XX failure envelope (errors example of
		// secondary-dns_api-response-common-failure), answered with a 404.
		{
			op: "GetIncoming", name: "GetIncoming/4XX",
			method: http.MethodGet, path: incomingPath,
			resp: jsonFile(t, http.StatusNotFound, "cloudflare/Error-4XX.json"),
			call: func(t *testing.T, ctx context.Context, c *cloudflareapi.ClientWithResponses) *http.Response {
				rsp, err := c.GetIncomingWithResponse(ctx, cfSecondaryZone)
				require.NoError(t, err)
				assert.Nil(t, rsp.JSON200)
				require.NotNil(t, rsp.JSON4XX, "body: %s", rsp.Body)
				f := rsp.JSON4XX
				assert.Equal(t, cloudflareapi.False, f.Success)
				require.Len(t, f.Errors, 1)
				assert.Equal(t, 7003, f.Errors[0].Code)
				assert.Equal(t, "No route for the URI", f.Errors[0].Message)
				assert.Empty(t, f.Messages)
				assert.Nil(t, f.Result)
				return rsp.HTTPResponse
			},
		},
	}
}

func TestCloudflareContract(t *testing.T) {
	t.Parallel()
	runContract(t, specs.Cloudflare, newCloudflareClient, cloudflareCases(t))
}
