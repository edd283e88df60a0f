package spectesting_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/test/spectest/spectesting"
)

// recordingTB is a testing.TB whose Errorf records instead of failing, so
// that the test can check what NewServer reports.
type recordingTB struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recordingTB) errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

func TestNewServer(t *testing.T) {
	t.Parallel()
	zone := `{"data":{"id":1,"account_id":1010,"name":"example.com","reverse":false,"secondary":true,"last_transferred_at":null,"active":true,"created_at":"2015-04-23T07:40:03Z","updated_at":"2015-04-23T07:40:03Z"}}`
	tests := []struct {
		name     string
		path     string
		auth     string
		respBody string
		wantErr  string
	}{
		{name: "valid exchange", path: "/1010/zones/example.com", auth: "Bearer t", respBody: zone},
		{name: "invalid request", path: "/1010/zones/example.com", respBody: zone, wantErr: "invalid request"},
		{name: "invalid response", path: "/1010/zones/example.com", auth: "Bearer t", respBody: `{"data":{"id":1}}`, wantErr: "invalid response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recordingTB{TB: t}
			srv, v := spectesting.NewServer(rec, "dnsimple", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(tt.respBody))
			}))
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+v.BasePath()+tt.path, nil)
			require.NoError(t, err)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, http.StatusOK, resp.StatusCode, "the handler's answer is passed on")
			errs := rec.errors()
			if tt.wantErr == "" {
				assert.Empty(t, errs)
				return
			}
			require.Len(t, errs, 1)
			assert.Contains(t, errs[0], tt.wantErr)
		})
	}
}
