# secondarydns-go. `make demo` and `make test` are the two commands a newcomer
# needs; the rest is for maintainers.
GO        ?= go
GOFLAGS   ?=
TESTFLAGS ?= -race -count=1

.PHONY: all test unit check-generated generate vet fmt-check demo build bench fuzz drift drift-update clean help

all: test

demo: ## the whole secondary-zone lifecycle on all three providers, against in-process fakes (no account, no network)
	$(GO) run ./cmd/secdns demo

build: ## build the secdns command into bin/
	$(GO) build -o bin/secdns ./cmd/secdns

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

test: fmt-check vet check-generated unit ## everything CI checks: format, vet, generated code freshness, tests with -race

unit: ## run the tests with the race detector
	$(GO) test $(GOFLAGS) $(TESTFLAGS) ./...

vet: ## go vet
	$(GO) vet ./...

fmt-check: ## fail if any hand-written Go file is not gofmt-clean
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^gen/')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

generate: ## rewrite specs/*/prepared.json and gen/ from the vendored specs and overlays
	$(GO) generate ./...

check-generated: ## regenerate and fail on any difference, untracked files included
	@scripts/check-generated.sh

clean: ## remove build outputs
	rm -rf bin
