// Command secdns manages secondary DNS zones on IONOS Cloud DNS, DNSimple and
// Cloudflare from the command line, through the secondarydns-go facade.
//
//	secdns [flags] <command> [arguments]
//
// Run `secdns help` for the commands, `secdns <command> --help` for one
// command, and `secdns demo` for a tour against in-process fakes of the three
// providers (no account needed).
//
// -p takes several providers (-p ionos,cloudflare, a repeated -p, or -p all);
// the zone commands then run at each and print one result per provider.
//
// Credentials come from flags, the usual environment variables
// (IONOS_TOKEN; DNSIMPLE_TOKEN and DNSIMPLE_ACCOUNT; CLOUDFLARE_API_TOKEN and
// CLOUDFLARE_ACCOUNT_ID) or a config file naming providers and where their
// tokens are ($SECDNS_CONFIG, else $XDG_CONFIG_HOME/secdns/config.yaml or
// ~/.config/secdns/config.yaml; --config), and are never printed. See
// docs/CLI.md.
//
// Exit codes: 0 success, 1 other failure (network, unexpected response),
// 2 usage error or invalid input, 3 not found, 4 authentication failure or
// missing credentials, 5 other API error (conflict, rate limit, server error),
// 6 not supported by the provider (e.g. transfer at DNSimple; nothing sent),
// 7 the providers disagree (status). With several providers the exit code is
// the worst outcome. With --json, errors are one JSON line on stderr.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
