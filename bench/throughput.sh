#!/usr/bin/env bash
# Throughput of the public pages against /healthz, in one run of the production settings:
# gunicorn (gunicorn.conf.py, MITI_ENV=production) on a scratch PostgreSQL database holding the
# demo data plus PROGRAMMES published programmes (bench/cluster_data.py setup), then wrk on
# /healthz, the catalogue, a programme page and the API's first page, one after the other.
#
#   bench/throughput.sh                         # 3 rounds of 15 s per page, wrk -t2 -c8
#   RUNS=1 DURATION=10s CONNECTIONS=16 bench/throughput.sh
#   PROFILE=/programmes bench/throughput.sh     # also a py-spy profile of one worker under wrk
#
# Prints req/s, latency p50 and p99 and each page's share of /healthz per round, then the
# median of the rounds. /healthz (one SELECT 1 through the whole app stack) is the yardstick,
# so the shares carry over to other hardware.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
DURATION=${DURATION:-15s}
THREADS=${WRK_THREADS:-2}
CONNECTIONS=${CONNECTIONS:-8}
PROGRAMMES=${PROGRAMMES:-200}
PROGRAMME_SLUG=${PROGRAMME_SLUG:-peer-review-process-workshop}
PAGES=${PAGES:-"/healthz /programmes /programmes/${PROGRAMME_SLUG} /api/v1/programmes"}
PG_URL=${PG_URL:-postgresql://postgres@127.0.0.1:5432}
DB_NAME=miti_throughput_$$
REDIS_DB=${REDIS_DB:-14}

command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
[ -x .venv/bin/gunicorn ] || make -s install >/dev/null
pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL is not answering on 5432" >&2; exit 2; }

free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
APP_PORT=${APP_PORT:-$(free_port)}
WORK=$(mktemp -d /tmp/miti-throughput.XXXXXX)
APP_PID=
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)" >/dev/null 2>&1 || true
  echo "Logs and wrk output: $WORK"
}
trap cleanup EXIT
trap "exit 130" INT TERM

psql "$PG_URL/postgres" -qc "CREATE DATABASE ${DB_NAME}" >/dev/null

export FLASK_APP=miti_training MITI_ENV=production COOKIE_SECURE=0
SECRET_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))')
export SECRET_KEY
export DATABASE_URL="$PG_URL/${DB_NAME}"
if redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  export REDIS_URL="redis://127.0.0.1:6379/${REDIS_DB}"
fi
export SERVER_BASE_URL="http://127.0.0.1:${APP_PORT}" PORT=$APP_PORT
export MAIL_BACKEND=outbox MAIL_OUTBOX_DIR="$WORK/outbox" MITI_INSTANCE_PATH="$WORK/instance"
# All load comes from one address: the API's per-address limit is lifted (the limiter still runs).
export API_RATE_LIMIT="100000000 per minute"
# gunicorn's access log goes to /dev/null unless ACCESS_LOG=1; the app's own request log
# (LOG_REQUESTS, on in production) stays as production has it.
[ "${ACCESS_LOG:-0}" = 1 ] || export GUNICORN_ACCESS_LOG=/dev/null

.venv/bin/flask db upgrade >"$WORK/migrate.log" 2>&1 || { tail -n 20 "$WORK/migrate.log" >&2; exit 1; }
.venv/bin/python bench/cluster_data.py setup --officials 1 --capacity 30 --programmes "$PROGRAMMES"
psql "$DATABASE_URL" -qc "ANALYZE" >/dev/null

PROMETHEUS_MULTIPROC_DIR="$WORK/metrics" .venv/bin/gunicorn -c gunicorn.conf.py "miti_training:create_app('production')" >"$WORK/gunicorn.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:${APP_PORT}/readyz" >/dev/null && break; sleep 0.5; done
for page in $PAGES; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${APP_PORT}${page}")
  [ "$code" = 200 ] || { echo "$page answered $code" >&2; exit 1; }
  # Warm every worker (templates compiled, translations loaded).
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "http://127.0.0.1:${APP_PORT}${page}" >/dev/null
done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); workers ${WEB_CONCURRENCY:-$((2 * $(nproc)))} x ${GUNICORN_THREADS:-4} threads; wrk -t${THREADS} -c${CONNECTIONS} -d${DURATION}"
for run in $(seq 1 "$RUNS"); do
  for page in $PAGES; do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:${APP_PORT}${page}" \
      >"$WORK/wrk-${run}-$(echo "$page" | tr '/' '_').txt"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

[ "$RUNS" -gt 0 ] && .venv/bin/python - "$WORK" "$RUNS" $PAGES <<'PY'
import re, statistics, sys

work, runs, pages = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def read(run, page):
    text = open(f"{work}/wrk-{run}-{page.replace('/', '_')}.txt").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    lat = {p: float(v) * UNITS[u] for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return rps, lat["50"], lat["99"], int(errors.group(1)) if errors else 0


table = {(run, page): read(run, page) for run in range(1, runs + 1) for page in pages}
print(f"{'run':<7}{'page':<48}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'% healthz':>11}{'non-2xx':>9}")
for run in range(1, runs + 1):
    base = table[(run, pages[0])][0]
    for page in pages:
        rps, p50, p99, bad = table[(run, page)]
        print(f"{run:<7}{page:<48}{rps:>9.1f}{p50:>9.2f}{p99:>9.2f}{100 * rps / base:>10.1f}%{bad:>9}")
print(f"median of {runs} run(s):")
for page in pages:
    rows = [table[(run, page)] for run in range(1, runs + 1)]
    share = statistics.median(r[0] / table[(run, pages[0])][0] for run, r in enumerate(rows, 1))
    print(
        f"{'median':<7}{page:<48}{statistics.median(r[0] for r in rows):>9.1f}"
        f"{statistics.median(r[1] for r in rows):>9.2f}{statistics.median(r[2] for r in rows):>9.2f}"
        f"{100 * share:>10.1f}%{sum(r[3] for r in rows):>9}"
    )
PY

if [ -n "${PROFILE:-}" ]; then
  # One worker's samples (py-spy, by function) while wrk loads the page: bench/profile_top.py.
  worker=$(pgrep -P "$APP_PID" | head -n1)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d20s "http://127.0.0.1:${APP_PORT}${PROFILE}" >/dev/null &
  WRK_PID=$!
  sleep 2
  .venv/bin/py-spy record -p "$worker" -d 15 --function -f raw -o "$WORK/profile.txt" >/dev/null 2>&1 || true
  wait "$WRK_PID"
  .venv/bin/python bench/profile_top.py "$WORK/profile.txt" "${PROFILE_TOP:-15}" || true
fi
