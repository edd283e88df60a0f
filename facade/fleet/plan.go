package fleet

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
)

// Target is one provider account a plan covers: the file's name for it and
// the client speaking the neutral interface.
type Target struct {
	// Name is the provider's name in the file.
	Name string
	// Type is ionos, dnsimple or cloudflare (for capabilities and messages).
	Type string
	// Client talks to the account.
	Client facade.SecondaryDNS
	// Owned makes zones at the account that the file does not give to it
	// deletions; otherwise they are left alone.
	Owned bool
	// Pacer, if set, is the pacer of Client's transport: [Apply] keeps as
	// many changes in flight as it takes to use its pace (see
	// [Pacer.Concurrency]).
	Pacer *Pacer
}

// Action is what a plan does with one zone at one provider.
type Action string

// The actions of a plan.
const (
	// Create a secondary zone that the provider does not have.
	Create Action = "create"
	// Repoint replaces the primaries of an existing zone.
	Repoint Action = "repoint"
	// Recreate deletes and creates a zone again: its TSIG key changed, which
	// the neutral interface can only set at creation.
	Recreate Action = "recreate"
	// Delete removes a zone the tool owns and the file no longer lists.
	Delete Action = "delete"
	// Keep: the zone is as the file says.
	Keep Action = "keep"
)

// Change is one zone's action at one provider.
type Change struct {
	// Zone is the normalised zone name.
	Zone string `json:"zone"`
	// Action is what apply does.
	Action Action `json:"action"`
	// Primaries are the wanted primaries (create, repoint, recreate).
	Primaries []string `json:"primaries,omitempty"`
	// Key is the wanted TSIG key (the file's keys entry), "" for none.
	Key string `json:"key,omitempty"`
	// CurrentPrimaries and CurrentKey are what the provider has now
	// (repoint, recreate, delete).
	CurrentPrimaries []string `json:"current_primaries,omitempty"`
	CurrentKey       string   `json:"current_tsig_key,omitempty"`
	// Reason explains the action in words.
	Reason string `json:"reason,omitempty"`

	// current is the zone as the plan's listing returned it (repoint), so
	// that Apply can re-point it with the fewest requests the provider
	// allows (facade.Repointer). Not serialised: a plan read back from
	// JSON re-points through SetPrimaries.
	current facade.Zone
}

// ProviderPlan is the plan for one provider account.
type ProviderPlan struct {
	// Provider is the file's name for the account; Type its provider type.
	Provider string `json:"provider"`
	Type     string `json:"type"`
	// Owned is the file's owned flag for the account.
	Owned bool `json:"owned"`
	// Existing is the number of secondary zones the account holds now.
	Existing int `json:"existing"`
	// Unmanaged counts zones at the account that the file does not give it
	// and that are left alone (the account is not owned).
	Unmanaged int `json:"unmanaged"`
	// Keep counts zones already as the file says.
	Keep int `json:"keep"`
	// Changes are the creations, re-pointings, re-creations and deletions,
	// sorted by zone name.
	Changes []Change `json:"changes"`
}

// Count returns the number of changes with action a (Keep: p.Keep).
func (p ProviderPlan) Count(a Action) int {
	if a == Keep {
		return p.Keep
	}
	n := 0
	for _, c := range p.Changes {
		if c.Action == a {
			n++
		}
	}
	return n
}

// Plan is what [Apply] would do, per provider account. It is a plain value:
// inspect it, [Plan.Filter] it, save it as JSON and apply it later. It
// holds no secret (TSIG keys are named, not included).
type Plan struct {
	// Created is when the provider state was read.
	Created time.Time `json:"created"`
	// Providers are sorted by name.
	Providers []ProviderPlan `json:"providers"`
}

// Changes returns the number of changes over every provider.
func (p *Plan) Changes() int {
	n := 0
	for _, pp := range p.Providers {
		n += len(pp.Changes)
	}
	return n
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return p.Changes() == 0 }

// Filter returns a copy of the plan keeping only the changes keep accepts
// (counts of zones kept and unmanaged are unchanged).
func (p *Plan) Filter(keep func(provider string, c Change) bool) *Plan {
	out := &Plan{Created: p.Created}
	for _, pp := range p.Providers {
		cp := pp
		cp.Changes = nil
		for _, c := range pp.Changes {
			if keep(pp.Provider, c) {
				cp.Changes = append(cp.Changes, c)
			}
		}
		out.Providers = append(out.Providers, cp)
	}
	return out
}

