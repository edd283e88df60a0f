package fleet

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/internal/core"
)

// Config is a parsed and validated desired-state file (see docs/FLEET.md).
// It holds no secret: TSIG secrets and API tokens are references (an
// environment variable name or a file path) resolved by [Config.Resolve] and
// [ProviderConfig.Credentials].
type Config struct {
	// Providers are the provider accounts, sorted by name.
	Providers []ProviderConfig
	// Keys are the TSIG keys zones may refer to, by name.
	Keys map[string]KeyConfig
	// Zones are the desired secondary zones, sorted by name.
	Zones []ZoneConfig
	// Catalog, if set, adds the members of an RFC 9432 catalog zone (see
	// [Sync]).
	Catalog *CatalogConfig
}

// CatalogConfig is the catalog section of the file: where to transfer the
// catalog zone from and how its members become secondaries.
type CatalogConfig struct {
	// Zone is the catalog zone's name.
	Zone string
	// Primary is the server to transfer the catalog from.
	Primary facade.Primary
	// TransferKey names the TSIG key (an entry of keys) for that transfer,
	// "" for none.
	TransferKey string
	// Source says how members become secondaries: their primaries
	// (default: Primary), TSIG key and providers.
	Source CatalogSource
}

// ProviderConfig is one provider account of the file.
type ProviderConfig struct {
	// Name is the file's name for the account (the key under providers).
	Name string
	// Type is ionos, dnsimple or cloudflare.
	Type string
	// TokenEnv and TokenFile say where the API token is read from.
	TokenEnv, TokenFile string
	// Account is the account ID (DNSimple, Cloudflare), given inline (it
	// is not a secret) or through AccountEnv.
	Account, AccountEnv string
	// BaseURL overrides the provider's API endpoint, if set.
	BaseURL string
	// Owned makes the tool own the account's secondary zones: zones there
	// that are not in the file are deleted. Default false: left alone.
	Owned bool
	// Rate overrides the provider's default request rate; zero: default.
	Rate Rate
	// Concurrency caps the changes in flight at this provider; 0: as many
	// as keep its pace busy (see [ApplyOptions.Concurrency]).
	Concurrency int
	// PrivatePrimaries accepts loopback and private-range primaries for
	// this provider (facade.WithPrivatePrimaries), e.g. over a VPN or for
	// tests; refused by default.
	PrivatePrimaries bool
}

// KeyConfig is a TSIG key reference of the file.
type KeyConfig struct {
	// Name is the TSIG key name sent to providers (default: the map key).
	Name string
	// Algorithm is e.g. hmac-sha256 (the default).
	Algorithm string
	// SecretEnv and SecretFile say where the base64 secret is read from.
	SecretEnv, SecretFile string
}

// ZoneConfig is a zone of the file with the defaults applied.
type ZoneConfig struct {
	// Name is the normalised zone name.
	Name string
	// Primaries are the servers the zone transfers from.
	Primaries []facade.Primary
	// Key names the TSIG key (an entry of Config.Keys), "" for none.
	Key string
	// Providers are the providers (names of Config.Providers) the zone
	// goes to, sorted.
	Providers []string
}

// Capabilities say what a provider type can do with a secondary zone.
type Capabilities struct {
	// TSIG: transfers can be authenticated with TSIG.
	TSIG bool
	// AnyPort: primaries may listen on a port other than 53.
	AnyPort bool
	// NeedsAccount: the provider needs an account ID.
	NeedsAccount bool
}

// ProviderTypes maps each supported provider type to its capabilities.
func ProviderTypes() map[string]Capabilities {
	return map[string]Capabilities{
		facade.ProviderIONOS:      {},
		facade.ProviderDNSimple:   {AnyPort: true, NeedsAccount: true},
		facade.ProviderCloudflare: {TSIG: true, AnyPort: true, NeedsAccount: true},
	}
}

// Problem is one thing wrong with a file, at a line and column (1-based; 0
// when unknown).
type Problem struct {
	Line, Column int
	Msg          string
}

// ConfigError lists every problem found in a file. It matches
// [facade.ErrInvalidInput] with errors.Is.
type ConfigError struct {
	// File is the file name given to [ParseConfig], for messages.
	File string
	// Problems are sorted by position.
	Problems []Problem
}

