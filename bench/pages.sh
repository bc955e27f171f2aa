#!/usr/bin/env bash
# The front-door benchmark (issue 17, docs/performance.md): the published app on a FRESH SQLite database with N published
# events, Debian's wrk (-t2 -c32) on the home page, a search, an event page, the catalogue API and GET /api/ping in one
# run (ratios vs ping are what to compare: the machine is shared), then the Blazor circuits opened by V headless
# Chromium visits of the event page (browsing: expected 0) and, as a control, of the event page with a date chosen
# (the booking island: one circuit each). Prints ONE JSON line.
#
#   bench/pages.sh [--db sqlite|postgres] [--events N] [--seconds S] [--visits V] [--port P] [--out FILE] [--keep]
#
# --db postgres starts a private PostgreSQL cluster (Debian's server binaries, as bench/flash-sale.sh does).
#
# TICKETING_PUBLISHED_APP=<dir> reuses a published app (else it publishes to artifacts/publish).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
DB=sqlite EVENTS=500 SECONDS_=10 VISITS=10 PORT=5131 OUT="" KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --db) DB="$2"; shift 2 ;;
    --events) EVENTS="$2"; shift 2 ;;
    --seconds) SECONDS_="$2"; shift 2 ;;
    --visits) VISITS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
case "$DB" in sqlite|postgres) ;; *) echo "--db sqlite|postgres" >&2; exit 2 ;; esac
log() { echo "[pages $(date +%H:%M:%S)] $*" >&2; }
for tool in wrk chromium curl jq; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }; done

WORK="$(mktemp -d /tmp/pages-bench.XXXXXX)"
APP_PID="" PG_STARTED=0
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  if [ "$PG_STARTED" = 1 ]; then as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true; fi
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

APP_DIR="${TICKETING_PUBLISHED_APP:-}"
if [ -z "$APP_DIR" ]; then
  log "publishing the app to artifacts/publish"
  dotnet publish "$ROOT/Ticketing.Web" -c Release -o "$ROOT/artifacts/publish" >"$WORK/publish.log" 2>&1 || { cat "$WORK/publish.log" >&2; exit 2; }
  APP_DIR="$ROOT/artifacts/publish"
fi
B="http://127.0.0.1:$PORT"

# The database: a fresh SQLite file, or a private PostgreSQL cluster (durable settings for a 2-core box).
APP_PROVIDER=Sqlite APP_CS="Data Source=$WORK/ticketing.db"
if [ "$DB" = postgres ]; then
  PG_BIN="${TICKETING_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
  [ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 2; }
  PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$WORK/pg"; [ "$(id -u)" = 0 ] && chown postgres "$WORK" "$WORK/pg"
  as_pg "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; exit 2; }
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w -t 60 -o "-p $PGPORT -k $WORK/pg -c listen_addresses=127.0.0.1 \
    -c max_connections=200 -c shared_buffers=256MB -c effective_cache_size=1GB -c work_mem=8MB -c jit=off" start >/dev/null
  PG_STARTED=1
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1 -q -d postgres -c "CREATE DATABASE ticketing"
  APP_PROVIDER=Postgres APP_CS="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=ticketing"
fi
ADMIN=admin@pages.bench ADMIN_PASSWORD="Pages-Bench-Admin-2026"
KEK="$(head -c 32 /dev/urandom | base64)"

start_app() { # $1: extra log level for the request log (Warning = quiet)
  ( cd "$WORK" && exec env ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production Database__Provider="$APP_PROVIDER" \
      "ConnectionStrings__Ticketing=$APP_CS" Seed__AdminEmail="$ADMIN" Seed__AdminPassword="$ADMIN_PASSWORD" \
      Seed__DemoData=false Security__KeyEncryptionKey="$KEK" App__PublicBaseUrl="$B" Auth__SecureCookies=false RateLimiting__AuthPerMinute=0 \
      Logging__LogLevel__Default=Warning "Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics=$1" \
      dotnet "$APP_DIR/Ticketing.Web.dll" --urls "$B" --contentRoot "$WORK" --webroot "$APP_DIR/wwwroot" >"$WORK/app-$1.log" 2>&1 ) &
  APP_PID=$!
  for _ in $(seq 1 120); do curl -fs "$B/api/ping" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "the app did not start" >&2; tail -20 "$WORK/app-$1.log" >&2; exit 1
}
stop_app() { kill "$APP_PID" 2>/dev/null; wait "$APP_PID" 2>/dev/null || true; APP_PID=""; }

