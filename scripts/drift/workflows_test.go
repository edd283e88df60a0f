package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// workflow is the part of a GitHub Actions workflow the tests look at.
type workflow struct {
	On   map[string]any `yaml:"on"`
	Jobs map[string]struct {
		Needs any               `yaml:"needs"`
		If    string            `yaml:"if"`
		Uses  string            `yaml:"uses"`
		With  map[string]string `yaml:"with"`
		Steps []struct {
			ID   string            `yaml:"id"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func readWorkflow(t *testing.T, name string) workflow {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, ".github/workflows", name))
	require.NoError(t, err)
	var w workflow
	require.NoError(t, yaml.Unmarshal(b, &w), name)
	return w
}

// TestWorkflows checks what the hosted CI promises: `make test` on every
// push and pull request with go.mod's Go, caches and the DNS servers, and
// the drift job's pull request tested too. (Full schema validation:
// `npx @action-validator/cli FILE`, see docs/DRIFT.md.)
func TestWorkflows(t *testing.T) {
	t.Parallel()
	test := readWorkflow(t, "test.yml")
	for _, ev := range []string{"push", "pull_request", "workflow_call"} {
		assert.Contains(t, test.On, ev)
	}
	job, ok := test.Jobs["test"]
	require.True(t, ok)
	var setupGo, apt, makeTest bool
	for _, s := range job.Steps {
		switch {
		case strings.HasPrefix(s.Uses, "actions/setup-go@"):
			setupGo = s.With["go-version-file"] == "go.mod" && s.With["cache"] == "true" &&
				strings.Contains(s.With["cache-dependency-path"], "scripts/drift/go.sum")
		case strings.Contains(s.Run, "apt-get install"):
			apt = true
			for _, pkg := range []string{"knot", "knot-dnsutils", "bind9", "bind9-utils", "nsd", "pdns-server"} {
				assert.Contains(t, strings.Fields(s.Run), pkg)
			}
		case strings.TrimSpace(s.Run) == "make test":
			makeTest = true
		}
	}
	assert.True(t, setupGo, "setup-go with go.mod's version and the caches")
	assert.True(t, apt, "the Debian packages the tests use")
	assert.True(t, makeTest, "the README's test command")

	drift := readWorkflow(t, "drift.yml")
	call, ok := drift.Jobs["test-pr"]
	require.True(t, ok, "the drift workflow tests its pull request")
	assert.Equal(t, "./.github/workflows/test.yml", call.Uses)
	assert.Equal(t, "drift", call.Needs)
	assert.Contains(t, call.With["ref"], "needs.drift.outputs.pr_sha")
	var pr bool
	for _, s := range drift.Jobs["drift"].Steps {
		if strings.HasPrefix(s.Uses, "peter-evans/create-pull-request@") {
			pr = strings.Contains(s.With["token"], "secrets.DRIFT_PR_TOKEN")
		}
	}
	assert.True(t, pr, "the pull request is opened with DRIFT_PR_TOKEN when set")
}