// Error lists the problems, one per line, as file:line:column: message.
func (e *ConfigError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d problem(s)", e.File, len(e.Problems))
	for _, p := range e.Problems {
		if p.Line == 0 {
			fmt.Fprintf(&b, "\n  %s", p.Msg)
			continue
		}
		fmt.Fprintf(&b, "\n  %s:%d:%d: %s", e.File, p.Line, p.Column, p.Msg)
	}
	return b.String()
}

// Unwrap makes errors.Is(err, facade.ErrInvalidInput) true.
func (e *ConfigError) Unwrap() error { return facade.ErrInvalidInput }

var providerNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// parser collects problems while walking the YAML tree.
type parser struct {
	problems []Problem
}

func (p *parser) addf(n *yaml.Node, format string, args ...any) {
	pr := Problem{Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		pr.Line, pr.Column = n.Line, n.Column
	}
	p.problems = append(p.problems, pr)
}

// mapping walks a mapping node, calling f per key; keys not in allowed
// (when allowed is not nil) and repeated keys are problems.
func (p *parser) mapping(n *yaml.Node, what string, allowed []string, f func(key string, k, v *yaml.Node)) {
	if n == nil {
		return
	}
	if n.Kind != yaml.MappingNode {
		p.addf(n, "%s: must be a mapping", what)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.addf(k, "%s: keys must be plain strings", what)
			continue
		}
		if seen[k.Value] {
			p.addf(k, "%s: %q given twice", what, k.Value)
			continue
		}
		seen[k.Value] = true
		if allowed != nil && !slices.Contains(allowed, k.Value) {
			p.addf(k, "%s: unknown key %q (known: %s)", what, k.Value, strings.Join(allowed, ", "))
			continue
		}
		f(k.Value, k, v)
	}
}

func (p *parser) str(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.addf(n, "%s: must be a string", what)
		return "", false
	}
	return n.Value, true
}

func (p *parser) boolean(n *yaml.Node, what string) bool {
	var b bool
	if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
		p.addf(n, "%s: must be true or false", what)
	}
	return b
}

func (p *parser) integer(n *yaml.Node, what string, lo, hi int) int {
	var i int
	if n.Kind != yaml.ScalarNode || n.Decode(&i) != nil || i < lo || i > hi {
		p.addf(n, "%s: must be a whole number from %d to %d", what, lo, hi)
		return 0
	}
	return i
}

func (p *parser) duration(n *yaml.Node, what string) time.Duration {
	s, ok := p.str(n, what)
	if !ok {
		return 0
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		p.addf(n, "%s: %q is not a positive duration such as 5m or 1h", what, s)
		return 0
	}
	return d
}

func (p *parser) list(n *yaml.Node, what string, f func(item *yaml.Node)) {
	if n.Kind != yaml.SequenceNode {
		p.addf(n, "%s: must be a list", what)
		return
	}
	for _, it := range n.Content {
		f(it)
	}
}

// primaries parses a list of primaries, reporting each bad entry.
func (p *parser) primaries(n *yaml.Node, what string) ([]facade.Primary, bool) {
	var out []facade.Primary
	ok := true
	seen := map[netip.AddrPort]bool{}
	p.list(n, what, func(it *yaml.Node) {
		s, good := p.str(it, what)
		if !good {
			ok = false
			return
		}
		pr, err := facade.ParsePrimary(s)
		if err == nil {
			err = facade.CheckPrimaryAddr(pr.Addr, true)
		}
		if err != nil {
			p.addf(it, "%s: %s", what, facadeMsg(err))
			ok = false
			return
		}
		key := netip.AddrPortFrom(pr.Addr, pr.PortOrDefault())
		if seen[key] {
			p.addf(it, "%s: %s listed twice", what, key)
			ok = false
			return
		}
		seen[key] = true
		out = append(out, pr)
	})
	if n.Kind == yaml.SequenceNode && len(n.Content) == 0 {
		p.addf(n, "%s: at least one primary is required", what)
		ok = false
	}
	return out, ok
}

// facadeMsg returns an error's message without the "invalid input: " prefix.
func facadeMsg(err error) string {
	var fe *facade.Error
	if errors.As(err, &fe) && len(fe.Messages) > 0 {
		return strings.Join(fe.Messages, "; ")
	}
	return err.Error()
}

// zoneSettings are the settings defaults and zones share.
type zoneSettings struct {
	primaries     []facade.Primary
	primariesNode *yaml.Node
	key           *string // nil: not given; "": none
	keyNode       *yaml.Node
	providers     []string
	providersNode *yaml.Node
}

