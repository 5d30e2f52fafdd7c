#!/usr/bin/env bash
# Outage rehearsal: gunicorn with the production settings against a PostgreSQL cluster and a
# Redis server of its own (never the shared ones), under wrk load, with `flask worker`
# sending mail to a local SMTP sink.
#
#   bench/outage.sh                      # WORKERS=2 gunicorn processes, 20 s of wrk per phase
#   WORKERS=3 DURATION=30 MAILS=80 bench/outage.sh
#
# 1. PostgreSQL is restarted, then stopped for 3 s, under load: 503s are expected, 500s never.
# 2. Redis is stopped under load: the site keeps answering 200; mail waits in the outbox.
# 3. Redis comes back: every message the site accepted is delivered exactly once
#    (outbox rows marked sent = messages the sink received = distinct Message-IDs).
set -euo pipefail
cd "$(dirname "$0")/.."

WORKERS=${WORKERS:-2}
DURATION=${DURATION:-20}
MAILS=${MAILS:-60}
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
command -v redis-server >/dev/null || { echo "redis-server is not installed" >&2; exit 2; }
[ -x "$PG_BIN/pg_ctl" ] || { echo "PostgreSQL binaries not found under /usr/lib/postgresql" >&2; exit 2; }
make -s install >/dev/null

free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PG_PORT=$(free_port); REDIS_PORT=$(free_port); SMTP_PORT=$(free_port); APP_PORT=$(free_port)

WORK=$(mktemp -d /tmp/miti-outage.XXXXXX)
chmod 755 "$WORK"
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg() { as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w \
  -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off" "$@" >/dev/null; }
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pg stop -m immediate 2>/dev/null || true
  echo "Logs: $WORK"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] && chown postgres "$WORK"
as_postgres "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust -E UTF8 >/dev/null
pg start
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$WORK/redis.log" &
REDIS_PID=$!; PIDS+=($REDIS_PID)
.venv/bin/python bench/outage_tools.py sink --port "$SMTP_PORT" --out "$WORK/sink.json" &
PIDS+=($!)

export FLASK_APP=miti_training MITI_ENV=production COOKIE_SECURE=0 LOG_REQUESTS=0
SECRET_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))')
export SECRET_KEY
export DATABASE_URL="postgresql://postgres@127.0.0.1:${PG_PORT}/postgres"
export REDIS_URL="redis://127.0.0.1:${REDIS_PORT}/0"
export SERVER_BASE_URL="http://127.0.0.1:${APP_PORT}"
export MAIL_BACKEND=smtp MAIL_SERVER=127.0.0.1 MAIL_PORT=$SMTP_PORT MAIL_SWEEP_SECONDS=2
export MITI_INSTANCE_PATH="$WORK/instance"
export WEB_CONCURRENCY=$WORKERS PORT=$APP_PORT GUNICORN_ACCESS_LOG="$WORK/access.log"
# All load comes from one address: the per-address limits are lifted for the rehearsal.
export RESET_RATE_LIMIT="100000 per minute" RESET_CLIENT_LIMIT="100000 per minute" RESET_MAIL_LIMIT="100000 per minute"

.venv/bin/flask db upgrade >/dev/null 2>&1
.venv/bin/python bench/cluster_data.py setup --officials 50 --capacity 100 --programmes 50 >/dev/null
.venv/bin/gunicorn -c gunicorn.conf.py "miti_training:create_app('production')" >"$WORK/gunicorn.log" 2>&1 &
PIDS+=($!)
.venv/bin/flask worker >"$WORK/worker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:${APP_PORT}/readyz" >/dev/null && break; sleep 0.5; done

statuses() {  # the answers gunicorn logged since line $1 of the access log: total, 5xx, 503, 500
  tail -n +"$(( $1 + 1 ))" "$WORK/access.log" | awk -F'" ' '{split($2, f, " "); s=f[1]; n++;
    if (s ~ /^5/) x++; if (s == 503) u++; if (s == 500) e++}
    END {printf "%d answers, %d 5xx (%d 503, %d 500)", n, x, u, e}'
}
lines() { wc -l <"$WORK/access.log"; }
WRK=(wrk -t2 -c16 -d"${DURATION}s" "http://127.0.0.1:${APP_PORT}/programmes")

echo "== 1. PostgreSQL restarted, then down for 3 s, under wrk (${DURATION}s) and ${MAILS} mails =="
start=$(lines)
"${WRK[@]}" >"$WORK/wrk-postgres.txt" &
WRK_PID=$!
.venv/bin/python bench/outage_tools.py mail --base "$SERVER_BASE_URL" --count "$MAILS" \
  --pause 0.2 --out "$WORK/mail-postgres.json" &
MAIL_PID=$!
sleep 4; pg restart -m fast; echo "restarted PostgreSQL at +4 s"
sleep 4; pg stop -m fast; echo "stopped PostgreSQL at +8 s"; sleep 3; pg start; echo "started it at +11 s"
wait "$WRK_PID" "$MAIL_PID"
echo "wrk: $(grep 'Requests/sec' "$WORK/wrk-postgres.txt")"
echo "gunicorn: $(statuses "$start")"
echo "password-reset answers: $(cat "$WORK/mail-postgres.json")"

echo "== 2. Redis stopped under wrk (${DURATION}s) and ${MAILS} mails =="
kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true
start=$(lines)
"${WRK[@]}" >"$WORK/wrk-redis.txt" &
WRK_PID=$!
.venv/bin/python bench/outage_tools.py mail --base "$SERVER_BASE_URL" --count "$MAILS" \
  --pause 0.2 --out "$WORK/mail-redis.json" &
MAIL_PID=$!
for path in / /programmes /account/login; do
  echo "GET $path with Redis down: $(curl -s -o /dev/null -w '%{http_code}' "${SERVER_BASE_URL}${path}")"
done
wait "$WRK_PID" "$MAIL_PID"
echo "wrk: $(grep 'Requests/sec' "$WORK/wrk-redis.txt")"
echo "gunicorn: $(statuses "$start")"
echo "password-reset answers: $(cat "$WORK/mail-redis.json")"
echo "outbox with Redis down: $(.venv/bin/python bench/outage_tools.py outbox)"

echo "== 3. Redis back: every accepted message delivered exactly once =="
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >>"$WORK/redis.log" &
PIDS+=($!)
accepted=$(.venv/bin/python -c "import json,sys; print(sum(json.load(open(p)).get('302', 0) for p in sys.argv[1:]))" \
  "$WORK/mail-postgres.json" "$WORK/mail-redis.json")
for _ in $(seq 1 60); do
  [ "$(.venv/bin/python bench/outage_tools.py outbox | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["unsent"])')" = 0 ] && break
  sleep 1
done
sleep 1
outbox=$(.venv/bin/python bench/outage_tools.py outbox)
echo "mails the site accepted (302): ${accepted}"
echo "outbox: ${outbox}"
echo "SMTP sink: $(cat "$WORK/sink.json")"
.venv/bin/python - "$accepted" "$outbox" "$(cat "$WORK/sink.json")" <<'PY'
import json, sys
accepted, outbox, sink = int(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
ok = outbox["sent"] == sink["received"] == sink["distinct"] == accepted and outbox["unsent"] == 0
print("exactly once:", "yes" if ok else "NO")
sys.exit(0 if ok else 1)
PY
