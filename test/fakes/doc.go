// Package fakes provides stateful, in-memory fakes of the three secondary
// DNS APIs this module speaks: IONOS Cloud DNS ([NewIONOS]), DNSimple
// ([NewDNSimple]) and Cloudflare ([NewCloudflare]). Each runs a loopback
// HTTP server implementing every operation of specs/sources.json with the
// provider's real semantics: IDs in the provider's format, timestamps from an
// injectable clock, pagination, filters and sorting, and errors in the
// provider's own shape and status. They are the reference implementation the
// module's tests, its conformance suite and the secdns CLI's --fake, demo and
// `fake serve` all run against.
//
// Every request is validated against the provider's prepared OpenAPI
// document (package test/spectest, with kin-openapi) after the bearer token
// is checked: a missing or wrong token gets 401, an invalid request gets 400
// (404 if no operation matches) in the provider's shape and is recorded, see
// [Server.InvalidRequests]. With [WithValidateResponses] the fake also
// validates its own answers ([Server.InvalidResponses]).
//
// # In a program
//
// The fakes need no *testing.T and link neither testing nor
// net/http/httptest: any program can run one. Start it with a New*
// constructor, give a client its [Server.URL] and [Server.Token] (and, for
// DNSimple and Cloudflare, its AccountID), and Close it when done:
//
//	f := fakes.NewIONOS()
//	defer f.Close()
//	c, err := ionos.New(f.Token(), facade.WithBaseURL(f.URL()))
//
// A fake listens on a free loopback port unless [WithListener] hands it a
// listener (a fixed address, as `secdns fake serve` uses). Its state lives
// in memory for as long as it runs. See docs/FAKES.md for the CLI side.
//
// # In a test
//
// Prefer the Start* helpers ([StartIONOS], [StartDNSimple],
// [StartCloudflare]): they validate responses, close the server at cleanup
// and fail the test on any recorded invalid traffic. They take a [TB], which
// *testing.T satisfies:
//
//	f := fakes.StartIONOS(t)
//	c, _ := ionosapi.NewClientWithResponses(f.URL(), ionosapi.WithRequestEditorFn(
//		func(_ context.Context, r *http.Request) error {
//			r.Header.Set("Authorization", "Bearer "+f.Token())
//			return nil
//		}))
//
// # Faults, hooks and the DNS side
//
// Faults (rate limiting, 502/503 bursts, dropped connections before or
// after processing, latency) are off by default and configured with
// [WithFaults] or [Server.SetFaults]; they are deterministic for a given
// seed and request order. [Server.Stats] counts requests and faults.
// [Server.SetHook] intercepts requests at a precise point of a multi-request
// operation. [Server.DNS] starts the fake's DNS side, a real secondary that
// transfers zones from loopback primaries and serves them.
//
// All methods are safe for concurrent use; state inspection methods return
// copies.
package fakes
