// Command prepare rewrites the prepared OpenAPI documents under specs/ from
// the vendored upstream files, the overlays and specs/sources.json. It is run
// by `go generate ./...` from the repository root; see package specprep for
// what preparation does.
//
// Usage:
//
//	go run ./scripts/prepare [-sources specs/sources.json] [-root .] [provider ...]
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/secondarydns/secondarydns-go/scripts/specprep"
)

func main() {
	sources := flag.String("sources", "specs/sources.json", "the sources file")
	root := flag.String("root", ".", "the repository root that paths in the sources file are relative to")
	verbose := flag.Bool("v", false, "print the time each provider took")
	flag.Parse()
	if err := run(*root, *sources, *verbose, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "prepare:", err)
		os.Exit(1)
	}
}

func run(root, sourcesPath string, verbose bool, only []string) error {
	s, err := specprep.LoadSources(sourcesPath)
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, n := range only {
		if _, err := s.Provider(n); err != nil {
			return err
		}
		want[n] = true
	}
	for i := range s.Providers {
		p := &s.Providers[i]
		if len(want) > 0 && !want[p.Name] {
			continue
		}
		start := time.Now()
		if err := specprep.Run(root, p); err != nil {
			return err
		}
		if verbose {
			fmt.Printf("prepare: %-10s %d operations in %v\n", p.Name, len(p.Operations), time.Since(start).Round(time.Millisecond))
		}
	}
	return nil
}
