#!/usr/bin/env bash
# Two-host rehearsal on one machine: two gunicorn instances of the production configuration
# behind nginx, one PostgreSQL, one Redis; locust and wrk load through nginx.
#
#   bench/cluster.sh                     # 500 officials, 100 seats; WORKERS=2 per instance
#   OFFICIALS=1000 CAPACITY=150 WORKERS=3 bench/cluster.sh
#
# The mail worker is stopped during the registration burst and started afterwards: every
# queued message must then go out exactly once. Prints the figures bench/README.md records.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

OFFICIALS=${OFFICIALS:-500}
CAPACITY=${CAPACITY:-100}
WORKERS=${WORKERS:-2}
THREADS=${THREADS:-4}
BROWSERS=${BROWSERS:-50}
DURATION=${DURATION:-60s}
LB_PORT=8100
BARE_PORT=8200
DB_NAME=miti_cluster
REDIS_DB=13

command -v nginx >/dev/null || { apt-get install -y -qq nginx >/dev/null; }
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null; }
make -s install >/dev/null
.venv/bin/python -m pip install -q -e '.[bench]'

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi

WORK=$(mktemp -d /tmp/miti-cluster.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)" >/dev/null 2>&1 || true
  echo "Logs and load-test CSV files: $WORK"
}
trap cleanup EXIT

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)" >/dev/null
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE ${DB_NAME}" >/dev/null
redis-cli -n "$REDIS_DB" flushdb >/dev/null

export FLASK_APP=miti_training
export MITI_ENV=production
SECRET_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))')
export SECRET_KEY
export DATABASE_URL="postgresql://postgres@127.0.0.1:5432/${DB_NAME}"
export REDIS_URL="redis://127.0.0.1:6379/${REDIS_DB}"
export SERVER_BASE_URL="http://127.0.0.1:${LB_PORT}"
export COOKIE_SECURE=0             # plain HTTP on 127.0.0.1 only
export TRUSTED_PROXY_COUNT=1       # nginx
export MAIL_BACKEND=outbox MAIL_OUTBOX_DIR="$WORK/outbox" MITI_INSTANCE_PATH="$WORK/instance"
export WEB_CONCURRENCY=$WORKERS GUNICORN_THREADS=$THREADS
# Every official comes from this one address: the per-address limits are lifted for the test.
export LOGIN_RATE_LIMIT="100000 per minute" REGISTRATION_RATE_LIMIT="100000 per minute" API_RATE_LIMIT="100000 per minute"

.venv/bin/flask db upgrade >/dev/null 2>&1
.venv/bin/python bench/cluster_data.py setup --officials "$OFFICIALS" --capacity "$CAPACITY"

start() {  # name port app
  PORT=$2 PROMETHEUS_MULTIPROC_DIR="$WORK/metrics-$1" \
    .venv/bin/gunicorn -c gunicorn.conf.py "$3" >"$WORK/$1.log" 2>&1 &
  PIDS+=($!)
}
start app-a 8101 "miti_training:create_app('production')"
start app-b 8102 "miti_training:create_app('production')"
start bare-a 8201 "bench.bare_app:create_app()"
start bare-b 8202 "bench.bare_app:create_app()"

