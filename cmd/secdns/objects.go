package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/secondarydns/secondarydns-go/facade"
	"github.com/secondarydns/secondarydns-go/facade/cloudflare"
	"github.com/secondarydns/secondarydns-go/facade/dnsimple"
)

// subcommand splits "verb args..." and checks the argument count.
func subcommand(args []string, counts map[string]int) (string, []string, error) {
	verb, rest := args[0], args[1:]
	n, ok := counts[verb]
	if !ok {
		return "", nil, usagef("unknown action %q: use one of %s", verb, strings.Join(slices.Sorted(maps.Keys(counts)), ", "))
	}
	if len(rest) != n {
		return "", nil, usagef("%s takes %d argument(s), got %d", verb, n, len(rest))
	}
	return verb, rest, nil
}

// primaryServerJSON is a DNSimple primary server as printed with --json.
type primaryServerJSON struct {
	ID          int64    `json:"id"`
	Name        string   `json:"name"`
	IP          string   `json:"ip"`
	Port        uint16   `json:"port"`
	LinkedZones []string `json:"linked_secondary_zones"`
}

func toPrimaryServerJSON(p dnsimple.PrimaryServer) primaryServerJSON {
	return primaryServerJSON{ID: p.ID, Name: p.Name, IP: p.IP.String(), Port: p.Port, LinkedZones: append([]string{}, p.LinkedSecondaryZones...)}
}

func cmdPrimaries(ctx context.Context, a *app, args []string) error {
	verb, rest, err := subcommand(args, map[string]int{"list": 0, "create": 2, "get": 1, "delete": 1, "link": 2, "unlink": 2})
	if err != nil {
		return err
	}
	if err := a.needProvider(facade.ProviderDNSimple); err != nil {
		return err
	}
	var id int64
	if verb != "list" && verb != "create" {
		if id, err = parseID(rest[0]); err != nil {
			return err
		}
	}
	var in dnsimple.PrimaryServerInput
	if verb == "create" {
		p, err := facade.ParsePrimary(rest[1])
		if err != nil {
			return usagef("%v", unwrapMessage(err))
		}
		in = dnsimple.PrimaryServerInput{Name: rest[0], IP: p.Addr, Port: p.PortOrDefault()}
	}
	if err := a.connect(ctx); err != nil {
		return err
	}
	var one dnsimple.PrimaryServer
	switch verb {
	case "list":
		all, err := facade.Collect(a.dns.ListPrimaryServers(ctx, dnsimple.ListOptions{}))
		if err != nil {
			return err
		}
		return a.printPrimaryServers(all)
	case "create":
		one, err = a.dns.CreatePrimaryServer(ctx, in)
	case "get":
		one, err = a.dns.GetPrimaryServer(ctx, id)
	case "delete":
		if err := a.dns.DeletePrimaryServer(ctx, id); err != nil {
			return err
		}
		return a.printResult(map[string]any{"id": id, "deleted": true}, "deleted primary server %d\n", id)
	case "link":
		one, err = a.dns.LinkPrimaryServer(ctx, id, rest[1])
	case "unlink":
		one, err = a.dns.UnlinkPrimaryServer(ctx, id, rest[1])
	}
	if err != nil {
		return err
	}
	return a.printPrimaryServers([]dnsimple.PrimaryServer{one})
}

func (a *app) printPrimaryServers(ps []dnsimple.PrimaryServer) error {
	if a.g.json {
		out := make([]primaryServerJSON, 0, len(ps))
		for _, p := range ps {
			out = append(out, toPrimaryServerJSON(p))
		}
		return a.printJSON(out)
	}
	tw := a.table()
	fmt.Fprintln(tw, "ID\tNAME\tIP\tPORT\tLINKED ZONES")
	for _, p := range ps {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\n", p.ID, p.Name, p.IP, p.Port, dash(strings.Join(p.LinkedSecondaryZones, ",")))
	}
	return tw.Flush()
}

// peerJSON is a Cloudflare peer as printed with --json.
type peerJSON struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	IP     string `json:"ip,omitempty"`
	Port   uint16 `json:"port,omitempty"`
	IXFR   bool   `json:"ixfr_enable"`
	TSIGID string `json:"tsig_id,omitempty"`
}

