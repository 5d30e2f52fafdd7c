#!/usr/bin/env bash
# Two-host rehearsal on one machine: two gunicorn instances of the production configuration
# behind nginx, one PostgreSQL, one Redis; locust and wrk load through nginx.
#
#   bench/cluster.sh                     # 500 officials, 100 seats; WORKERS=2 per instance
#   OFFICIALS=1000 CAPACITY=150 WORKERS=3 bench/cluster.sh
#   OFFICIALS=100 LOGIN_SECONDS=20 DURATION=20s WRK_DURATION=15s bench/cluster.sh   # quicker
#
# nginx also listens on CACHE_PORT with the microcache of deploy/nginx.conf in front of the
# same two app instances: wrk measures the catalogue with and without it, /healthz and the
# bare page of the same run (every figure also as a ratio to both).
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
# PORTS=9000 moves every port (nginx 9100, 9200, 9300; apps 9101, 9102, 9201, 9202) for a
# second rehearsal on the same machine; give it its own DB_NAME and REDIS_DB too.
PORTS=${PORTS:-8000}
LB_PORT=$((PORTS + 100))
BARE_PORT=$((PORTS + 200))
CACHE_PORT=$((PORTS + 300))
DB_NAME=${DB_NAME:-miti_cluster}
REDIS_DB=${REDIS_DB:-13}

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
start app-a $((LB_PORT + 1)) "miti_training:create_app('production')"
start app-b $((LB_PORT + 2)) "miti_training:create_app('production')"
start bare-a $((BARE_PORT + 1)) "bench.bare_app:create_app()"
start bare-b $((BARE_PORT + 2)) "bench.bare_app:create_app()"