cat >"$WORK/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 2048; }
http {
  access_log $WORK/nginx-access.log;
  log_format status '\$status \$upstream_addr \$request_time';
  upstream app { server 127.0.0.1:8101; server 127.0.0.1:8102; keepalive 64; }
  upstream bare { server 127.0.0.1:8201; server 127.0.0.1:8202; keepalive 64; }
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host \$host:\$server_port;
  proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto \$scheme;
  client_body_temp_path $WORK/nginx-body;
  proxy_temp_path $WORK/nginx-proxy;
  fastcgi_temp_path $WORK/nginx-fastcgi;
  uwsgi_temp_path $WORK/nginx-uwsgi;
  scgi_temp_path $WORK/nginx-scgi;
  server { listen 127.0.0.1:${LB_PORT}; access_log $WORK/lb-access.log status;
           location / { proxy_pass http://app; } }
  server { listen 127.0.0.1:${BARE_PORT}; access_log off;
           location / { proxy_pass http://bare; } }
}
EOF
nginx -p "$WORK" -c "$WORK/nginx.conf"

for port in 8101 8102 8201 8202; do
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:${port}/$([ $port -lt 8200 ] && echo readyz || echo bare)" >/dev/null && break; sleep 0.5; done
done
curl -sf "http://127.0.0.1:${LB_PORT}/readyz" >/dev/null

LOCUST=(.venv/bin/locust -f bench/locustfile.py --headless -H "http://127.0.0.1:${LB_PORT}" --only-summary --stop-timeout 10)

echo "== Registration burst: ${OFFICIALS} officials, ${CAPACITY} seats, mail worker stopped =="
# Everyone logs in during the first minute; registration "opens" for all of them at once.
BURST_OPENS_AT=$(( $(date +%s) + ${LOGIN_SECONDS:-60} )) "${LOCUST[@]}" -u "$OFFICIALS" -r 20 \
  -t "$(( ${LOGIN_SECONDS:-60} + 40 ))s" --csv "$WORK/burst" Official >"$WORK/locust-burst.log" 2>&1 || true
mkdir -p "$WORK/outbox"
queued=$(redis-cli -n "$REDIS_DB" llen rq:queue:mail)
sent_before=$(find "$WORK/outbox" -name '*.eml' 2>/dev/null | wc -l)
echo "mail while the worker was down: ${queued} queued, ${sent_before} sent"

echo "== Mail worker started =="
.venv/bin/flask worker >"$WORK/worker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do
  [ "$(redis-cli -n "$REDIS_DB" llen rq:queue:mail)" = "0" ] && break; sleep 1
done
sleep 2
echo "mail after the worker ran: $(redis-cli -n "$REDIS_DB" llen rq:queue:mail) queued, $(find "$WORK/outbox" -name '*.eml' | wc -l) sent"
.venv/bin/python bench/cluster_data.py check --capacity "$CAPACITY" --officials "$OFFICIALS" --outbox "$WORK/outbox"

echo "== Browsing: ${BROWSERS} visitors for ${DURATION} =="
"${LOCUST[@]}" -u "$BROWSERS" -r 10 -t "$DURATION" --csv "$WORK/browse" Browser >"$WORK/locust-browse.log" 2>&1 || true

echo "== wrk: ${WRK_DURATION:-20s}, 2 threads, 32 connections =="
for target in "${LB_PORT}/programmes" "${LB_PORT}/programmes/bench-programme-0100" "${BARE_PORT}/bare"; do
  wrk -t2 -c32 -d"${WRK_DURATION:-20s}" --latency "http://127.0.0.1:${target}" >"$WORK/wrk-${target//\//_}.txt"
  echo "$target: $(grep 'Requests/sec' "$WORK/wrk-${target//\//_}.txt") $(grep -E '^ +99%' "$WORK/wrk-${target//\//_}.txt" | tr -s ' ')"
done

echo "== Summary =="
.venv/bin/python - "$WORK" <<'PY'
import csv, glob, re, sys
work = sys.argv[1]
print(f"{'scenario':<22}{'requests':>9}{'fails':>7}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}  ms")
for name in ("burst", "browse"):
    for row in csv.DictReader(open(f"{work}/{name}_stats.csv")):
        print(f"{row['Name']:<22}{row['Request Count']:>9}{row['Failure Count']:>7}"
              f"{float(row['Requests/s']):>8.1f}{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}")
def server_ms(pattern):
    """Times gunicorn measured (request read to response written) for matching requests."""
    times = sorted(
        int(m.group(1))
        for path in glob.glob(f"{work}/app-*.log")
        for line in open(path)
        if pattern in line and (m := re.search(r" (\d+)ms request_id=", line))
    )
    return [times[int(len(times) * q)] for q in (0.5, 0.95, 0.99)] if times else []
for label, pattern in (("register", '"POST /programmes/peer-review'), ("login", '"POST /account/login')):
    print(f"server time of {label} (gunicorn): p50/p95/p99 ms = {server_ms(pattern)}")
statuses = [line.split()[0] for line in open(f"{work}/lb-access.log")]
print(f"responses through nginx: {len(statuses)}, 5xx: {sum(s.startswith('5') for s in statuses)}")
rates = {}
for path in glob.glob(f"{work}/wrk-*.txt"):
    rates[path] = float(re.search(r"Requests/sec:\s+([\d.]+)", open(path).read()).group(1))
bare = next(v for k, v in rates.items() if "bare" in k)
for path, rate in sorted(rates.items()):
    print(f"wrk {path.rsplit('wrk-', 1)[1][:-4]:<45}{rate:>9.1f} req/s  {rate / bare:6.1%} of the bare page")
PY
