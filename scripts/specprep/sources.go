// Package specprep turns vendored upstream OpenAPI documents into the small,
// valid, deterministic documents that oapi-codegen generates the low-level
// clients from.
//
// For each provider listed in specs/sources.json it:
//
//  1. reads the vendored upstream file (checking its sha256 against the
//     sources file, so a hand edit of a vendored spec is caught);
//  2. for IONOS, assembles the one-document-per-operation reference page into a
//     single OpenAPI 3.0 document ([AssembleIONOS]);
//  3. keeps only the operations the SDK uses, renamed to readable operation
//     IDs, plus every component they reference, transitively ([Select]);
//  4. converts OpenAPI 3.1 constructs the generator and validator do not
//     handle to their 3.0 equivalents ([DowngradeTo30]);
//  5. applies the provider's overlay (OpenAPI Overlay Specification 1.0),
//     which holds every fix to an upstream mistake;
//  6. validates the result with kin-openapi and writes it as indented JSON
//     with sorted keys, so that the same inputs always give the same bytes.
//
// The same code serves `go generate` and the drift check, which prepares an
// upstream document the same way before comparing it with the vendored one.
package specprep

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Format names how a vendored upstream file is encoded.
type Format string

// The formats of vendored upstream files.
const (
	// FormatJSON is an OpenAPI document in JSON.
	FormatJSON Format = "json"
	// FormatYAML is an OpenAPI document in YAML.
	FormatYAML Format = "yaml"
	// FormatIONOSReference is the IONOS API reference page in Markdown, which
	// carries one complete OpenAPI document per operation in ```json blocks.
	FormatIONOSReference Format = "ionos-reference"
)

// Sources is the machine-readable provenance file, specs/sources.json.
type Sources struct {
	// Providers lists every provider the SDK generates a client for.
	Providers []Provider `json:"providers"`
}

// Provider records where one provider's spec comes from and what the SDK
// uses of it. Paths are relative to the repository root.
type Provider struct {
	// Name is the provider's short name: "ionos", "dnsimple", "cloudflare".
	Name string `json:"name"`
	// Package is the Go package generated under gen/.
	Package string `json:"package"`
	// Upstream says where the vendored file comes from.
	Upstream Upstream `json:"upstream"`
	// Format is the encoding of the vendored file.
	Format Format `json:"format"`
	// Vendored is the verbatim upstream file.
	Vendored string `json:"vendored"`
	// SHA256 is the hex sha256 of the vendored file.
	SHA256 string `json:"sha256"`
	// Assembled, for FormatIONOSReference only, is where the single assembled
	// OpenAPI document is written.
	Assembled string `json:"assembled,omitempty"`
	// Overlay is the OpenAPI Overlay file with the fixes to upstream mistakes.
	Overlay string `json:"overlay"`
	// Prepared is where the prepared document is written.
	Prepared string `json:"prepared"`
	// Operations lists the operations the SDK uses.
	Operations []Operation `json:"operations"`
}

// Upstream is the provenance of a vendored file.
type Upstream struct {
	// URL is where the current upstream version is fetched from by the drift
	// check.
	URL string `json:"url"`
	// Repository is the upstream repository or site.
	Repository string `json:"repository"`
	// Path is the file's path in the upstream repository, if any.
	Path string `json:"path,omitempty"`
	// Revision is the upstream commit or API version that was vendored.
	Revision string `json:"revision"`
	// Date is the date of that revision (YYYY-MM-DD).
	Date string `json:"date"`
	// License is the license the upstream file is published under.
	License string `json:"license"`
}

// Operation is one operation the SDK uses, selected by method and path.
type Operation struct {
	// ID is the operation ID in the prepared document; it becomes the name of
	// the generated method (e.g. "ForceAXFR" gives ForceAXFRWithResponse).
	ID string `json:"id"`
	// Method is the HTTP method, upper case.
	Method string `json:"method"`
	// Path is the path template exactly as upstream spells it.
	Path string `json:"path"`
	// UpstreamID is the operation ID upstream gives it, for the record and for
	// drift reports.
	UpstreamID string `json:"upstream_id"`
}

