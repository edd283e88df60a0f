// Package soak holds the fault soak of the secondarydns-go facade: many
// concurrent zone lifecycles (create, get, set primaries, transfer, transfer
// status, delete) through the three adapters against the in-process fakes
// of test/fakes with every kind of fault injected (429 with Retry-After,
// 503 bursts, 502 HTML pages, connections dropped before and after the
// request was processed, latency jitter).
//
// Afterwards the fakes' state must agree with what the callers were told:
//
//   - a zone whose creation was reported successful exists exactly once,
//     with the primaries last reported (by CreateZone or SetPrimaries);
//   - no zone name exists twice (a retried POST never duplicates a zone);
//   - a zone whose deletion was reported successful (or answered "not
//     found") is gone, and one whose deletion definitely failed is still
//     there;
//   - calls that failed with an ambiguous outcome (a transport error, a 5xx
//     or an unusable response: the request may have taken effect) leave
//     their zone either way, but never duplicated; they are counted apart;
//   - the fakes saw no request that violates the provider's API
//     specification.
//
// The soak runs with `go test`, unless -short is given, for
// -soak.duration (default 5s, so that `go test ./...` stays fast); `make
// soak` runs it longer:
//
//	go test -race -count=1 -run TestSoak -v ./test/soak -soak.duration=45s
//
// Bugs the soak found have deterministic regression tests in repro_test.go:
// a DNSimple CreateZone rollback that deleted primary servers concurrent
// calls had reused, and a data race in the DNSimple fake.
//
// It prints its figures (operations by kind and outcome, faults injected by
// kind, retries, duration) with t.Logf and, with -v, as a table on stdout.
// Everything stays on the loopback interface.
package soak
