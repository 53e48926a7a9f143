# Sourced by up.sh and down.sh: the services, their ports, and the helpers for pid files.
# shellcheck shell=bash
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
VENV="$ROOT/.venv"
RUN_DIR="$ROOT/var/run"
LOG_DIR="$ROOT/var/log"
MAIL_DIR="$ROOT/var/mail"
SMTP_PORT="${COLO_SMTP_SINK_PORT:-1025}"
STRIPE_PORT="${COLO_STRIPE_EMULATOR_PORT:-8090}"
SECRETS_DIR="$ROOT/var/secrets"

# A developer machine's platform: development mode, and secrets generated once into var/secrets/ (never
# committed), given to every service as COLO_<NAME>_FILE as production would mount them: identity's signing key,
# each service's client secret at identity (identity gets their SHA-256), the health data keys, and the passwords
# of the first admin and of a demonstration operator (make up creates both accounts), and the Stripe emulator's secret
# key and webhook secret (orders and the emulator share them, as orders and Stripe would).
development_secrets() {
  mkdir -p "$SECRETS_DIR"
  chmod 700 "$SECRETS_DIR"
  [ -s "$SECRETS_DIR/signing_key.pem" ] || "$VENV/bin/python" -c \
    'import sys; from shared.auth import SigningKey; sys.stdout.buffer.write(SigningKey.generate().pem())' \
    >"$SECRETS_DIR/signing_key.pem"
  [ -s "$SECRETS_DIR/health_data_keys" ] || "$VENV/bin/python" -c \
    'import json; from cryptography.fernet import Fernet; print(json.dumps([Fernet.generate_key().decode()]))' \
    >"$SECRETS_DIR/health_data_keys"
  [ -s "$SECRETS_DIR/stripe_secret_key" ] || "$VENV/bin/python" -c \
    'import secrets; print("sk_test_" + secrets.token_urlsafe(24))' >"$SECRETS_DIR/stripe_secret_key"
  [ -s "$SECRETS_DIR/stripe_webhook_secret" ] || "$VENV/bin/python" -c \
    'import secrets; print("whsec_" + secrets.token_urlsafe(24))' >"$SECRETS_DIR/stripe_webhook_secret"
  local name
  for name in "${ALL_SERVICES[@]}" admin_password operator_password supervision_code; do
    [ "$name" = identity ] && continue
    local file="$SECRETS_DIR/$name"
    [[ "$name" == *_password || "$name" == supervision_code ]] || file="$SECRETS_DIR/client_secret_$name"
    [ -s "$file" ] || "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(24))' >"$file"
  done
  "$VENV/bin/python" - "$SECRETS_DIR" "${ALL_SERVICES[@]}" >"$SECRETS_DIR/service_client_hashes" <<'PY'
import hashlib, json, pathlib, sys
folder = pathlib.Path(sys.argv[1])
print(json.dumps({name: hashlib.sha256((folder / f"client_secret_{name}").read_text().rstrip("\n").encode()).hexdigest()
                  for name in sys.argv[2:] if name != "identity"}))
PY
  chmod 600 "$SECRETS_DIR"/*
  export COLO_ENVIRONMENT=development
  export COLO_SIGNING_KEY_FILES="[\"$SECRETS_DIR/signing_key.pem\"]"
  export COLO_SERVICE_CLIENT_HASHES_FILE="$SECRETS_DIR/service_client_hashes"
  export COLO_HEALTH_DATA_KEYS_FILE="$SECRETS_DIR/health_data_keys"
  export COLO_SUPERVISION_CODE_FILE="$SECRETS_DIR/supervision_code"
}

ADMIN_EMAIL="admin@colo.local"
OPERATOR_EMAIL="operator@colo.local"

# Start order: what others query over HTTP comes first (identity checks every token; orders asks clients and stock).
ALL_SERVICES=(identity clients stock billing notifications orders)
declare -A PORT=([clients]=8001 [orders]=8002 [billing]=8003 [notifications]=8004 [stock]=8005 [identity]=8006)

# The web application: no database nor bus, started after the services it renders (services/web/).
WEB_PORT="${COLO_WEB_PORT:-8007}"

# The services present in this checkout (services/<name>/pyproject.toml), or those named in
# SERVICES="stock orders" on the command line.
present_services() {
  local name
  for name in ${SERVICES:-${ALL_SERVICES[*]}}; do
    if [ -z "${PORT[$name]:-}" ]; then
      echo "unknown service '$name' (known: ${ALL_SERVICES[*]})" >&2
      return 1
    fi
    if [ -f "services/$name/pyproject.toml" ]; then
      echo "$name"
    fi
  done
}

# The pid in var/run/<name>.pid when that process is alive and is still the one we started.
running_pid() {
  local name="$1" pidfile="$RUN_DIR/$1.pid" pid
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  local marker="--factory $name.app:create"
  [ "$name" = smtp-sink ] && marker="colo-smtp-sink"
  [ "$name" = stripe-emulator ] && marker="colo-stripe-emulator"
  [ "$name" = gateway ] && marker="-p $GATEWAY_DIR/"
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker" || return 1
  echo "$pid"
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The gateway: nginx on one port in front of every service (/api/<name>/) and the web application (/).
GATEWAY_PORT="${COLO_GATEWAY_PORT:-8080}"
GATEWAY_DIR="$ROOT/var/gateway"
GATEWAY_TEMPLATE="$ROOT/ops/gateway/nginx.conf.template"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
declare -A UPSTREAM_PORT=([clients]=8001 [orders]=8002 [billing]=8003 [notifications]=8004 [stock]=8005
                          [identity]=8006 [web]=8007)
# Its pid file and temporary files stay in var/gateway/. As root, nginx would run its workers as nobody,
# who may not reach var/ (a checkout in a private home directory).
GATEWAY_DIRECTIVES="pid nginx.pid;$([ "$(id -u)" -ne 0 ] || echo ' user root;')"

# gateway_config FILE: the template rendered for this machine. COLO_GATEWAY_UPSTREAM_<NAME> lists an upstream's
# servers (replicas: "server 127.0.0.1:8002; server 10.0.0.2:8002;"); by default the service's port here.
gateway_config() {
  local name variable
  export COLO_GATEWAY_LISTEN="127.0.0.1:$GATEWAY_PORT"
  export COLO_GATEWAY_READ_TIMEOUT="${COLO_GATEWAY_READ_TIMEOUT:-60s}"
  for name in "${!UPSTREAM_PORT[@]}"; do
    variable="COLO_GATEWAY_UPSTREAM_${name^^}"
    export "$variable=${!variable:-server 127.0.0.1:${UPSTREAM_PORT[$name]};}"
  done
  envsubst "$(grep -o '${COLO_GATEWAY_[A-Z_]*}' "$GATEWAY_TEMPLATE" | sort -u | tr '\n' ' ')" <"$GATEWAY_TEMPLATE" >"$1"
}
