#!/usr/bin/env bash
# The flash-sale benchmark (docs/performance.md): the published app on a FRESH database, an event of N seats,
# M buyers registered before the clock starts, their hold-and-pay attempts fired concurrently, then ONE JSON line
# (with the baselines of the same run: pgbench's guarded single-row UPDATE on the same PostgreSQL, wrk on GET /api/ping,
# the sold-out answer rate). Exits non-zero when a guarantee is broken (oversell, duplicates, 5xx, SQL mismatch).
#
#   bench/flash-sale.sh --db sqlite|postgres --seats N --buyers M [--rate R] [--concurrency C]
#                       [--port P] [--pgbench-seconds S] [--wrk-seconds S] [--phase-seconds S] [--out FILE] [--keep]
#                       [--warmup-buyers W] [--warmup-seats S] [--warmup-rounds R]
#                                                               (R warm-up sales on other events first; default 10000 / 1500 / 3)
#                       [--confirmation-wait-seconds S]         (wait for the outbox after the warm-up, and time the sale's
#                                                                last confirmation; default 180, 0 = skip)
#                       [--idempotency]                         (an Idempotency-Key on every hold and payment, like a
#                                                                well-behaved mobile client)
#
# TICKETING_PUBLISHED_APP=<dir> reuses a published app (bash .ci/test.sh leaves one in artifacts/publish).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

DB=sqlite SEATS=1000 BUYERS=20000 RATE="" CONC=64 PORT="" PGBENCH_SECONDS=10 WRK_SECONDS=10 PHASE_SECONDS=5 OUT="" KEEP=0
WARMUP_BUYERS=10000 WARMUP_SEATS=1500 WARMUP_ROUNDS=3 CONFIRMATION_WAIT=180 IDEMPOTENCY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --db) DB="$2"; shift 2 ;;
    --seats) SEATS="$2"; shift 2 ;;
    --buyers) BUYERS="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --concurrency) CONC="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --pgbench-seconds) PGBENCH_SECONDS="$2"; shift 2 ;;
    --wrk-seconds) WRK_SECONDS="$2"; shift 2 ;;
    --phase-seconds) PHASE_SECONDS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --warmup-buyers) WARMUP_BUYERS="$2"; shift 2 ;;
    --warmup-seats) WARMUP_SEATS="$2"; shift 2 ;;
    --warmup-rounds) WARMUP_ROUNDS="$2"; shift 2 ;;
    --confirmation-wait-seconds) CONFIRMATION_WAIT="$2"; shift 2 ;;
    --idempotency) IDEMPOTENCY=1; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
