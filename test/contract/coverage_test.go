package contract_test

import (
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/specs"
)

// skipped lists, per provider, the operations deliberately left without a
// contract row, each with the reason. It is empty: every operation has a row.
// An entry here is the only way to leave an operation out without failing
// TestEveryOperationHasAContractRow.
var skipped = map[string]map[string]string{
	specs.IONOS:      {},
	specs.DNSimple:   {},
	specs.Cloudflare: {},
}

// rowInfo is what the coverage check needs of a row.
type rowInfo struct {
	op, name, method, path string
}

func rowInfos[C any](cases []contractCase[C]) []rowInfo {
	out := make([]rowInfo, 0, len(cases))
	for _, c := range cases {
		out = append(out, rowInfo{op: c.op, name: c.testName(), method: c.method, path: c.path})
	}
	return out
}

// sourceOperation is an operation of specs/sources.json.
type sourceOperation struct {
	ID     string `json:"id"`
	Method string `json:"method"`
	Path   string `json:"path"`
}

// pathTemplate turns an OpenAPI path ("/zones/{zone_id}") into a regexp that
// matches the paths a client sends for it.
func pathTemplate(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i, part := range regexp.MustCompile(`\{[^}]+\}`).Split(p, -1) {
		if i > 0 {
			b.WriteString(`[^/]+`)
		}
		b.WriteString(regexp.QuoteMeta(part))
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// TestEveryOperationHasAContractRow makes "every generated operation is
// called" a checked fact: each operation of specs/sources.json must have a
// row in its provider's table (or an entry in skipped, with a reason), each
// row must name a listed operation with its method and a path of its
// template, and the prepared documents, which the clients are generated
// from, must hold exactly the listed operations.
func TestEveryOperationHasAContractRow(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../specs/sources.json")
	require.NoError(t, err)
	var sources struct {
		Providers []struct {
			Name       string            `json:"name"`
			Operations []sourceOperation `json:"operations"`
		} `json:"providers"`
	}
	require.NoError(t, json.Unmarshal(raw, &sources))

	tables := map[string][]rowInfo{
		specs.IONOS:      rowInfos(ionosCases(t)),
		specs.DNSimple:   rowInfos(dnsimpleCases(t)),
		specs.Cloudflare: rowInfos(cloudflareCases(t)),
	}
	var seenProviders []string
	for _, p := range sources.Providers {
		seenProviders = append(seenProviders, p.Name)
		t.Run(p.Name, func(t *testing.T) {
			rows, ok := tables[p.Name]
			require.True(t, ok, "no contract table for provider %s", p.Name)
			require.NotEmpty(t, p.Operations)

			listed := map[string]sourceOperation{}
			for _, op := range p.Operations {
				listed[op.ID] = op
			}
			tested := map[string]bool{}
			names := map[string]bool{}
			for _, r := range rows {
				assert.False(t, names[r.name], "two rows named %s", r.name)
				names[r.name] = true
				op, ok := listed[r.op]
				if !assert.True(t, ok, "row %s: operation %s is not in specs/sources.json", r.name, r.op) {
					continue
				}
				tested[r.op] = true
				assert.Equal(t, op.Method, r.method, "row %s: method", r.name)
				assert.Regexp(t, pathTemplate(op.Path), r.path, "row %s: path does not fit %s", r.name, op.Path)
			}
			for id, reason := range skipped[p.Name] {
				_, ok := listed[id]
				assert.True(t, ok, "skipped operation %s is not in specs/sources.json", id)
				assert.NotEmpty(t, strings.TrimSpace(reason), "skipped operation %s needs a reason", id)
				assert.False(t, tested[id], "operation %s is both tested and skipped", id)
			}
			for _, op := range p.Operations {
				if _, skip := skipped[p.Name][op.ID]; skip {
					continue
				}
				assert.True(t, tested[op.ID], "operation %s (%s %s) has no contract row and no skip reason", op.ID, op.Method, op.Path)
			}

			// The prepared document holds exactly the listed operations, so
			// the generated client has no operation outside the table.
			doc, err := specs.Load(p.Name)
			require.NoError(t, err)
			var inDoc []string
			for path, item := range doc.Paths.Map() {
				for method, op := range item.Operations() {
					inDoc = append(inDoc, op.OperationID)
					l, ok := listed[op.OperationID]
					if assert.True(t, ok, "prepared operation %s (%s %s) is not in specs/sources.json", op.OperationID, method, path) {
						assert.Equal(t, l.Method, method, "%s: method", op.OperationID)
						assert.Equal(t, l.Path, path, "%s: path", op.OperationID)
					}
				}
			}
			var want []string
			for id := range listed {
				want = append(want, id)
			}
			sort.Strings(inDoc)
			sort.Strings(want)
			assert.Equal(t, want, inDoc, "operations of the prepared document")
		})
	}
	sort.Strings(seenProviders)
	want := specs.Providers()
	sort.Strings(want)
	assert.Equal(t, want, seenProviders, "providers of specs/sources.json")
}

// TestPathTemplate guards the helper the coverage check relies on.
func TestPathTemplate(t *testing.T) {
	t.Parallel()
	re := pathTemplate("/accounts/{account_id}/secondary_dns/peers/{peer_id}")
	assert.Regexp(t, re, "/accounts/abc/secondary_dns/peers/def")
	assert.NotRegexp(t, re, "/accounts/abc/secondary_dns/peers")
	assert.NotRegexp(t, re, "/accounts/abc/secondary_dns/peers/def/x")
	assert.Regexp(t, pathTemplate("/{account}/zones/{zone}"), "/1010/zones/example.com")
	assert.Regexp(t, pathTemplate("/zones"), "/zones")
	assert.NotRegexp(t, pathTemplate("/zones"), "/zones/x")
}
