// Package verify answers an operator's real question about secondary DNS:
// do all my secondaries serve the zone my primary has?
//
// For each zone, a [Verifier] asks the primary for its SOA serial, asks each
// provider's API for its view (state, serial, last transfer, per-primary
// status, through the neutral [facade.SecondaryDNS] interface only), turns
// the provider's nameservers for the zone into addresses, asks each address
// for the SOA serial over DNS, and compares the serials with RFC 1982 serial
// arithmetic (a serial that wrapped past 2^32-1 is newer, not older). The
// outcome is one [Report]: per zone, per provider, per nameserver address a
// [Status] (in sync, behind by N, ahead, backwards, not serving, refused,
// wrong-zone SOA, timeout, unreachable, ...), [Finding]s for what is not a
// single answer (the zone missing at a provider, the API failing or
// disagreeing with DNS, a signed zone at a provider that drops DNSSEC
// signatures), a [Severity] and an exit code for monitoring
// ([Report.ExitCode]). One failure never stops the run.
//
// The package lives above facade and beside the provider adapters, never
// importing one: it works unchanged for any implementation of the neutral
// interface. How names become addresses ([Resolver]) and how a server is
// asked ([Querier]) are options, so tests and unusual networks can replace
// them; by default the system resolver and the module's own DNS client
// (UDP, retried over TCP when truncated) are used.
package verify
