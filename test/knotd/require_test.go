package knotd

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// recorder is a testing.TB that records Skipf and Fatalf instead of
// stopping the test.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                           {}
func (r *recorder) Skipf(format string, args ...any)  { r.skipped = fmt.Sprintf(format, args...) }
func (r *recorder) Fatalf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

func TestRequire(t *testing.T) {
	t.Parallel()
	missing := func() (string, string, error) { return "", "", errors.New("knotd not found") }
	found := func() (string, string, error) { return "/x/knotd", "/x/knotc", nil }
	tests := []struct {
		name          string
		find          func() (string, string, error)
		ci            bool
		skip, fail    bool
		wantD, wantC  string
		wantInMessage string
	}{
		{name: "absent: skip with how-to", find: missing, skip: true, wantInMessage: "apt-get install knot"},
		{name: "absent in CI: fail", find: missing, ci: true, fail: true, wantInMessage: "CI=true"},
		{name: "present", find: found, wantD: "/x/knotd", wantC: "/x/knotc"},
		{name: "present in CI", find: found, ci: true, wantD: "/x/knotd", wantC: "/x/knotc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &recorder{TB: t}
			d, c := require(r, tt.find, tt.ci)
			assert.Equal(t, tt.wantD, d)
			assert.Equal(t, tt.wantC, c)
			assert.Equal(t, tt.skip, r.skipped != "", r.skipped)
			assert.Equal(t, tt.fail, r.failed != "", r.failed)
			assert.Contains(t, r.skipped+r.failed, tt.wantInMessage)
		})
	}
}
