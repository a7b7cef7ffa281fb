#!/bin/sh
# Installs dollama from a GitHub release, without sudo:
#
#   curl -fsSL https://github.com/dollama/dollama/releases/latest/download/install.sh | sh
#   curl -fsSL https://github.com/dollama/dollama/releases/latest/download/install.sh |
#     sh -s -- --version v0.2.0 --dir ~/bin
#
# It picks the build for this OS and CPU, checks its SHA-256 against the release's SHA256SUMS,
# and moves the binary into place in one step (into $DOLLAMA_INSTALL_DIR or ~/.local/bin).
# Running it again reinstalls or switches versions; it never edits shell start-up files.
#
# Environment (all optional):
#   DOLLAMA_VERSION       release to install (same as --version); default: the newest
#   DOLLAMA_INSTALL_DIR   where to put dollama (same as --dir); default: ~/.local/bin
#   DOLLAMA_DOWNLOAD_URL  releases base URL; default: the project's GitHub releases page
#   DOLLAMA_OS, DOLLAMA_ARCH  use these instead of `uname -s` / `uname -m`
#
# POSIX sh (dash, bash, busybox, mksh, ksh, zsh, posh, yash); needs curl or wget, tar with gzip,
# and sha256sum, shasum or openssl. Keep this file ASCII: yash refuses a script with other bytes
# when the locale is C.

set -eu
# An exported CDPATH would make `cd` below print a path and change to a different directory.
unset CDPATH

DEFAULT_DOWNLOAD_URL="https://github.com/dollama/dollama/releases"

say() { printf '%s\n' "$*"; }
err() { printf 'dollama install: %s\n' "$*" >&2; }
die() {
  err "error: $*"
  exit 1
}

usage() {
  cat <<'EOF'
Install dollama, a standalone client for Ollama servers.

Usage: install.sh [--version VERSION] [--dir DIR]

Options:
  --version VERSION   release to install, e.g. v0.2.0 (default: the newest)
  --dir DIR           install directory (default: $DOLLAMA_INSTALL_DIR or ~/.local/bin)
  -h, --help          show this help

Environment: DOLLAMA_VERSION, DOLLAMA_INSTALL_DIR, DOLLAMA_DOWNLOAD_URL,
DOLLAMA_OS and DOLLAMA_ARCH (instead of uname).
EOF
}

# Sets $os and $arch to the release's names for this machine, or stops with a clear error.
detect_platform() {
  os_raw=${DOLLAMA_OS:-$(uname -s)}
  arch_raw=${DOLLAMA_ARCH:-$(uname -m)}
  case $os_raw in
    Linux | linux) os=linux ;;
    Darwin | darwin | macOS | macos) os=darwin ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT | windows)
      die "this is Windows ($os_raw); install with PowerShell instead:
  irm $base/latest/download/install.ps1 | iex"
      ;;
    *) die "unsupported operating system: $os_raw (dollama has builds for Linux, macOS and Windows)" ;;
  esac
  case $arch_raw in
    x86_64 | amd64 | x64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    # armv8l is a 32-bit ARM userland (on a 64-bit CPU): it cannot run an aarch64 build.
    *) die "unsupported architecture: $arch_raw on $os_raw (dollama has builds for x86_64 and aarch64)" ;;
  esac
  # An x86_64 shell under Rosetta on Apple silicon: the native build is the better one.
  if [ "$os" = darwin ] && [ "$arch" = x86_64 ] && [ -z "${DOLLAMA_ARCH:-}" ] &&
    [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
    arch=aarch64
  fi
  # The Linux builds link against glibc; musl systems such as Alpine cannot run them.
  if [ "$os" = linux ] && [ -z "${DOLLAMA_OS:-}" ] &&
    (ldd --version 2>&1 || true) | grep -qi musl; then
    die "this Linux uses musl libc (Alpine?); dollama's Linux builds need glibc"
  fi
  case $os in
    linux) target="$arch-unknown-linux-gnu" ;;
    darwin) target="$arch-apple-darwin" ;;
  esac
  asset="dollama-$target.tar.gz"
}

