package spectest_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/test/spectest"
)

func TestValidator(t *testing.T) {
	t.Parallel()
	zone := `{"data":{"id":1,"account_id":1010,"name":"example.com","reverse":false,"secondary":true,"last_transferred_at":null,"active":true,"created_at":"2015-04-23T07:40:03Z","updated_at":"2015-04-23T07:40:03Z"}}`
	tests := []struct {
		name       string
		provider   string
		method     string
		path       string
		auth       string
		body       string
		status     int
		respBody   string
		wantReqErr string
		wantRspErr string
	}{
		{name: "valid get zone", provider: "dnsimple", method: "GET", path: "/v2/1010/zones/example.com", auth: "Bearer t", status: 200, respBody: zone},
		{name: "no credentials", provider: "dnsimple", method: "GET", path: "/v2/1010/zones/example.com", status: 200, respBody: zone, wantReqErr: "security requirements failed"},
		{name: "account must be an integer", provider: "dnsimple", method: "GET", path: "/v2/abc/zones/example.com", auth: "Bearer t", status: 200, respBody: zone, wantReqErr: "account"},
		{name: "unknown path", provider: "dnsimple", method: "GET", path: "/v2/1010/nothing", auth: "Bearer t", wantReqErr: "no operation matches"},
		{name: "link without zone body", provider: "dnsimple", method: "PUT", path: "/v2/1010/secondary_dns/primaries/1/link", auth: "Bearer t", body: `{}`, status: 200, wantReqErr: "zone"},
		{name: "response missing required field", provider: "dnsimple", method: "GET", path: "/v2/1010/zones/example.com", auth: "Bearer t", status: 200, respBody: `{"data":{"id":1}}`, wantRspErr: "required"},
		{name: "undeclared status", provider: "ionos", method: "GET", path: "/secondaryzones", auth: "Bearer t", status: 418, respBody: `{}`, wantRspErr: "418"},
		{name: "ionos bad primary ip", provider: "ionos", method: "POST", path: "/secondaryzones", auth: "Bearer t", body: `{"properties":{"zoneName":"example.com","primaryIps":["300.1.1.1"]}}`, wantReqErr: "primaryIps"},
		{name: "ionos create", provider: "ionos", method: "POST", path: "/secondaryzones", auth: "Bearer t", body: `{"properties":{"zoneName":"example.com","primaryIps":["192.0.2.1","2001:db8::1"]}}`, status: 202, respBody: `{"id":"e74d0d15-f567-4b7b-9069-26ee1f93bae3","type":"zone","href":"https://x/secondaryzones/e74d0d15-f567-4b7b-9069-26ee1f93bae3","metadata":{"state":"PROVISIONING","nameservers":["nscs.ui-dns.com"]},"properties":{"zoneName":"example.com","primaryIps":["192.0.2.1"]}}`},
		{name: "ionos bad uuid", provider: "ionos", method: "GET", path: "/secondaryzones/not-a-uuid", auth: "Bearer t", wantReqErr: "secondaryZoneId"},
		{name: "cloudflare create peer without name", provider: "cloudflare", method: "POST", path: "/client/v4/accounts/01a7362d577a6c3019a474fd6f485823/secondary_dns/peers", auth: "Bearer t", body: `{"ip":"192.0.2.1"}`, wantReqErr: "name"},
		{name: "cloudflare error shape", provider: "cloudflare", method: "GET", path: "/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/secondary_dns/incoming", auth: "Bearer t", status: 404, respBody: `{"success":false,"errors":[{"code":1001,"message":"not found"}],"messages":[],"result":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := spectest.NewValidator(tt.provider)
			require.NoError(t, err)
			var body *bytes.Reader
			if tt.body != "" {
				body = bytes.NewReader([]byte(tt.body))
			}
			var r *http.Request
			if body != nil {
				r = httptest.NewRequest(tt.method, tt.path, body)
				r.Header.Set("Content-Type", "application/json")
			} else {
				r = httptest.NewRequest(tt.method, tt.path, nil)
			}
			if tt.auth != "" {
				r.Header.Set("Authorization", tt.auth)
			}
			ex, err := v.ValidateRequest(r)
			if tt.wantReqErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantReqErr)
				return
			}
			require.NoError(t, err)
			h := http.Header{"Content-Type": {"application/json"}}
			err = v.ValidateResponse(context.Background(), ex, tt.status, h, []byte(tt.respBody))
			if tt.wantRspErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantRspErr)
				return
			}
			require.NoError(t, err)
		})
	}
}

// TestValidatorDoesNotChangeTheRequest checks that validation fills in no
// defaults: a server behind the validator sees what the client sent.
func TestValidatorDoesNotChangeTheRequest(t *testing.T) {
	t.Parallel()
	v, err := spectest.NewValidator("cloudflare")
	require.NoError(t, err)
	r := httptest.NewRequest("GET", "/client/v4/zones?name=example.com", nil)
	r.Header.Set("Authorization", "Bearer t")
	_, err = v.ValidateRequest(r)
	require.NoError(t, err)
	assert.Equal(t, "name=example.com", r.URL.RawQuery, "the spec's defaults (match=all, page=1, ...) must not be added")
}
