#!/usr/bin/env bash
# First contentful paint on a phone over a slow connection (issue 17 item 4, docs/performance.md): the published app
# in Production on a FRESH SQLite database with the demo catalogue, headless Chromium driven through the DevTools
# protocol (bench/first-paint.py) with the network throttled to 1.6 Mbps / 150 ms, a 390 px phone viewport and an
# empty cache (a first visit). Measures the home page and an event page R times each, prints ONE JSON line with the
# medians, the render-blocking resources, the bytes transferred and the machine load (FCP moves with it).
#
#   bench/first-paint.sh [--runs R] [--port P] [--out FILE] [--keep]
#
# TICKETING_PUBLISHED_APP=<dir> reuses a published app (else it publishes to artifacts/publish).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
RUNS=5 PORT=5141 OUT="" KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
log() { echo "[first-paint $(date +%H:%M:%S)] $*" >&2; }
for tool in chromium curl jq python3; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }; done

WORK="$(mktemp -d /tmp/first-paint.XXXXXX)"
APP_PID="" CHROME_PID=""
cleanup() {
  [ -n "$CHROME_PID" ] && kill "$CHROME_PID" 2>/dev/null && wait "$CHROME_PID" 2>/dev/null || true
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
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

log "starting the app (Production, fresh SQLite, demo catalogue)"
( cd "$WORK" && exec env ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production Database__Provider=Sqlite \
    "ConnectionStrings__Ticketing=Data Source=$WORK/ticketing.db" Seed__AdminEmail=admin@paint.bench \
    Seed__AdminPassword="Paint-Bench-Admin-2026" Seed__DemoData=true App__PublicBaseUrl="$B" \
    Security__KeyEncryptionKey="$(head -c 32 /dev/urandom | base64 -w0)" Auth__SecureCookies=false Logging__LogLevel__Default=Warning \
    dotnet "$APP_DIR/Ticketing.Web.dll" --urls "$B" --contentRoot "$WORK" --webroot "$APP_DIR/wwwroot" >"$WORK/app.log" 2>&1 ) &
APP_PID=$!
for _ in $(seq 1 240); do curl -fs "$B/api/ping" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fs "$B/api/ping" >/dev/null || { echo "the app did not start" >&2; tail -20 "$WORK/app.log" >&2; exit 1; }
EVENT_ID=$(curl -fs "$B/api/events?pageSize=1" | jq -r '.items[0].id')
[ -n "$EVENT_ID" ] && [ "$EVENT_ID" != null ] || { echo "no published event" >&2; exit 1; }
for p in / "/events/$EVENT_ID"; do curl -fs -o /dev/null "$B$p"; done   # warm the server (JIT, caches): we measure the network

DEVTOOLS=$((PORT + 1000))
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --user-data-dir="$WORK/chromium" --remote-debugging-port="$DEVTOOLS" about:blank >"$WORK/chromium.log" 2>&1 &
CHROME_PID=$!
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$DEVTOOLS/json/version" >/dev/null 2>&1 && break; sleep 0.5; done

log "$RUNS cold visits of the home page and of an event page at 1.6 Mbps / 150 ms"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
RESULT=$(python3 "$ROOT/bench/first-paint.py" --port "$DEVTOOLS" --runs "$RUNS" "$B/" "$B/events/$EVENT_ID")
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# Headers of what the pages load: long-lived caching of fingerprinted assets and compression.
css=$(curl -fs "$B/" | grep -o 'href="[^"]*app[^"]*\.css"' | head -1 | sed 's/href="//; s/"$//')
hdr=$(curl -fsI -H 'Accept-Encoding: br, gzip' "$B/${css#/}")
cache=$(echo "$hdr" | awk -F': ' 'tolower($1)=="cache-control" {print $2}' | tr -d '\r')
enc=$(echo "$hdr" | awk -F': ' 'tolower($1)=="content-encoding" {print $2}' | tr -d '\r')
html_enc=$(curl -fs -o /dev/null -D - -H 'Accept-Encoding: br, gzip' "$B/" | awk -F': ' 'tolower($1)=="content-encoding" {print $2}' | tr -d '\r')

LINE=$(jq -nc --argjson r "$RESULT" --arg home "$B/" --arg event "$B/events/$EVENT_ID" --argjson runs "$RUNS" \
  --arg css "$css" --arg cache "$cache" --arg enc "$enc" --arg htmlEnc "$html_enc" \
  --arg loadBefore "$LOAD_BEFORE" --arg loadAfter "$LOAD_AFTER" --arg cores "$(nproc)" \
  '{bench:"first-paint", network:"1.6 Mbps / 750 kbps / 150 ms", viewport:"390x844", runs:$runs,
    fcpMs:{home:$r[$home].fcpMedian, event:$r[$event].fcpMedian}, fcpRunsMs:{home:$r[$home].fcp, event:$r[$event].fcp},
    renderBlocking:{home:$r[$home].blocking, event:$r[$event].blocking},
    transferredBytes:{home:$r[$home].bytes, event:$r[$event].bytes}, requests:{home:$r[$home].requests, event:$r[$event].requests},
    appCss:{path:$css, cacheControl:$cache, contentEncoding:$enc}, htmlContentEncoding:$htmlEnc,
    loadavg:{before:$loadBefore, after:$loadAfter}, cores:($cores|tonumber)}')
[ -n "$OUT" ] && echo "$LINE" >>"$OUT"
echo "$LINE"
