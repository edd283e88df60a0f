package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/test/spectest"
)

// TestCannedResponsesValidate runs every client against the canned handler
// in-process, behind the specs' validator: the canned bodies the benchmarks
// measure must be responses the real APIs could send (every response is
// checked), and the requests of this SDK's clients and of the raw baseline
// must be ones the real APIs accept. (The benchmarks themselves talk to the
// canned server in a child process, without validation, so that validating
// costs nothing in the figures.)
func TestCannedResponsesValidate(t *testing.T) {
	validators := map[string]*spectest.Validator{}
	for _, p := range providers {
		v, err := spectest.NewValidator(p)
		require.NoError(t, err)
		validators[p] = v
	}
	var current string // the implementation being run, for messages
	checkRequests := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// /{provider}/{total}/<API path>: validate the API path's exchange.
		parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 3)
		if len(parts) < 3 {
			t.Errorf("%s: unexpected path %s", current, r.URL.Path)
			return
		}
		v := validators[parts[0]]
		api := r.Clone(r.Context())
		api.URL.Path = "/" + parts[2]
		ex, err := v.ValidateRequest(api)
		if err != nil && checkRequests {
			t.Errorf("%s: invalid request: %v", current, err)
		}
		rec := httptest.NewRecorder()
		(&canned{}).ServeHTTP(rec, r)
		if ex != nil {
			if err := v.ValidateResponse(r.Context(), ex, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
				t.Errorf("%s: invalid canned response: %v", current, err)
			}
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sizes := map[string]int{"ionos": 20, "dnsimple": 20, "cloudflare": 10}
	for _, p := range providers {
		for _, im := range impls[p] {
			current, checkRequests = p+"/"+im.name, im.name != "sdk"
			base := srv.URL + "/" + p + "/45"
			if p == "cloudflare" {
				base += "/client/v4"
			}
			c := im.make(base)
			require.NoError(t, c.get(ctx), current)
			n, err := c.list(ctx, sizes[p])
			require.NoError(t, err, current)
			require.Equal(t, 45, n, current)
		}
	}
}
