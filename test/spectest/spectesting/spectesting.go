// Package spectesting holds the test helpers of package spectest: the parts
// that need the testing and net/http/httptest packages, kept apart so that
// spectest (and the fakes built on it) can be linked into programs such as
// the secdns CLI without them.
package spectesting

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/secondarydns/secondarydns-go/test/spectest"
)

// NewServer starts a loopback test server for the provider that passes every
// request to h, and fails t (with t.Errorf) on any request or response that
// does not match the provider's prepared document. The server is closed when
// the test ends. Point a client at Server.URL + Validator.BasePath().
func NewServer(t testing.TB, provider string, h http.Handler) (*httptest.Server, *spectest.Validator) {
	t.Helper()
	v, err := spectest.NewValidator(provider)
	if err != nil {
		t.Fatalf("spectest: %v", err)
	}
	rec := spectest.NewRecorder(v, h, func(err error) { t.Errorf("spectest %s: %v", provider, err) })
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return srv, v
}
