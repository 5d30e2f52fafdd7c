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
# so the shares carry over to other hardware. On a machine shared with other work req/s
# follows the neighbours' load, so the script also reads the CPU time the gunicorn processes
# and the database's backends spent per request (/proc): "app ms" and "db ms" per request,
# and the share of /healthz they predict for a machine of one's own (healthz CPU / page CPU).
# Workers are not recycled during the run (GUNICORN_MAX_REQUESTS=0), so no CPU goes unseen.
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
if [ -n "${PROFILE:-}" ] && [ ! -x .venv/bin/py-spy ]; then .venv/bin/pip install -q py-spy >/dev/null; fi
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
export GUNICORN_MAX_REQUESTS=${GUNICORN_MAX_REQUESTS:-0}

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

ticks() {  # CPU clock ticks of gunicorn (master, reaped and live workers), then pid:ticks of
  # each of our database's backends (one that closes between two readings loses its last ticks)
  local app=0 db="" pid
  read -r -a f < <(cut -d')' -f2- "/proc/$APP_PID/stat")
  app=$(( f[11] + f[12] + f[13] + f[14] ))
  for pid in $(pgrep -P "$APP_PID"); do
    read -r -a f < <(cut -d')' -f2- "/proc/$pid/stat" 2>/dev/null || echo)
    [ ${#f[@]} -gt 14 ] && app=$(( app + f[11] + f[12] ))
  done
  for pid in $(pgrep -f "postgres: .*${DB_NAME} "); do
    read -r -a f < <(cut -d')' -f2- "/proc/$pid/stat" 2>/dev/null || echo)
    [ ${#f[@]} -gt 14 ] && db="$db,$pid:$(( f[11] + f[12] ))"
  done
  echo "$app ${db#,}"
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); workers ${WEB_CONCURRENCY:-$((2 * $(nproc)))} x ${GUNICORN_THREADS:-4} threads; wrk -t${THREADS} -c${CONNECTIONS} -d${DURATION}"
for run in $(seq 1 "$RUNS"); do
  for page in $PAGES; do
    name="${run}-$(echo "$page" | tr '/' '_')"
    before=$(ticks)
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:${APP_PORT}${page}" \
      >"$WORK/wrk-${name}.txt"
    echo "$before $(ticks) $(getconf CLK_TCK)" >"$WORK/cpu-${name}.txt"
    # A reading for the record: "app ticks backends" before, the same after, ticks per second.
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

[ "$RUNS" -gt 0 ] && .venv/bin/python - "$WORK" "$RUNS" $PAGES <<'PY'
import re, statistics, sys

work, runs, pages = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def read(run, page):
    name = f"{run}-{page.replace('/', '_')}"
    text = open(f"{work}/wrk-{name}.txt").read()
    app0, db0, app1, db1, hz = open(f"{work}/cpu-{name}.txt").read().split()
    app0, app1, hz = int(app0), int(app1), int(hz)
    backends = [dict(map(int, b.split(":")) for b in d.split(",") if b) for d in (db0, db1)]
    db0, db1 = 0, sum(max(0, t - backends[0].get(pid, 0)) for pid, t in backends[1].items())
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    lat = {p: float(v) * UNITS[u] for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    done = int(re.search(r"(\d+) requests in", text).group(1))
    app_ms, db_ms = (1000 * (b - a) / hz / done for a, b in ((app0, app1), (db0, db1)))
    return rps, lat["50"], lat["99"], int(errors.group(1)) if errors else 0, app_ms, db_ms


table = {(run, page): read(run, page) for run in range(1, runs + 1) for page in pages}
HEAD = ("req/s", "p50 ms", "p99 ms", "% healthz", "app ms", "db ms", "% by CPU", "non-2xx")
print(f"{'run':<7}{'page':<44}" + "".join(f"{h:>10}" for h in HEAD))


def line(label, page, rps, p50, p99, share, app_ms, db_ms, cpu_share, bad):
    print(
        f"{label:<7}{page:<44}{rps:>10.1f}{p50:>10.2f}{p99:>10.2f}{100 * share:>9.1f}%"
        f"{app_ms:>10.2f}{db_ms:>10.2f}{100 * cpu_share:>9.1f}%{bad:>10}"
    )


def shares(run, page):
    rps, _p50, _p99, _bad, app_ms, db_ms = table[(run, page)]
    base = table[(run, pages[0])]
    return rps / base[0], (base[4] + base[5]) / (app_ms + db_ms)


for run in range(1, runs + 1):
    for page in pages:
        rps, p50, p99, bad, app_ms, db_ms = table[(run, page)]
        line(str(run), page, rps, p50, p99, *shares(run, page)[:1], app_ms, db_ms, shares(run, page)[1], bad)
print(f"median of {runs} run(s):")
med = statistics.median
for page in pages:
    rows = [table[(run, page)] for run in range(1, runs + 1)]
    line(
        "median", page, med(r[0] for r in rows), med(r[1] for r in rows), med(r[2] for r in rows),
        med(shares(run, page)[0] for run in range(1, runs + 1)),
        med(r[4] for r in rows), med(r[5] for r in rows),
        med(shares(run, page)[1] for run in range(1, runs + 1)), sum(r[3] for r in rows),
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