case "$DB" in sqlite|postgres) ;; *) echo "--db sqlite|postgres" >&2; exit 2 ;; esac
log() { echo "[flash-sale $(date +%H:%M:%S)] $*" >&2; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { # first free port of 5120-5129 (this bench's range), else any
  for p in $(seq "${1:-5120}" 5129); do port_free "$p" && { echo "$p"; return; }; done
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

WORK="$(mktemp -d /tmp/flash-sale.XXXXXX)"
chmod 755 "$WORK"
APP_PID="" PG_STARTED=0
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  if [ "$PG_STARTED" = 1 ]; then as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true; fi
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
# CPU of a PostgreSQL cluster in ms: the postmaster (with its reaped children) and its live children (the backends).
cluster_cpu_ms() {
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v pm="$1" '{ pid = $1; sub(/^.*\) /, "")
    if (pid == pm) t += $12 + $13 + $14 + $15; else if ($2 == pm) t += $12 + $13 } END { print t * 10 }'
}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# 1. The app (published like the Dockerfile does) and the tool ------------------------------------------------------
if [ -n "${TICKETING_PUBLISHED_APP:-}" ] && [ -f "$TICKETING_PUBLISHED_APP/Ticketing.Web.dll" ]; then
  APP_DIR="$TICKETING_PUBLISHED_APP"
else
  log "publishing the app to artifacts/publish"
  dotnet publish "$ROOT/Ticketing.Web" -c Release -o "$ROOT/artifacts/publish" >"$WORK/publish.log" 2>&1 || { cat "$WORK/publish.log" >&2; exit 2; }
  APP_DIR="$ROOT/artifacts/publish"
fi
log "building the load tool"
dotnet build "$ROOT/bench/FlashSale" -c Release -o "$WORK/tool" >"$WORK/tool-build.log" 2>&1 || { cat "$WORK/tool-build.log" >&2; exit 2; }

# 2. A fresh database --------------------------------------------------------------------------------------------
BASELINES=()
if [ "$DB" = postgres ]; then
  PG_BIN="${TICKETING_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
  [ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 2; }
  if [ ! -x "$PG_BIN/pgbench" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      log "installing postgresql-contrib (pgbench)"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-contrib >/dev/null
    else
      echo "pgbench missing: install postgresql-contrib" >&2; exit 2
    fi
  fi
  PGPORT="$(free_port 5121)"
  mkdir -p "$WORK/pg"; [ "$(id -u)" = 0 ] && chown postgres "$WORK/pg"
  as_pg "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; exit 2; }
  # Tuned for a 2-core box, but durable (fsync and synchronous_commit on): commits cost what they cost in production.
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w -t 60 -o "-p $PGPORT -k $WORK/pg -c listen_addresses=127.0.0.1 \
    -c max_connections=$((CONC + 100)) -c shared_buffers=512MB -c effective_cache_size=2GB -c work_mem=8MB \
    -c wal_buffers=16MB -c max_wal_size=4GB -c checkpoint_timeout=30min -c wal_compression=on \
    -c synchronous_commit=on -c fsync=on -c full_page_writes=on -c commit_delay=0 -c jit=off" start >/dev/null
  PG_STARTED=1
  PG_PID="$(head -1 "$WORK/pg/postmaster.pid")"
  PSQL=("$PG_BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1 -q)
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE ticketing" -c "CREATE DATABASE pgbench"
  APP_CS="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=ticketing"
  TOOL_CS="$APP_CS;Pooling=false"

  # 3a. Baseline: pgbench's guarded single-row UPDATE, same server, same client count.
  "${PSQL[@]}" -d pgbench -c "CREATE TABLE counter (id int PRIMARY KEY, remaining bigint NOT NULL); INSERT INTO counter VALUES (1, 1000000000000);"
  echo 'UPDATE counter SET remaining = remaining - 1 WHERE id = 1 AND remaining >= 1;' >"$WORK/guarded-update.sql"
  log "pgbench: guarded single-row UPDATE, $CONC clients, ${PGBENCH_SECONDS}s"
  DB_CPU0="$(cluster_cpu_ms "$PG_PID")"
  "$PG_BIN/pgbench" -n -h 127.0.0.1 -p "$PGPORT" -U postgres -c "$CONC" -j 2 -T "$PGBENCH_SECONDS" -f "$WORK/guarded-update.sql" pgbench \
    >"$WORK/pgbench.log" 2>&1 || { cat "$WORK/pgbench.log" >&2; exit 2; }
  DB_CPU1="$(cluster_cpu_ms "$PG_PID")"
  PGBENCH_TPS="$(sed -nE 's/^tps = ([0-9.]+).*/\1/p' "$WORK/pgbench.log" | tail -1)"
  PGBENCH_TX="$(sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p' "$WORK/pgbench.log" | tail -1)"
  log "pgbench: $PGBENCH_TPS tps, $PGBENCH_TX transactions, $((DB_CPU1 - DB_CPU0)) ms of database CPU"
  BASELINES+=(--baseline "pgbenchTps=$PGBENCH_TPS" --baseline "pgbenchClients=$CONC")
  [ -n "$PGBENCH_TX" ] && [ "$PGBENCH_TX" -gt 0 ] && BASELINES+=(--baseline \
    "pgbenchDbCpuUsPerTx=$(awk -v ms=$((DB_CPU1 - DB_CPU0)) -v n="$PGBENCH_TX" 'BEGIN { printf "%.1f", ms * 1000 / n }')")
  BASELINES+=(--db-pid "$PG_PID")
else
  APP_CS="Data Source=$WORK/ticketing.db"
  TOOL_CS="$APP_CS;Pooling=false"
  BASELINES+=(--sqlite-baseline-file "$WORK/baseline.db" --sqlite-baseline-seconds "$PHASE_SECONDS")
fi

# 4. Start the app ---------------------------------------------------------------------------------------------------
PORT="${PORT:-$(free_port 5120)}"
JWT_KEY="$(head -c 64 /dev/urandom | base64 -w0)"
ADMIN_EMAIL=admin@flash.test ADMIN_PASSWORD="Flash-$(head -c 9 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')1"
mkdir -p "$WORK/app"
log "starting the app ($DB) on port $PORT"
(
  cd "$WORK/app"
  export ASPNETCORE_ENVIRONMENT=Production \
    Database__Provider="$([ "$DB" = postgres ] && echo Postgres || echo Sqlite)" ConnectionStrings__Ticketing="$APP_CS" \
    Seed__AdminEmail="$ADMIN_EMAIL" Seed__AdminPassword="$ADMIN_PASSWORD" Seed__DemoData=false \
    RateLimiting__AuthPerMinute=0 Security__Passwords__BcryptWorkFactor=4 Jobs__Enabled=true \
    Auth__JwtSigningKey="$JWT_KEY" Payments__Provider=Simulated Payments__Simulated__DelayMilliseconds=0 \
    Backups__Directory="$WORK/backups" Backups__EncryptionKey="$(head -c 32 /dev/urandom | base64 -w0)" \
    Backups__Schedule="0 0 0 1 1 ?" Logging__LogLevel__Default=Warning \
    Security__KeyEncryptionKey="$(head -c 32 /dev/urandom | base64 -w0)" App__PublicBaseUrl="http://127.0.0.1:$PORT"
  # Through a symlink to the apphost, so that the command line does not name Ticketing.Web: on a shared box a
  # colleague's `pkill -f Ticketing.Web` would otherwise end the run (seen as "the app died during the run").
  if [ -x "$APP_DIR/Ticketing.Web" ]; then
    ln -sf "$APP_DIR/Ticketing.Web" "$WORK/app/flash-sale-box-office"
    exec "$WORK/app/flash-sale-box-office" --urls "http://127.0.0.1:$PORT"
  fi
  exec dotnet "$APP_DIR/Ticketing.Web.dll" --urls "http://127.0.0.1:$PORT"
) >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 240); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health" 2>/dev/null && break
  kill -0 "$APP_PID" 2>/dev/null || { tail -50 "$WORK/app.log" >&2; echo "the app exited" >&2; exit 2; }
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health" || { tail -50 "$WORK/app.log" >&2; echo "the app is not healthy" >&2; exit 2; }

# 3b. Baseline: the HTTP ceiling, GET /api/ping with wrk (also warms the app up).
if command -v wrk >/dev/null; then
  log "wrk: GET /api/ping, $CONC connections, ${WRK_SECONDS}s"
  WRK_RPS="$(wrk -t2 -c"$CONC" -d"${WRK_SECONDS}s" "http://127.0.0.1:$PORT/api/ping" 2>&1 | sed -nE 's/^Requests\/sec: +([0-9.]+).*/\1/p')"
  [ -n "$WRK_RPS" ] && { log "wrk: $WRK_RPS requests/s"; BASELINES+=(--baseline "wrkPingRps=$WRK_RPS"); }
fi

# 5. The sale ------------------------------------------------------------------------------------------------------
ARGS=(--url "http://127.0.0.1:$PORT" --db "$DB" --connection "$TOOL_CS" --jwt-key "$JWT_KEY"
      --admin-email "$ADMIN_EMAIL" --admin-password "$ADMIN_PASSWORD" --seats "$SEATS" --buyers "$BUYERS"
      --concurrency "$CONC" --app-pid "$APP_PID" --soldout-seconds "$PHASE_SECONDS" --ping-seconds "$PHASE_SECONDS"
      --warmup-buyers "$WARMUP_BUYERS" --warmup-seats "$WARMUP_SEATS" --warmup-rounds "$WARMUP_ROUNDS" --confirmation-wait-seconds "$CONFIRMATION_WAIT" "${BASELINES[@]}")
[ -n "$RATE" ] && ARGS+=(--rate "$RATE")
[ "$IDEMPOTENCY" = 1 ] && ARGS+=(--idempotency)
set +e
LINE="$(DOTNET_gcServer=1 dotnet "$WORK/tool/FlashSale.dll" "${ARGS[@]}")"
STATUS=$?
set -e
if ! kill -0 "$APP_PID" 2>/dev/null; then echo "the app died during the run" >&2; tail -50 "$WORK/app.log" >&2; STATUS=1; fi
# (EF Core logs the missing __EFMigrationsHistory of a fresh database as an error: not one.)
ERRORS="$(grep -E '"LogLevel":"(Error|Critical)"|fail: |crit: ' "$WORK/app.log" | grep -v '__EFMigrationsHistory\|MigrationId' || true)"
if [ -n "$ERRORS" ]; then
  log "the app logged $(echo "$ERRORS" | wc -l) errors; the first ones:"
  echo "$ERRORS" | head -5 \
    | sed -E 's/.*"Category":"([^"]*)","Message":"(.{0,160}).*/  \1: \2/' | cut -c1-240 >&2
fi
[ -n "$LINE" ] && echo "$LINE"
[ -n "$OUT" ] && [ -n "$LINE" ] && echo "$LINE" >>"$OUT"
exit "$STATUS"
