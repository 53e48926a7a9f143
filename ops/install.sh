#!/usr/bin/env bash
# The project's virtualenv: locked dependencies (hash-checked), then shared/ and every service
# present under services/ installed editable. Idempotent: the lock is reinstalled only when
# requirements.lock changed, the editables only when the set of packages or their pyproject changed.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
PYTHON="${PYTHON:-python3}"
LOCK_STAMP="$VENV/.colo-lock.sha256"
EDITABLE_STAMP="$VENV/.colo-editables.sha256"

if [ ! -x "$VENV/bin/python" ]; then
  echo "creating $VENV with $PYTHON ($("$PYTHON" --version 2>&1))"
  "$PYTHON" -m venv "$VENV"
fi

lock_sum="$(sha256sum requirements.lock)"
if [ ! -f "$LOCK_STAMP" ] || [ "$(cat "$LOCK_STAMP")" != "$lock_sum" ]; then
  echo "installing requirements.lock into $VENV"
  "$VENV/bin/pip" install --disable-pip-version-check --require-hashes -r requirements.lock
  printf '%s\n' "$lock_sum" >"$LOCK_STAMP"
  rm -f "$EDITABLE_STAMP"
fi

projects=(shared)
for pyproject in services/*/pyproject.toml; do
  [ -e "$pyproject" ] && projects+=("$(dirname "$pyproject")")
done
editable_sum="$(for p in "${projects[@]}"; do sha256sum "$p/pyproject.toml"; done)"
if [ ! -f "$EDITABLE_STAMP" ] || [ "$(cat "$EDITABLE_STAMP")" != "$editable_sum" ]; then
  args=()
  for p in "${projects[@]}"; do args+=(-e "$p"); done
  echo "installing editable: ${projects[*]}"
  "$VENV/bin/pip" install --disable-pip-version-check --quiet --no-deps --no-build-isolation "${args[@]}"
  printf '%s\n' "$editable_sum" >"$EDITABLE_STAMP"
fi
echo "$VENV is up to date (${projects[*]})"
