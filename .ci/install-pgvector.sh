#!/usr/bin/env bash
# Make the pgvector extension available to the local PostgreSQL 15 server (Debian bookworm).
#
# Bookworm ships no pgvector package, so this builds Debian trixie's pgvector *source* package
# against PostgreSQL 15 (PGXS) and installs it with `make install`:
#   1. skip everything when vector.control + vector.so are already installed for PG 15 (fast path);
#   2. install build deps (postgresql-server-dev-15, make/gcc, dpkg-dev), `apt-get update` only if needed;
#   3. add a deb-src-only source for trixie main (binary package selection is unchanged), using the
#      Debian mirror this machine already uses;
#   4. `apt-get source --download-only pgvector`, `dpkg-source -x`, make, make install (in a temp dir);
#   5. if a server answers on 127.0.0.1:5432, CREATE EXTENSION vector in a throwaway database.
#
# Environment overrides (all optional):
#   PG_MAJOR=15                 PostgreSQL major version to build for
#   DEBIAN_MIRROR=<url>         Debian mirror for the trixie deb-src entry (default: detected from apt sources)
#   PGVECTOR_OPTFLAGS=<flags>   passed as OPTFLAGS to pgvector's Makefile (default: empty, like Debian's
#                               package: portable code; upstream's default is -march=native)
#   PGVECTOR_SKIP_VERIFY=1      do not touch the running server
set -euo pipefail
set -E # ERR trap also fires inside functions

PG_MAJOR="${PG_MAJOR:-15}"
PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config"
SRC_FILE="/etc/apt/sources.list.d/shelfwise-trixie-src.sources"
VERIFY_HOST=127.0.0.1
VERIFY_PORT=5432
VERIFY_DB=shelfwise_ci_check

STEP="start"
TMP_DIR=""
START_TS=$(date +%s)

log() { printf 'install-pgvector: %s\n' "$*"; }
step() { STEP="$1"; log "$1 ..."; }
die() { printf 'install-pgvector: FAILED at step "%s": %s\n' "$STEP" "$*" >&2; exit 1; }
on_err() {
  local rc=$1 line=$2
  trap - ERR
  printf 'install-pgvector: FAILED at step "%s" (exit %s, line %s)\n' "$STEP" "$rc" "$line" >&2
  exit "$rc"
}
cleanup() { if [[ -n "$TMP_DIR" && -d "$TMP_DIR" ]]; then rm -rf -- "$TMP_DIR"; fi; }
trap 'on_err $? $LINENO' ERR
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-q -y -o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0)

[[ $EUID -eq 0 ]] || die "must run as root (apt-get and make install into the PostgreSQL tree)"

pg_sharedir() { "$PG_CONFIG" --sharedir; }
pg_pkglibdir() { "$PG_CONFIG" --pkglibdir; }
pgvector_installed() {
  [[ -x "$PG_CONFIG" ]] || return 1
  [[ -f "$(pg_sharedir)/extension/vector.control" && -f "$(pg_pkglibdir)/vector.so" ]]
}
control_version() {
  sed -n "s/^default_version *= *'\{0,1\}\([^']*\)'\{0,1\}.*/\1/p" "$(pg_sharedir)/extension/vector.control"
}

apt_update_all() {
  log "running apt-get update"
  apt-get "${APT_OPTS[@]}" update
}

# Install packages; refresh the package lists first only if apt does not know a package,
# and once more (then retry) if the install fails, e.g. because cached lists point at removed .debs.
apt_install() {
  local pkg need_update=0
  for pkg in "$@"; do
    apt-cache show "$pkg" >/dev/null 2>&1 || need_update=1
  done
  [[ $need_update -eq 0 ]] || apt_update_all
  if ! apt-get "${APT_OPTS[@]}" install --no-install-recommends "$@"; then
    log "apt-get install failed; refreshing package lists and retrying once"
    apt_update_all
    apt-get "${APT_OPTS[@]}" install --no-install-recommends "$@"
  fi
}

