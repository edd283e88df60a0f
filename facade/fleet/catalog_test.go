package fleet_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/fleet"
)

func catalogRecords(extra ...fleet.CatalogRecord) []fleet.CatalogRecord {
	return append([]fleet.CatalogRecord{
		{Name: "catalog.invalid.", Type: "SOA"},
		{Name: "catalog.invalid.", Type: "NS"},
		{Name: "version.catalog.invalid.", Type: "TXT", Text: []string{"2"}},
	}, extra...)
}

func ptr(label, target string) fleet.CatalogRecord {
	return fleet.CatalogRecord{Name: label + ".zones.catalog.invalid.", Type: "PTR", Target: target}
}

func TestParseCatalog(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		records []fleet.CatalogRecord
		members map[string]string
		errs    []string
	}{
		{"two members and a property", catalogRecords(ptr("a1", "example.com."), ptr("b2", "Example.NET"),
			fleet.CatalogRecord{Name: "group.a1.zones.catalog.invalid.", Type: "TXT", Text: []string{"blue"}},
			fleet.CatalogRecord{Name: "coo.b2.zones.catalog.invalid.", Type: "PTR", Target: "other.invalid."}),
			map[string]string{"example.com": "a1", "example.net": "b2"}, nil},
		{"empty catalog", catalogRecords(), map[string]string{}, nil},
		{"no version", []fleet.CatalogRecord{{Name: "catalog.invalid.", Type: "SOA"}, ptr("a", "example.com.")}, nil,
			[]string{"no version property"}},
		{"version 1", []fleet.CatalogRecord{{Name: "catalog.invalid.", Type: "SOA"}, {Name: "version.catalog.invalid.", Type: "TXT", Text: []string{"1"}}}, nil,
			[]string{`schema version "1" is not supported`}},
		{"two versions", catalogRecords(fleet.CatalogRecord{Name: "version.catalog.invalid.", Type: "TXT", Text: []string{"2"}}), nil,
			[]string{"2 version TXT records"}},
		{"malformed members, all listed", catalogRecords(ptr("a", "example.com."), ptr("a", "example.org."), ptr("b", "bad..name."),
			ptr("c", "example.net."), ptr("d", "example.net."), fleet.CatalogRecord{Name: "elsewhere.example.", Type: "A"}), nil,
			[]string{"member node a.zones has 2 PTR records", "member node b.zones", "member zone example.net is listed twice",
				"outside the catalog zone"}},
		{"no SOA", []fleet.CatalogRecord{{Name: "version.catalog.invalid.", Type: "TXT", Text: []string{"2"}}}, nil, []string{"no SOA"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cat, err := fleet.ParseCatalog("catalog.invalid", tc.records)
			if tc.errs == nil {
				require.NoError(t, err)
				assert.Equal(t, tc.members, cat.Members)
				return
			}
			var ce *fleet.CatalogError
			require.ErrorAs(t, err, &ce)
			assert.ErrorIs(t, err, facade.ErrInvalidInput)
			assert.Len(t, ce.Problems, len(tc.errs), "%v", ce.Problems)
			for _, e := range tc.errs {
				assert.Contains(t, err.Error(), e)
			}
		})
	}
}

// TestCatalogReconcile: members become secondaries at every provider; a
// member removed from the catalog is deleted (owned providers); a member
// whose unique label changed is deleted and created again.
func TestCatalogReconcile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{owned: true})
	src := fleet.CatalogSource{Primaries: zone("x.example", p1).Primaries, Providers: []string{"cf", "ds", "io"}}
	parse := func(labels map[string]string) *fleet.Catalog {
		var rs []fleet.CatalogRecord
		for m, l := range labels {
			rs = append(rs, ptr(l, m+"."))
		}
		cat, err := fleet.ParseCatalog("catalog.invalid.", catalogRecords(rs...))
		require.NoError(t, err)
		return cat
	}
	apply := func(prev, next *fleet.Catalog) *fleet.Plan {
		d := next.Desired(src, nil)
		plan, err := fleet.MakePlan(ctx, d, e.targets)
		require.NoError(t, err)
		plan.Recreate(fleet.Relabelled(prev, next), d)
		require.NoError(t, fleet.Apply(ctx, plan, e.targets, fleet.ApplyOptions{Force: true}))
		return plan
	}
	members := map[string]string{}
	for i := range 4 {
		members[fmt.Sprintf("m%d.example", i)] = fmt.Sprintf("u%d", i)
	}
	c1 := parse(members)
	apply(nil, c1)
	assert.Equal(t, want(c1.Desired(src, nil), nil), e.snapshot(t))
	cfBefore := map[string]string{}
	for _, z := range e.cf.Zones() {
		cfBefore[z.Name] = z.ID
	}

	delete(members, "m3.example")
	members["m0.example"] = "u0-new"
	c2 := parse(members)
	plan := apply(c1, c2)
	for _, pp := range plan.Providers {
		assert.Equal(t, 1, pp.Count(fleet.Delete), pp.Provider)
		assert.Equal(t, 1, pp.Count(fleet.Recreate), pp.Provider)
		assert.Equal(t, 2, pp.Keep, pp.Provider)
	}
	assert.Equal(t, want(c2.Desired(src, nil), nil), e.snapshot(t))
	for _, z := range e.cf.Zones() {
		if z.Name == "m0.example" {
			assert.NotEqual(t, cfBefore[z.Name], z.ID, "re-created")
		} else {
			assert.Equal(t, cfBefore[z.Name], z.ID, "kept")
		}
	}

	// A broken catalog is refused before anything is planned.
	_, err := fleet.ParseCatalog("catalog.invalid", catalogRecords(ptr("a", "x.example."), ptr("a", "y.example.")))
	require.Error(t, err)
	assert.Len(t, e.snapshot(t)["io"], 3)
}