# download URL FILE: fetches with curl or wget, following redirects; fails on HTTP errors.
download() {
  if command -v curl >/dev/null 2>&1; then
    curl --fail --silent --show-error --location --retry 2 --output "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget --quiet --output-document="$2" "$1"
  else
    die "neither curl nor wget is installed; install one of them and try again"
  fi
}

# sha256 FILE: prints the lower-case hex digest.
sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | awk '{ print tolower($1) }'
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | awk '{ print tolower($1) }'
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 -r "$1" | awk '{ print tolower($1) }'
  else
    die "no SHA-256 tool found (sha256sum, shasum or openssl); cannot verify the download"
  fi
}

cleanup() {
  [ -n "${tmp:-}" ] && rm -rf "$tmp"
  [ -n "${staged:-}" ] && rm -f "$staged"
  return 0
}

# The release's archives carry GitHub build provenance; say how to check it, for a release URL
# of the form .../OWNER/REPO/releases. The checksum above proves the download is the file the
# release lists; the attestation proves which workflow run built it.
attestation_hint() {
  repo=${base#*://}
  repo=${repo#*/}
  repo=${repo%/releases}
  case $repo in
    */*/* | "" | /* | */) return 0 ;;
    */*) ;;
    *) return 0 ;;
  esac
  say "Verified $asset against the release's SHA256SUMS. To check where it was built (GitHub CLI):"
  say "  gh attestation verify $dir/dollama --repo $repo"
}

path_hint() {
  case ":${PATH:-}:" in
    *":$dir:"*)
      found=$(command -v dollama 2>/dev/null || true)
      if [ -n "$found" ] && [ "$found" != "$dir/dollama" ]; then
        say ""
        say "Note: $found comes before $dir on your PATH, so 'dollama' runs that one."
      fi
      return 0
      ;;
  esac
  say ""
  say "$dir is not on your PATH. To add it:"
  case $(basename "${SHELL:-sh}") in
    zsh) say "  echo 'export PATH=\"$dir:\$PATH\"' >> ~/.zshrc && exec zsh" ;;
    bash)
      # shellcheck disable=SC2088 # printed for the user to type, not expanded here
      if [ "$os" = darwin ]; then rc='~/.bash_profile'; else rc='~/.bashrc'; fi
      say "  echo 'export PATH=\"$dir:\$PATH\"' >> $rc && exec bash"
      ;;
    fish) say "  fish_add_path '$dir'" ;;
    *) say "  echo 'export PATH=\"$dir:\$PATH\"' >> ~/.profile   (then log in again)" ;;
  esac
  say "or run it as $dir/dollama"
}

main() {
  version=${DOLLAMA_VERSION:-}
  dir=${DOLLAMA_INSTALL_DIR:-}
  while [ $# -gt 0 ]; do
    case $1 in
      --version)
        [ $# -ge 2 ] || die "--version needs a value, e.g. --version v0.2.0"
        version=$2
        shift 2
        ;;
      --version=*)
        version=${1#*=}
        shift
        ;;
      --dir)
        [ $# -ge 2 ] || die "--dir needs a value, e.g. --dir ~/bin"
        dir=$2
        shift 2
        ;;
      --dir=*)
        dir=${1#*=}
        shift
        ;;
      -h | --help)
        usage
        exit 0
        ;;
      *) die "unknown option: $1 (see --help)" ;;
    esac
  done

  base=${DOLLAMA_DOWNLOAD_URL:-$DEFAULT_DOWNLOAD_URL}
  base=${base%/}

  case $version in
    "" | latest) version="" ;;
    v[0-9]*) ;;
    [0-9]*) version="v$version" ;;
    *) die "invalid version: $version (expected e.g. v0.2.0)" ;;
  esac

  # The shell expands `--dir ~/bin` but not `--dir=~/bin` or a quoted "~/bin"; do it here.
  case $dir in
    \~ | \~/*)
      [ -n "${HOME:-}" ] || die "HOME is not set, so $dir cannot be expanded; give a full path"
      dir="$HOME${dir#\~}"
      ;;
  esac
  if [ -z "$dir" ]; then
    [ -n "${HOME:-}" ] || die "HOME is not set; choose a directory with --dir DIR"
    dir="$HOME/.local/bin"
  fi

  detect_platform

  if [ -n "$version" ]; then
    url="$base/download/$version"
    what="dollama $version"
  else
    url="$base/latest/download"
    what="the newest dollama"
  fi

  tmp=$(mktemp -d 2>/dev/null || mktemp -d -t dollama)
  staged=""
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  say "Downloading $what for $target"
  download "$url/SHA256SUMS" "$tmp/SHA256SUMS" ||
    die "could not download $url/SHA256SUMS (is there a release ${version:-at all} at $base?)"
  download "$url/$asset" "$tmp/$asset" ||
    die "could not download $url/$asset (${version:-the newest release} has no build for $target, or the download failed)"

  expected=$(awk -v f="$asset" '{ sub(/\r$/, ""); n = $2; sub(/^\*/, "", n); if (n == f) { print tolower($1); exit } }' "$tmp/SHA256SUMS")
  [ -n "$expected" ] || die "SHA256SUMS has no entry for $asset; refusing to install an unverified download"
  actual=$(sha256 "$tmp/$asset")
  [ -n "$actual" ] || die "could not compute the SHA-256 of $asset"
  if [ "$actual" != "$expected" ]; then
    die "checksum mismatch for $asset: expected $expected, got $actual; nothing was installed"
  fi

  mkdir "$tmp/unpacked"
  tar -xzf "$tmp/$asset" -C "$tmp/unpacked" || die "could not unpack $asset"
  [ -f "$tmp/unpacked/dollama" ] || die "$asset does not contain a dollama executable"

  mkdir -p "$dir" 2>/dev/null || die "cannot create $dir; choose another directory with --dir DIR"
  dir=$(cd -- "$dir" && pwd) || die "cannot use $dir"
  [ -w "$dir" ] || die "cannot write to $dir; choose a directory you own with --dir DIR (no sudo needed)"
  # `mv` onto a directory would move the binary into it and report success.
  if [ -d "$dir/dollama" ]; then
    die "$dir/dollama is a directory; remove it or choose another directory with --dir DIR"
  fi

  # Copy next to the destination, then rename: the old binary stays whole until the last step.
  staged="$dir/.dollama.install.$$"
  cp "$tmp/unpacked/dollama" "$staged" || die "could not write to $dir"
  chmod 755 "$staged" || die "could not make $staged executable"
  mv -f "$staged" "$dir/dollama" || die "could not move dollama into $dir"
  staged=""
  if [ ! -f "$dir/dollama" ] || [ ! -x "$dir/dollama" ]; then
    die "$dir/dollama was not installed"
  fi

  say "Installed dollama to $dir/dollama"
  # `dollama --version` also asks the Ollama server for its version; point it at a port where
  # nothing listens so that it neither contacts the user's server nor waits for it, and show
  # only the first line (the warning about the missing server goes to the discarded stderr).
  if installed=$(OLLAMA_HOST=127.0.0.1:0 NO_PROXY=127.0.0.1 "$dir/dollama" --version 2>"$tmp/version.err"); then
    say "${installed%%
*}"
  else
    err "warning: $dir/dollama was installed but does not run on this machine:"
    cat "$tmp/version.err" >&2
  fi
  attestation_hint
  path_hint
}

# posh, with `set -u`, takes an empty "$@" for an unset variable; ${1+"$@"} is the portable form.
main ${1+"$@"}
