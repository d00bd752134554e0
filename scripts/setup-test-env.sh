#!/usr/bin/env bash
# Everything the test suite needs on a fresh Debian 12 machine (run as root): Debian packages for the real
# components the tests start (Prometheus, Alertmanager, etcd, a kube-apiserver built once from Debian's
# source package and cached), xmllint for the JUnit checks, and the npm dependencies.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ $(id -u) -ne 0 ]]; then
  echo "setup-test-env: run as root (it installs Debian packages)" >&2
  exit 1
fi

apt_updated_marker=/var/lib/apt/periodic/release-gate-updated
if [[ ! -e $apt_updated_marker || -n $(find "$apt_updated_marker" -mmin +360 2>/dev/null) ]]; then
  apt-get update -qq
  mkdir -p "$(dirname "$apt_updated_marker")" && touch "$apt_updated_marker"
fi
command -v xmllint >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libxml2-utils >/dev/null

test/infra/prometheus/install.sh
test/infra/kube/build-apiserver.sh

npm ci --no-audit --no-fund
