#!/usr/bin/env bash
# Quick start on Debian/Ubuntu: install what is missing, then run a task.
#
#   tools/bootstrap.sh demo [ARGS]       tripplite against a virtual UPS (`deno task demo ARGS`)
#   tools/bootstrap.sh test [ARGS]       the whole test suite (`deno task test ARGS`)
#   tools/bootstrap.sh deps demo|test|bench      only install what that needs
#   tools/bootstrap.sh packages demo|test|bench  print its Debian packages
#
# Debian packages are installed with apt-get when run as root. Otherwise the
# script prints the `sudo apt-get install ...` line to run and exits with
# status 1. Deno comes from npm (`npm install -g deno@DENO_TESTED`; as a normal
# user into ~/.local). CI (.ci/run) runs `tools/bootstrap.sh test` too.
set -euo pipefail

# The Debian packages, in one place (the README and .ci/run refer to this list).
# libusb for the tool; umockdev and its Python bindings for the virtual UPS.
DEMO_PACKAGES=(libusb-1.0-0 umockdev gir1.2-umockdev-1.0 python3-gi)
# tmux: watch's terminal tests; prometheus: promtool; NUT: its server and
# clients to test against; jq: scripts in the tests.
TEST_PACKAGES=("${DEMO_PACKAGES[@]}" tmux prometheus nut-server nut-client python3-nut jq)
# wrk: bench/exporter_bench.ts.
BENCH_PACKAGES=("${TEST_PACKAGES[@]}" wrk)
# The oldest Deno the project works on (src/cli/runtime.ts says why; a test
# keeps the two in step), and the one installed when there is none that new:
# the newest the whole suite was run on.
DENO_MIN_MAJOR=2
DENO_MIN_MINOR=9
DENO_TESTED=2.9.6

usage() {
  echo "usage: tools/bootstrap.sh demo|test [ARGS...]" >&2
  echo "       tools/bootstrap.sh deps|packages demo|test|bench" >&2
  exit 64
}

# Sets `packages` to the Debian packages of $1.
packages_for() {
  case "$1" in
    demo) packages=("${DEMO_PACKAGES[@]}") ;;
    test) packages=("${TEST_PACKAGES[@]}") ;;
    bench) packages=("${BENCH_PACKAGES[@]}") ;;
    *) usage ;;
  esac
}

is_root() { [ "$(id -u)" = 0 ]; }

# Installs the missing ones of "$@" (as root), or says how and exits 1.
install_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "bootstrap: not a Debian/Ubuntu system; make sure the equivalents of these are" \
      "installed: $*" >&2
    return 0
  fi
  local missing=() p
  for p in "$@"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] ||
      missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if ! is_root; then
    echo "bootstrap: missing Debian packages: ${missing[*]}" >&2
    echo "Install them, then run this again:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "bootstrap: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Whether a Deno at least DENO_MIN_MAJOR.DENO_MIN_MINOR is on PATH.
deno_ok() {
  command -v deno >/dev/null 2>&1 || return 1
  local version
  version=$(deno --version 2>/dev/null) || return 1
  [[ $version =~ ^deno\ ([0-9]+)\.([0-9]+) ]] || return 1
  local major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]}
  ((major > DENO_MIN_MAJOR || (major == DENO_MIN_MAJOR && minor >= DENO_MIN_MINOR)))
}

# Installs Deno from npm unless a recent enough one is on PATH.
install_deno() {
  deno_ok && return 0
  if ! command -v npm >/dev/null 2>&1; then
    echo "bootstrap: Deno ${DENO_MIN_MAJOR}.${DENO_MIN_MINOR} or later is needed, and npm to" \
      "install it is missing: sudo apt-get install npm (or see https://deno.com)" >&2
    exit 1
  fi
  if is_root; then
    echo "bootstrap: npm install -g deno@$DENO_TESTED" >&2
    npm install -g "deno@$DENO_TESTED"
  else
    echo "bootstrap: npm install -g --prefix $HOME/.local deno@$DENO_TESTED" >&2
    npm install -g --prefix "$HOME/.local" "deno@$DENO_TESTED"
    export PATH="$HOME/.local/bin:$PATH"
  fi
  if ! deno_ok; then
    echo "bootstrap: npm installed Deno, but no Deno ${DENO_MIN_MAJOR}.${DENO_MIN_MINOR}" \
      "or later is on PATH" >&2
    exit 1
  fi
}

[ $# -ge 1 ] || usage
command=$1
shift
here=${BASH_SOURCE[0]%/*}
[ "$here" != "${BASH_SOURCE[0]}" ] || here=.
cd "$here/.."
case "$command" in
  packages)
    [ $# -eq 1 ] || usage
    packages_for "$1"
    echo "${packages[*]}"
    ;;
  deps)
    [ $# -eq 1 ] || usage
    packages_for "$1"
    install_packages "${packages[@]}"
    install_deno
    ;;
  demo | test)
    packages_for "$command"
    install_packages "${packages[@]}"
    install_deno
    exec deno task "$command" "$@"
    ;;
  *) usage ;;
esac
