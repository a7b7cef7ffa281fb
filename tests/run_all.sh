#!/usr/bin/env bash
# Runs every test and ends with the one line CI reads: "N passed, N failed".
# Deno's own summary counts steps separately, so the line is built from its report.
set -uo pipefail
cd "$(dirname "$0")/.."
export NO_COLOR=1 RUST_BACKTRACE=0
# Every temporary file and directory the tests make goes under one directory, removed at the end,
# so a run leaves nothing behind in /tmp whatever each test does.
TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/dollama-XXXXXX")
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
log=$(mktemp)
deno test --allow-all --quiet "$@" tests/ 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
summary=$(grep -E '^(ok|FAILED) \| [0-9]+ passed' "$log" | tail -1)
passed=$(grep -oE '[0-9]+ passed' <<<"$summary" | grep -oE '^[0-9]+')
failed=$(grep -oE '[0-9]+ failed' <<<"$summary" | grep -oE '^[0-9]+')
rm -f "$log"
if [ -z "$summary" ]; then
  # deno test died before reporting (a type error, say): count that as one failure
  echo "0 passed, 1 failed"
  exit 1
fi
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$rc"
