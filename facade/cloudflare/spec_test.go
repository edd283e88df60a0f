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
	"github.com/secondarydns/secondarydns-go/test/spectest/spectesting"
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

// Pagination stops after the last page whichever way result_info tells it:
// total_pages (what the API returns), total_count alone (all upstream
// documented before the overlay), or no result_info at all (a short page).
func TestListAccountZonesResultInfo(t *testing.T) {
	t.Parallel()
	const total, per = 23, 10
	tests := []struct {
		name         string
		info         func(page, count int) map[string]int
		wantZones    int
		wantRequests int32
	}{
		{"total_pages", func(page, count int) map[string]int {
			return map[string]int{"page": page, "per_page": per, "count": count, "total_count": total, "total_pages": 2}
		}, 2 * per, 2},
		{"total_count only", func(page, count int) map[string]int {
			return map[string]int{"page": page, "per_page": per, "count": count, "total_count": total}
		}, total, 3},
		{"no result_info", nil, total, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var requests atomic.Int32
			srv, v := spectesting.NewServer(t, "cloudflare", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				page, _ := strconv.Atoi(r.URL.Query().Get("page"))
				assert.Equal(t, hexID, r.URL.Query().Get("account.id"))
				var result []map[string]any
				for i := (page - 1) * per; i < min(page*per, total); i++ {
					result = append(result, specZone(i))
				}
				body := map[string]any{"success": true, "errors": []any{}, "messages": []any{}, "result": result}
				if tt.info != nil {
					body["result_info"] = tt.info(page, len(result))
				}
				w.Header().Set("Content-Type", "application/json")
				_ = json.NewEncoder(w).Encode(body)
			}))
			c, err := cloudflare.New("tok", hexID, facade.WithBaseURL(srv.URL+v.BasePath()))
			require.NoError(t, err)
			zones, err := facade.Collect(c.ListAccountZones(ctx(t), cloudflare.ZoneListOptions{PerPage: per}))
			require.NoError(t, err)
			assert.Len(t, zones, tt.wantZones)
			assert.Equal(t, tt.wantRequests, requests.Load())
			assert.Equal(t, "active", zones[0].Status)
			assert.Equal(t, cloudflare.ZoneTypeSecondary, zones[0].Type)
		})
	}
}

// A success without a result is an unexpected response, not a zero value.
func TestMissingResult(t *testing.T) {
	t.Parallel()
	srv, v := spectesting.NewServer(t, "cloudflare", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
