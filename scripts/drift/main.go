// Command drift checks whether the upstream OpenAPI documents that
// secondarydns-go is generated from have changed since they were vendored,
// and whether the changes touch the operations the SDK uses.
//
// It lives in its own module (scripts/drift/go.mod) so that its dependencies,
// oasdiff above all, never reach the modules that import the library.
//
// # Usage
//
// From the repository root, `make drift` runs
//
//	cd scripts/drift && go run . -root ../..
//
// and `make drift-update` adds --update. The full synopsis:
//
//	go run . [flags] [provider ...]
//
//	-root DIR            repository root (default "../..")
//	-sources FILE        sources file, relative to the root (default "specs/sources.json")
//	-json                print the report as JSON on stdout instead of text
//	-markdown FILE       also write the report as Markdown to FILE (for an
//	                     issue or a pull request description)
//	-upstream NAME=SRC   fetch provider NAME's upstream from SRC instead of the
//	                     URL in the sources file; SRC is an http(s) URL, a
//	                     file:// URL or a local path, relative to the current
//	                     directory (scripts/drift under make) (repeatable)
//	-timeout D           overall time limit for fetching and checking (default 2m)
//	-max-bytes N         largest upstream document accepted (default 64 MiB)
//	-update              re-vendor every provider whose upstream changed, update
//	                     specs/sources.json, then run `go generate ./...` at the root
//	-no-generate         with -update, skip `go generate ./...`
//
// Without provider names every provider in the sources file is checked. The
// environment variable SECONDARYDNS_DRIFT_<PROVIDER>_URL (e.g.
// SECONDARYDNS_DRIFT_CLOUDFLARE_URL) overrides one provider's source like
// -upstream does; the flag wins over the variable.
//
// # What is compared
//
// For each provider the upstream document is fetched (with a time limit and a
// size cap) and its sha256 compared with the one recorded for the vendored
// file. When they differ, both the vendored and the upstream file are
// prepared exactly as `go generate` prepares them (package specprep: IONOS
// page assembly, selection of the used operations and the components they
// reference, the provider's overlay, OpenAPI 3.1 to 3.0, validation), and the
// two prepared documents are compared with oasdiff. Each change oasdiff finds
// is classified for the generated client and the facade:
//
//   - breaking: oasdiff level ERR or WARN, and also every change that removes
//     or changes a generated Go identifier even when the API itself stays
//     compatible (an optional response property, an enum value or an error
//     response removed, a deprecated operation removed, ...);
//   - non-breaking: oasdiff level INFO (additions of optional things), and new
//     enum values in responses, which the generated string types carry through.
//
// The tool adds three findings of its own: a used operation whose path
// template changed only in its parameter names (breaking: specs/sources.json
// and any overlay action naming the path must follow), a used operation found
// upstream under another path by its upstream operation ID (breaking), and an
// overlay that no longer applies to the upstream document (breaking; the
// remaining changes are then listed from both documents prepared without the
// overlay). A prepared document that changed only in descriptions or examples
// is a non-breaking change.
//
// Operations the SDK does not use are summarised in one line, computed from
// the full upstream documents: paths and operations added, removed or changed
// outside the selection. A new method on a path the SDK uses is outside the
// selection until it is listed in specs/sources.json.
//
// # Reports
//
// The text report has one headline per provider ("cloudflare: could not
// check: <reason>", "ionos: no drift ...", "dnsimple: BREAKING drift in used
// operations ..."), then one line per change in a used operation (BREAKING or
// non-breaking, method, path, SDK operation ID, check ID, text), then the
// one-line summary of changes outside the used operations, and a last line
// with the overall result and exit code.
//
// -json prints the same as one object: result, exit_code, summary,
// update_error, and providers[], each with name, status (no-drift,
// outside-only, non-breaking, breaking, could-not-check), source,
// vendored_sha256, upstream_sha256, error, changes[] (id, oasdiff_level,
// breaking, method, path, operation, text), outside (paths_added,
// paths_removed, operations_added, operations_removed, operations_changed)
// and updated.
//
// # Exit codes
//
//	0  no drift: every upstream is unchanged, or changed only outside the
//	   operations the SDK uses (reported with the one-line summary)
//	1  non-breaking drift in a used operation
//	2  breaking drift in a used operation
//	3  could not check (upstream unreachable, unreadable, too large, ...);
//	   one line per provider says why
//	4  -update failed (writing files or `go generate ./...`)
//	64 usage error
//
// With several providers the most urgent result wins: 2, then 1, then 3,
// then 0. A failed -update gives 4 whatever the drift; a successful one
// exits with the drift's code. `go run` and make both flatten exit codes
// (to 1 and 2), so scripts that need the code read exit_code from -json, or
// build the command and run the binary.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