# nginx's workers run as this user too (started by root they would be nobody, and could not
# open the cache directory inside the private $WORK).
cat >"$WORK/nginx.conf" <<EOF
user $(id -un) $(id -gn);
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 2048; }
http {
  access_log $WORK/nginx-access.log;
  log_format status '\$status \$upstream_addr \$request_time';
  upstream app { server 127.0.0.1:$((LB_PORT + 1)); server 127.0.0.1:$((LB_PORT + 2)); keepalive 64; keepalive_timeout 4s; }
  upstream bare { server 127.0.0.1:$((BARE_PORT + 1)); server 127.0.0.1:$((BARE_PORT + 2)); keepalive 64; keepalive_timeout 4s; }
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
  # The microcache of deploy/nginx.conf, in front of the same app instances.
  proxy_cache_path $WORK/nginx-cache levels=1:2 keys_zone=miti_public:10m max_size=256m inactive=10m use_temp_path=off;
  map "\$cookie_session\$cookie_remember_token\$http_authorization" \$miti_not_anonymous { "" 0; default 1; }
  map \$upstream_http_cache_control \$miti_private_answer { ~*(private|no-store|no-cache) 1; default 0; }
  server { listen 127.0.0.1:${CACHE_PORT}; access_log $WORK/cache-access.log status;
           location ~ ^/(\$|(programmes|centres|api/v1)(/|\$)) {
             proxy_pass http://app;
             proxy_cache miti_public;
             proxy_cache_methods GET HEAD;
             proxy_cache_key \$scheme\$host\$request_uri;
             proxy_ignore_headers Cache-Control Expires;
             proxy_cache_valid 200 1s;
             proxy_cache_lock on;
             proxy_cache_lock_timeout 5s;
             proxy_cache_use_stale updating error timeout http_500 http_502 http_503;
             proxy_cache_background_update on;
             proxy_cache_revalidate on;
             proxy_cache_bypass \$miti_not_anonymous;
             proxy_no_cache \$miti_not_anonymous \$miti_private_answer;
             add_header X-Cache-Status \$upstream_cache_status always;
           }
           location / { proxy_pass http://app; } }
  server { listen 127.0.0.1:${BARE_PORT}; access_log off;
           location / { proxy_pass http://bare; } }
}
EOF
nginx -p "$WORK" -c "$WORK/nginx.conf"

for port in $((LB_PORT + 1)) $((LB_PORT + 2)) $((BARE_PORT + 1)) $((BARE_PORT + 2)); do
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:${port}/$([ $port -lt $BARE_PORT ] && echo readyz || echo bare)" >/dev/null && break; sleep 0.5; done
done
curl -sf "http://127.0.0.1:${LB_PORT}/readyz" >/dev/null

LOCUST=(.venv/bin/locust -f bench/locustfile.py --headless -H "http://127.0.0.1:${LB_PORT}" --only-summary --stop-timeout 10)

# BURST=0 skips the burst, the mail check and browsing: the caching figures only.
if [ "${BURST:-1}" = 1 ]; then
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
fi

echo "== Microcache: what nginx keeps (X-Cache-Status) =="
cache_status() {  # url [curl options]: the X-Cache-Status nginx answered, or "-"
  local url=$1; shift
  curl -s -o /dev/null -D - "$@" "http://127.0.0.1:${CACHE_PORT}${url}" \
    | tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache-status" {s = $2} END {print s ? s : "-"}'
}
curl -s -c "$WORK/signed-in.jar" -b "$WORK/signed-in.jar" "http://127.0.0.1:${CACHE_PORT}/account/login" >"$WORK/login.html"
token=$(sed -n 's/.*name="csrf_token"[^>]*value="\([^"]*\)".*/\1/p' "$WORK/login.html" | head -n1)
curl -s -o /dev/null -c "$WORK/signed-in.jar" -b "$WORK/signed-in.jar" \
  --data-urlencode "csrf_token=$token" --data-urlencode "email=official0001@bench.example" \
  --data-urlencode "password=burst-opening-lantern-2026" "http://127.0.0.1:${CACHE_PORT}/account/login"
echo "anonymous /programmes: $(cache_status /programmes), again: $(cache_status /programmes)"
echo "anonymous HEAD /programmes: $(cache_status /programmes -I)"
echo "anonymous in French: $(cache_status /programmes -H 'Accept-Language: fr'), French on it: $(curl -s -H 'Accept-Language: fr' "http://127.0.0.1:${CACHE_PORT}/programmes" | grep -c '<html lang="fr"' || true) (must be 1)"
echo "anonymous /: $(cache_status /), again: $(cache_status /)"
echo "signed in /programmes: $(cache_status /programmes -b "$WORK/signed-in.jar")"
echo "signed in, Cache-Control: $(curl -s -o /dev/null -D - -b "$WORK/signed-in.jar" "http://127.0.0.1:${CACHE_PORT}/programmes" | tr -d '\r' | grep -i '^cache-control' | cut -d' ' -f2-)"
echo "anonymous again after the signed-in one: $(cache_status /programmes), log-out buttons on it: $(curl -s "http://127.0.0.1:${CACHE_PORT}/programmes" | grep -c '/account/logout' || true) (must be 0)"
echo "/account/login: $(cache_status /account/login) (never cached)"
etag=$(curl -s -o /dev/null -D - "http://127.0.0.1:${LB_PORT}/programmes" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" {print $2}')
echo "conditional GET of /programmes without nginx's cache: $(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "http://127.0.0.1:${LB_PORT}/programmes")"

echo "== wrk: ${WRK_DURATION:-20s}, 2 threads, 32 connections =="
# name target [header]: one wrk run, its file named after the name.
run_wrk() {
  local name=$1 target=$2; shift 2
  wrk -t2 -c32 -d"${WRK_DURATION:-20s}" --latency "$@" "http://127.0.0.1:${target}" >"$WORK/wrk-${name}.txt"
  echo "$name ($target): $(grep 'Requests/sec' "$WORK/wrk-${name}.txt") $(grep -E '^ +99%' "$WORK/wrk-${name}.txt" | tr -s ' ')"
}
run_wrk healthz "${LB_PORT}/healthz"
run_wrk bare "${BARE_PORT}/bare"
run_wrk catalogue "${LB_PORT}/programmes"
run_wrk catalogue-304 "${LB_PORT}/programmes" -H "If-None-Match: $etag"
run_wrk catalogue-microcache "${CACHE_PORT}/programmes"
run_wrk programme "${LB_PORT}/programmes/bench-programme-0100"
run_wrk programme-microcache "${CACHE_PORT}/programmes/bench-programme-0100"
echo "microcache log: $(awk '{print $1}' "$WORK/cache-access.log" | sort | uniq -c | tr -s ' ' | tr '\n' ';')"

echo "== Summary =="
.venv/bin/python - "$WORK" <<'PY'
import csv, glob, os, re, sys
work = sys.argv[1]
print(f"{'scenario':<22}{'requests':>9}{'fails':>7}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}  ms")
for name in ("burst", "browse"):
    if not os.path.exists(f"{work}/{name}_stats.csv"):
        continue
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
statuses = [
    line.split()[0]
    for log in ("lb-access.log", "cache-access.log")
    for line in open(f"{work}/{log}")
]
print(f"responses through nginx: {len(statuses)}, 5xx: {sum(s.startswith('5') for s in statuses)}")
rates, p99 = {}, {}
for path in glob.glob(f"{work}/wrk-*.txt"):
    text = open(path).read()
    name = path.rsplit("wrk-", 1)[1][:-4]
    rates[name] = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p99[name] = (re.search(r"^\s+99%\s+(\S+)", text, re.M) or [None, "-"])[1]
bare, healthz = rates["bare"], rates["healthz"]
print(f"{'wrk':<22}{'req/s':>9}{'p99':>10}{'x /healthz':>12}{'x bare':>9}")
for name, rate in sorted(rates.items(), key=lambda item: -item[1]):
    print(f"{name:<22}{rate:>9.1f}{p99[name]:>10}{rate / healthz:>12.2f}{rate / bare:>9.2f}")
PY