// ReadPlan reads a plan saved as JSON (the plain encoding/json form of
// [Plan]), checking every zone name, action and primary before use.
func ReadPlan(data []byte) (*Plan, error) {
	var p Plan
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, facade.Invalid("ReadPlan", fmt.Errorf("plan: %w", err))
	}
	for _, pp := range p.Providers {
		for _, c := range pp.Changes {
			if _, err := facade.NormalizeZoneName(c.Zone); err != nil {
				return nil, facade.Invalid("ReadPlan", fmt.Errorf("plan: provider %s: %s", pp.Provider, facadeMsg(err)))
			}
			switch c.Action {
			case Create, Repoint, Recreate:
				if _, err := parsePrimaries(c.Primaries); err != nil {
					return nil, facade.Invalid("ReadPlan", fmt.Errorf("plan: %s at %s: %s", c.Zone, pp.Provider, facadeMsg(err)))
				}
			case Delete:
			default:
				return nil, facade.Invalid("ReadPlan", fmt.Errorf("plan: %s at %s: unknown action %q", c.Zone, pp.Provider, c.Action))
			}
		}
	}
	return &p, nil
}

func parsePrimaries(ss []string) ([]facade.Primary, error) {
	ps := make([]facade.Primary, 0, len(ss))
	for _, s := range ss {
		p, err := facade.ParsePrimary(s)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return facade.ValidatePrimaries(ps)
}

// primaryStrings formats primaries in a canonical order.
func primaryStrings(ps []facade.Primary) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		if p.Port == facade.DefaultPort {
			p.Port = 0 // "192.0.2.1", not "192.0.2.1:53"
		}
		out[i] = p.String()
	}
	return out
}

// samePrimaries compares two primary lists as sets of address and
// effective port.
func samePrimaries(a, b []facade.Primary) bool {
	set := func(ps []facade.Primary) []netip.AddrPort {
		out := make([]netip.AddrPort, len(ps))
		for i, p := range ps {
			out[i] = netip.AddrPortFrom(p.Addr.Unmap(), p.PortOrDefault())
		}
		slices.SortFunc(out, func(x, y netip.AddrPort) int { return x.Compare(y) })
		return slices.Compact(out)
	}
	return slices.Equal(set(a), set(b))
}

// keyName normalises a TSIG key name for comparison.
func keyName(s string) string { return strings.TrimSuffix(strings.ToLower(s), ".") }

// Desired is the wanted state a plan is made against: the file's zones, or
// a catalog's members (see [FromCatalog]).
type Desired struct {
	// Zones are the wanted zones, each with the providers it goes to.
	Zones []ZoneConfig
	// Keys maps the keys entries zones refer to onto TSIG key names (the
	// name a provider reports), e.g. "transfer" -> "transfer-key.".
	Keys map[string]string
}

// DesiredFromConfig returns the file's desired state.
func DesiredFromConfig(c *Config) Desired {
	d := Desired{Zones: c.Zones, Keys: map[string]string{}}
	for n, k := range c.Keys {
		d.Keys[n] = k.Name
	}
	return d
}

