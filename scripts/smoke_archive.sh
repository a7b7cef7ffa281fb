#!/usr/bin/env bash
# Smoke-tests one release archive on the machine it was built for, the way a user meets it:
# unpacks it with the platform's own tools, then runs `--version`, `--help`, `upgrade --help` and
# one `dollama run` against the fake Ollama server (tests/support/serve_fake.ts, run with deno).
#
#   scripts/smoke_archive.sh ARCHIVE VERSION      e.g. out/dollama-x86_64-apple-darwin.tar.gz 0.2.0
#
# The release workflow runs it on each target's own runner (Linux, macOS, and Git Bash on
# Windows); tests/release/smoke_archive_test.ts runs it here with a stand-in binary.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 ARCHIVE VERSION" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
archive="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
version=$2
export NO_COLOR=1

work=$(mktemp -d)
fake_pid=""
cleanup() {
  if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "smoke test of $(basename "$archive"): $*" >&2
  exit 1
}

mkdir "$work/unpacked"
case $archive in
  *.tar.gz)
    tar -xzf "$archive" -C "$work/unpacked" || fail "tar could not unpack it"
    bin="$work/unpacked/dollama"
    ;;
  *.zip)
    if command -v 7z >/dev/null; then
      7z x -bd -y "-o$work/unpacked" "$archive" >/dev/null || fail "7z could not unpack it"
    elif command -v 7zz >/dev/null; then
      7zz x -bd -y "-o$work/unpacked" "$archive" >/dev/null || fail "7zz could not unpack it"
    else
      unzip -q "$archive" -d "$work/unpacked" || fail "unzip could not unpack it"
    fi
    bin="$work/unpacked/dollama.exe"
    ;;
  *) fail "not a release archive (.tar.gz or .zip)" ;;
esac
listing=$(cd "$work/unpacked" && ls -A)
[ "$listing" = "$(basename "$bin")" ] || fail "it should hold only $(basename "$bin"), not: $listing"
case $archive in *.tar.gz) [ -x "$bin" ] || fail "dollama is not executable" ;; esac

FAKE_DELAY_MS=0 deno run --quiet --allow-net --allow-env=FAKE_DELAY_MS "$root/tests/support/serve_fake.ts" >"$work/fake.env" &
fake_pid=$!
for _ in $(seq 300); do
  grep -q '^OLLAMA_HOST=' "$work/fake.env" 2>/dev/null && break
  kill -0 "$fake_pid" 2>/dev/null || fail "the fake Ollama server did not start"
  sleep 0.1
done
host=$(sed -n 's/^OLLAMA_HOST=//p' "$work/fake.env")
[ -n "$host" ] || fail "the fake Ollama server did not report its address"
export OLLAMA_HOST="$host"

out=$("$bin" --version) || fail "--version failed"
printf '%s\n' "$out"
[ "$(printf '%s\n' "$out" | sed -n 1p)" = "dollama version $version" ] ||
  fail "--version should start with 'dollama version $version'"
printf '%s\n' "$out" | grep -q '^ollama server version is ' || fail "--version did not reach the server"

help=$("$bin" --help) || fail "--help failed"
printf '%s\n' "$help" | grep -q 'Usage: dollama' || fail "--help shows no usage"
help=$("$bin" upgrade --help) || fail "upgrade --help failed"
printf '%s\n' "$help" | grep -q -- '--version <V>' || fail "upgrade --help lacks --version <V>"

answer=$("$bin" run llama3 "Why is the sky blue?") || fail "dollama run failed"
printf '%s\n' "$answer"
printf '%s\n' "$answer" | grep -q 'Rayleigh scattering' || fail "dollama run did not print the answer"

echo "smoke test of $(basename "$archive"): ok"
