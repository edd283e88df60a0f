package fleet

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/secondarydns/secondarydns-go/facade"
)

// CatalogRecord is one resource record of a transferred catalog zone, in
// the form the catalog logic needs: the owner name and type, and the PTR
// target or TXT strings. The DNS wire layer fills it from an AXFR.
type CatalogRecord struct {
	// Name is the owner name (absolute; a trailing dot is optional).
	Name string
	// Type is the record type mnemonic, e.g. "SOA", "NS", "TXT", "PTR".
	Type string
	// Target is a PTR record's target name.
	Target string
	// Text holds a TXT record's character strings.
	Text []string
}

// Catalog is a parsed RFC 9432 (schema version 2) catalog zone.
type Catalog struct {
	// Zone is the catalog zone's name, normalised.
	Zone string
	// Members maps each member zone (normalised) to its unique label (the
	// label under zones.$CATZ).
	Members map[string]string
}

// CatalogError lists what makes a catalog unusable. Nothing may be deleted
// on its account: a catalog that does not parse is refused as a whole.
type CatalogError struct {
	// Zone is the catalog zone.
	Zone string
	// Problems are the reasons, sorted.
	Problems []string
}

// Error implements error.
func (e *CatalogError) Error() string {
	return fmt.Sprintf("catalog zone %s refused (nothing changed): %s", e.Zone, strings.Join(e.Problems, "; "))
}

// Unwrap makes errors.Is(err, facade.ErrInvalidInput) true.
func (e *CatalogError) Unwrap() error { return facade.ErrInvalidInput }

// ParseCatalog reads the records of catalog zone catz as RFC 9432 says:
// exactly one TXT record at version.$CATZ holding "2" (other versions are
// not implemented and refused), and member zones as PTR records at
// <unique-label>.zones.$CATZ, exactly one PTR per member node, each target
// a valid zone name listed once. Properties (other names under the
// catalog, e.g. group or coo) are ignored. A catalog breaking any rule is
// refused as a whole with a [*CatalogError] listing every problem.
func ParseCatalog(catz string, records []CatalogRecord) (*Catalog, error) {
	zone, err := facade.NormalizeZoneName(catz)
	if err != nil {
		return nil, &CatalogError{Zone: catz, Problems: []string{facadeMsg(err)}}
	}
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	suffix := "." + zone
	versionName := "version" + suffix
	zonesSuffix := ".zones" + suffix
	var versions [][]string
	ptrs := map[string][]string{} // unique label -> targets
	sawSOA := false
	for _, r := range records {
		owner := strings.ToLower(strings.TrimSuffix(r.Name, "."))
		if owner != zone && !strings.HasSuffix(owner, suffix) {
			add("record %s %s is outside the catalog zone", r.Name, r.Type)
			continue
		}
		typ := strings.ToUpper(r.Type)
		switch {
		case typ == "SOA" && owner == zone:
			sawSOA = true
		case owner == versionName && typ == "TXT":
			versions = append(versions, r.Text)
		case strings.HasSuffix(owner, zonesSuffix) && typ == "PTR":
			label := strings.TrimSuffix(owner, zonesSuffix)
			if strings.Contains(label, ".") {
				continue // a property of a member (e.g. group.<unique>.zones): ignored
			}
			ptrs[label] = append(ptrs[label], r.Target)
		}
	}
	if !sawSOA {
		add("no SOA record at the apex")
	}
	switch {
	case len(versions) == 0:
		add("no version property (TXT at %s)", versionName)
	case len(versions) > 1:
		add("%d version TXT records, exactly one is allowed", len(versions))
	case len(versions[0]) != 1 || versions[0][0] != "2":
		add("schema version %q is not supported (only \"2\")", strings.Join(versions[0], " "))
	}
	cat := &Catalog{Zone: zone, Members: map[string]string{}}
	labels := make([]string, 0, len(ptrs))
	for l := range ptrs {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	for _, label := range labels {
		targets := ptrs[label]
		if len(targets) != 1 {
			add("member node %s.zones has %d PTR records, exactly one is allowed", label, len(targets))
			continue
		}
		member, err := facade.NormalizeZoneName(targets[0])
		if err != nil {
			add("member node %s.zones: %s", label, facadeMsg(err))
			continue
		}
		if prev, dup := cat.Members[member]; dup {
			add("member zone %s is listed twice (unique labels %s and %s)", member, prev, label)
			continue
		}
		cat.Members[member] = label
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, &CatalogError{Zone: zone, Problems: problems}
	}
	return cat, nil
}

// CatalogSource says how a catalog's members become secondaries: the
// primaries they transfer from, the TSIG key and the providers.
type CatalogSource struct {
	// Zone is the catalog zone's name.
	Zone string
	// Primaries of every member zone.
	Primaries []facade.Primary
	// Key is the TSIG key name (an entry of the desired state's keys), ""
	// for none.
	Key string
	// Providers the members go to.
	Providers []string
}

// Desired returns the desired state of the catalog's members under src.
func (c *Catalog) Desired(src CatalogSource, keys map[string]string) Desired {
	d := Desired{Keys: keys}
	names := make([]string, 0, len(c.Members))
	for m := range c.Members {
		names = append(names, m)
	}
	sort.Strings(names)
	for _, m := range names {
		d.Zones = append(d.Zones, ZoneConfig{Name: m, Primaries: src.Primaries, Key: src.Key, Providers: src.Providers})
	}
	return d
}

// Relabelled returns the members of next whose unique label differs from
// prev's: RFC 9432 §5.4 makes such a change a reset of the zone, which
// [Plan.Recreate] turns into delete-and-recreate.
func Relabelled(prev, next *Catalog) map[string]bool {
	out := map[string]bool{}
	if prev == nil || next == nil {
		return out
	}
	for m, label := range next.Members {
		if old, ok := prev.Members[m]; ok && old != label {
			out[m] = true
		}
	}
	return out
}

// Recreate turns the plan's keep and re-point decisions for the given
// zones into re-creations (delete, then create), e.g. for catalog members
// whose unique label changed. Creations and deletions are unchanged. d
// supplies the wanted primaries of kept zones, which a plan does not
// record.
func (p *Plan) Recreate(zones map[string]bool, d Desired) {
	if len(zones) == 0 {
		return
	}
	wantBy := map[string]ZoneConfig{}
	for _, z := range d.Zones {
		wantBy[z.Name] = z
	}
	for i := range p.Providers {
		pp := &p.Providers[i]
		handled := map[string]bool{}
		for j := range pp.Changes {
			c := &pp.Changes[j]
			if zones[c.Zone] {
				handled[c.Zone] = true
				if c.Action == Repoint {
					c.Action, c.Reason = Recreate, "unique label changed in the catalog (RFC 9432 §5.4)"
				}
			}
		}
		for _, name := range sortedKeys(zones) {
			z, ok := wantBy[name]
			if !ok || handled[name] || !slices.Contains(z.Providers, pp.Provider) {
				continue
			}
			if pp.Keep == 0 {
				continue
			}
			pp.Keep--
			pp.Changes = append(pp.Changes, Change{Zone: name, Action: Recreate, Primaries: primaryStrings(z.Primaries), Key: z.Key,
				CurrentPrimaries: primaryStrings(z.Primaries), Reason: "unique label changed in the catalog (RFC 9432 §5.4)"})
		}
		sort.Slice(pp.Changes, func(a, b int) bool { return pp.Changes[a].Zone < pp.Changes[b].Zone })
	}
}