// MakePlan lists every target's secondary zones (targets concurrently) and
// compares them with d. It sends only listing requests.
func MakePlan(ctx context.Context, d Desired, targets []Target) (*Plan, error) {
	plan := &Plan{Created: time.Now().UTC()}
	results := make([]ProviderPlan, len(targets))
	errs := make([]error, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Go(func() {
			results[i], errs[i] = planTarget(ctx, d, t)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	plan.Providers = results
	sort.Slice(plan.Providers, func(i, j int) bool { return plan.Providers[i].Provider < plan.Providers[j].Provider })
	return plan, nil
}

func planTarget(ctx context.Context, d Desired, t Target) (ProviderPlan, error) {
	pp := ProviderPlan{Provider: t.Name, Type: t.Type, Owned: t.Owned, Changes: []Change{}}
	current := map[string]facade.Zone{}
	for z, err := range t.Client.ListZones(ctx) {
		if err != nil {
			return ProviderPlan{}, fmt.Errorf("%s: listing zones: %w", t.Name, err)
		}
		if z.State == "destroying" {
			continue // being deleted: gone for planning purposes
		}
		current[z.Name] = z
	}
	pp.Existing = len(current)
	wanted := map[string]bool{}
	for _, z := range d.Zones {
		if !slices.Contains(z.Providers, t.Name) {
			continue
		}
		wanted[z.Name] = true
		want := Change{Zone: z.Name, Primaries: primaryStrings(z.Primaries), Key: z.Key}
		cur, ok := current[z.Name]
		if !ok {
			want.Action, want.Reason = Create, "not at the provider"
			pp.Changes = append(pp.Changes, want)
			continue
		}
		wantKey := ""
		if z.Key != "" {
			wantKey = keyName(d.Keys[z.Key])
		}
		want.CurrentPrimaries, want.CurrentKey = primaryStrings(cur.Primaries), cur.TSIGKey
		want.current = cur
		switch {
		case keyName(cur.TSIGKey) != wantKey:
			want.Action = Recreate
			want.Reason = fmt.Sprintf("TSIG key %q -> %q (settable only at creation)", dashIfEmpty(cur.TSIGKey), dashIfEmpty(wantKey))
		case len(cur.Primaries) == 0:
			want.Action, want.Reason = Repoint, "zone has no primaries (half-created?)"
		case !samePrimaries(cur.Primaries, z.Primaries):
			want.Action, want.Reason = Repoint, "primaries differ"
		default:
			pp.Keep++
			continue
		}
		pp.Changes = append(pp.Changes, want)
	}
	for name, cur := range current {
		if wanted[name] {
			continue
		}
		if !t.Owned {
			pp.Unmanaged++
			continue
		}
		pp.Changes = append(pp.Changes, Change{Zone: name, Action: Delete, CurrentPrimaries: primaryStrings(cur.Primaries),
			CurrentKey: cur.TSIGKey, Reason: "not in the file and the provider is owned"})
	}
	sort.Slice(pp.Changes, func(i, j int) bool { return pp.Changes[i].Zone < pp.Changes[j].Zone })
	return pp, nil
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// Thresholds are octoDNS-like safety limits: a provider with at least
// MinExisting zones may not have more than the given shares of them
// changed (re-pointed or re-created) or deleted by one apply.
type Thresholds struct {
	// MaxChangeShare and MaxDeleteShare are fractions in [0, 1].
	MaxChangeShare, MaxDeleteShare float64
	// MinExisting is the account size below which no limit applies.
	MinExisting int
}

// DefaultThresholds are octoDNS's: 30% changed, 30% deleted, from 10
// existing zones.
func DefaultThresholds() Thresholds {
	return Thresholds{MaxChangeShare: 0.3, MaxDeleteShare: 0.3, MinExisting: 10}
}

// ThresholdError lists the providers whose plan exceeds the thresholds.
type ThresholdError struct {
	Problems []string
}

// Error implements error.
func (e *ThresholdError) Error() string {
	return "plan exceeds the safety thresholds (pass the override to apply anyway): " + strings.Join(e.Problems, "; ")
}

// Check returns a [*ThresholdError] if a provider's plan exceeds t.
func (p *Plan) Check(t Thresholds) error {
	var problems []string
	for _, pp := range p.Providers {
		if pp.Existing < t.MinExisting || pp.Existing == 0 {
			continue
		}
		changed := pp.Count(Repoint) + pp.Count(Recreate)
		deleted := pp.Count(Delete)
		if share := float64(changed) / float64(pp.Existing); share > t.MaxChangeShare {
			problems = append(problems, fmt.Sprintf("%s: %d of %d zones changed (%.0f%% > %.0f%%)", pp.Provider, changed, pp.Existing, share*100, t.MaxChangeShare*100))
		}
		if share := float64(deleted) / float64(pp.Existing); share > t.MaxDeleteShare {
			problems = append(problems, fmt.Sprintf("%s: %d of %d zones deleted (%.0f%% > %.0f%%)", pp.Provider, deleted, pp.Existing, share*100, t.MaxDeleteShare*100))
		}
	}
	if len(problems) > 0 {
		return &ThresholdError{Problems: problems}
	}
	return nil
}
