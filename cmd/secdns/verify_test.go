package main

import (
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/secondarydns/secondarydns-go/facade/verify"
	"github.com/secondarydns/secondarydns-go/internal/dnswire"
	"github.com/secondarydns/secondarydns-go/internal/primary"
)

// verifyDNS is a primary and two nameservers on loopback serving zone.
type verifyDNS struct {
	primary, ns1, ns2 *dnswire.Server
}

func startVerifyDNS(t *testing.T, zone string, serial uint32) *verifyDNS {
	t.Helper()
	d := &verifyDNS{}
	for _, s := range []**dnswire.Server{&d.primary, &d.ns1, &d.ns2} {
		srv, err := dnswire.Listen(t.Context())
		require.NoError(t, err)
		t.Cleanup(func() { _ = srv.Close() })
		*s = srv
		serveSerial(t, srv, zone, serial)
	}
	return d
}

func serveSerial(t *testing.T, s *dnswire.Server, zone string, serial uint32) {
	t.Helper()
	z, err := dnswire.ParseZone(zone, primary.ExampleZone(zone, serial))
	require.NoError(t, err)
	s.SetZone(z)
}

// nameserverFlags maps the names each fake reports (or, for DNSimple, the
// names given with --nameservers) to the two loopback nameservers.
func (d *verifyDNS) nameserverFlags(provider string) []string {
	a, b := d.ns1.Addr(), d.ns2.Addr()
	switch provider {
	case "ionos":
		return []string{"--resolve", "nscs.ui-dns.com=" + a, "--resolve", "nscs.ui-dns.de=" + b,
			"--resolve", "nscs.ui-dns.org=" + a, "--resolve", "nscs.ui-dns.biz=" + b}
	case "cloudflare":
		return []string{"--resolve", "ada.ns.cloudflare.com=" + a, "--resolve", "bob.ns.cloudflare.com=" + b}
	}
	return []string{"--nameservers", "dnsimple=ns1.test," + b, "--resolve", "ns1.test=" + a}
}

