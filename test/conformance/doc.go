// Package conformance is a provider-neutral conformance suite for
// implementations of [facade.SecondaryDNS], in the style of libdns's
// conformance tests: [Run] exercises an implementation through the neutral
// interface only and fails where it breaks the contract documented on
// [facade.SecondaryDNS] and its types.
//
// The contract it enforces:
//
//   - Lifecycle: CreateZone returns the zone with Provider set, a non-empty
//     ID, the normalised name and the requested primaries (each in effective
//     form, with its port; a valid Readiness); GetZone, ListZones
//     (exactly once), SetPrimaries (returning the updated zone) and GetZone
//     again agree; Transfer is accepted (or, where the provider has no
//     trigger, fails with facade.ErrUnsupported without a request);
//     TransferStatus names the zone and reports per-primary status only for
//     the zone's current primaries; DeleteZone removes the zone from GetZone
//     (ErrNotFound) and ListZones, and a second DeleteZone is ErrNotFound.
//   - Names: names are normalised ("Example.COM." is "example.com"; an IDN
//     becomes its A-label form) on input and output; invalid names, and names
//     IDNA mapping would change beyond case, the trailing dot and A-label
//     conversion ("ex\u200bample.com"), fail with ErrInvalidInput before any
//     request is sent, for every method, and an existing example.com is
//     left alone.
//   - Primaries: an empty list, invalid addresses, addresses no hosted
//     provider can transfer from (loopback, private and shared ranges,
//     broadcast, reserved, multicast, link-local; see
//     facade.CheckPrimaryAddr) and duplicates (by address and effective
//     port) fail with ErrInvalidInput before any request; port
//     53 may always be given explicitly; another port works where the
//     provider supports ports and fails with ErrInvalidInput and
//     errors.ErrUnsupported, before any request, where it does not. Primaries
//     are compared as sets of address and [facade.Primary.PortOrDefault].
//   - TSIG: [facade.WithTSIG] works where supported (the zone reports the key
//     name) and fails with ErrUnsupported and errors.ErrUnsupported before
//     any request where not.
//   - Conflicts: creating an existing zone (under any spelling of its name)
//     fails with ErrConflict and leaves the first zone unchanged.
//   - Not found: GetZone, SetPrimaries, DeleteZone, Transfer (where
//     supported) and TransferStatus of an absent zone fail with ErrNotFound,
//     also when a zone whose name contains the absent name exists and, where
//     the backend has them, when a primary (non-secondary) zone of that name
//     exists (which DeleteZone must not delete and CreateZone must report
//     as ErrConflict).
//   - Errors: every error is a *facade.Error whose Provider is the client's
//     provider and whose Operation is the method name.
//   - Pagination: with more than two pages' worth of zones (see
//     [Provider.PageSize]), ListZones yields every
//     zone exactly once, a sequence may be ranged over twice, and breaking
//     out of the loop stops all requests.
//   - Cancellation: a cancelled context, before or during a request or a
//     retry wait, yields an error matching context.Canceled (a deadline
//     context.DeadlineExceeded) promptly.
//   - Faults: with the backend answering some requests 429 (Retry-After 0)
//     and some with bursts of 503, the lifecycle completes. Non-idempotent
//     requests (POST) are not retried on 503 by design, so the suite retries
//     such calls itself, but only on ErrServer, and a failed CreateZone must
//     have left nothing behind (no zone, so the retry is not a conflict).
//     In the end there are no duplicate zones.
//   - Persistent failure: with every request answered 503, every method
//     fails with ErrServer (StatusCode 503, Provider and Operation set) and
//     ListZones yields exactly one error, with a zero Zone, and stops.
//   - Rollback: a CreateZone cancelled while its k-th request is at the
//     server (for every k up to the number of requests it needs; the server
//     either drops that request or processes it, and holds the clean-up's
//     requests until it has; driven by the Intercept hook, not by timing)
//     fails with context.Canceled and leaves neither the zone nor, where the
//     backend can count them, auxiliary objects (primary servers, peers, TSIG
//     keys) behind; so does a CreateZone that failed with ErrServer. When the
//     backend processes a CreateZone request but the response is lost (the
//     connection drops), the failed CreateZone must leave either nothing
//     (no zone, no new auxiliary objects) or the complete zone, never a
//     half-created one.
//   - Options: [facade.WithWaitUntilAvailable] and [facade.WithDescription]
//     (and a nil option) are accepted everywhere.
//   - Concurrency: parallel CreateZone calls for distinct zones all succeed;
//     parallel calls for the same zone yield exactly one success and
//     ErrConflict for the rest, and the winner's zone keeps all its
//     primaries.
//   - Capabilities: Capabilities() matches the Provider's Supports* flags,
//     and everything it says false fails with facade.ErrUnsupported (not
//     ErrInvalidInput) before any request.
//
// [RunEqual] checks the model across providers: the same zone created with
// the same primaries on each reads back as the same [Projection] (name,
// primaries with effective ports, readiness, TSIG key), also after
// SetPrimaries.
//
// An implementation under test is described by a [Provider]: the client,
// its [Capabilities] and optional [Backend] hooks into the server it talks
// to (request counters, seeding, fault injection). Checks that need a hook
// the Provider does not offer are skipped. Each check runs in its own
// parallel subtest with a fresh Provider from the factory given to [Run].
package conformance