# 1. A fresh database with N published events (through the API, as an organizer would) -----------------------------
start_app Warning
TOKEN=$(curl -fs -H 'Content-Type: application/json' -d "{\"email\":\"$ADMIN\",\"password\":\"$ADMIN_PASSWORD\"}" "$B/api/auth/token" | jq -r .accessToken)
log "creating $EVENTS published events"
CATS=(Concert Theatre Comedy Show Festival Sport Family)
for i in $(seq 1 "$EVENTS"); do
  day=$(( 1 + i % 120 )); cat=${CATS[$(( i % 7 ))]}
  starts=$(date -u -d "+$day days 19:00" +%Y-%m-%dT%H:%M:%SZ)
  body=$(jq -nc --arg t "Bench Show $i" --arg c "$cat" --arg s "$starts" --arg city "City $(( i % 40 ))" \
    '{title:$t, description:"A show of the benchmark catalogue.", category:$c, artist:"Bench Band",
      performances:[{startsAt:$s, venue:{name:"Hall", city:$city, address:"1 rue"},
        categories:[{name:"Cat 1", price:45, capacity:500},{name:"Cat 2", price:30, capacity:800}]}]}')
  id=$(curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$body" "$B/api/events" | jq -r .id)
  curl -fs -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" "$B/api/events/$id/publish"
  [ "$i" = 1 ] && EVENT_ID="$id"
done
PERF_ID=$(curl -fs "$B/api/events/$EVENT_ID" | jq -r '.performances[0].id')

# 2. wrk on each URL, one after the other in this run -------------------------------------------------------------
rate() { # $1 path -> requests/s (non-2xx answers make the run fail)
  local out; out=$(wrk -t2 -c32 -d"${SECONDS_}s" --latency "$B$1" 2>&1)
  if echo "$out" | grep -q "Non-2xx"; then echo "non-2xx answers on $1: $out" >&2; exit 1; fi
  echo "$out" | awk '/Requests\/sec/ {print $2}'
}
log "warming up"; for p in / "/search?q=bench" "/events/$EVENT_ID" "/api/events?pageSize=20" /api/ping; do wrk -t1 -c4 -d2s "$B$p" >/dev/null 2>&1; done
log "wrk ${SECONDS_}s each"
PING=$(rate /api/ping); HOME_=$(rate /); SEARCH=$(rate "/search?q=bench"); EVENT=$(rate "/events/$EVENT_ID")
API=$(rate "/api/events?pageSize=20"); AVAIL=$(rate "/api/performances/$PERF_ID/availability")
HOME_BYTES=$(curl -fs "$B/" | wc -c); EVENT_BYTES=$(curl -fs "$B/events/$EVENT_ID" | wc -c)
RSS_KB=$(awk '/VmRSS/ {print $2}' "/proc/$APP_PID/status" 2>/dev/null || echo 0)
stop_app

# 3. Circuits opened by headless Chromium visits (the request log counts /_blazor/negotiate) -------------------------
start_app Information
visit() { chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --user-data-dir="$WORK/chromium" --virtual-time-budget=4000 --dump-dom "$1" >/dev/null 2>&1 || true; }
negotiations() { grep '_blazor/negotiate' "$WORK/app-Information.log" | grep -c 'Request starting' || true; }
log "$VISITS Chromium visits of the event page, then $VISITS with a date chosen"
for _ in $(seq 1 "$VISITS"); do visit "$B/events/$EVENT_ID"; done
BROWSE=$(negotiations)
for _ in $(seq 1 "$VISITS"); do visit "$B/events/$EVENT_ID?date=$PERF_ID#booking"; done
BOOKING=$(( $(negotiations) - BROWSE ))
stop_app

ratio() { awk -v a="$1" -v b="$PING" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
LINE=$(jq -nc --argjson events "$EVENTS" --argjson seconds "$SECONDS_" --argjson visits "$VISITS" \
  --argjson ping "$PING" --argjson home "$HOME_" --argjson search "$SEARCH" --argjson event "$EVENT" --argjson api "$API" --argjson avail "$AVAIL" \
  --argjson homeRatio "$(ratio "$HOME_")" --argjson searchRatio "$(ratio "$SEARCH")" --argjson eventRatio "$(ratio "$EVENT")" \
  --argjson apiRatio "$(ratio "$API")" --argjson availRatio "$(ratio "$AVAIL")" \
  --argjson browse "$BROWSE" --argjson booking "$BOOKING" --argjson homeBytes "$HOME_BYTES" --argjson eventBytes "$EVENT_BYTES" \
  --argjson rss "${RSS_KB:-0}" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
  --arg db "$DB" '{bench:"pages", db:$db, events:$events, wrk:"-t2 -c32 -d\($seconds)s", reqPerSec:{ping:$ping, home:$home, search:$search, event:$event, catalogApi:$api, availability:$avail},
    vsPing:{home:$homeRatio, search:$searchRatio, event:$eventRatio, catalogApi:$apiRatio, availability:$availRatio},
    circuits:{browsingVisits:$visits, browsing:$browse, bookingVisits:$visits, booking:$booking},
    bytes:{home:$homeBytes, event:$eventBytes}, appRssKbAfterWrk:$rss, loadavg:$load}')
[ -n "$OUT" ] && echo "$LINE" >>"$OUT"
echo "$LINE"
