// Package dnswire is the project's one wrapper around a DNS protocol library
// (github.com/miekg/dns v1; docs/DNS.md says why). No other package imports
// the library: switching libraries touches this package only.
//
// The client side is three calls, each governed by its context (a default
// bound applies only when the context has no deadline):
//
//   - [QuerySOA] asks one server for a zone's SOA over UDP, retries over TCP
//     when the answer is truncated, and checks the answer's owner name,
//     class, type and rcode.
//   - [Transfer] pulls a zone by AXFR over TCP, optionally signed with TSIG,
//     and checks that the transfer starts and ends with the zone's SOA.
//   - [Notify] sends a NOTIFY and checks the answer.
//
// Failures are [*Error] values that match sentinels with errors.Is:
// [ErrRefused], [ErrNotAuth], [ErrServFail], [ErrNXDomain], [ErrRcode],
// [ErrTSIG], [ErrTimeout], [ErrUnreachable], [ErrBadAnswer] and
// [ErrInvalidInput].
//
// The server side, [Server], serves a set of [Zone]s on UDP and TCP on one
// port, answers AXFR (optionally requiring TSIG, always limited to an ACL of
// source prefixes), reports NOTIFY messages to a callback, and can inject
// faults per zone for tests ([Fault]).
//
// Addresses are "ip:port" strings ([netip.ParseAddrPort]); this package never
// resolves names. TSIG secrets never appear in errors or logs.
package dnswire
