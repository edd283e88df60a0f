#!/usr/bin/env bash
# Performance measurements of secondarydns-go (docs/PERFORMANCE.md).
#
#   scripts/bench.sh [run]    benchmarks of test/bench in ONE `go test -bench`
#                             run, printed as one table (cmd/benchtable)
#   scripts/bench.sh build    clean-cache build time and stripped binary size
#                             of test/bench/cmd/*-min
#   scripts/bench.sh all      both
#
# Environment: COUNT (default 6) runs per benchmark, BENCH (default .) the
# -bench pattern, BENCHTIME (default 1s), OUT (default
# test/bench/bench.out) where the raw `go test` output is kept, BUILDS
# (default 1) clean builds per program.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)/test/bench"

GO=${GO:-go}
COUNT=${COUNT:-6}
BENCH=${BENCH:-.}
BENCHTIME=${BENCHTIME:-1s}
OUT=${OUT:-bench.out}
BUILDS=${BUILDS:-1}

machine() {
  echo "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $($GO version)"
}

run() {
  machine
  echo "go test -run='^\$' -bench='$BENCH' -benchmem -count=$COUNT -benchtime=$BENCHTIME ."
  $GO test -run='^$' -bench="$BENCH" -benchmem -count="$COUNT" -benchtime="$BENCHTIME" -timeout=60m . | tee "$OUT" >&2
  echo
  $GO run ./cmd/benchtable < "$OUT"
}

build() {
  machine
  local bin tmp
  tmp=$(mktemp -d)
  trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' RETURN
  # Modules are downloaded first so that only compiling and linking are timed.
  $GO mod download
  echo
  echo "| program | clean build (s) | stripped size (MB) | size (bytes) |"
  echo "|---|--:|--:|--:|"
  # cloudflare-min last: it is by far the slowest.
  for p in nethttp-min facade-min ionos-min dnsimple-min cloudflare-min; do
    for i in $(seq "$BUILDS"); do
      bin="$tmp/$p"
      local cache="$tmp/cache-$p-$i"
      local t0 t1
      t0=$(date +%s.%N)
      GOCACHE="$cache" $GO build -trimpath -ldflags='-s -w' -o "$bin" "./cmd/$p"
      t1=$(date +%s.%N)
      local size
      size=$(stat -c %s "$bin")
      printf '| %s | %.1f | %.2f | %d |\n' "$p" "$(echo "$t1 - $t0" | bc)" "$(echo "$size / 1000000" | bc -l)" "$size"
      chmod -R u+w "$cache" && rm -rf "$cache"
    done
  done
}

case "${1:-run}" in
  run) run ;;
  build) build ;;
  all) run; echo; build ;;
  *) echo "usage: $0 [run|build|all]" >&2; exit 2 ;;
esac
