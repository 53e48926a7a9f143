#!/usr/bin/env bash
# `make up`: migrate and start every service present, the local SMTP sink and the gateway, in the background.
# A service already running (its pid file names a live process) is left alone.
set -euo pipefail
source "$(dirname "$0")/common.sh"

TIMEOUT="${COLO_UP_TIMEOUT:-60}"
mkdir -p "$RUN_DIR" "$LOG_DIR" "$MAIL_DIR"
development_secrets
# Local demo only: every service adds the seconds written in var/clock to the time, so that
# option deadlines can be passed by hand (README, step 8). Production leaves COLO_CLOCK_FILE unset.
export COLO_CLOCK_FILE="${COLO_CLOCK_FILE:-$ROOT/var/clock}"
[ -f "$COLO_CLOCK_FILE" ] || echo 0 >"$COLO_CLOCK_FILE"
mapfile -t services < <(present_services)
if [ ${#services[@]} -eq 0 ]; then
  echo "no service to start (none of services/<name>/pyproject.toml exists)" >&2
  exit 1
fi

# start NAME PORT COMMAND...: detached (own session, immune to the terminal closing), log appended.
start() {
  local name="$1" port="$2"; shift 2
  local pid
  if pid="$(running_pid "$name")"; then
    echo "$name: already running (pid $pid)"
    return 0
  fi
  rm -f "$RUN_DIR/$name.pid"
  if port_open "$port"; then
    echo "$name: port $port is taken by a process this script did not start; stop it first" >&2
    exit 1
  fi
  printf '{"event": "process.starting", "service": "%s", "timestamp": "%s"}\n' "$name" "$(date -u +%FT%T.%6NZ)" \
    >>"$LOG_DIR/$name.log"  # a JSON line like every other, so that the log reads with jq
  setsid nohup "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$name.pid"
  echo "$name: started (pid $!), log in var/log/$name.log"
}

# wait_ready NAME CHECK...: until CHECK succeeds, the process dies or the timeout passes.
wait_ready() {
  local name="$1"; shift
  local deadline=$((SECONDS + TIMEOUT))
  until "$@"; do
    if ! running_pid "$name" >/dev/null; then
      echo "$name: the process exited while starting; last lines of var/log/$name.log:" >&2
      tail -n 20 "$LOG_DIR/$name.log" >&2
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$name: not ready after ${TIMEOUT}s; see var/log/$name.log (make down stops what started)" >&2
      if [ -n "${PORT[$name]:-}" ]; then
        echo "$name: /readyz says $(curl -s --max-time 2 "http://127.0.0.1:${PORT[$name]}/readyz" || echo nothing)" >&2
      fi
      exit 1
    fi
    sleep 0.5
  done
}

http_ready() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1/readyz")" = 200 ]
}

for name in "${services[@]}"; do
  if ! "$VENV/bin/colo-migrate" "$name"; then
    echo "$name: migration failed (colo-migrate $name); nothing of $name was started" >&2
    exit 1
  fi
done

if [[ " ${services[*]} " == *" identity "* ]]; then
  "$VENV/bin/python" -m identity.bootstrap --email "$ADMIN_EMAIL" --name "Administrateur" --role admin \
    --perm health_data --perm supervision --password-file "$SECRETS_DIR/admin_password"
  "$VENV/bin/python" -m identity.bootstrap --email "$OPERATOR_EMAIL" --name "Opérateur de démonstration" \
    --role operator --password-file "$SECRETS_DIR/operator_password"
fi

start smtp-sink "$SMTP_PORT" "$VENV/bin/colo-smtp-sink" --port "$SMTP_PORT" --dir "$MAIL_DIR"
# Stripe's stand-in: orders calls its API, families pay on its pages, and it notifies orders through the gateway,
# as Stripe would reach the platform's public address.
start stripe-emulator "$STRIPE_PORT" "$VENV/bin/colo-stripe-emulator" --port "$STRIPE_PORT" \
  --api-key-file "$SECRETS_DIR/stripe_secret_key" --webhook-secret-file "$SECRETS_DIR/stripe_webhook_secret" \
  --webhook-url "http://127.0.0.1:$GATEWAY_PORT/api/orders/webhooks/stripe"
for name in "${services[@]}"; do
  own_secret=()  # the service's client secret at identity, for its queries to other services
  [ -f "$SECRETS_DIR/client_secret_$name" ] && own_secret=("COLO_SERVICE_CLIENT_SECRET_FILE=$SECRETS_DIR/client_secret_$name")
  [ "$name" = orders ] && own_secret+=("COLO_ONLINE_PAYMENTS=true" "COLO_STRIPE_API_BASE=http://127.0.0.1:$STRIPE_PORT"
    "COLO_STRIPE_SECRET_KEY_FILE=$SECRETS_DIR/stripe_secret_key"
    "COLO_STRIPE_WEBHOOK_SECRET_FILE=$SECRETS_DIR/stripe_webhook_secret"
    "COLO_FRONT_OFFICE_URL=http://127.0.0.1:$GATEWAY_PORT")
  # The links mailed (sign-up confirmation, passwords) open the web application through the gateway.
  [ "$name" = notifications ] && own_secret+=("COLO_FRONT_OFFICE_URL=http://127.0.0.1:$GATEWAY_PORT"
    "COLO_BACK_OFFICE_URL=http://127.0.0.1:$GATEWAY_PORT/bo")
  start "$name" "${PORT[$name]}" env "${own_secret[@]}" \
    "$VENV/bin/uvicorn" --factory "$name.app:create" --host 127.0.0.1 --port "${PORT[$name]}"