func TestVerifyCommand(t *testing.T) {
	t.Parallel()
	for _, tg := range startTargets(t) {
		t.Run(tg.provider, func(t *testing.T) {
			t.Parallel()
			const zone = "example.com"
			r := secdns(t, tg.env, baseURLFlag(tg), "create", zone, "192.0.2.1")
			require.Equal(t, 0, r.code, r.stderr)
			// Serve the serial the provider's API reports (the fakes
			// simulate one where they report it), so that API and DNS agree.
			r = secdns(t, tg.env, baseURLFlag(tg), "--json", "status", zone)
			require.Equal(t, 0, r.code, r.stderr)
			var st statusJSON
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &st))
			serial := uint32(2024120101)
			require.Len(t, st.Providers, 1)
			if s := st.Providers[0].Serial; s != nil && *s != 0 {
				serial = *s
			}
			d := startVerifyDNS(t, zone, serial)
			base := append([]string{baseURLFlag(tg), "verify", "--primary", d.primary.Addr(), "--query-timeout", "2s"}, d.nameserverFlags(tg.provider)...)
			state := filepath.Join(t.TempDir(), "state.json")

			r = secdns(t, tg.env, append(base, "--state", state, zone)...)
			require.Equal(t, verify.ExitInSync, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
			assert.Regexp(t, `(?m)^ZONE\s+PROVIDER\s+SERVER\s+SERIAL\s+STATUS`, r.stdout)
			assert.Contains(t, r.stdout, "in-sync")
			assert.Contains(t, r.stdout, "1 zone(s): 1 in sync")
			_, err := os.Stat(state)
			require.NoError(t, err, "--state written")

			r = secdns(t, tg.env, append(base, "--nagios", zone)...)
			require.Equal(t, verify.ExitInSync, r.code, r.stderr)
			assert.Regexp(t, `^SECDNS OK - 1 zone\(s\): 1 in sync, .* \| zones=1 ok=1 warning=0 behind=0 broken=0 queries=\d+ duration=`, r.stdout)

			// One nameserver behind: WARNING.
			serveSerial(t, d.ns2, zone, serial-1)
			r = secdns(t, tg.env, append(base, "--json", zone)...)
			require.Equal(t, verify.ExitBehind, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
			var rep verify.Report
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
			require.Len(t, rep.Zones, 1)
			assert.Equal(t, verify.Behind, rep.Severity)
			assert.Equal(t, serial, rep.Zones[0].Primary.Serial)
			behind := 0
			for _, ns := range rep.Zones[0].Providers[0].Nameservers {
				if ns.Status == verify.StatusBehind {
					behind++
					assert.Equal(t, uint32(1), ns.Behind)
					assert.Equal(t, d.ns2.Addr(), ns.Addr.String())
				}
			}
			assert.Positive(t, behind)
			assert.Contains(t, r.stderr, "1 zone(s) behind")

			// The nameserver goes further back than the state file says
			// it served: broken, CRITICAL.
			r = secdns(t, tg.env, append(base, "--state", state, zone)...)
			require.Equal(t, verify.ExitBroken, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
			assert.Contains(t, r.stdout, "backwards by 1")

			// A refusing nameserver: broken, with the rcode shown.
			d.ns1.SetFault(zone, dnswire.FaultRefuse)
			r = secdns(t, tg.env, append(base, "--problems", zone)...)
			require.Equal(t, verify.ExitBroken, r.code, r.stdout)
			assert.Contains(t, r.stdout, "refused")
			assert.Contains(t, r.stdout, "REFUSED")
		})
	}
}

func TestVerifyCommandZoneMissingAndUsage(t *testing.T) {
	t.Parallel()
	tg := startTargets(t)[2] // cloudflare
	d := startVerifyDNS(t, "example.org", 1)
	base := append([]string{baseURLFlag(tg), "verify", "--primary", d.primary.Addr()}, d.nameserverFlags(tg.provider)...)

	r := secdns(t, tg.env, append(base, "example.org")...)
	assert.Equal(t, verify.ExitBroken, r.code, r.stdout)
	assert.Contains(t, r.stdout, "zone-missing")

	r = secdns(t, tg.env, append(base, "--state", filepath.Join(t.TempDir(), "s.json"))...)
	assert.Equal(t, exitUsage, r.code, "no zones at the provider and none named: %s", r.stderr)
	assert.Contains(t, r.stderr, "no zones to verify")

	unreachable := netip.MustParseAddrPort(d.primary.Addr())
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"no primary", []string{baseURLFlag(tg), "verify", "example.org"}, "--primary is required"},
		{"bad primary", []string{baseURLFlag(tg), "verify", "--primary", "ns1.example", "example.org"}, "--primary"},
		{"bad resolve", []string{baseURLFlag(tg), "verify", "--primary", unreachable.String(), "--resolve", "ns1", "example.org"}, "NAME=IP"},
		{"bad nameservers", []string{baseURLFlag(tg), "verify", "--primary", unreachable.String(), "--nameservers", "foo=ns1", "example.org"}, "PROVIDER=NAME"},
		{"bad concurrency", []string{baseURLFlag(tg), "verify", "--primary", unreachable.String(), "--concurrency", "0", "example.org"}, "concurrency"},
		{"unknown provider", []string{"verify", "--providers", "ionos,acme", "--primary", unreachable.String(), "example.org"}, "acme"},
		{"bad zone", []string{baseURLFlag(tg), "verify", "--primary", unreachable.String(), "exa mple.org"}, "exa mple.org"},
		{"several providers with one base URL", []string{baseURLFlag(tg), "verify", "--providers", "all", "--primary", unreachable.String(), "example.org"}, "one provider"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			before := tg.requests()
			r := secdns(t, tg.env, tt.args...)
			assert.Equal(t, exitUsage, r.code, r.stderr)
			assert.Contains(t, r.stderr, tt.msg)
			assert.Equal(t, before, tg.requests(), "no request sent")
		})
	}
}

func TestVerifyCommandFake(t *testing.T) {
	t.Parallel()
	r := secdns(t, nil, "verify", "--fake", "--providers", "all", "--json", "example.com", "example.org")
	require.Equal(t, verify.ExitInSync, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	var rep verify.Report
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	require.Len(t, rep.Zones, 2)
	for _, z := range rep.Zones {
		assert.Equal(t, verify.StatusAnswered, z.Primary.Status)
		require.Len(t, z.Providers, 3)
		for _, p := range z.Providers {
			assert.Empty(t, p.Findings, p.Provider)
			require.NotEmpty(t, p.Nameservers, p.Provider)
			for _, ns := range p.Nameservers {
				assert.Equal(t, verify.StatusInSync, ns.Status, "%s %s: %s", p.Provider, ns.Name, ns.Error)
				assert.Equal(t, z.Primary.Serial, ns.Serial)
			}
		}
	}

	r = secdns(t, nil, "verify", "--fake", "-p", "ionos", "--primary", "192.0.2.1")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "--primary does not go with --fake")
}
