#!/usr/bin/env bash
# System packages, installed only where missing: the libraries WeasyPrint needs (PDF rendering in billing),
# nginx (the gateway), envsubst (renders the gateway's configuration template), promtool (Debian's prometheus
# package: the tests check the alert rules with it) and pg_dump/pg_restore (backups, and their test); with
# arguments, only those named (`ops/sysdeps.sh chromium npm`: the browser the web tests drive and what installs
# axe-core, for make test).
# libharfbuzz-subset0 matters: without it WeasyPrint subsets fonts in pure Python, about 6x slower.
set -euo pipefail

# package -> how to tell it is there (a shared library known to ldconfig, or a file)
declare -A PROBE=(
  [libpango-1.0-0]="lib:libpango-1.0.so.0"
  [libpangoft2-1.0-0]="lib:libpangoft2-1.0.so.0"
  [libharfbuzz0b]="lib:libharfbuzz.so.0"
  [libharfbuzz-subset0]="lib:libharfbuzz-subset.so.0"
  [fonts-dejavu-core]="file:/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
  [nginx]="file:/usr/sbin/nginx"
  [gettext-base]="file:/usr/bin/envsubst"
  [prometheus]="file:/usr/bin/promtool"
  [postgresql-client]="file:/usr/bin/pg_dump"
  [chromium]="file:/usr/bin/chromium"
  [npm]="file:/usr/bin/npm"
)
ORDER=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core nginx gettext-base
       prometheus postgresql-client)
[ $# -eq 0 ] || ORDER=("$@")

libs="$(ldconfig -p 2>/dev/null | awk 'NR > 1 {print $1}' || true)"
missing=()
for package in "${ORDER[@]}"; do
  probe="${PROBE[$package]}"
  case "$probe" in
    lib:*) grep -qxF "${probe#lib:}" <<<"$libs" || missing+=("$package") ;;
    file:*) [ -e "${probe#file:}" ] || missing+=("$package") ;;
  esac
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages (${ORDER[*]}): present"
  exit 0
fi

echo "system packages missing: ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "no apt-get here: install the equivalents of ${missing[*]} with your package manager" >&2
  exit 1
fi
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
if ! "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
  echo "apt-get install failed; refreshing the package lists and trying again"
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi
