package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/secondarydns/secondarydns-go/facade"
)

// commands lists every subcommand, in the order help shows them.
func commands() []*commandEntry {
	return []*commandEntry{
		{
			name: "list", summary: "list the secondary zones",
			help: `Lists every secondary zone of the account (primary zones are left out),
with its state, primaries, SOA serial and last transfer where the provider
reports them.`,
			run: cmdList, maxArgs: 0,
		},
		{
			name: "get", args: "ZONE", summary: "show one secondary zone",
			help: `Shows a secondary zone: its provider ID, state, primaries, nameservers,
serial and last transfer. A zone that does not exist exits with code 3.`,
			run: cmdGet, minArgs: 1, maxArgs: 1,
		},
		{
			name: "create", args: "ZONE PRIMARY...", summary: "create a secondary zone transferring from your primaries",
			help: `Creates a secondary zone that transfers from the given primaries.
A PRIMARY is an IP address with an optional port: 192.0.2.1, 192.0.2.1:5353,
2001:db8::1 or [2001:db8::1]:5353. The default port is 53.

What happens per provider:
  ionos       a secondary zone holding the primary IPs (ports other than 53
              and TSIG are not supported); provisioning is asynchronous, use
              --wait to wait until the zone is AVAILABLE
  dnsimple    primary servers are reused or created and linked to a new
              secondary zone (TSIG is not supported)
  cloudflare  account peers (and a TSIG key) are reused or created, then a
              zone of type secondary and its incoming transfer configuration

If a step fails, what this command created is removed again.

Examples:
  secdns -p ionos create example.com 192.0.2.1 2001:db8::1 --wait
  SECDNS_TSIG_SECRET=... secdns -p cloudflare create example.com 192.0.2.1 \
      --tsig-name transfer-key --tsig-algorithm hmac-sha256`,
			flags: func(fs *flag.FlagSet, o *cmdOptions) {
				fs.BoolVar(&o.wait, "wait", false, "wait until the provider reports the zone available, showing progress")
				fs.StringVar(&o.description, "description", "", "a note stored with the zone (IONOS)")
				fs.StringVar(&o.tsigName, "tsig-name", "", "authenticate transfers with this TSIG key name (Cloudflare)")
				fs.StringVar(&o.tsigAlgo, "tsig-algorithm", "hmac-sha256", "TSIG algorithm")
				fs.StringVar(&o.tsigSecretEnv, "tsig-secret-env", "SECDNS_TSIG_SECRET", "environment variable holding the base64 TSIG secret (never a flag, so it stays out of shell history)")
			},
			run: cmdCreate, minArgs: 2, maxArgs: -1,
		},
		{
			name: "set-primaries", args: "ZONE PRIMARY...", summary: "replace the primaries of a secondary zone",
			help: `Replaces the zone's primaries with the given list (same PRIMARY syntax as
create). The zone keeps its name and ID.`,
			run: cmdSetPrimaries, minArgs: 2, maxArgs: -1,
		},
		{
			name: "delete", args: "ZONE", summary: "delete a secondary zone",
			help: `Deletes the secondary zone. On DNSimple this goes through the domains API,
as the provider documents. Account-level objects (DNSimple primary servers,
Cloudflare peers and TSIG keys) are kept: other zones may use them.`,
			run: cmdDelete, minArgs: 1, maxArgs: 1,
		},
		{
			name: "transfer", args: "ZONE", summary: "ask the provider to transfer the zone now",
			help: `Triggers a zone transfer from the primaries (IONOS: start zone transfer;
Cloudflare: force AXFR). DNSimple has no such API: it transfers on NOTIFY
from your primary, and this command says so and exits 6 (not supported;
nothing was sent). With several providers (-p all), the others still run.`,
			run: cmdTransfer, minArgs: 1, maxArgs: 1,
		},
		statusCommand(),
		{
			name: "primaries", group: "dnsimple", args: "list | create NAME IP[:PORT] | get ID | delete ID | link ID ZONE | unlink ID ZONE",
			summary: "manage DNSimple primary servers",
			help: `DNSimple keeps primary servers (IP and port) as account objects and links
them to secondary zones. 'create' and 'set-primaries' manage them for you;
this command shows and edits them directly.`,
			run: cmdPrimaries, minArgs: 1, maxArgs: 3,
		},
		{
			name: "peers", group: "cloudflare", args: "list | create NAME IP[:PORT] | get ID | delete ID",
			summary: "manage Cloudflare secondary DNS peers",
			help: `Cloudflare keeps peers (your primaries: IP, port, optional TSIG key) at
account level; a secondary zone's incoming configuration names them.`,
			flags: func(fs *flag.FlagSet, o *cmdOptions) {
				fs.StringVar(&o.tsigID, "tsig-id", "", "with create: the ID of the TSIG key the peer uses")
			},
			run: cmdPeers, minArgs: 1, maxArgs: 3,
		},
		{
			name: "tsig", group: "cloudflare", args: "list | create NAME | get ID | delete ID",
			summary: "manage Cloudflare TSIG keys",
			help: `TSIG keys authenticate zone transfers between your primary and Cloudflare.
The secret is read from the environment variable named by --tsig-secret-env
and never printed.`,
			flags: func(fs *flag.FlagSet, o *cmdOptions) {
				fs.StringVar(&o.tsigAlgo, "tsig-algorithm", "hmac-sha256", "with create: the TSIG algorithm")
				fs.StringVar(&o.tsigSecretEnv, "tsig-secret-env", "SECDNS_TSIG_SECRET", "with create: environment variable holding the base64 secret")
			},
			run: cmdTSIG, minArgs: 1, maxArgs: 2,
		},
		{
			name: "demo", summary: "run the whole lifecycle on all three providers against in-process fakes",
			help: `First the DNS plane: an in-process primary serves example.com, the zone is
created at the three fakes pointing at it, each fake transfers it by AXFR and
serves it on loopback, the serial is compared at the primary, the APIs and
every nameserver, then bumped with NOTIFY and compared again.

Then the lifecycle: starts in-process fakes of IONOS, DNSimple and Cloudflare and, on each,
creates a secondary zone with two primaries, shows it, changes its primaries,
triggers a transfer, shows the transfer status and deletes it, explaining each
step. It uses the same facade clients as every other command; only the base
URL and credentials point at the fakes. No account or network is needed.`,
			run: cmdDemo, maxArgs: 0, noJSON: true,
		},
		verifyCommand(),
		primaryConfigCommand(),
		fleetCommand(),
		fakeCommand(),
		versionCommand(),
	}
}

