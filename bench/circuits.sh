#!/usr/bin/env bash
# Server memory per booking circuit (issue 17, docs/performance.md): the published app on a FRESH SQLite database with
# one published event; one headless Chromium opens N tabs on the event page with a date chosen (the booking island: one
# Blazor Server circuit per tab, anonymous fans) and keeps them open. The app's live managed heap (dotnet-gcdump, which
# forces a full GC) and its RSS are read after a warm-up of W tabs and again with W + N tabs open:
#   per circuit = (after - before) / N.
# Prints ONE JSON line.
#
#   bench/circuits.sh [--circuits N] [--warmup W] [--port P] [--out FILE] [--keep]
#
# TICKETING_PUBLISHED_APP=<dir> reuses a published app (else it publishes to artifacts/publish).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
CIRCUITS=500 WARMUP=20 PORT=5141 OUT="" KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --circuits) CIRCUITS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
log() { echo "[circuits $(date +%H:%M:%S)] $*" >&2; }
for tool in chromium curl jq python3; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }; done
GCDUMP="$(command -v dotnet-gcdump || ls "$HOME/.dotnet/tools/dotnet-gcdump" 2>/dev/null || true)"
[ -n "$GCDUMP" ] || { echo "needs dotnet-gcdump (dotnet tool install -g dotnet-gcdump)" >&2; exit 2; }

WORK="$(mktemp -d /tmp/circuits-bench.XXXXXX)"
APP_PID="" CHROME_PID=""
cleanup() {
  [ -n "$CHROME_PID" ] && { pkill -P "$CHROME_PID" 2>/dev/null; kill "$CHROME_PID" 2>/dev/null; wait "$CHROME_PID" 2>/dev/null; sleep 1; } || true
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK" 2>/dev/null || { sleep 2; rm -rf "$WORK"; } || true; fi
}
trap cleanup EXIT

APP_DIR="${TICKETING_PUBLISHED_APP:-}"
if [ -z "$APP_DIR" ]; then
  log "publishing the app to artifacts/publish"
  dotnet publish "$ROOT/Ticketing.Web" -c Release -o "$ROOT/artifacts/publish" >"$WORK/publish.log" 2>&1 || { cat "$WORK/publish.log" >&2; exit 2; }
  APP_DIR="$ROOT/artifacts/publish"
fi
B="http://127.0.0.1:$PORT"
ADMIN=admin@circuits.bench ADMIN_PASSWORD="Circuits-Bench-Admin-2026"
KEK="$(head -c 32 /dev/urandom | base64)"

# The request log at Information counts the circuits: each one starts with POST /_blazor/negotiate.
( cd "$WORK" && exec env ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production Database__Provider=Sqlite \
    "ConnectionStrings__Ticketing=Data Source=$WORK/ticketing.db" Seed__AdminEmail="$ADMIN" Seed__AdminPassword="$ADMIN_PASSWORD" \
    Seed__DemoData=false Security__KeyEncryptionKey="$KEK" App__PublicBaseUrl="$B" Auth__SecureCookies=false RateLimiting__AuthPerMinute=0 \
    Logging__LogLevel__Default=Warning "Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics=Information" \
    dotnet "$APP_DIR/Ticketing.Web.dll" --urls "$B" --contentRoot "$WORK" --webroot "$APP_DIR/wwwroot" >"$WORK/app.log" 2>&1 ) &
APP_PID=$!
for _ in $(seq 1 120); do curl -fs "$B/api/ping" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fs "$B/api/ping" >/dev/null || { echo "the app did not start" >&2; tail -20 "$WORK/app.log" >&2; exit 1; }
# The dotnet process itself (the subshell execs it).
DOTNET_PID=$(pgrep -f "Ticketing.Web.dll --urls $B" | head -1)

TOKEN=$(curl -fs -H 'Content-Type: application/json' -d "{\"email\":\"$ADMIN\",\"password\":\"$ADMIN_PASSWORD\"}" "$B/api/auth/token" | jq -r .accessToken)
starts=$(date -u -d "+30 days 19:00" +%Y-%m-%dT%H:%M:%SZ)
body=$(jq -nc --arg s "$starts" '{title:"Circuit Night", description:"One date, many fans choosing seats.", category:"Concert",
  performances:[{startsAt:$s, venue:{name:"Hall", city:"Lyon", address:"1 rue"},
    categories:[{name:"Cat 1", price:45, capacity:5000},{name:"Cat 2", price:30, capacity:8000}]}]}')
