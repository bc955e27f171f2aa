#!/usr/bin/env bash
# The reserved-seating benchmark (issue 22 item 5, docs/performance.md "Reserved seating"): the published app on a FRESH
# database (with the demo catalogue, for its 80,000-seat stadium), a plan of N seats generated and imported through the
# API (blocks of 50 rows x 50 seats, 3 categories) and an event selling it, M fans registered before the clock starts
# (bench/FlashSale --seating): each picks seats on the map (a snapshot of the compact map refreshed every second; a share
# aims at a hot zone, the first 5 rows of the central front blocks) with POST /api/orders {performanceId, seats:[...]}
# (once more after a seat_taken), or asks for best available; a fan who gets a hold pays (simulated card), releases it or
# leaves it open. Then, in SQL: no seat sold twice, counters = seat rows = tickets + open holds, nothing oversold; the
# compact payload's size; the seat map's render time in headless Chromium (median of R loads) for this performance and
# the demo stadium. Prints ONE JSON line; exits non-zero when a guarantee is broken.
#
#   bench/seating.sh [--db sqlite|postgres] [--seats N (20000)] [--fans M (50000)] [--concurrency C (64)]
#                    [--best-share B (0.3)] [--hot-share H (0.3)] [--pay-share P (0.85)] [--release-share R (0.1)]
#                    [--render-runs R (3)] [--max-sale-seconds S (240: no new fan after it)] [--no-stadium]
#                    [--port P] [--out FILE] [--keep]
#
# TICKETING_PUBLISHED_APP=<dir> reuses a published app (bash .ci/test.sh leaves one in artifacts/publish).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

DB=sqlite SEATS=20000 FANS=50000 CONC=64 BEST=0.3 HOT=0.3 PAY=0.85 RELEASE=0.1 RUNS=3 MAX_SALE=240 STADIUM=1 PORT="" OUT="" KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --db) DB="$2"; shift 2 ;;
    --seats) SEATS="$2"; shift 2 ;;
    --fans) FANS="$2"; shift 2 ;;
    --concurrency) CONC="$2"; shift 2 ;;
    --best-share) BEST="$2"; shift 2 ;;
    --hot-share) HOT="$2"; shift 2 ;;
    --pay-share) PAY="$2"; shift 2 ;;
    --release-share) RELEASE="$2"; shift 2 ;;
    --render-runs) RUNS="$2"; shift 2 ;;
    --max-sale-seconds) MAX_SALE="$2"; shift 2 ;;
    --no-stadium) STADIUM=0; shift ;;
    --port) PORT="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
