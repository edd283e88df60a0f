// Package fakes provides stateful, in-memory fakes of the three secondary
// DNS APIs this module speaks: IONOS Cloud DNS ([NewIONOS]), DNSimple
// ([NewDNSimple]) and Cloudflare ([NewCloudflare]). Each runs a loopback
// httptest server implementing every operation of specs/sources.json with
// the provider's real semantics: IDs in the provider's format, timestamps
// from an injectable clock, pagination, filters and sorting, and errors in
// the provider's own shape and status.
//
// Every request is validated against the provider's prepared OpenAPI
// document (package test/spectest) after the bearer token is checked: a
// missing or wrong token gets 401, an invalid request gets 400 (404 if no
// operation matches) in the provider's shape and is recorded, see
// [Server.InvalidRequests]. With [WithValidateResponses] the fake also
// validates its own answers ([Server.InvalidResponses]).
//
// Faults (rate limiting, 502/503 bursts, dropped connections before or
// after processing, latency) are off by default and configured with
// [WithFaults] or [Server.SetFaults]; they are deterministic for a given
// seed and request order. [Server.Stats] counts requests and faults.
//
// In tests, prefer the Start* helpers: they validate responses, close the
// server at cleanup and fail the test on any recorded invalid traffic:
//
//	f := fakes.StartIONOS(t)
//	c, _ := ionosapi.NewClientWithResponses(f.URL(), ionosapi.WithRequestEditorFn(
//		func(_ context.Context, r *http.Request) error {
//			r.Header.Set("Authorization", "Bearer "+f.Token())
//			return nil
//		}))
//
// Outside tests (the CLI's --fake mode), use the New* constructors and
// Close. All methods are safe for concurrent use; state inspection methods
// return copies.
package fakes