func findCommand(name string) *commandEntry {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

func parsePrimaries(args []string) ([]facade.Primary, error) {
	ps := make([]facade.Primary, 0, len(args))
	for _, s := range args {
		p, err := facade.ParsePrimary(s)
		if err != nil {
			return nil, usagef("%v", unwrapMessage(err))
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// unwrapMessage gives the reason of a validation error without the
// provider/operation prefix.
func unwrapMessage(err error) string {
	var fe *facade.Error
	if errors.As(err, &fe) && fe.Cause() != nil {
		return fe.Cause().Error()
	}
	return err.Error()
}

func cmdList(ctx context.Context, a *app, _ []string) error {
	return a.eachProvider(ctx, func(ctx context.Context, a *app) error {
		zones, err := facade.Collect(a.neutral.ListZones(ctx))
		if err != nil {
			return err
		}
		return a.printZones(zones)
	})
}

// zoneArg checks a ZONE argument before anything is sent, so that a bad
// name is one usage error, not one per provider.
func zoneArg(s string) (string, error) {
	name, err := facade.NormalizeZoneName(s)
	if err != nil {
		return "", usagef("%v", unwrapMessage(err))
	}
	return name, nil
}

func cmdGet(ctx context.Context, a *app, args []string) error {
	zone, err := zoneArg(args[0])
	if err != nil {
		return err
	}
	return a.eachProvider(ctx, func(ctx context.Context, a *app) error {
		z, err := a.neutral.GetZone(ctx, zone)
		if err != nil {
			return err
		}
		return a.printZone(z)
	})
}

func cmdCreate(ctx context.Context, a *app, args []string) error {
	zone, err := zoneArg(args[0])
	if err != nil {
		return err
	}
	ps, err := parsePrimaries(args[1:])
	if err != nil {
		return err
	}
	var opts []facade.CreateOption
	if a.o.description != "" {
		opts = append(opts, facade.WithDescription(a.o.description))
	}
	if a.o.tsigName != "" {
		secret := a.getenv(a.o.tsigSecretEnv)
		if secret == "" {
			return usagef("--tsig-name needs the secret in $%s", a.o.tsigSecretEnv)
		}
		opts = append(opts, facade.WithTSIG(facade.TSIG{Name: a.o.tsigName, Algorithm: a.o.tsigAlgo, Secret: facade.Secret(secret)}))
	}
	return a.eachProvider(ctx, func(ctx context.Context, a *app) error {
		z, err := a.neutral.CreateZone(ctx, zone, ps, opts...)
		if err != nil {
			return err
		}
		if a.o.wait {
			if z, err = a.waitAvailable(ctx, z, a.stderr, a.progress); err != nil {
				return err
			}
		}
		return a.printZone(z)
	})
}

// waitAvailable polls the zone until the provider stops reporting it as
// being provisioned, printing progress lines to w with the given indent.
func (a *app) waitAvailable(ctx context.Context, z facade.Zone, w io.Writer, indent string) (facade.Zone, error) {
	start := time.Now()
	polls := 0
	err := facade.Poll(ctx, 200*time.Millisecond, 5*time.Second, func(ctx context.Context) (bool, error) {
		if polls > 0 {
			var err error
			if z, err = a.neutral.GetZone(ctx, z.Name); err != nil {
				return false, err
			}
		}
		switch z.State {
		case "provisioning", "initializing":
			fmt.Fprintf(w, "%swaiting for %s: %s (%s)\n", indent, z.Name, z.State, time.Since(start).Round(time.Millisecond))
			polls++
			return false, nil
		case "failed":
			return false, fmt.Errorf("%s: provisioning of %s failed", cmp.Or(a.name, a.g.provider), z.Name)
		}
		if polls > 0 {
			fmt.Fprintf(w, "%s%s is %s after %s\n", indent, z.Name, stateOr(z.State, "ready"), time.Since(start).Round(time.Millisecond))
		}
		return true, nil
	})
	if err != nil && ctx.Err() != nil {
		return z, fmt.Errorf("waiting for %s: %w", z.Name, err)
	}
	return z, err
}

func stateOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func cmdSetPrimaries(ctx context.Context, a *app, args []string) error {
	zone, err := zoneArg(args[0])
	if err != nil {
		return err
	}
	ps, err := parsePrimaries(args[1:])
	if err != nil {
		return err
	}
	return a.eachProvider(ctx, func(ctx context.Context, a *app) error {
		z, err := a.neutral.SetPrimaries(ctx, zone, ps)
		if err != nil {
			return err
		}
		return a.printZone(z)
	})
}

func cmdDelete(ctx context.Context, a *app, args []string) error {
	zone, err := zoneArg(args[0])
	if err != nil {
		return err
	}
	return a.eachProvider(ctx, func(ctx context.Context, a *app) error {
		if err := a.neutral.DeleteZone(ctx, zone); err != nil {
			return err
		}
		return a.printResult(map[string]any{"zone": zone, "deleted": true}, "deleted %s\n", zone)
	})
}

func cmdTransfer(ctx context.Context, a *app, args []string) error {
	zone, err := zoneArg(args[0])
	if err != nil {
		return err
	}
	return a.eachProvider(ctx, func(ctx context.Context, a *app) error {
		if err := a.neutral.Transfer(ctx, zone); err != nil {
			return err
		}
		return a.printResult(map[string]any{"zone": zone, "transfer_requested": true}, "transfer of %s requested\n", zone)
	})
}

func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("invalid ID %q: a positive number is expected", s)
	}
	return id, nil
}
