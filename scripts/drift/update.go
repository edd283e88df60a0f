package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/secondarydns/secondarydns-go/scripts/specprep"
)

// update re-vendors every checked provider whose upstream file changed: it
// writes the vendored file, records its sha256, date and (where the document
// says it) revision in the sources file, then runs `go generate ./...` so
// that specs/*/prepared.json and gen/ follow, and a person reviews one diff.
// Providers that could not be checked are left alone.
func (d deps) update(ctx context.Context, o *options, src *specprep.Sources, provs []*specprep.Provider, rep *report, stderr io.Writer) error {
	sourcesPath := filepath.Join(o.root, o.sources)
	orig, err := os.ReadFile(sourcesPath)
	if err != nil {
		return err
	}
	if again, err := encodeSources(src); err != nil {
		return err
	} else if !bytes.Equal(again, orig) {
		fmt.Fprintf(stderr, "drift: warning: %s is not in the canonical layout (2-space indent, fields in struct order); rewriting it changes more than the updated fields\n", o.sources)
	}
	today := d.now().UTC().Format("2006-01-02")
	changed := false
	for i, p := range provs {
		r := rep.Providers[i]
		if r.upstream == nil || r.Status == statusNoDrift || r.Status == statusCannotCheck {
			continue
		}
		if err := writeFileKeepMode(filepath.Join(o.root, p.Vendored), r.upstream); err != nil {
			return err
		}
		p.SHA256 = r.UpstreamSHA256
		if r.upFormat != "" {
			p.Format = r.upFormat
		}
		// Renamed paths and moved operations follow upstream; an operation
		// gone upstream stays listed, so that go generate fails loudly.
		for i, op := range p.Operations {
			for _, u := range r.upOps {
				if u.ID == op.ID {
					p.Operations[i].Method, p.Operations[i].Path = u.Method, u.Path
				}
			}
		}
		if r.upOverlay != nil {
			if err := writeFileKeepMode(filepath.Join(o.root, p.Overlay), r.upOverlay); err != nil {
				return err
			}
		}
		p.Upstream.Date = today
		p.Upstream.Revision = revisionOf(p, r.upDoc, today)
		r.Updated = true
		changed = true
		fmt.Fprintf(stderr, "drift: %s: re-vendored %s (sha256 %s)\n", p.Name, p.Vendored, r.UpstreamSHA256)
	}
	if !changed {
		return nil
	}
	b, err := encodeSources(src)
	if err != nil {
		return err
	}
	if err := writeFileKeepMode(sourcesPath, b); err != nil {
		return err
	}
	if o.noGenerate {
		fmt.Fprintln(stderr, "drift: -no-generate: run `go generate ./...` at the repository root before committing")
		return nil
	}
	fmt.Fprintln(stderr, "drift: running go generate ./... in", o.root)
	if err := d.generate(ctx, o.root, stderr, stderr); err != nil {
		return fmt.Errorf("go generate ./...: %w (the vendored files and %s are updated; fix the overlay or sources file and run it again)", err, o.sources)
	}
	return nil
}

// revisionOf is the revision recorded for a re-vendored file. The IONOS page
// names its API version; for a file fetched from a branch head the commit is
// not known here, and the record says so rather than keep a stale one.
func revisionOf(p *specprep.Provider, doc map[string]any, today string) string {
	if p.Format == specprep.FormatIONOSReference {
		if info, _ := doc["info"].(map[string]any); info != nil {
			if v, ok := info["version"].(string); ok && v != "" {
				return "API version " + v
			}
		}
	}
	return "unrecorded (fetched " + today + "; replace with the upstream commit)"
}

// encodeSources writes the sources file the way it is kept: 2-space indent,
// fields in struct order, no HTML escaping, a final newline.
func encodeSources(s *specprep.Sources) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeFileKeepMode replaces path's content through a temporary file and a
// rename, keeping its permission bits (vendored files are read-only).
func writeFileKeepMode(path string, b []byte) error {
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, mode)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
