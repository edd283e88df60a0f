// Command secdns manages secondary DNS zones on IONOS Cloud DNS, DNSimple and
// Cloudflare from the command line, through the secondarydns-go facade.
//
//	secdns [flags] <command> [arguments]
//
// Run `secdns help` for the commands, `secdns <command> --help` for one
// command, and `secdns demo` for a tour against in-process fakes of the three
// providers (no account needed).
//
// Credentials come from flags or the usual environment variables
// (IONOS_TOKEN; DNSIMPLE_TOKEN and DNSIMPLE_ACCOUNT; CLOUDFLARE_API_TOKEN and
// CLOUDFLARE_ACCOUNT_ID) and are never printed.
//
// Exit codes: 0 success, 1 other failure (network, unexpected response),
// 2 usage error or invalid input, 3 not found, 4 authentication failure or
// missing credentials, 5 other API error (conflict, rate limit, server error),
// 6 not supported by the provider (e.g. transfer at DNSimple; nothing sent).
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