EVENT_ID=$(curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$body" "$B/api/events" | jq -r .id)
curl -fs -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" "$B/api/events/$EVENT_ID/publish"
PERF_ID=$(curl -fs "$B/api/events/$EVENT_ID" | jq -r '.performances[0].id')
URL="$B/events/$EVENT_ID?date=$PERF_ID#booking"

DEVTOOLS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync \
  --no-first-run --user-data-dir="$WORK/chromium" --remote-debugging-port="$DEVTOOLS_PORT" --renderer-process-limit=8 \
  --disable-renderer-backgrounding --disable-background-timer-throttling --disable-backgrounding-occluded-windows \
  about:blank >"$WORK/chromium.log" 2>&1 &
CHROME_PID=$!
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$DEVTOOLS_PORT/json/version" >/dev/null 2>&1 && break; sleep 0.5; done

negotiations() { grep -c 'Request starting [^ ]* POST http[^ ]*/_blazor/negotiate' "$WORK/app.log" || true; }
open_tabs() { # $1 how many; waits until as many new circuits were negotiated
  local before; before=$(negotiations)
  python3 - "$DEVTOOLS_PORT" "$URL" "$1" <<'PY'
import sys, time, urllib.request
port, url, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(n):
    urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/json/new?{url}", method="PUT"), timeout=60).read()
    if i % 25 == 24: time.sleep(1)
PY
  local want=$(( before + $1 )) waited=0
  while [ "$(negotiations)" -lt "$want" ] && [ "$waited" -lt 600 ]; do sleep 1; waited=$((waited + 1)); done
  sleep 5 # the last circuits' first renders
  negotiations
}
heap_bytes() {
  "$GCDUMP" collect -p "$DOTNET_PID" -o "$WORK/$1.gcdump" >/dev/null 2>&1 || { echo null; return; }
  "$GCDUMP" report "$WORK/$1.gcdump" 2>/dev/null | awk '/GC Heap bytes/ {gsub(",", "", $1); print $1; exit}'
}
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$DOTNET_PID/status"; }

log "warm-up: $WARMUP booking tabs"
open_tabs "$WARMUP" >/dev/null
HEAP_BEFORE=$(heap_bytes before); RSS_BEFORE=$(rss_kb); NEG_BEFORE=$(negotiations)
log "opening $CIRCUITS more booking tabs"
NEG_AFTER=$(open_tabs "$CIRCUITS")
HEAP_AFTER=$(heap_bytes after); RSS_AFTER=$(rss_kb)
OPENED=$(( NEG_AFTER - NEG_BEFORE ))
# Still connected? A tab whose circuit dropped would reconnect (another negotiate) or show the reconnect UI.
sleep 5; NEG_LATER=$(negotiations)

LINE=$(jq -nc --argjson circuits "$CIRCUITS" --argjson opened "$OPENED" --argjson warmup "$WARMUP" \
  --argjson heapBefore "${HEAP_BEFORE:-null}" --argjson heapAfter "${HEAP_AFTER:-null}" \
  --argjson rssBefore "$RSS_BEFORE" --argjson rssAfter "$RSS_AFTER" --argjson renegotiated "$(( NEG_LATER - NEG_AFTER ))" \
  --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
  '{bench:"circuits", db:"sqlite", circuitsAsked:$circuits, circuitsOpened:$opened, warmup:$warmup,
    heapBytes:{before:$heapBefore, after:$heapAfter}, rssKb:{before:$rssBefore, after:$rssAfter},
    liveHeapBytesPerCircuit:(if $heapBefore and $heapAfter and $opened > 0 then (($heapAfter - $heapBefore) / $opened | floor) else null end),
    rssBytesPerCircuit:(if $opened > 0 then (($rssAfter - $rssBefore) * 1024 / $opened | floor) else null end),
    renegotiatedAfter:$renegotiated, loadavg:$load}')
echo "$LINE"
[ -n "$OUT" ] && echo "$LINE" >>"$OUT"
exit 0