func (p *parser) settings(key string, k, v *yaml.Node, what string, s *zoneSettings) {
	switch key {
	case "primaries":
		s.primaries, _ = p.primaries(v, what+".primaries")
		s.primariesNode = v
	case "tsig":
		if name, ok := p.str(v, what+".tsig"); ok {
			if name == "none" {
				name = ""
			}
			s.key, s.keyNode = &name, v
		}
	case "providers":
		s.providersNode = v
		s.providers = []string{}
		p.list(v, what+".providers", func(it *yaml.Node) {
			if name, ok := p.str(it, what+".providers"); ok {
				if slices.Contains(s.providers, name) {
					p.addf(it, "%s.providers: %q listed twice", what, name)
					return
				}
				s.providers = append(s.providers, name)
			}
		})
	}
}

var zoneKeys = []string{"primaries", "tsig", "providers"}

// ParseConfig parses and validates a desired-state file. file is used in
// messages only. Every problem is reported at once in a [*ConfigError]
// with line numbers; nothing is resolved or sent.
func ParseConfig(file string, data []byte) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &ConfigError{File: file, Problems: []Problem{{Msg: "not valid YAML: " + err.Error()}}}
	}
	p := &parser{}
	cfg := &Config{Keys: map[string]KeyConfig{}}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &ConfigError{File: file, Problems: []Problem{{Line: 1, Column: 1, Msg: "empty file"}}}
	}
	root := doc.Content[0]
	var providersNode, zonesNode, catalogNode, catalogKey *yaml.Node
	var defaults zoneSettings
	p.mapping(root, "file", []string{"version", "providers", "defaults", "keys", "zones", "catalog"}, func(key string, k, v *yaml.Node) {
		switch key {
		case "version":
			if p.integer(v, "version", 1, 1) != 1 {
				return
			}
		case "providers":
			providersNode = v
			p.mapping(v, "providers", nil, func(name string, k, v *yaml.Node) {
				if !providerNameRE.MatchString(name) {
					p.addf(k, "provider name %q: use lower-case letters, digits, - and _", name)
				}
				cfg.Providers = append(cfg.Providers, p.provider(name, k, v))
			})
		case "defaults":
			p.mapping(v, "defaults", zoneKeys, func(key string, k, v *yaml.Node) {
				p.settings(key, k, v, "defaults", &defaults)
			})
		case "keys":
			p.mapping(v, "keys", nil, func(name string, k, v *yaml.Node) {
				cfg.Keys[name] = p.key(name, k, v)
			})
		case "zones":
			zonesNode = v
		case "catalog":
			catalogNode, catalogKey = v, k
		}
	})
	if providersNode == nil || len(cfg.Providers) == 0 {
		p.addf(root, "providers: at least one provider is required")
	}
	provs := map[string]ProviderConfig{}
	for _, pc := range cfg.Providers {
		provs[pc.Name] = pc
	}
	checkProviders := func(names []string, n *yaml.Node, what string) {
		for i, name := range names {
			if _, ok := provs[name]; !ok {
				at := n
				if n != nil && n.Kind == yaml.SequenceNode && i < len(n.Content) {
					at = n.Content[i]
				}
				p.addf(at, "%s: unknown provider %q", what, name)
			}
		}
	}
	checkKey := func(key *string, n *yaml.Node, what string) {
		if key != nil && *key != "" {
			if _, ok := cfg.Keys[*key]; !ok {
				p.addf(n, "%s: unknown TSIG key %q (define it under keys)", what, *key)
			}
		}
	}
	checkProviders(defaults.providers, defaults.providersNode, "defaults.providers")
	checkKey(defaults.key, defaults.keyNode, "defaults.tsig")

	seenZones := map[string]*yaml.Node{}
	if zonesNode != nil {
		p.mapping(zonesNode, "zones", nil, func(raw string, k, v *yaml.Node) {
			name, err := facade.NormalizeZoneName(raw)
			if err != nil {
				p.addf(k, "zone %s", strings.TrimPrefix(facadeMsg(err), "zone name "))
				return
			}
			if first, dup := seenZones[name]; dup {
				p.addf(k, "zone %s given twice (first at line %d)", name, first.Line)
				return
			}
			seenZones[name] = k
			what := "zones." + name
			var s zoneSettings
			if v.Kind == yaml.ScalarNode && (v.Tag == "!!null" || v.Value == "") {
				v = nil // "example.com:" or "example.com: {}" take the defaults
			}
			if v != nil {
				p.mapping(v, what, zoneKeys, func(key string, k, v *yaml.Node) { p.settings(key, k, v, what, &s) })
			}
			z := ZoneConfig{Name: name, Primaries: s.primaries}
			pn := s.primariesNode
			if pn == nil {
				z.Primaries, pn = defaults.primaries, defaults.primariesNode
			}
			if pn == nil {
				p.addf(k, "%s: no primaries (give primaries here or under defaults)", what)
			}
			keyNode := s.keyNode
			switch {
			case s.key != nil:
				z.Key = *s.key
				checkKey(s.key, s.keyNode, what+".tsig")
			case defaults.key != nil:
				z.Key, keyNode = *defaults.key, defaults.keyNode
			}
			z.Providers = s.providers
			provNode := s.providersNode
			if provNode == nil {
				z.Providers, provNode = defaults.providers, defaults.providersNode
			} else {
				checkProviders(s.providers, s.providersNode, what+".providers")
			}
			if z.Providers == nil { // neither zone nor defaults: every provider
				for _, pc := range cfg.Providers {
					z.Providers = append(z.Providers, pc.Name)
				}
				provNode = k
			}
			if len(z.Providers) == 0 {
				p.addf(provNode, "%s: no providers", what)
			}
			z.Providers = slices.Clone(z.Providers)
			sort.Strings(z.Providers)
			p.capabilities(what, z.Primaries, z.Key, z.Providers, provs, orNode(keyNode, k), orNode(s.primariesNode, orNode(defaults.primariesNode, k)))
			cfg.Zones = append(cfg.Zones, z)
		})
	}
	if catalogNode != nil {
		cfg.Catalog = p.catalog(catalogKey, catalogNode, &defaults, cfg, provs, checkProviders, checkKey)
	}
	if len(p.problems) > 0 {
		sort.SliceStable(p.problems, func(i, j int) bool {
			a, b := p.problems[i], p.problems[j]
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Column < b.Column
		})
		return nil, &ConfigError{File: file, Problems: p.problems}
	}
	sort.Slice(cfg.Providers, func(i, j int) bool { return cfg.Providers[i].Name < cfg.Providers[j].Name })
	sort.Slice(cfg.Zones, func(i, j int) bool { return cfg.Zones[i].Name < cfg.Zones[j].Name })
	return cfg, nil
}