func cmdPeers(ctx context.Context, a *app, args []string) error {
	verb, rest, err := subcommand(args, map[string]int{"list": 0, "create": 2, "get": 1, "delete": 1})
	if err != nil {
		return err
	}
	if err := a.needProvider(facade.ProviderCloudflare); err != nil {
		return err
	}
	var in cloudflare.Peer
	if verb == "create" {
		p, err := facade.ParsePrimary(rest[1])
		if err != nil {
			return usagef("%v", unwrapMessage(err))
		}
		in = cloudflare.Peer{Name: rest[0], IP: p.Addr, Port: p.PortOrDefault(), TSIGID: a.o.tsigID}
	}
	if err := a.connect(ctx); err != nil {
		return err
	}
	var one cloudflare.Peer
	switch verb {
	case "list":
		all, err := facade.Collect(a.cf.ListPeers(ctx))
		if err != nil {
			return err
		}
		return a.printPeers(all)
	case "create":
		one, err = a.cf.CreatePeer(ctx, in)
	case "get":
		one, err = a.cf.GetPeer(ctx, rest[0])
	case "delete":
		if err := a.cf.DeletePeer(ctx, rest[0]); err != nil {
			return err
		}
		return a.printResult(map[string]any{"id": rest[0], "deleted": true}, "deleted peer %s\n", rest[0])
	}
	if err != nil {
		return err
	}
	return a.printPeers([]cloudflare.Peer{one})
}

func (a *app) printPeers(ps []cloudflare.Peer) error {
	if a.g.json {
		out := make([]peerJSON, 0, len(ps))
		for _, p := range ps {
			j := peerJSON{ID: p.ID, Name: p.Name, Port: p.Port, IXFR: p.IXFR, TSIGID: p.TSIGID}
			if p.IP.IsValid() {
				j.IP = p.IP.String()
			}
			out = append(out, j)
		}
		return a.printJSON(out)
	}
	tw := a.table()
	fmt.Fprintln(tw, "ID\tNAME\tIP\tPORT\tTSIG")
	for _, p := range ps {
		ip := "-"
		if p.IP.IsValid() {
			ip = p.IP.String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.ID, p.Name, ip, portString(p.Port), dash(p.TSIGID))
	}
	return tw.Flush()
}

func portString(p uint16) string {
	if p == 0 {
		return "-"
	}
	return strconv.Itoa(int(p))
}

// tsigJSON is a Cloudflare TSIG key as printed with --json: never the secret.
type tsigJSON struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Algorithm string `json:"algorithm"`
}

func cmdTSIG(ctx context.Context, a *app, args []string) error {
	verb, rest, err := subcommand(args, map[string]int{"list": 0, "create": 1, "get": 1, "delete": 1})
	if err != nil {
		return err
	}
	if err := a.needProvider(facade.ProviderCloudflare); err != nil {
		return err
	}
	var in cloudflare.TSIGKey
	if verb == "create" {
		secret := a.getenv(a.o.tsigSecretEnv)
		if secret == "" {
			return usagef("tsig create needs the base64 secret in $%s", a.o.tsigSecretEnv)
		}
		in = cloudflare.TSIGKey{Name: rest[0], Algorithm: a.o.tsigAlgo, Secret: facade.Secret(secret)}
	}
	if err := a.connect(ctx); err != nil {
		return err
	}
	var one cloudflare.TSIGKey
	switch verb {
	case "list":
		all, err := facade.Collect(a.cf.ListTSIGs(ctx))
		if err != nil {
			return err
		}
		return a.printTSIGs(all)
	case "create":
		one, err = a.cf.CreateTSIG(ctx, in)
	case "get":
		one, err = a.cf.GetTSIG(ctx, rest[0])
	case "delete":
		if err := a.cf.DeleteTSIG(ctx, rest[0]); err != nil {
			return err
		}
		return a.printResult(map[string]any{"id": rest[0], "deleted": true}, "deleted TSIG key %s\n", rest[0])
	}
	if err != nil {
		return err
	}
	return a.printTSIGs([]cloudflare.TSIGKey{one})
}

func (a *app) printTSIGs(ks []cloudflare.TSIGKey) error {
	if a.g.json {
		out := make([]tsigJSON, 0, len(ks))
		for _, k := range ks {
			out = append(out, tsigJSON{ID: k.ID, Name: k.Name, Algorithm: k.Algorithm})
		}
		return a.printJSON(out)
	}
	tw := a.table()
	fmt.Fprintln(tw, "ID\tNAME\tALGORITHM")
	for _, k := range ks {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", k.ID, k.Name, k.Algorithm)
	}
	return tw.Flush()
}
