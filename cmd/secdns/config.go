package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/secondarydns/secondarydns-go/facade"
)

// The config file names the provider accounts secdns talks to and where
// their credentials come from; it never holds a token. See docs/CLI.md.
//
//	providers:
//	  ionos:
//	    token_env: IONOS_TOKEN
//	  cf-prod:
//	    type: cloudflare
//	    token_file: ~/.config/secdns/cloudflare-token
//	    account: 0123456789abcdef0123456789abcdef

// configEnv names the environment variable that points at the config file
// (--config wins over it).
const configEnv = "SECDNS_CONFIG"

// providerConf is one provider account of the config file.
type providerConf struct {
	name       string // the key under providers
	typ        string // ionos, dnsimple or cloudflare
	tokenEnv   string // environment variable holding the token
	tokenFile  string // or a file holding it
	account    string // account ID, inline (not a secret)
	accountEnv string // or from this environment variable
	baseURL    string
	file       string // the config file, for messages
}

// cliConfig is a parsed config file.
type cliConfig struct {
	file      string
	providers []*providerConf // in file order
}

// provider returns the provider called name, or nil.
func (c *cliConfig) provider(name string) *providerConf {
	if c == nil {
		return nil
	}
	for _, p := range c.providers {
		if p.name == name {
			return p
		}
	}
	return nil
}

func (c *cliConfig) names() []string {
	var out []string
	for _, p := range c.providers {
		out = append(out, p.name)
	}
	return out
}

// configError is a config file that cannot be used: each problem is
// "file:line:column: message". Exit code 2, like other usage errors.
type configError struct {
	problems []string
}

// Error implements error.
func (e *configError) Error() string { return strings.Join(e.problems, "; ") }

// ExitCode is the process exit code.
func (e *configError) ExitCode() int { return exitUsage }

// configPath returns the config file to read and whether the user named it
// (--config or $SECDNS_CONFIG: then it must exist). The conventional
// location is $XDG_CONFIG_HOME/secdns/config.yaml, else
// $HOME/.config/secdns/config.yaml; "" when neither variable is set.
func configPath(flagValue string, getenv func(string) string) (string, bool) {
	if flagValue != "" {
		return expandHome(flagValue, getenv), true
	}
	if p := getenv(configEnv); p != "" {
		return expandHome(p, getenv), true
	}
	if x := getenv("XDG_CONFIG_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "secdns", "config.yaml"), false
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".config", "secdns", "config.yaml"), false
	}
	return "", false
}

// expandHome replaces a leading ~/ by $HOME.
func expandHome(p string, getenv func(string) string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if h := getenv("HOME"); h != "" {
			return filepath.Join(h, rest)
		}
	}
	return p
}

// loadConfig reads the config file, if there is one: nil without error when
// the conventional file does not exist.
func loadConfig(flagValue string, getenv func(string) string) (*cliConfig, error) {
	path, explicit := configPath(flagValue, getenv)
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !explicit {
			return nil, nil
		}
		return nil, usagef("config file: %v", err)
	}
	return parseConfig(path, data, getenv)
}

var (
	providerNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)
	// envNameRE: token_env and account_env name variables the POSIX way,
	// upper case, which no provider's token is.
	envNameRE = regexp.MustCompile(`^[A-Z_][A-Z0-9_]{0,127}$`)
)

// providerKeys are the keys of a provider entry, the same as in a fleet
// file's providers section.
var providerKeys = []string{"type", "token_env", "token_file", "account", "account_env", "base_url"}

// secretKeys are keys where a token might be written inline: refused with a
// message saying what to write instead.
var secretKeys = []string{"token", "api_token", "secret", "password", "key", "api_key"}

type configParser struct {
	file     string
	problems []string
}

func (p *configParser) addf(n *yaml.Node, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if n != nil {
		msg = fmt.Sprintf("%s:%d:%d: %s", p.file, n.Line, n.Column, msg)
	} else {
		msg = p.file + ": " + msg
	}
	p.problems = append(p.problems, msg)
}

// each walks a mapping node; repeated keys and keys not in allowed (if
// allowed is not nil) are problems.
func (p *configParser) each(n *yaml.Node, what string, allowed []string, f func(key string, k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.addf(n, "%s: must be a mapping", what)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case k.Kind != yaml.ScalarNode:
			p.addf(k, "%s: keys must be plain strings", what)
		case seen[k.Value]:
			p.addf(k, "%s: %q given twice", what, k.Value)
		case allowed != nil && slices.Contains(secretKeys, k.Value):
			p.addf(k, "%s.%s: tokens are never written in the config file; name an environment variable with token_env or a file with token_file", what, k.Value)
		case allowed != nil && !slices.Contains(allowed, k.Value):
			p.addf(k, "%s: unknown key %q (known: %s)", what, k.Value, strings.Join(allowed, ", "))
		default:
			seen[k.Value] = true
			f(k.Value, k, v)
		}
	}
}

func (p *configParser) str(n *yaml.Node, what string) string {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || n.Value == "" {
		p.addf(n, "%s: must be a non-empty string", what)
		return ""
	}
	return n.Value
}

