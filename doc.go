// Package secondarydns is the root of secondarydns-go, a Go SDK for running
// secondary DNS zones on IONOS Cloud DNS, DNSimple and Cloudflare from one
// primary nameserver.
//
// The module is laid out in two visibly separate halves:
//
//   - gen/ holds the low-level clients that oapi-codegen generates from the
//     prepared OpenAPI documents in specs/ (gen/ionosapi, gen/dnsimpleapi,
//     gen/cloudflareapi). Nothing in gen/ is written by hand.
//   - facade/ holds the hand-written layer users import: one client per
//     provider and one provider-neutral API for the secondary-zone lifecycle.
//
// This package itself holds no code: it carries the `//go:generate`
// directives (generate.go) that rebuild specs/*/prepared.json and gen/ from
// the vendored upstream files, and the tool pin (tools.go).
package secondarydns
