#!/usr/bin/env bash
# Builds a real kube-apiserver (v1.20.2) from Debian bookworm's `kubernetes` source package and caches it,
# and installs the runtime pieces the test cluster needs (etcd, openssl).
#
# Why from source: Debian ships no kube-apiserver binary (nor k3s/kind/envtest), and CI machines reach only
# Debian's mirrors and npm. Bookworm's source package carries the full upstream tree with vendor/ as its orig
# tarball, so it builds offline with Debian's Go. Only that upstream tarball is used (Debian's own patches are
# not applied), plus the two source patches below that Go 1.19 makes necessary.
#
# Usage (as root on Debian 12):  test/infra/kube/build-apiserver.sh
# Env:
#   RELEASE_GATE_KUBE_CACHE  cache dir (default: <repo>/.cache/kube). The binary lands in $CACHE/bin/.
#   KEEP_BUILD_TREE=1        keep the unpacked tree with its Go build cache, and reuse it next time (an
#                            incremental rebuild takes about a minute instead of several).
# Idempotent: when $CACHE/bin/kube-apiserver exists, reports the expected version and was built by this
# recipe (stamp file next to it), only the runtime packages are checked and the build is skipped.
set -euo pipefail

readonly KUBE_VERSION=v1.20.2
# Bump when the source patches below change, so a binary cached by an older recipe is rebuilt.
readonly RECIPE="kube-apiserver $KUBE_VERSION debian-src reflect2-1.0.2 openapi-zero-string"
readonly BUILD_PACKAGES=(golang-go rsync make golang-github-modern-go-reflect2-dev)
readonly RUNTIME_PACKAGES=(etcd-server openssl)

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/../../.." && pwd)
cache_dir=${RELEASE_GATE_KUBE_CACHE:-$repo_root/.cache/kube}
bin_dir=$cache_dir/bin
binary=$bin_dir/kube-apiserver
stamp=$bin_dir/kube-apiserver.recipe

