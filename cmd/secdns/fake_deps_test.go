package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBinaryLinksNoTestCode checks that the operator's binary carries no test
// code: the fakes behind --fake, demo and fake serve are linked, but not the
// testing package, httptest or testify (issue 11, design point 7).
func TestBinaryLinksNoTestCode(t *testing.T) {
	t.Parallel()
	out, err := exec.CommandContext(t.Context(), "go", "list", "-deps", ".").Output()
	require.NoError(t, err)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/secondarydns/secondarydns-go/test/fakes", "the check must see the fakes linked")
	for _, forbidden := range []string{
		"testing",
		"net/http/httptest",
		"github.com/stretchr/testify/assert",
		"github.com/stretchr/testify/require",
		"github.com/secondarydns/secondarydns-go/test/spectest/spectesting",
	} {
		assert.False(t, slices.Contains(deps, forbidden), "cmd/secdns links %s (see go list -deps ./cmd/secdns)", forbidden)
	}
}
