#!/usr/bin/env bash
# Install Debian's chromium package (used by playwright-core with executablePath /usr/bin/chromium;
# no browser download is possible on CI machines). Skips the install when /usr/bin/chromium exists.
# fonts-liberation (metric-compatible Arial/Times/Courier) is added so pages render with real
# fonts even though recommended packages are not installed.
set -euo pipefail
set -E

STEP="start"
START_TS=$(date +%s)
log() { printf 'install-chromium: %s\n' "$*"; }
step() { STEP="$1"; log "$1 ..."; }
on_err() {
  trap - ERR
  printf 'install-chromium: FAILED at step "%s" (exit %s, line %s)\n' "$STEP" "$1" "$2" >&2
  exit "$1"
}
trap 'on_err $? $LINENO' ERR

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-q -y -o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0)
PKGS=(chromium fonts-liberation)

step "checking for /usr/bin/chromium"
if [[ -x /usr/bin/chromium ]]; then
  log "/usr/bin/chromium already installed; skipping apt-get"
else
  [[ $EUID -eq 0 ]] || { log "must run as root to install chromium"; false; }
  step "installing ${PKGS[*]}"
  need_update=0
  for pkg in "${PKGS[@]}"; do apt-cache show "$pkg" >/dev/null 2>&1 || need_update=1; done
  if [[ $need_update -eq 1 ]]; then
    log "running apt-get update"
    apt-get "${APT_OPTS[@]}" update
  fi
  if ! apt-get "${APT_OPTS[@]}" install --no-install-recommends "${PKGS[@]}"; then
    log "apt-get install failed; refreshing package lists and retrying once"
    apt-get "${APT_OPTS[@]}" update
    apt-get "${APT_OPTS[@]}" install --no-install-recommends "${PKGS[@]}"
  fi
fi

step "checking chromium --version"
version=$(/usr/bin/chromium --version)
log "$version"
STEP="done"
log "done in $(($(date +%s) - START_TS)) s"
