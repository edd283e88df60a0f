package cloudflare_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/test/spectest"
)

func specZone(i int) map[string]any {
	return map[string]any{
		"id": fmt.Sprintf("%032x", i+1), "name": fmt.Sprintf("z%d.example", i), "type": "secondary", "status": "active",
		"development_mode": 0, "name_servers": []string{"ada.ns.cloudflare.com"},
		"original_name_servers": nil, "original_registrar": nil, "original_dnshost": nil,
		"created_on": "2024-01-02T03:04:05Z", "modified_on": "2024-01-02T03:04:05Z", "activated_on": nil,
		"account": map[string]any{"id": hexID}, "owner": map[string]any{"id": hexID}, "meta": map[string]any{},
	}
}

// The real API's result_info (as documented) has total_count but no
// total_pages; pagination must stop after the last page anyway.
func TestListAccountZonesTotalCountOnly(t *testing.T) {
	t.Parallel()
	const total, per = 23, 10
	var requests atomic.Int32
	srv, v := spectest.NewServer(t, "cloudflare", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		assert.Equal(t, hexID, r.URL.Query().Get("account.id"))
		var result []map[string]any
		for i := (page - 1) * per; i < min(page*per, total); i++ {
			result = append(result, specZone(i))
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"success": true, "errors": []any{}, "messages": []any{}, "result": result,
			"result_info": map[string]int{"page": page, "per_page": per, "count": len(result), "total_count": total},
		})
	}))
	c, err := cloudflare.New("tok", hexID, facade.WithBaseURL(srv.URL+v.BasePath()))
	require.NoError(t, err)
	zones, err := facade.Collect(c.ListAccountZones(ctx(t), cloudflare.ZoneListOptions{PerPage: per}))
	require.NoError(t, err)
	assert.Len(t, zones, total)
	assert.EqualValues(t, 3, requests.Load())
	assert.Equal(t, "active", zones[0].Status)
}

// A success without a result is an unexpected response, not a zero value.
func TestMissingResult(t *testing.T) {
	t.Parallel()
	srv, v := spectest.NewServer(t, "cloudflare", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"success":true,"errors":[],"messages":[]}`))
	}))
	c, err := cloudflare.New("tok", hexID, facade.WithBaseURL(srv.URL+v.BasePath()))
	require.NoError(t, err)
	_, err = c.GetIncoming(ctx(t), hexID)
	requireErr(t, err, facade.ErrUnexpectedResponse, "GetIncoming")
	_, err = c.GetPeer(ctx(t), hexID)
	requireErr(t, err, facade.ErrUnexpectedResponse, "GetPeer")
	_, err = c.GetZoneByID(ctx(t), hexID)
	requireErr(t, err, facade.ErrUnexpectedResponse, "GetZoneByID")
}
