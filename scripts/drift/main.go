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
//	-timeout D           overall time limit for fetching, checking and the
//	                     scratch builds (default 15m)
//	-max-bytes N         largest upstream document accepted (default 64 MiB)
//	-scratch=false       skip the scratch regeneration and build; the classes
//	                     for us are then predicted from rules (marked "?")
//	-update              re-vendor every provider whose upstream changed, update
//	                     specs/sources.json (sha256, format, renamed paths) and
//	                     the overlay (renamed paths, dead actions dropped), then
//	                     run `go generate ./...` at the root
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
// size cap), in JSON or YAML whatever the vendored format, and its sha256
// compared with the one recorded for the vendored file. When they differ,
// both are prepared exactly as `go generate` prepares them (package
// specprep), with the overlay fitted to upstream: renamed paths followed,
// actions that match nothing reported and left out. Both prepared documents
// are normalised (references resolved, allOf of objects merged, renamed path
// parameters mapped back) and compared with oasdiff, so renamed schemas of
// the same shape report nothing and a change in a shared component is one
// line per operation it reaches.
//
// Each change carries two views. Wire: oasdiff's rating for any client
// (breaking, non-breaking, or none for overlay and format findings). Ours:
// the tool regenerates the client from upstream in a scratch copy of the
// repository and runs go build, go vet and the contract tests there; a change
// a failure is attributed to is breaking-for-us, one that only needs
// regeneration or overlay/sources.json edits is maintenance, one that changes
// no generated code of its operation is no-action. docs/DRIFT.md explains the
// attribution and its limits.
//
// Operations the SDK does not use are summarised in one line, computed from
// the full upstream documents: paths and operations added, removed or changed
// outside the selection.
//
// # Reports
//
// The text report has one headline per provider with its counts per class,
// the changes grouped by operation (one line each, at most 200 characters),
// the one-line outside summary, and a last line with the overall result and
// exit code. -json prints every field; -markdown starts with a summary table
// and folds the long tail.
//
// # Exit codes
//
//	0  no drift, or nothing we use changed (no action)
//	1  maintenance: regenerate, edit the overlay or sources file
//	2  breaking for us: our code or the contract tests fail against the
//	   regenerated client (or are predicted to, with -scratch=false)
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
