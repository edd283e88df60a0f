# secondarydns-go. `make demo` and `make test` are the two commands a newcomer
# needs; the rest is for maintainers.
GO        ?= go
GOFLAGS   ?=
TESTFLAGS ?= -race -count=1

.PHONY: all test unit check-generated generate vet fmt-check demo build bench bench-build live fuzz soak drift drift-update clean help
.PHONY: bench-fleet soak-fleet

all: test

demo: ## the whole secondary-zone lifecycle on all three providers, against in-process fakes (no account, no network)
	$(GO) run ./cmd/secdns demo

build: ## build the secdns command into bin/
	$(GO) build -o bin/secdns ./cmd/secdns

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

test: fmt-check vet check-generated unit ## everything CI checks: format, vet, generated code freshness, tests with -race

unit: ## run the tests with the race detector (the root module and the drift tool's module)
	$(GO) test $(GOFLAGS) $(TESTFLAGS) ./...
	cd scripts/drift && $(GO) test $(GOFLAGS) $(TESTFLAGS) ./...

vet: ## go vet, both modules, and the live tests (build tag "live"); go.mod files tidy
	$(GO) mod tidy -diff
	cd scripts/drift && $(GO) mod tidy -diff
	$(GO) vet ./...
	$(GO) vet -tags live ./test/live
	cd scripts/drift && $(GO) vet ./...
	cd test/bench && $(GO) vet ./cmd/facade-min ./cmd/nethttp-min ./cmd/benchtable

fmt-check: ## fail if any hand-written Go file is not gofmt-clean
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^gen/')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

generate: ## rewrite specs/*/prepared.json and gen/ from the vendored specs and overlays
	$(GO) generate ./...

check-generated: ## regenerate and fail on any difference, untracked files included
	@scripts/check-generated.sh

bench: ## benchmarks vs raw net/http, the generated clients and the official SDKs, as one table (docs/PERFORMANCE.md); COUNT, BENCH, BENCHTIME
	scripts/bench.sh run

bench-build: ## clean-cache build time and stripped size of minimal programs (slow: cloudflare-go takes minutes)
	scripts/bench.sh build

VERIFY_ZONES ?= 10000
VERIFY_BENCHTIME ?= 2x
.PHONY: bench-verify
bench-verify: ## verify of VERIFY_ZONES zones x 3 providers x 4 nameservers on loopback vs a bare loop of the same SOA queries (docs/VERIFY.md)
	$(GO) test -run '^$$' -bench BenchmarkVerifyVsBareLoop -benchtime $(VERIFY_BENCHTIME) -count 1 ./facade/verify -verify.zones=$(VERIFY_ZONES)

live: ## lifecycle against the real APIs: needs SECDNS_LIVE_ZONE, SECDNS_LIVE_PRIMARIES and provider credentials (see test/live)
	$(GO) test -tags live -count=1 -v ./test/live

FUZZTIME ?= 30s
fuzz: ## run every fuzz target for FUZZTIME each (default 30s), one at a time
	FUZZTIME=$(FUZZTIME) GO=$(GO) scripts/fuzz.sh

SOAKTIME ?= 45s
soak: ## fault soak: concurrent zone lifecycles on all three fakes with faults injected, then state checked
	$(GO) test -race -count=1 -run TestSoak -v ./test/soak -soak.duration=$(SOAKTIME)

FLEET_ZONES ?= 10000
FLEET_PACE ?= 120
bench-fleet: ## fleet plan+apply of FLEET_ZONES zones at three rate-limited fakes (clocks sped up to FLEET_PACE requests/s): requests vs API minimum, 429s, rate used, memory
	$(GO) test -run TestFleetBench -count=1 -v -timeout 90m ./facade/fleet -fleet.bench.zones=$(FLEET_ZONES) -fleet.bench.pace=$(FLEET_PACE)

soak-fleet: ## fleet soak: random desired states under faults and cancelled applies, converging each round (SOAKTIME)
	$(GO) test -race -count=1 -run TestFleetSoak -v ./facade/fleet -fleet.soak=$(SOAKTIME)

DRIFT_FLAGS ?=
bin/drift: FORCE
	cd scripts/drift && $(GO) build -o ../../bin/drift .

drift: bin/drift ## compare vendored specs with upstream; bin/drift exits 0 none, 1 non-breaking, 2 breaking, 3 could not check (make itself reports any failure as 2)
	bin/drift -root . $(DRIFT_FLAGS)

drift-update: bin/drift ## re-vendor changed upstream specs, update specs/sources.json, run go generate: review one diff
	bin/drift -root . -update $(DRIFT_FLAGS)

.PHONY: drift-test-slow
drift-test-slow: ## the drift tool's slow tests: a year of reconstructed Cloudflare history through the scratch build
	cd scripts/drift && $(GO) test $(GOFLAGS) -count=1 -run 'TestCloudflareYear' ./... -args -slow

.PHONY: FORCE
FORCE:

clean: ## remove build outputs
	rm -rf bin

.PHONY: registry-check
REGISTRY_MAX_AGE ?= 180
registry-check: ## fail if a fact of the primary-config registry (facade/primaryconf/registry.json) was checked more than REGISTRY_MAX_AGE days (default 180) ago
	$(GO) run ./cmd/secdns primary-config --check-registry --max-age $(REGISTRY_MAX_AGE)
