package fleet

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/secondarydns/secondarydns-go/facade"
)

// Import reads every target's secondary zones and returns the desired-state
// file that describes them, so that an operator can adopt the tool without
// retyping: the most common primaries become the defaults, zones at every
// provider need no providers list, and each TSIG key found gets a keys
// entry whose secret is read from an environment variable
// (SECDNS_TSIG_<NAME>) the operator must set. provs describe the targets
// in the file (their credentials references); they are written as given,
// with Owned false.
func Import(ctx context.Context, provs []ProviderConfig, targets []Target) (*Config, error) {
	type seen struct {
		primaries []facade.Primary
		key       string
		providers []string
	}
	zones := map[string]*seen{}
	for _, t := range targets {
		for z, err := range t.Client.ListZones(ctx) {
			if err != nil {
				return nil, fmt.Errorf("%s: listing zones: %w", t.Name, err)
			}
			if z.State == "destroying" || len(z.Primaries) == 0 {
				continue
			}
			s := zones[z.Name]
			if s == nil {
				s = &seen{primaries: z.Primaries, key: keyName(z.TSIGKey)}
				zones[z.Name] = s
			}
			s.providers = append(s.providers, t.Name)
		}
	}
	cfg := &Config{Keys: map[string]KeyConfig{}}
	for _, p := range provs {
		p.Owned = false
		cfg.Providers = append(cfg.Providers, p)
	}
	sort.Slice(cfg.Providers, func(i, j int) bool { return cfg.Providers[i].Name < cfg.Providers[j].Name })
	keyRef := map[string]string{}
	for _, name := range sortedKeys(zones) {
		s := zones[name]
		z := ZoneConfig{Name: name, Primaries: s.primaries, Providers: s.providers}
		sort.Strings(z.Providers)
		if s.key != "" {
			ref, ok := keyRef[s.key]
			if !ok {
				ref = keyID(s.key)
				keyRef[s.key] = ref
				cfg.Keys[ref] = KeyConfig{Name: s.key, Algorithm: "hmac-sha256", SecretEnv: "SECDNS_TSIG_" + strings.ToUpper(strings.ReplaceAll(ref, "-", "_"))}
			}
			z.Key = ref
		}
		cfg.Zones = append(cfg.Zones, z)
	}
	return cfg, nil
}

var nonKeyID = regexp.MustCompile(`[^a-z0-9]+`)

func keyID(name string) string {
	s := strings.Trim(nonKeyID.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if s == "" {
		s = "key"
	}
	return s
}

// Marshal writes c in the file format [ParseConfig] reads: the most common
// primaries and the full provider list become defaults, so that most zones
// are one line.
func (c *Config) Marshal() []byte {
	var b strings.Builder
	b.WriteString("# secondarydns fleet file (docs/FLEET.md)\nversion: 1\n\nproviders:\n")
	var all []string
	for _, p := range c.Providers {
		all = append(all, p.Name)
		fmt.Fprintf(&b, "  %s:\n    type: %s\n", p.Name, p.Type)
		if p.TokenEnv != "" {
			fmt.Fprintf(&b, "    token_env: %s\n", p.TokenEnv)
		}
		if p.TokenFile != "" {
			fmt.Fprintf(&b, "    token_file: %s\n", strconv.Quote(p.TokenFile))
		}
		if p.Account != "" {
			fmt.Fprintf(&b, "    account: %s\n", strconv.Quote(p.Account))
		}
		if p.AccountEnv != "" {
			fmt.Fprintf(&b, "    account_env: %s\n", p.AccountEnv)
		}
		if p.BaseURL != "" {
			fmt.Fprintf(&b, "    base_url: %s\n", strconv.Quote(p.BaseURL))
		}
		fmt.Fprintf(&b, "    owned: %t\n", p.Owned)
		if p.PrivatePrimaries {
			b.WriteString("    private_primaries: true\n")
		}
		if !p.Rate.IsZero() {
			fmt.Fprintf(&b, "    rate: {requests: %d, per: %s}\n", p.Rate.Requests, p.Rate.Per)
		}
	}
	// The most common primaries become the defaults.
	count := map[string]int{}
	var common string
	for _, z := range c.Zones {
		k := strings.Join(primaryStrings(z.Primaries), ",")
		count[k]++
		if count[k] > count[common] || (count[k] == count[common] && k < common) {
			common = k
		}
	}
	b.WriteString("\ndefaults:\n")
	if common != "" {
		fmt.Fprintf(&b, "  primaries: [%s]\n", quoted(strings.Split(common, ",")))
	}
	fmt.Fprintf(&b, "  providers: [%s]\n", strings.Join(all, ", "))
	if len(c.Keys) > 0 {
		b.WriteString("\nkeys:\n")
		for _, name := range sortedKeys(c.Keys) {
			k := c.Keys[name]
			fmt.Fprintf(&b, "  %s:\n    name: %s\n    algorithm: %s\n", name, strconv.Quote(k.Name), k.Algorithm)
			if k.SecretEnv != "" {
				fmt.Fprintf(&b, "    secret_env: %s\n", k.SecretEnv)
			} else {
				fmt.Fprintf(&b, "    secret_file: %s\n", strconv.Quote(k.SecretFile))
			}
		}
	}
	if c.Catalog != nil {
		cc := c.Catalog
		fmt.Fprintf(&b, "\ncatalog:\n  zone: %s\n  primary: %s\n", cc.Zone, strconv.Quote(cc.Primary.String()))
		if cc.TransferKey != "" {
			fmt.Fprintf(&b, "  transfer_tsig: %s\n", cc.TransferKey)
		}
		fmt.Fprintf(&b, "  primaries: [%s]\n  providers: [%s]\n", quoted(primaryStrings(cc.Source.Primaries)), strings.Join(cc.Source.Providers, ", "))
		if cc.Source.Key != "" {
			fmt.Fprintf(&b, "  tsig: %s\n", cc.Source.Key)
		}
	}
	b.WriteString("\nzones:\n")
	if len(c.Zones) == 0 {
		b.WriteString("  {}\n")
	}
	for _, z := range c.Zones {
		var parts []string
		if k := strings.Join(primaryStrings(z.Primaries), ","); k != common {
			parts = append(parts, "primaries: ["+quoted(primaryStrings(z.Primaries))+"]")
		}
		if !slices.Equal(z.Providers, all) {
			parts = append(parts, "providers: ["+strings.Join(z.Providers, ", ")+"]")
		}
		if z.Key != "" {
			parts = append(parts, "tsig: "+z.Key)
		}
		fmt.Fprintf(&b, "  %s: {%s}\n", z.Name, strings.Join(parts, ", "))
	}
	return []byte(b.String())
}

func quoted(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}