func orNode(a, b *yaml.Node) *yaml.Node {
	if a != nil {
		return a
	}
	return b
}

var providerKeys = []string{"type", "token_env", "token_file", "account", "account_env", "base_url", "owned", "rate", "concurrency", "private_primaries"}

func (p *parser) provider(name string, k, v *yaml.Node) ProviderConfig {
	pc := ProviderConfig{Name: name}
	what := "providers." + name
	p.mapping(v, what, providerKeys, func(key string, kn, vn *yaml.Node) {
		switch key {
		case "type":
			if t, ok := p.str(vn, what+".type"); ok {
				if _, known := ProviderTypes()[t]; !known {
					p.addf(vn, "%s.type: unknown provider type %q (use ionos, dnsimple or cloudflare)", what, t)
				}
				pc.Type = t
			}
		case "token_env", "token_file", "account", "account_env", "base_url":
			fields := map[string]*string{"token_env": &pc.TokenEnv, "token_file": &pc.TokenFile, "account": &pc.Account,
				"account_env": &pc.AccountEnv, "base_url": &pc.BaseURL}
			*fields[key], _ = p.str(vn, what+"."+key)
		case "owned":
			pc.Owned = p.boolean(vn, what+".owned")
		case "private_primaries":
			pc.PrivatePrimaries = p.boolean(vn, what+".private_primaries")
		case "concurrency":
			pc.Concurrency = p.integer(vn, what+".concurrency", 1, 256)
		case "rate":
			p.mapping(vn, what+".rate", []string{"requests", "per", "burst"}, func(key string, _, rv *yaml.Node) {
				switch key {
				case "requests":
					pc.Rate.Requests = p.integer(rv, what+".rate.requests", 1, 1_000_000)
				case "per":
					pc.Rate.Per = p.duration(rv, what+".rate.per")
				case "burst":
					pc.Rate.Burst = p.integer(rv, what+".rate.burst", 1, 10_000)
				}
			})
			if (pc.Rate.Requests == 0) != (pc.Rate.Per == 0) {
				p.addf(vn, "%s.rate: give both requests and per", what)
			}
		}
	})
	if v.Kind == yaml.MappingNode {
		if pc.Type == "" {
			p.addf(k, "%s: type is required (ionos, dnsimple or cloudflare)", what)
		}
		if (pc.TokenEnv == "") == (pc.TokenFile == "") {
			p.addf(k, "%s: give exactly one of token_env and token_file (tokens are never written in the file)", what)
		}
		if ProviderTypes()[pc.Type].NeedsAccount && pc.Account == "" && pc.AccountEnv == "" {
			p.addf(k, "%s: %s needs account or account_env", what, pc.Type)
		}
		if pc.BaseURL != "" {
			if _, err := core.NewCore(core.Provider{Name: "x"}, "x", pc.BaseURL); err != nil {
				p.addf(k, "%s.base_url: %s", what, facadeMsg(err))
			}
		}
	}
	return pc
}