// LoadSources reads and checks a sources file.
func LoadSources(path string) (*Sources, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Sources
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, p := range s.Providers {
		if err := p.check(); err != nil {
			return nil, fmt.Errorf("%s: provider %q: %w", path, p.Name, err)
		}
	}
	return &s, nil
}

// Provider returns the named provider's record.
func (s *Sources) Provider(name string) (*Provider, error) {
	for i := range s.Providers {
		if s.Providers[i].Name == name {
			return &s.Providers[i], nil
		}
	}
	return nil, fmt.Errorf("no provider %q in sources", name)
}

func (p *Provider) check() error {
	switch {
	case p.Name == "" || p.Package == "":
		return fmt.Errorf("name and package are required")
	case p.Vendored == "" || p.Prepared == "" || p.Overlay == "":
		return fmt.Errorf("vendored, overlay and prepared paths are required")
	case len(p.Operations) == 0:
		return fmt.Errorf("no operations listed")
	}
	switch p.Format {
	case FormatJSON, FormatYAML:
	case FormatIONOSReference:
		if p.Assembled == "" {
			return fmt.Errorf("format %s needs an assembled path", p.Format)
		}
	default:
		return fmt.Errorf("unknown format %q", p.Format)
	}
	seen := map[string]bool{}
	for _, op := range p.Operations {
		key := op.Method + " " + op.Path
		if op.ID == "" || op.Method == "" || op.Path == "" {
			return fmt.Errorf("operation %q: id, method and path are required", key)
		}
		if seen[key] || seen[op.ID] {
			return fmt.Errorf("operation %q (%s) listed twice", key, op.ID)
		}
		seen[key], seen[op.ID] = true, true
	}
	return nil
}

// SHA256Hex returns the hex sha256 of b.
func SHA256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Run prepares one provider's spec from the files under root, writing the
// assembled (IONOS) and prepared documents. It fails if the vendored file's
// digest differs from the one recorded in the sources file.
func Run(root string, p *Provider) error {
	raw, err := os.ReadFile(filepath.Join(root, p.Vendored))
	if err != nil {
		return err
	}
	if got := SHA256Hex(raw); got != p.SHA256 {
		return fmt.Errorf("%s: sha256 is %s, sources file records %s: vendored specs are never edited by hand (fix through the overlay, or re-vendor with `make drift-update`)", p.Vendored, got, p.SHA256)
	}
	overlay, err := os.ReadFile(filepath.Join(root, p.Overlay))
	if err != nil {
		return err
	}
	res, err := PrepareProvider(p, raw, overlay)
	if err != nil {
		return fmt.Errorf("%s: %w", p.Name, err)
	}
	if res.Assembled != nil {
		if err := writeFile(filepath.Join(root, p.Assembled), res.Assembled); err != nil {
			return err
		}
	}
	return writeFile(filepath.Join(root, p.Prepared), res.Prepared)
}

// Result holds what PrepareProvider produced.
type Result struct {
	// Assembled is the assembled IONOS document (nil for other formats).
	Assembled []byte
	// Prepared is the prepared document.
	Prepared []byte
}

// PrepareProvider prepares raw, a vendored upstream file in p's format, with
// the given overlay. It reads and writes no files.
func PrepareProvider(p *Provider, raw, overlay []byte) (*Result, error) {
	var res Result
	var doc map[string]any
	var err error
	switch p.Format {
	case FormatIONOSReference:
		if res.Assembled, err = AssembleIONOS(raw); err != nil {
			return nil, err
		}
		doc, err = Decode(res.Assembled, FormatJSON)
	default:
		doc, err = Decode(raw, p.Format)
	}
	if err != nil {
		return nil, err
	}
	if res.Prepared, err = Prepare(doc, p.Operations, overlay); err != nil {
		return nil, err
	}
	return &res, nil
}

func writeFile(path string, b []byte) error {
	if old, err := os.ReadFile(path); err == nil && string(old) == string(b) {
		return nil // unchanged: keep the file's mtime
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
