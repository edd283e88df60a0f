// Package primaryconf tells an operator's own primary name server what the
// secondary DNS providers need from it: the addresses their zone transfers
// come from (to allow), the addresses to send NOTIFY to, and the TSIG key
// where one is used, rendered as configuration for BIND, Knot, NSD or
// PowerDNS.
//
// The facts come from a registry embedded in the library
// (registry.json, one reviewed file): per provider, the transfer source
// addresses, NOTIFY targets, ports, whether TSIG is supported and whether
// DNSSEC signatures are carried, each with the documentation page it was
// checked against, the day it was checked, and an optional validity window
// (from/until) so that a published change of addresses is data. Entries are
// selected for a given day; [Registry.CheckFresh] fails when a fact has not
// been re-checked for too long. A fact the documentation does not state
// (IONOS's transfer sources) is recorded as unknown and makes a
// configuration incomplete ([ErrIncomplete]) rather than guessed.
//
// The package speaks only the neutral facade types; it knows providers by
// name, through the registry, never through their API packages.
//
//	reg, _ := primaryconf.Default()
//	c, err := reg.Build(primaryconf.Request{Providers: []string{"cloudflare", "dnsimple"}, Zones: []string{"example.com"}, Date: time.Now()})
//	...
//	out, err := c.Render(primaryconf.Knot)
//
// [Registry.Needs] answers, for one provider and day, which addresses the
// primary must allow and notify and whether the registry entry is stale;
// verify uses it to explain transfer failures.
package primaryconf