done

# The web application calls each service at its own address (through the gateway, every family's login would
# share the web's one address in the gateway's login limit).
if [ -f services/web/pyproject.toml ]; then
  service_urls="{$(for name in "${services[@]}"; do printf '"%s": "http://127.0.0.1:%s",' "$name" "${PORT[$name]}"; done)"
  start web "$WEB_PORT" env "COLO_API_URL=http://127.0.0.1:$GATEWAY_PORT/api" "COLO_SERVICE_URLS=${service_urls%,}}" \
    "$VENV/bin/uvicorn" --factory web.app:create --host 127.0.0.1 --port "$WEB_PORT"
fi

wait_ready smtp-sink port_open "$SMTP_PORT"
wait_ready stripe-emulator port_open "$STRIPE_PORT"
for name in "${services[@]}"; do
  wait_ready "$name" http_ready "${PORT[$name]}"
done
# Orders books from its own copies of clients and stock: what happened while it was not listening is filled in.
if [[ " ${services[*]} " == *" orders "* && -f "$SECRETS_DIR/client_secret_orders" ]]; then
  COLO_SERVICE_CLIENT_SECRET_FILE="$SECRETS_DIR/client_secret_orders" "$VENV/bin/colo-orders-backfill" \
    || echo "orders: back-fill of its copies failed (colo-orders-backfill); bookings ask clients and stock meanwhile" >&2
fi

if [ -f services/web/pyproject.toml ]; then
  wait_ready web http_ready "$WEB_PORT"
fi

# The gateway last, in front of what runs (a service not started answers 502 through it). Already running,
# it reloads the configuration rendered again (COLO_GATEWAY_UPSTREAM_<NAME> may have changed).
mkdir -p "$GATEWAY_DIR"
gateway_config "$GATEWAY_DIR/nginx.conf"
if ! "$NGINX" -t -q -p "$GATEWAY_DIR/" -c nginx.conf -e stderr -g "$GATEWAY_DIRECTIVES"; then
  echo "gateway: var/gateway/nginx.conf (ops/gateway/nginx.conf.template) is not valid; not started nor reloaded" >&2
  exit 1
fi
if pid="$(running_pid gateway)"; then
  kill -HUP "$pid"
  echo "gateway: already running (pid $pid), configuration reloaded"
else
  start gateway "$GATEWAY_PORT" "$NGINX" -p "$GATEWAY_DIR/" -c nginx.conf -e stderr -g "daemon off; $GATEWAY_DIRECTIVES"
fi
gateway_ready() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
    "http://127.0.0.1:$GATEWAY_PORT/api/${services[0]}/healthz")" = 200 ]
}
wait_ready gateway gateway_ready

echo
echo "Colo is up:"
printf '  %-14s http://127.0.0.1:%s  (the API under /api/<service>/, its docs at /api/<service>/docs)\n' \
  gateway "$GATEWAY_PORT"
for name in identity clients orders billing notifications stock; do
  if [[ " ${services[*]} " == *" $name "* ]]; then
    printf '  %-14s http://127.0.0.1:%s/docs\n' "$name" "${PORT[$name]}"
    continue
  fi
  if [ -f "services/$name/pyproject.toml" ]; then
    printf '  %-14s not started (not in SERVICES)\n' "$name"
  else
    printf '  %-14s not started (services/%s/ does not exist yet)\n' "$name" "$name"
  fi
done
if [ -f services/web/pyproject.toml ]; then
  echo "  back-office    http://127.0.0.1:$GATEWAY_PORT/bo/  (log in as $ADMIN_EMAIL or $OPERATOR_EMAIL, passwords below)"
  echo "  family portal  http://127.0.0.1:$GATEWAY_PORT/  (families sign up there; their confirmation mail is in var/mail/)"
fi
echo "  mail           SMTP 127.0.0.1:$SMTP_PORT, every message kept as a .eml file in var/mail/"
echo "  card payments  Stripe emulator http://127.0.0.1:$STRIPE_PORT: its pages take the families' payments, its"
echo "                 webhooks reach orders through the gateway (key and secret in var/secrets/stripe_*)"
echo "  logs           var/log/<name>.log"
echo "  first admin    $ADMIN_EMAIL, password in var/secrets/admin_password (manages users: POST /users on identity)"
echo "  operator       $OPERATOR_EMAIL, password in var/secrets/operator_password"
echo "  token          make token (the demonstration operator $OPERATOR_EMAIL), or as the admin:"
echo "                 .venv/bin/colo-token --username $ADMIN_EMAIL --password-file var/secrets/admin_password"
echo "  stop           make down"
