package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWorstExit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		codes []int
		want  int
	}{
		{[]int{exitOK, exitOK}, exitOK},
		{[]int{exitOK, exitUnsupported, exitOK}, exitUnsupported},
		{[]int{exitUnsupported, exitNotFound}, exitNotFound},
		{[]int{exitNotFound, exitUnsupported}, exitNotFound},
		{[]int{exitDisagree, exitUnsupported}, exitDisagree},
		{[]int{exitNotFound, exitUsage, exitAPI}, exitAPI},
		{[]int{exitAuth, exitAPI}, exitAuth},
		{[]int{exitAuth, exitFailure, exitOK}, exitFailure},
	}
	for _, tt := range tests {
		got := exitOK
		for _, c := range tt.codes {
			got = worstExit(got, c)
		}
		assert.Equal(t, tt.want, got, "%v", tt.codes)
	}
}

// TestSeveralProvidersInProcess runs the concurrent per-provider path in
// the test process, so that -race sees it (the end-to-end tests run a
// binary built without -race).
func TestSeveralProvidersInProcess(t *testing.T) {
	t.Parallel()
	getenv := func(string) string { return "" }
	for _, tt := range []struct {
		args   []string
		status bool
	}{
		{[]string{"--fake", "-p", "all", "--json", "status", seedZone}, true},
		{[]string{"--fake", "-p", "ionos,cloudflare", "-p", "dnsimple", "--json", "create", "example.com", "192.0.2.1", "--wait"}, false},
		{[]string{"--fake", "-p", "all", "-v", "list"}, false},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), tt.args, &stdout, &stderr, getenv)
		require.Equal(t, exitOK, code, "%v: %s", tt.args, stderr.String())
		if tt.status {
			var st statusJSON
			require.NoError(t, json.Unmarshal(stdout.Bytes(), &st))
			assert.True(t, st.Agree, "%v", st.Disagreements)
			assert.Len(t, st.Providers, 3)
		}
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--fake", "-p", "all", "--json", "transfer", seedZone}, &stdout, &stderr, getenv)
	assert.Equal(t, exitUnsupported, code, stderr.String())
	assert.Len(t, decodeResults(t, stdout.String()), 3)
	assert.Len(t, jsonErrors(t, stderr.String()), 1)
}
