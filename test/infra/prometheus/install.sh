#!/usr/bin/env bash
# Installs the real Prometheus 2.42 (+ promtool) and Alertmanager 0.25 from Debian for the
# test harness. Idempotent: does nothing when all binaries are already present.
set -euo pipefail

required_binaries=(prometheus promtool prometheus-alertmanager)

missing=0
for binary in "${required_binaries[@]}"; do
  command -v "$binary" >/dev/null 2>&1 || missing=1
done
if [[ $missing -eq 0 ]]; then
  echo "prometheus test infra: already installed ($(prometheus --version 2>&1 | head -n1))"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "prometheus test infra: must run as root to apt-get install" >&2
  exit 1
fi

# Without this guard the packages' postinst would start daemons listening on 0.0.0.0:9090/9093/9094.
# Leave an existing policy in place (it may be stricter); remove only the one we created.
created_policy=0
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  created_policy=1
fi
cleanup() {
  if [[ $created_policy -eq 1 ]]; then rm -f /usr/sbin/policy-rc.d; fi
}
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists; refresh them only when the packages are not known yet.
if ! apt-cache show prometheus >/dev/null 2>&1 || ! apt-cache show prometheus-alertmanager >/dev/null 2>&1; then
  apt-get update -q
fi
install_packages() { apt-get install -y -q --no-install-recommends prometheus prometheus-alertmanager; }
# Stale package lists point at versions the mirror no longer has: refresh once and retry.
install_packages || { apt-get update -q && install_packages; }

for binary in "${required_binaries[@]}"; do
  command -v "$binary" >/dev/null 2>&1 || { echo "prometheus test infra: $binary missing after install" >&2; exit 1; }
done
echo "prometheus test infra: installed ($(prometheus --version 2>&1 | head -n1))"
