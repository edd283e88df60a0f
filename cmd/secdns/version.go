package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/secondarydns/secondarydns-go/facade"
)

// versionCommand is `secdns version`.
func versionCommand() *commandEntry {
	return &commandEntry{
		name: "version", summary: "print the version of secdns, its Go toolchain and build",
		help: `Prints the SDK version, the Go version that built the binary, the
module and its version as the Go toolchain recorded them (a go install of a
tagged version shows that tag, a build from a checkout "(devel)" with the
VCS revision), and with --json also the dependencies.`,
		run: cmdVersion, maxArgs: 0,
	}
}

// versionJSON is the answer of version --json.
type versionJSON struct {
	Version       string   `json:"version"`
	Go            string   `json:"go"`
	OS            string   `json:"os"`
	Arch          string   `json:"arch"`
	Module        string   `json:"module,omitempty"`
	ModuleVersion string   `json:"module_version,omitempty"`
	VCSRevision   string   `json:"vcs_revision,omitempty"`
	VCSTime       string   `json:"vcs_time,omitempty"`
	VCSModified   bool     `json:"vcs_modified,omitempty"`
	Dependencies  []string `json:"dependencies"`
}

func buildVersion() versionJSON {
	v := versionJSON{Version: facade.Version, Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH, Dependencies: []string{}}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	v.Go = bi.GoVersion
	v.Module, v.ModuleVersion = bi.Main.Path, bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.VCSRevision = s.Value
		case "vcs.time":
			v.VCSTime = s.Value
		case "vcs.modified":
			v.VCSModified = s.Value == "true"
		}
	}
	for _, d := range bi.Deps {
		if d.Replace != nil {
			d = d.Replace
		}
		v.Dependencies = append(v.Dependencies, d.Path+"@"+d.Version)
	}
	return v
}

func cmdVersion(_ context.Context, a *app, _ []string) error {
	v := buildVersion()
	if a.g.json {
		return a.printJSON(v)
	}
	fmt.Fprintf(a.stdout, "secdns %s (%s %s/%s)\n", v.Version, v.Go, v.OS, v.Arch)
	if v.Module != "" {
		fmt.Fprintf(a.stdout, "module %s %s\n", v.Module, v.ModuleVersion)
	}
	if v.VCSRevision != "" {
		mod := ""
		if v.VCSModified {
			mod = " (modified)"
		}
		fmt.Fprintf(a.stdout, "revision %s %s%s\n", v.VCSRevision, v.VCSTime, mod)
	}
	return nil
}