func (p *parser) key(name string, k, v *yaml.Node) KeyConfig {
	kc := KeyConfig{Name: name, Algorithm: "hmac-sha256"}
	what := "keys." + name
	p.mapping(v, what, []string{"name", "algorithm", "secret_env", "secret_file", "secret"}, func(key string, kn, vn *yaml.Node) {
		switch key {
		case "name", "algorithm", "secret_env", "secret_file":
			fields := map[string]*string{"name": &kc.Name, "algorithm": &kc.Algorithm, "secret_env": &kc.SecretEnv, "secret_file": &kc.SecretFile}
			*fields[key], _ = p.str(vn, what+"."+key)
		case "secret":
			p.addf(kn, "%s.secret: secrets are never written in the file; use secret_env or secret_file", what)
		}
	})
	if v.Kind == yaml.MappingNode {
		if (kc.SecretEnv == "") == (kc.SecretFile == "") {
			p.addf(k, "%s: give exactly one of secret_env and secret_file", what)
		}
		// Check name and algorithm with a placeholder secret.
		t := facade.TSIG{Name: kc.Name, Algorithm: kc.Algorithm, Secret: "AAAA"}
		if err := t.Validate(); err != nil {
			p.addf(k, "%s: %s", what, facadeMsg(err))
		}
	}
	return kc
}

// Env looks up a variable, like os.LookupEnv.
type Env func(name string) (string, bool)

// ReadFile reads a file, like os.ReadFile.
type ReadFile func(name string) ([]byte, error)

// Resolve reads the TSIG secrets the file refers to, through env and
// readFile (the caller decides where they come from; nothing is read
// behind its back), and returns them by key name. Every missing or invalid
// secret is reported at once; messages never contain a secret.
func (c *Config) Resolve(env Env, readFile ReadFile) (map[string]facade.TSIG, error) {
	out := map[string]facade.TSIG{}
	var problems []Problem
	for _, name := range sortedKeys(c.Keys) {
		kc := c.Keys[name]
		secret, err := lookupSecret(kc.SecretEnv, kc.SecretFile, env, readFile)
		if err != nil {
			problems = append(problems, Problem{Msg: "keys." + name + ": " + err.Error()})
			continue
		}
		t := facade.TSIG{Name: kc.Name, Algorithm: kc.Algorithm, Secret: facade.Secret(secret)}
		if err := t.Validate(); err != nil {
			problems = append(problems, Problem{Msg: "keys." + name + ": " + facadeMsg(err)})
			continue
		}
		out[name] = t
	}
	if len(problems) > 0 {
		return nil, &ConfigError{File: "TSIG keys", Problems: problems}
	}
	return out, nil
}

// Credentials returns the provider's token and account ID, read from the
// environment variable or file the configuration names.
func (pc ProviderConfig) Credentials(env Env, readFile ReadFile) (token facade.Secret, account string, err error) {
	tok, err := lookupSecret(pc.TokenEnv, pc.TokenFile, env, readFile)
	if err != nil {
		return "", "", fmt.Errorf("providers.%s: token: %w", pc.Name, err)
	}
	account = pc.Account
	if account == "" && pc.AccountEnv != "" {
		v, ok := env(pc.AccountEnv)
		if !ok || v == "" {
			return "", "", fmt.Errorf("providers.%s: environment variable %s (account) is not set", pc.Name, pc.AccountEnv)
		}
		account = v
	}
	return facade.Secret(tok), account, nil
}

