#!/usr/bin/env bash
# Regenerates everything `go generate ./...` produces and fails if the result
# differs from what is committed: modified files, deleted files, and new
# (untracked) files alike, so a generator that starts writing a new file is
# caught too. Run from anywhere inside the repository.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

paths=(specs gen)
if [ -n "$(git status --porcelain --untracked-files=all -- "${paths[@]}")" ]; then
  echo "check-generated: specs/ or gen/ already differ from the last commit; commit or stash first:" >&2
  git status --short --untracked-files=all -- "${paths[@]}" >&2
  exit 1
fi

start=$(date +%s%N)
go generate ./...
ms=$(( ($(date +%s%N) - start) / 1000000 ))

changes=$(git status --porcelain --untracked-files=all -- "${paths[@]}")
if [ -n "$changes" ]; then
  echo "check-generated: 'go generate ./...' changed generated files:" >&2
  echo "$changes" >&2
  git --no-pager diff --stat -- "${paths[@]}" >&2
  echo "Commit the regenerated files (never edit them by hand)." >&2
  exit 1
fi
# A second run must change nothing either: generation is a fixed point.
go generate ./...
again=$(git status --porcelain --untracked-files=all -- "${paths[@]}")
if [ -n "$again" ]; then
  echo "check-generated: a second 'go generate ./...' changed generated files (generation is not deterministic):" >&2
  echo "$again" >&2
  exit 1
fi
echo "check-generated: specs/ and gen/ are up to date, and a second run changes nothing (first go generate took ${ms} ms)"
