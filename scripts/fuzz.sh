#!/usr/bin/env bash
# Runs every fuzz target of the given packages (default: every package that
# has one) for a bounded time, one target at a time, and stops at the first
# failure. A failing input is written by the Go toolchain to the package's
# testdata/fuzz/<Target>/ directory, where it becomes a seed that `go test`
# replays from then on; commit it with the fix.
#
# Environment:
#   FUZZTIME      time per target (go test -fuzztime syntax), default 30s
#   FUZZPARALLEL  fuzzing workers per target, default: go's (GOMAXPROCS)
#   GO            the go command, default go
#
# Usage: scripts/fuzz.sh [package ...]
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

GO=${GO:-go}
FUZZTIME=${FUZZTIME:-30s}
parallel=()
if [ -n "${FUZZPARALLEL:-}" ]; then
  parallel=(-parallel="$FUZZPARALLEL")
fi

if [ "$#" -gt 0 ]; then
  pkgs=("$@")
else
  mapfile -t pkgs < <(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u)
fi

total=0
for pkg in "${pkgs[@]}"; do
  case $pkg in ./*|/*) ;; *) pkg=./$pkg ;; esac
  mapfile -t targets < <("$GO" test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true)
  for target in "${targets[@]}"; do
    echo "=== fuzz $pkg $target ($FUZZTIME)"
    start=$(date +%s)
    "$GO" test -run='^$' -fuzz="^${target}\$" -fuzztime="$FUZZTIME" "${parallel[@]}" "$pkg"
    echo "--- ok $pkg $target in $(( $(date +%s) - start ))s"
    total=$((total + 1))
  done
done
echo "fuzz: $total targets passed"