started_at=$(date +%s.%N)
phase_started_at=$started_at
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { print b - a }'; }
phase() { # phase NAME: print the elapsed time of the previous phase and start timing the next one
  local now
  now=$(date +%s.%N)
  printf '[build-apiserver] %-28s %6.1f s\n' "$1" "$(elapsed "$phase_started_at" "$now")"
  phase_started_at=$now
}
log() { echo "[build-apiserver] $*"; }
die() { echo "[build-apiserver] ERROR: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "run as root (it installs Debian packages with apt-get)"

apt_updated=0
apt_install() { # installs only the packages that are missing, running apt-get update at most once
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  if ((apt_updated == 0)); then apt-get update -qq; apt_updated=1; fi
  log "installing ${missing[*]}"
  # Packages must not start daemons (etcd would listen on its default ports); policy-rc.d 101 forbids it.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

binary_is_valid() {
  [[ -x $binary && -f $stamp && $(cat "$stamp") == "$RECIPE" ]] &&
    "$binary" --version 2>/dev/null | grep -qx "Kubernetes $KUBE_VERSION"
}

apt_install "${RUNTIME_PACKAGES[@]}"
phase "runtime packages"

if binary_is_valid; then
  log "cached: $binary ($("$binary" --version)); nothing to build"
  exit 0
fi

apt_install "${BUILD_PACKAGES[@]}"
phase "build packages"

# apt-get source needs a deb-src entry for bookworm main. Reuse the mirror of the existing bookworm entry so a
# machine pointed at a local mirror keeps using it.
has_kubernetes_source() { apt-cache showsrc kubernetes 2>/dev/null | grep -q '^Package: kubernetes$'; }
ensure_deb_src() {
  has_kubernetes_source && return 0
  apt-get update -qq # an existing deb-src entry may just not have been fetched yet
  has_kubernetes_source && return 0
  local mirror
  mirror=$(awk '/^URIs:/ {uri=$2} /^Suites:.*bookworm( |$)/ && uri {print uri; exit}' \
    /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  if [[ -z $mirror ]]; then
    mirror=$(awk '$1=="deb" && $3=="bookworm" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  fi
  mirror=${mirror:-http://deb.debian.org/debian}
  log "adding deb-src for bookworm main from $mirror"
  cat >/etc/apt/sources.list.d/release-gate-deb-src.sources <<EOF
Types: deb-src
URIs: $mirror
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  apt-get update -qq
  has_kubernetes_source || die "apt-cache showsrc kubernetes finds nothing even with a bookworm deb-src entry"
}
ensure_deb_src
phase "deb-src entry"

work_dir=$cache_dir/work
src_dir=$work_dir/src
mkdir -p "$work_dir/download" "$bin_dir"
(cd "$work_dir/download" && apt-get source -qq --download-only kubernetes) 2>&1 |
  grep -v 'unsandboxed as root' || true
orig_tarball=$(find "$work_dir/download" -maxdepth 1 -name 'kubernetes_*.orig.tar.*' | sort -V | tail -n 1)
[[ -n $orig_tarball ]] || die "apt-get source did not produce kubernetes_*.orig.tar.* in $work_dir/download"
phase "download source"

if [[ ${KEEP_BUILD_TREE:-0} == 1 && -f $src_dir/.unpacked-from && $(cat "$src_dir/.unpacked-from") == "$orig_tarball" ]]; then
  log "reusing the unpacked tree in $src_dir (KEEP_BUILD_TREE=1)"
else
  rm -rf "$src_dir"
  mkdir -p "$src_dir"
  tar -xf "$orig_tarball" -C "$src_dir" --strip-components=1
  [[ -f $src_dir/cmd/kube-apiserver/apiserver.go ]] || die "unexpected layout in $orig_tarball"
  echo "$orig_tarball" >"$src_dir/.unpacked-from"
fi
phase "unpack"

# The vendored reflect2 v1.0.1 crashes under Go >= 1.18 ("fatal error: fault" in runtime.mapiterinit on the
# first custom-resource request); Debian's 1.0.2 is the fixed release with the same API.
reflect2_src=/usr/share/gocode/src/github.com/modern-go/reflect2
reflect2_vendor=$src_dir/vendor/github.com/modern-go/reflect2
[[ -d $reflect2_src ]] || die "missing $reflect2_src (package golang-github-modern-go-reflect2-dev)"
rm -rf "$reflect2_vendor"
mkdir -p "$reflect2_vendor"
cp "$reflect2_src"/*.go "$reflect2_src"/*.s "$reflect2_vendor"/
rm -f "$reflect2_vendor"/*_test.go
phase "swap reflect2"

# The OpenAPI validator of 1.20 treats a value as null when `reflect.DeepEqual(reflect.Zero(T), reflect.ValueOf(v))`.
# With the Go of 1.20's day that compared two distinct pointers and was false for every decoded value; since Go
# 1.19 reflect.Zero and the interface holding "" share one zero buffer, so every empty string in a custom
# resource is refused ("Invalid value: \"null\": ... must be of type string"), and so is `default: ""` in a CRD.
# `data == nil` restores the check as it behaved when 1.20 shipped.
zero_check='data == nil || reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data))'
for validator in vendor/k8s.io/kube-openapi/pkg/validation/validate/type.go vendor/github.com/go-openapi/validate/type.go; do
  sed -i "s/if ${zero_check//./\\.}/if data == nil/" "$src_dir/$validator"
  grep -q 'if data == nil {' "$src_dir/$validator" || die "$validator: the zero-value check to patch was not found"
  ! grep -qF "$zero_check" "$src_dir/$validator" || die "$validator: zero-value check still present after patching"
done
phase "patch openapi zero check"

# GOPATH-mode build through the Makefile: it runs the code generators first (a plain `go build` misses
# generated openapi definitions). GOPROXY=off: anything that tried to download a module would fail, not fetch.
(
  cd "$src_dir"
  # (The Makefile puts GOCACHE under _output/ itself.)
  export HOME=$work_dir/home GOPATH=$work_dir/gopath GOPROXY=off
  export CGO_ENABLED=0 KUBE_GIT_VERSION=$KUBE_VERSION KUBE_GIT_TREE_STATE=clean
  export KUBE_BUILD_PLATFORMS=linux/amd64 GOLDFLAGS="-s -w"
  mkdir -p "$HOME" "$GOPATH"
  make WHAT=cmd/kube-apiserver >"$work_dir/make.log" 2>&1 ||
    { tail -n 40 "$work_dir/make.log" >&2; die "make failed; full log: $work_dir/make.log"; }
)
phase "make kube-apiserver"

install -m 0755 "$src_dir/_output/bin/kube-apiserver" "$binary.tmp"
mv "$binary.tmp" "$binary"
echo "$RECIPE" >"$stamp"
binary_is_valid || die "$binary does not report Kubernetes $KUBE_VERSION"
if [[ ${KEEP_BUILD_TREE:-0} != 1 ]]; then
  rm -rf "$work_dir"
fi
phase "install binary"
printf '[build-apiserver] %-28s %6.1f s\n' "total" "$(elapsed "$started_at" "$(date +%s.%N)")"
log "built $binary ($("$binary" --version))"