// parseConfig parses and checks a config file; every problem is reported,
// with its line, before anything is sent. No value of the file is ever
// echoed where it might be a token.
func parseConfig(file string, data []byte, getenv func(string) string) (*cliConfig, error) {
	p := &configParser{file: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &configError{problems: []string{file + ": not valid YAML: " + err.Error()}}
	}
	cfg := &cliConfig{file: file}
	if len(doc.Content) == 0 {
		return nil, &configError{problems: []string{file + ": empty file: name at least one provider under providers"}}
	}
	root := doc.Content[0]
	p.each(root, "file", []string{"providers"}, func(_ string, _, v *yaml.Node) {
		p.each(v, "providers", nil, func(name string, k, v *yaml.Node) {
			if !providerNameRE.MatchString(name) {
				p.addf(k, "provider name %q: use lower-case letters, digits, - and _", name)
				return
			}
			cfg.providers = append(cfg.providers, p.provider(name, k, v, getenv))
		})
	})
	if len(p.problems) == 0 && len(cfg.providers) == 0 {
		p.addf(root, "providers: at least one provider is required")
	}
	if len(p.problems) > 0 {
		return nil, &configError{problems: p.problems}
	}
	return cfg, nil
}

func (p *configParser) provider(name string, k, v *yaml.Node, getenv func(string) string) *providerConf {
	pc := &providerConf{name: name, file: p.file}
	what := "providers." + name
	if v.Kind == yaml.ScalarNode && (v.Tag == "!!null" || v.Value == "") {
		v = &yaml.Node{Kind: yaml.MappingNode, Line: v.Line, Column: v.Column} // "ionos:" alone: the defaults
	}
	p.each(v, what, providerKeys, func(key string, _, vn *yaml.Node) {
		switch key {
		case "type":
			pc.typ = strings.ToLower(p.str(vn, what+".type"))
			if pc.typ != "" && !knownProvider(pc.typ) {
				p.addf(vn, "%s.type: unknown provider type %q (use ionos, dnsimple or cloudflare)", what, clipped(pc.typ))
			}
		case "token_env", "account_env":
			s := p.str(vn, what+"."+key)
			if s != "" && (!envNameRE.MatchString(s) || looksLikeToken(s)) {
				// Never echo the value: it may be the token itself.
				p.addf(vn, "%s.%s: must be the NAME of an environment variable in upper case (e.g. IONOS_TOKEN), not a token", what, key)
				s = ""
			}
			if key == "token_env" {
				pc.tokenEnv = s
			} else {
				pc.accountEnv = s
			}
		case "token_file":
			s := p.str(vn, what+".token_file")
			if s != "" && !strings.ContainsAny(s, `/\`) && looksLikeToken(s) {
				p.addf(vn, "%s.token_file: must be the path of a file holding the token, not the token itself", what)
				s = ""
			}
			pc.tokenFile = expandHome(s, getenv)
		case "account":
			pc.account = p.str(vn, what+".account")
		case "base_url":
			pc.baseURL = p.str(vn, what+".base_url")
			if pc.baseURL != "" && !strings.HasPrefix(pc.baseURL, "https://") && !strings.HasPrefix(pc.baseURL, "http://") {
				p.addf(vn, "%s.base_url: must be an http:// or https:// URL", what)
			}
		}
	})
	if v.Kind != yaml.MappingNode {
		return pc
	}
	if pc.typ == "" {
		if !knownProvider(name) {
			p.addf(k, "%s: type is required (ionos, dnsimple or cloudflare) unless the name is one of them", what)
		}
		pc.typ = name
	}
	if pc.tokenEnv != "" && pc.tokenFile != "" {
		p.addf(k, "%s: give one of token_env and token_file, not both", what)
	}
	if pc.account != "" && pc.accountEnv != "" {
		p.addf(k, "%s: give one of account and account_env, not both", what)
	}
	if pc.account != "" && pc.typ == facade.ProviderIONOS {
		p.addf(k, "%s: ionos takes no account ID", what)
	}
	return pc
}

// looksLikeToken reports whether s looks like an API token rather than a
// name: a JWT (IONOS), or a long run mixing letters and many digits.
func looksLikeToken(s string) bool {
	if strings.HasPrefix(s, "eyJ") && len(s) > 20 {
		return true
	}
	if len(s) < 20 {
		return false
	}
	var lower, upper, digit int
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			lower++
		case r >= 'A' && r <= 'Z':
			upper++
		case r >= '0' && r <= '9':
			digit++
		}
	}
	return digit >= 4 && (lower > 0 || upper > 0) && !strings.ContainsAny(s, ".")
}

// clipped shortens a value echoed in a message.
func clipped(s string) string {
	if len(s) > 32 {
		return s[:32] + "..."
	}
	return s
}

// credentials reads the token and account ID the entry names, through the
// app's getenv and os.ReadFile. Messages name the variable or file, never
// the value.
func (pc *providerConf) credentials(getenv func(string) string) (token, account string, err error) {
	cred, _ := credentialsFor(pc.typ)
	where := fmt.Sprintf("provider %s (%s)", pc.name, pc.file)
	switch {
	case pc.tokenFile != "":
		b, rerr := os.ReadFile(pc.tokenFile)
		if rerr != nil {
			return "", "", &credentialsError{fmt.Sprintf("%s: reading token_file: %v", where, errors.Unwrap(rerr))}
		}
		if token = strings.TrimSpace(string(b)); token == "" {
			return "", "", &credentialsError{fmt.Sprintf("%s: token_file %s is empty", where, pc.tokenFile)}
		}
	default:
		env := pc.tokenEnv
		if env == "" {
			env = cred.tokenEnv
		}
		if token = strings.TrimSpace(getenv(env)); token == "" {
			return "", "", &credentialsError{fmt.Sprintf("%s: environment variable %s (token) is not set", where, env)}
		}
	}
	account = pc.account
	if account == "" && cred.accountEnv != "" {
		env := pc.accountEnv
		if env == "" {
			env = cred.accountEnv
		}
		if account = strings.TrimSpace(getenv(env)); account == "" {
			return "", "", &credentialsError{fmt.Sprintf("%s: environment variable %s (account ID) is not set", where, env)}
		}
	}
	return token, account, nil
}
