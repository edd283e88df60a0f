// Package specs embeds the prepared OpenAPI documents that the clients under
// gen/ are generated from, so that test servers, fakes and request validators
// can use exactly the contract the generated code was built against.
//
// The directory also holds what the prepared documents are made from: the
// verbatim upstream files, the overlays that fix upstream mistakes, and
// sources.json with their provenance. They are rewritten by `go generate ./...`
// from the repository root and never edited by hand.
package specs

import (
	"context"
	"embed"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed ionos/prepared.json dnsimple/prepared.json cloudflare/prepared.json
var prepared embed.FS

// The providers whose prepared documents this package embeds.
const (
	IONOS      = "ionos"
	DNSimple   = "dnsimple"
	Cloudflare = "cloudflare"
)

// Providers lists the provider names accepted by [Prepared] and [Load].
func Providers() []string { return []string{IONOS, DNSimple, Cloudflare} }

// Prepared returns the prepared OpenAPI document of a provider, as JSON.
func Prepared(provider string) ([]byte, error) {
	b, err := prepared.ReadFile(provider + "/prepared.json")
	if err != nil {
		return nil, fmt.Errorf("specs: no prepared document for provider %q", provider)
	}
	return b, nil
}

// Load returns the provider's prepared document, loaded and validated by
// kin-openapi. Each call returns a new document that the caller owns.
func Load(provider string) (*openapi3.T, error) {
	b, err := Prepared(provider)
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		return nil, fmt.Errorf("specs: loading %s: %w", provider, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("specs: validating %s: %w", provider, err)
	}
	return doc, nil
}