case "$DB" in sqlite|postgres) ;; *) echo "--db sqlite|postgres" >&2; exit 2 ;; esac
for tool in curl jq python3; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }; done
log() { echo "[seating $(date +%H:%M:%S)] $*" >&2; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { # first free port of 5150-5159 (this bench's range), else any
  for p in $(seq "${1:-5150}" 5159); do port_free "$p" && { echo "$p"; return; }; done
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

WORK="$(mktemp -d /tmp/seating-bench.XXXXXX)"
chmod 755 "$WORK"
APP_PID="" CHROME_PID="" PG_STARTED=0
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  [ -n "$CHROME_PID" ] && kill "$CHROME_PID" 2>/dev/null && wait "$CHROME_PID" 2>/dev/null || true
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  if [ "$PG_STARTED" = 1 ]; then as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true; fi
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

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
DB_PID_ARGS=()
if [ "$DB" = postgres ]; then
  PG_BIN="${TICKETING_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
  [ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 2; }
  PGPORT="$(free_port 5151)"
  mkdir -p "$WORK/pg"; [ "$(id -u)" = 0 ] && chown postgres "$WORK/pg"
  as_pg "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; exit 2; }
  # The flash sale's settings: tuned for a 2-core box, but durable (fsync and synchronous_commit on).
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w -t 60 -o "-p $PGPORT -k $WORK/pg -c listen_addresses=127.0.0.1 \
    -c max_connections=$((CONC + 100)) -c shared_buffers=512MB -c effective_cache_size=2GB -c work_mem=8MB \
    -c wal_buffers=16MB -c max_wal_size=4GB -c checkpoint_timeout=30min -c wal_compression=on \
    -c synchronous_commit=on -c fsync=on -c full_page_writes=on -c commit_delay=0 -c jit=off" start >/dev/null
  PG_STARTED=1
  PSQL=("$PG_BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1 -q)
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE ticketing"
  APP_CS="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=ticketing"
  TOOL_CS="$APP_CS;Pooling=false"
  DB_PID_ARGS=(--db-pid "$(head -1 "$WORK/pg/postmaster.pid")")
else
  APP_CS="Data Source=$WORK/ticketing.db"
  TOOL_CS="$APP_CS;Pooling=false"
fi

# 3. Start the app -------------------------------------------------------------------------------------------------
PORT="${PORT:-$(free_port 5150)}"
B="http://127.0.0.1:$PORT"
JWT_KEY="$(head -c 64 /dev/urandom | base64 -w0)"
ADMIN_EMAIL=admin@seating.test ADMIN_PASSWORD="Seating-$(head -c 9 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')1"
mkdir -p "$WORK/app"
log "starting the app ($DB, demo catalogue: $([ "$STADIUM" = 1 ] && echo yes || echo no)) on port $PORT"
(
  cd "$WORK/app"
  export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production \
    Database__Provider="$([ "$DB" = postgres ] && echo Postgres || echo Sqlite)" ConnectionStrings__Ticketing="$APP_CS" \
    Seed__AdminEmail="$ADMIN_EMAIL" Seed__AdminPassword="$ADMIN_PASSWORD" Seed__DemoData="$([ "$STADIUM" = 1 ] && echo true || echo false)" \
    RateLimiting__AuthPerMinute=0 RateLimiting__HoldsPerMinute=0 Security__Passwords__BcryptWorkFactor=4 Jobs__Enabled=true \
    Auth__JwtSigningKey="$JWT_KEY" Auth__SecureCookies=false Payments__Provider=Simulated Payments__Simulated__DelayMilliseconds=0 \
    Backups__Directory="$WORK/backups" Backups__EncryptionKey="$(head -c 32 /dev/urandom | base64 -w0)" \
    Backups__Schedule="0 0 0 1 1 ?" Logging__LogLevel__Default=Warning \
    Security__KeyEncryptionKey="$(head -c 32 /dev/urandom | base64 -w0)" App__PublicBaseUrl="$B"
  # Through a symlink to the apphost, so that the command line does not name Ticketing.Web (a colleague's
  # `pkill -f Ticketing.Web` on a shared box would otherwise end the run).
  if [ -x "$APP_DIR/Ticketing.Web" ]; then
    ln -sf "$APP_DIR/Ticketing.Web" "$WORK/app/seating-box-office"
    exec "$WORK/app/seating-box-office" --urls "$B" --contentRoot "$WORK/app" --webroot "$APP_DIR/wwwroot"
  fi
  exec dotnet "$APP_DIR/Ticketing.Web.dll" --urls "$B" --contentRoot "$WORK/app" --webroot "$APP_DIR/wwwroot"
) >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 360); do
  curl -fsS -o /dev/null "$B/health" 2>/dev/null && break
  kill -0 "$APP_PID" 2>/dev/null || { tail -50 "$WORK/app.log" >&2; echo "the app exited" >&2; exit 2; }
  sleep 0.5
done
curl -fsS -o /dev/null "$B/health" || { tail -50 "$WORK/app.log" >&2; echo "the app is not healthy" >&2; exit 2; }

# 4. The sale and its checks -------------------------------------------------------------------------------------------
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
set +e
SALE="$(DOTNET_gcServer=1 dotnet "$WORK/tool/FlashSale.dll" --seating --url "$B" --db "$DB" --connection "$TOOL_CS" --jwt-key "$JWT_KEY" \
  --admin-email "$ADMIN_EMAIL" --admin-password "$ADMIN_PASSWORD" --seats "$SEATS" --fans "$FANS" --concurrency "$CONC" \
  --best-share "$BEST" --hot-share "$HOT" --pay-share "$PAY" --release-share "$RELEASE" --max-sale-seconds "$MAX_SALE" --app-pid "$APP_PID" "${DB_PID_ARGS[@]}")"
STATUS=$?
set -e
LOAD_SALE="$(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "$SALE" ] || { tail -30 "$WORK/app.log" >&2; echo "the sale printed nothing (status $STATUS)" >&2; exit "$STATUS"; }
EVENT_ID="$(echo "$SALE" | jq -r .eventId)" PERF_ID="$(echo "$SALE" | jq -r .performanceId)"

# 5. The seat map in headless Chromium: this performance, and the demo stadium --------------------------------------------
STADIUM_URL="" RENDER='{}'
if [ "$STADIUM" = 1 ]; then
  # The demo performance with the most seats (the 80,000-seat stadium).
  Q='SELECT p."EventId", p."Id", COUNT(*) FROM "PerformanceSeats" s JOIN "Performances" p ON p."Id" = s."PerformanceId" GROUP BY p."EventId", p."Id" ORDER BY COUNT(*) DESC LIMIT 1'
  if [ "$DB" = postgres ]; then
    read -r S_EVENT S_PERF S_SEATS < <("${PSQL[@]}" -d ticketing -At -F ' ' -c "$Q")
  else
    read -r S_EVENT S_PERF S_SEATS < <(python3 -c 'import sqlite3, sys; print(*sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone())' "$WORK/ticketing.db" "$Q")
  fi
  S_EVENT="$(echo "$S_EVENT" | tr 'A-Z' 'a-z')" S_PERF="$(echo "$S_PERF" | tr 'A-Z' 'a-z')"
  if [ "${S_SEATS:-0}" -gt "$SEATS" ]; then STADIUM_URL="$B/events/$S_EVENT?date=$S_PERF"; else log "no demo stadium found"; fi
fi
STADIUM_PAYLOAD='null'
if [ -n "$STADIUM_URL" ]; then
  curl -fsS -o "$WORK/stadium.json" "$B/api/performances/$S_PERF/seats?format=compact"
  STADIUM_PAYLOAD="$(jq -nc --argjson raw "$(stat -c %s "$WORK/stadium.json")" --argjson gz "$(gzip -6 -c "$WORK/stadium.json" | wc -c)" \
    --argjson seats "$S_SEATS" '{seats:$seats, rawBytes:$raw, gzipBytes:$gz}')"
fi
if command -v chromium >/dev/null; then
  URLS=("$B/events/$EVENT_ID?date=$PERF_ID"); [ -n "$STADIUM_URL" ] && URLS+=("$STADIUM_URL")
  for u in "${URLS[@]}"; do curl -fsS -o /dev/null "$u"; done   # warm the server: we measure the browser
  DEVTOOLS=$((PORT + 1000))
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$WORK/chromium" --remote-debugging-port="$DEVTOOLS" about:blank >"$WORK/chromium.log" 2>&1 &
  CHROME_PID=$!
  for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$DEVTOOLS/json/version" >/dev/null 2>&1 && break; sleep 0.5; done
  log "seat map render: $RUNS loads of each of ${#URLS[@]} pages"
  RENDER="$(python3 "$ROOT/bench/seatmap-render.py" --port "$DEVTOOLS" --runs "$RUNS" "${URLS[@]}")" || RENDER='{}'
else
  log "chromium not found: no render time"
fi
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# (EF Core logs the missing __EFMigrationsHistory of a fresh database as an error: not one.)
ERRORS="$(grep -E '"LogLevel":"(Error|Critical)"|fail: |crit: ' "$WORK/app.log" | grep -v '__EFMigrationsHistory\|MigrationId' || true)"
if [ -n "$ERRORS" ]; then
  log "the app logged $(echo "$ERRORS" | wc -l) errors; the first ones:"
  echo "$ERRORS" | head -5 | sed -E 's/.*"Category":"([^"]*)","Message":"(.{0,160}).*/  \1: \2/' | cut -c1-240 >&2
fi
LINE="$(jq -nc --argjson sale "$SALE" --argjson render "$RENDER" --arg here "$B/events/$EVENT_ID?date=$PERF_ID" --arg stadium "$STADIUM_URL" \
  --argjson stadiumPayload "$STADIUM_PAYLOAD" --argjson runs "$RUNS" --arg loadBefore "$LOAD_BEFORE" --arg loadSale "$LOAD_SALE" \
  --arg loadAfter "$LOAD_AFTER" --argjson appErrors "$(echo -n "$ERRORS" | grep -c . || true)" \
  '$sale + {renderMs:{runs:$runs, seats20k:($render[$here].seatmapMedian), seats20kPainted:($render[$here].paintedMedian),
              stadium80k:(if $stadium == "" then null else $render[$stadium].seatmapMedian end),
              stadium80kPainted:(if $stadium == "" then null else $render[$stadium].paintedMedian end),
              each:{seats20k:$render[$here], stadium80k:(if $stadium == "" then null else $render[$stadium] end)}},
            stadiumCompactPayload:$stadiumPayload, appErrorsLogged:$appErrors,
            loadavg:{before:$loadBefore, afterSale:$loadSale, after:$loadAfter}}')"
echo "$LINE"
[ -n "$OUT" ] && echo "$LINE" >>"$OUT"
exit "$STATUS"
