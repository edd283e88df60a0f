package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDemoDNSPlane: the demo's DNS part really transfers: every nameserver
// of every provider answers the primary's serial before and after the bump,
// every NOTIFY is acknowledged and leads to a transfer.
func TestDemoDNSPlane(t *testing.T) {
	t.Parallel()
	r := secdns(t, nil, "demo")
	require.Equal(t, 0, r.code, r.stderr)
	out := r.stdout
	assert.Contains(t, out, "== The DNS plane")
	assert.Equal(t, 3, strings.Count(out, "by AXFR; serving it on 127.0.0.1:"), out)
	// 4 IONOS + 4 DNSimple + 2 Cloudflare nameservers, checked twice.
	assert.Equal(t, 20, strings.Count(out, "  in sync"), out)
	assert.NotContains(t, out, "behind by")
	assert.Equal(t, 3, strings.Count(out, "acknowledged"), out)
	assert.Equal(t, 3, strings.Count(out, "after 1 NOTIFY"), out)
}