is_installed_pkg() { [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" == "ii " ]]; }

# Print the first URI of an enabled binary ("deb") source for suite $1 in the apt configuration.
detect_mirror() {
  local suite="$1" f uri
  shopt -s nullglob
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ "$f" == "$SRC_FILE" ]] && continue
    uri=$(awk -v suite="$suite" '
      function reset() { types = suites = uris = enabled = last = "" }
      function check(   a) {
        sub(/^[ \t]+/, "", uris)
        if (types ~ /(^|[ \t])deb([ \t]|$)/ && (" " suites " ") ~ ("[ \t]" suite "[ \t]") &&
            enabled !~ /^(no|false)/ && uris != "") { split(uris, a, /[ \t]+/); print a[1]; found = 1; exit }
        reset()
      }
      BEGIN { reset() }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { check(); next }
      /^[ \t]/ { if (last == "uris") uris = uris " " $0; else if (last == "suites") suites = suites " " $0;
                 else if (last == "types") types = types " " $0; next }
      { key = tolower($0); sub(/:.*/, "", key); val = $0; sub(/^[^:]*:[ \t]*/, "", val); last = key
        if (key == "types") types = val; else if (key == "uris") uris = val
        else if (key == "suites") suites = val; else if (key == "enabled") enabled = tolower(val) }
      END { if (!found) check() }' "$f")
    if [[ -n "$uri" ]]; then printf '%s\n' "$uri"; return 0; fi
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    uri=$(awk -v suite="$suite" '
      $1 == "deb" { line = $0; sub(/#.*/, "", line); gsub(/\[[^]]*\]/, "", line); n = split(line, f)
                    if (n >= 3 && f[3] == suite) { print f[2]; exit } }' "$f")
    if [[ -n "$uri" ]]; then printf '%s\n' "$uri"; return 0; fi
  done
  return 1
}

# ---------------------------------------------------------------------------------------------
step "checking for an existing pgvector build for PostgreSQL ${PG_MAJOR}"
if pgvector_installed; then
  log "pgvector $(control_version) already installed for PostgreSQL ${PG_MAJOR} ($(pg_sharedir)/extension/vector.control); skipping build"
else
  # -------------------------------------------------------------------------------------------
  step "installing build dependencies"
  pkgs=()
  # On bookworm postgresql-client-N already ships pg_config AND pgxs.mk; only the server headers
  # (postgres.h) tell whether postgresql-server-dev-N is installed.
  [[ -x "$PG_CONFIG" && -f "$("$PG_CONFIG" --includedir-server 2>/dev/null)/postgres.h" ]] ||
    pkgs+=("postgresql-server-dev-${PG_MAJOR}")
  if ! command -v make >/dev/null || ! command -v gcc >/dev/null || ! is_installed_pkg libc6-dev; then
    pkgs+=(build-essential)
  fi
  command -v dpkg-source >/dev/null || pkgs+=(dpkg-dev)
  if [[ ${#pkgs[@]} -gt 0 ]]; then
    log "installing: ${pkgs[*]}"
    apt_install "${pkgs[@]}"
  else
    log "build dependencies already present"
  fi
  [[ -x "$PG_CONFIG" && -f "$("$PG_CONFIG" --includedir-server)/postgres.h" ]] ||
    die "PostgreSQL ${PG_MAJOR} server headers not found after installing postgresql-server-dev-${PG_MAJOR}"

  # -------------------------------------------------------------------------------------------
  step "configuring the trixie deb-src source"
  if apt-cache showsrc pgvector 2>/dev/null | grep -q '^Package: pgvector'; then
    log "apt already knows the pgvector source package"
  else
    if [[ -n "${DEBIAN_MIRROR:-}" ]]; then
      mirror="$DEBIAN_MIRROR"
    else
      codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
      [[ -n "$codename" ]] || die "cannot read VERSION_CODENAME from /etc/os-release"
      mirror=$(detect_mirror "$codename") ||
        die "no 'deb' source for suite '$codename' found in /etc/apt/sources.list{,.d}; set DEBIAN_MIRROR"
    fi
    keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    [[ -f "$keyring" ]] || die "$keyring missing (package debian-archive-keyring)"
    content="# Added by Shelfwise .ci/install-pgvector.sh: Debian trixie SOURCE packages only (Types: deb-src),
# so binary package selection is unchanged. Used to build pgvector for PostgreSQL ${PG_MAJOR}.
Types: deb-src
URIs: ${mirror}
Suites: trixie
Components: main
Signed-By: ${keyring}
"
    if [[ ! -f "$SRC_FILE" ]] || [[ "$(cat "$SRC_FILE")" != "$(printf '%s' "$content")" ]]; then
      printf '%s' "$content" >"$SRC_FILE"
      log "wrote $SRC_FILE (mirror $mirror)"
    fi
    # Refresh only this source's index; the other lists are left as they are.
    log "apt-get update (trixie deb-src only)"
    apt-get "${APT_OPTS[@]}" update -o Dir::Etc::SourceList="$SRC_FILE" -o Dir::Etc::SourceParts=- \
      -o APT::Get::List-Cleanup=0
    apt-cache showsrc pgvector 2>/dev/null | grep -q '^Package: pgvector' ||
      die "pgvector source package not found in trixie main at $mirror"
  fi

  # -------------------------------------------------------------------------------------------
  step "downloading the pgvector source package"
  TMP_DIR=$(mktemp -d /tmp/pgvector-build.XXXXXX)
  chmod 0755 "$TMP_DIR"
  # Let apt's unprivileged download user write here (avoids the "unsandboxed as root" warning).
  if id _apt >/dev/null 2>&1; then chown _apt "$TMP_DIR"; fi
  (cd "$TMP_DIR" && apt-get "${APT_OPTS[@]}" source --download-only pgvector)
  dsc=$(find "$TMP_DIR" -maxdepth 1 -name 'pgvector_*.dsc' | head -n1)
  [[ -n "$dsc" ]] || die "no pgvector .dsc downloaded"
  log "got $(basename "$dsc")"

  step "unpacking the source package"
  # apt already checked the .dsc against the signed trixie Sources index; dpkg-source's own
  # signature check only warns (no debian-keyring installed), so its output goes to a log.
  dpkg-source -x "$dsc" "$TMP_DIR/src" >"$TMP_DIR/unpack.log" 2>&1 ||
    { cat "$TMP_DIR/unpack.log" >&2; die "dpkg-source -x failed (output above)"; }

  step "building pgvector against PostgreSQL ${PG_MAJOR}"
  make -C "$TMP_DIR/src" -j"$(nproc)" PG_CONFIG="$PG_CONFIG" OPTFLAGS="${PGVECTOR_OPTFLAGS:-}" >"$TMP_DIR/build.log" 2>&1 ||
    { tail -n 40 "$TMP_DIR/build.log" >&2; die "make failed (last 40 lines above)"; }

  step "installing pgvector"
  make -C "$TMP_DIR/src" PG_CONFIG="$PG_CONFIG" OPTFLAGS="${PGVECTOR_OPTFLAGS:-}" install >"$TMP_DIR/install.log" 2>&1 ||
    { tail -n 40 "$TMP_DIR/install.log" >&2; die "make install failed (last 40 lines above)"; }
  pgvector_installed || die "vector.control / vector.so not found after make install"
  log "installed pgvector $(control_version) into $(pg_pkglibdir) and $(pg_sharedir)/extension"

  step "cleaning up the build directory"
  rm -rf -- "$TMP_DIR"
  TMP_DIR=""
fi

# ---------------------------------------------------------------------------------------------
step "verifying against the server on ${VERIFY_HOST}:${VERIFY_PORT}"
if [[ "${PGVECTOR_SKIP_VERIFY:-0}" == 1 ]]; then
  log "PGVECTOR_SKIP_VERIFY=1; not touching the server"
elif ! command -v psql >/dev/null; then
  log "psql not installed; skipping the server check"
elif ! pg_isready -q -h "$VERIFY_HOST" -p "$VERIFY_PORT" -t 5 2>/dev/null; then
  log "no server accepting connections on ${VERIFY_HOST}:${VERIFY_PORT}; skipping the server check"
else
  export PGOPTIONS="${PGOPTIONS:+$PGOPTIONS }-c client_min_messages=warning"
  PSQL=(psql -X -w -q -v ON_ERROR_STOP=1 -h "$VERIFY_HOST" -p "$VERIFY_PORT" -U postgres)
  server_version=$("${PSQL[@]}" -d postgres -Atc "SHOW server_version_num")
  if [[ "${server_version:0:2}" != "$PG_MAJOR" ]]; then
    log "warning: the server on ${VERIFY_HOST}:${VERIFY_PORT} is version ${server_version}, not ${PG_MAJOR}"
  fi
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS ${VERIFY_DB}" -c "CREATE DATABASE ${VERIFY_DB}"
  if ! ext_version=$("${PSQL[@]}" -d "$VERIFY_DB" -Atc \
    "CREATE EXTENSION IF NOT EXISTS vector; SELECT extversion FROM pg_extension WHERE extname='vector'"); then
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS ${VERIFY_DB}" || true
    die "CREATE EXTENSION vector failed on ${VERIFY_HOST}:${VERIFY_PORT}"
  fi
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS ${VERIFY_DB}"
  [[ -n "$ext_version" ]] || die "extension vector not listed in pg_extension after CREATE EXTENSION"
  log "server ${server_version}: CREATE EXTENSION vector OK (extversion ${ext_version}); dropped ${VERIFY_DB}"
fi

STEP="done"
log "done in $(($(date +%s) - START_TS)) s"