func lookupSecret(envName, file string, env Env, readFile ReadFile) (string, error) {
	if envName != "" {
		v, ok := env(envName)
		if !ok || strings.TrimSpace(v) == "" {
			return "", fmt.Errorf("environment variable %s is not set", envName)
		}
		return strings.TrimSpace(v), nil
	}
	b, err := readFile(file)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", file, errors.Unwrap(err))
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", fmt.Errorf("%s is empty", file)
	}
	return s, nil
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Provider returns the provider called name.
func (c *Config) Provider(name string) (ProviderConfig, bool) {
	for _, p := range c.Providers {
		if p.Name == name {
			return p, true
		}
	}
	return ProviderConfig{}, false
}

func (p *parser) catalog(k, v *yaml.Node, defaults *zoneSettings, cfg *Config, provs map[string]ProviderConfig,
	checkProviders func([]string, *yaml.Node, string), checkKey func(*string, *yaml.Node, string)) *CatalogConfig {
	cc := &CatalogConfig{}
	var s zoneSettings
	var zoneNode, primaryNode *yaml.Node
	p.mapping(v, "catalog", []string{"zone", "primary", "transfer_tsig", "primaries", "tsig", "providers"}, func(key string, kn, vn *yaml.Node) {
		switch key {
		case "zone":
			zoneNode = vn
			cc.Zone = parseScalar(p, vn, "catalog.zone", facade.NormalizeZoneName)
		case "primary":
			primaryNode = vn
			cc.Primary = parseScalar(p, vn, "catalog.primary", facade.ParsePrimary)
		case "transfer_tsig":
			if name, ok := p.str(vn, "catalog.transfer_tsig"); ok {
				cc.TransferKey = name
				checkKey(&name, vn, "catalog.transfer_tsig")
			}
		default:
			p.settings(key, kn, vn, "catalog", &s)
		}
	})
	if v.Kind != yaml.MappingNode {
		return cc
	}
	if zoneNode == nil {
		p.addf(k, "catalog: zone is required")
	}
	if primaryNode == nil {
		p.addf(k, "catalog: primary is required (the server to transfer the catalog from)")
	}
	src := CatalogSource{Zone: cc.Zone, Primaries: s.primaries, Providers: s.providers}
	if s.primariesNode == nil && cc.Primary.Addr.IsValid() {
		src.Primaries = []facade.Primary{cc.Primary}
	}
	keyNode := s.keyNode
	if s.key != nil {
		src.Key = *s.key
		checkKey(s.key, s.keyNode, "catalog.tsig")
	}
	provNode := s.providersNode
	if provNode != nil {
		checkProviders(s.providers, s.providersNode, "catalog.providers")
	} else if defaults.providers != nil {
		src.Providers, provNode = defaults.providers, defaults.providersNode
	} else {
		for _, pc := range cfg.Providers {
			src.Providers = append(src.Providers, pc.Name)
		}
	}
	src.Providers = slices.Clone(src.Providers)
	sort.Strings(src.Providers)
	p.capabilities("catalog", src.Primaries, src.Key, src.Providers, provs, orNode(keyNode, k), orNode(s.primariesNode, orNode(primaryNode, k)))
	cc.Source = src
	return cc
}

// capabilities reports what the providers cannot do for a zone (or the
// catalog's members): TSIG, primaries on a port other than 53.
func (p *parser) capabilities(what string, primaries []facade.Primary, key string, providers []string, provs map[string]ProviderConfig, keyAt, primariesAt *yaml.Node) {
	types := ProviderTypes()
	for _, pn := range providers {
		pc, ok := provs[pn]
		if !ok {
			continue
		}
		caps := types[pc.Type]
		if key != "" && !caps.TSIG {
			p.addf(keyAt, "%s: provider %s (%s) cannot authenticate transfers with TSIG", what, pn, pc.Type)
		}
		for _, pr := range primaries {
			if !caps.AnyPort && pr.PortOrDefault() != facade.DefaultPort {
				p.addf(primariesAt, "%s: provider %s (%s) transfers from port 53 only, not %s", what, pn, pc.Type, pr)
			}
			if err := facade.CheckPrimaryAddr(pr.Addr, pc.PrivatePrimaries); err != nil {
				p.addf(primariesAt, "%s: provider %s: %s (set private_primaries: true on the provider if it reaches it)", what, pn, facadeMsg(err))
			}
		}
	}
}

// parseScalar reads a string node with parse, reporting a failure at the
// node.
func parseScalar[T any](p *parser, n *yaml.Node, what string, parse func(string) (T, error)) T {
	var zero T
	s, ok := p.str(n, what)
	if !ok {
		return zero
	}
	v, err := parse(s)
	if err != nil {
		p.addf(n, "%s: %s", what, facadeMsg(err))
		return zero
	}
	return v
}
