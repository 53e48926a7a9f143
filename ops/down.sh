#!/usr/bin/env bash
# `make down`: stop what `make up` started (the pid files in var/run/). Harmless when nothing runs.
set -euo pipefail
source "$(dirname "$0")/common.sh"

stopped=0
shopt -s nullglob
for pidfile in "$RUN_DIR"/*.pid; do
  name="$(basename "$pidfile" .pid)"
  if ! pid="$(running_pid "$name")"; then
    rm -f "$pidfile"
    continue
  fi
  # up.sh starts each process as the leader of its own session: signal the whole group.
  target="$pid"
  [ "$(ps -o pgid= -p "$pid" | tr -d ' ')" = "$pid" ] && target="-$pid"
  kill -TERM -- "$target" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "$name: did not stop within 10s, killing it"
    kill -KILL -- "$target" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  echo "$name: stopped (pid $pid)"
  stopped=$((stopped + 1))
done
[ "$stopped" -gt 0 ] || echo "nothing running"
