#!/usr/bin/env bash
# The waiting-room benchmark (issue 23, docs/performance.md): the published app on a FRESH database (a SQLite file, or
# with --db postgres a private PostgreSQL cluster, as bench/pages.sh starts it), N fans
# registered ahead (rows written straight into the database and tokens minted with the app's key by the flash-sale tool,
# bench/FlashSale --queue-join) join one date's pre-queue through the API; the opening is then moved to now+3 s; after it
# the script checks that the
# published order equals the order recomputed from the revealed seed (and the seed matches the commitment published
# before), measures GET /api/queue/{entryId} against GET /api/ping with wrk (-t2 -c32, same run), the server's memory
# per waiting fan (RSS after the joins and each fan's first status poll minus before, / N), the status polls rotating
# over up to 5,000 fans' own tokens and entries, and that orders without an admission token are all refused
# (403 admission_required, 0 orders), that the admission runs at the configured rate (admitted count read twice,
# --rate-seconds apart), and that admitted fans ordering at once with their tokens never oversell a small category.
# Prints ONE JSON line.
#
#   bench/queue.sh [--db sqlite|postgres] [--fans N] [--seconds S] [--rate-seconds S] [--port P] [--out FILE] [--keep]
#
# TICKETING_PUBLISHED_APP=<dir> reuses a published app (else it publishes to artifacts/publish).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
DB=sqlite FANS=2000 SECONDS_=10 RATE_SECONDS=30 PORT=5133 OUT="" KEEP=0 PG_STARTED=0
while [ $# -gt 0 ]; do
  case "$1" in
    --db) DB="$2"; shift 2 ;;
    --fans) FANS="$2"; shift 2 ;;
    --seconds) SECONDS_="$2"; shift 2 ;;
    --rate-seconds) RATE_SECONDS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
case "$DB" in sqlite|postgres) ;; *) echo "--db sqlite|postgres" >&2; exit 2 ;; esac
log() { echo "[queue $(date +%H:%M:%S)] $*" >&2; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
for tool in wrk curl jq python3 xargs; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }; done

WORK="$(mktemp -d /tmp/queue-bench.XXXXXX)"
APP_PID=""
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
log "building the load tool"
dotnet build "$ROOT/bench/FlashSale" -c Release -o "$WORK/tool" >"$WORK/tool-build.log" 2>&1 || { cat "$WORK/tool-build.log" >&2; exit 2; }
JWT_KEY="$(head -c 64 /dev/urandom | base64 -w0)"
ADMIN=admin@queue.bench ADMIN_PASSWORD="Queue-Bench-Admin-2026" PASSWORD="Stage-Door-Pass-42"
KEK="$(head -c 32 /dev/urandom | base64)"

# The database: a fresh SQLite file, or a private PostgreSQL cluster (durable settings for a 2-core box).
APP_PROVIDER=Sqlite APP_CS="Data Source=$WORK/ticketing.db" TOOL_CS="Data Source=$WORK/ticketing.db;Pooling=false"
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
  APP_PROVIDER=Postgres APP_CS="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=ticketing" TOOL_CS="$APP_CS"
fi

( cd "$WORK" && exec env ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production Database__Provider="$APP_PROVIDER" \
    "ConnectionStrings__Ticketing=$APP_CS" Seed__AdminEmail="$ADMIN" Seed__AdminPassword="$ADMIN_PASSWORD" \
    Seed__DemoData=false Security__KeyEncryptionKey="$KEK" App__PublicBaseUrl="$B" Auth__SecureCookies=false RateLimiting__AuthPerMinute=0 \
    Security__Passwords__BcryptWorkFactor=4 RateLimiting__HoldsPerMinute=0 Logging__LogLevel__Default=Warning \
    Auth__JwtSigningKey="$JWT_KEY" Payments__Provider=Simulated Payments__Simulated__DelayMilliseconds=0 \
    dotnet "$APP_DIR/Ticketing.Web.dll" --urls "$B" --contentRoot "$WORK" --webroot "$APP_DIR/wwwroot" >"$WORK/app.log" 2>&1 ) &
APP_PID=$!
for _ in $(seq 1 120); do curl -fs "$B/api/ping" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fs "$B/api/ping" >/dev/null || { echo "the app did not start" >&2; tail -20 "$WORK/app.log" >&2; exit 1; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$APP_PID/status"; }

# 1. One published date with a waiting room opening in an hour ---------------------------------------------------------
TOKEN=$(curl -fs -H 'Content-Type: application/json' -d "{\"email\":\"$ADMIN\",\"password\":\"$ADMIN_PASSWORD\"}" "$B/api/auth/token" | jq -r .accessToken)
starts=$(date -u -d "+30 days 19:00" +%Y-%m-%dT%H:%M:%SZ)
body=$(jq -nc --arg s "$starts" '{title:"Queue Bench Tour", description:"The waiting-room benchmark.", category:"Concert",
  performances:[{startsAt:$s, venue:{name:"Stadium", city:"Paris", address:"1 rue"}, categories:[{name:"Pelouse", price:60, capacity:100}]}]}')
EVENT_ID=$(curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$body" "$B/api/events" | jq -r .id)
curl -fs -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" "$B/api/events/$EVENT_ID/publish"
PERF_ID=$(curl -fs "$B/api/events/$EVENT_ID" | jq -r '.performances[0].id')
CAT_ID=$(curl -fs "$B/api/events/$EVENT_ID" | jq -r '.performances[0].categories[0].id')
settings() { curl -fs -X PUT -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"enabled\":true,\"admitPerMinute\":600,\"opensAt\":\"$1\"}" "$B/api/performances/$PERF_ID/queue/settings"; }
COMMITMENT=$(settings "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)" | jq -r .commitment)

# 2. N fans registered ahead, then they join the pre-queue ------------------------------------------------------------
# The managed heap's live objects (dotnet-gcdump forces a full GC first), when the tool is installed: what a waiting
# fan really keeps, without the GC's slack that the RSS includes.
GCDUMP="$(command -v dotnet-gcdump || ls "$HOME/.dotnet/tools/dotnet-gcdump" 2>/dev/null || true)"
heap_bytes() {
  [ -z "$GCDUMP" ] && { echo null; return; }
  "$GCDUMP" collect -p "$APP_PID" -o "$WORK/$1.gcdump" >/dev/null 2>&1 || { echo null; return; }
  "$GCDUMP" report "$WORK/$1.gcdump" 2>/dev/null | awk '/GC Heap bytes/ {gsub(",", "", $1); print $1; exit}'
}
HEAP_BEFORE=$(heap_bytes before)
RSS_BEFORE=$(rss_kb)
log "registering and joining $FANS fans"
DOTNET_gcServer=1 dotnet "$WORK/tool/FlashSale.dll" --queue-join --url "$B" --db "$DB" --connection "$TOOL_CS" \
  --jwt-key "$JWT_KEY" --admin-email "$ADMIN" --admin-password "$ADMIN_PASSWORD" --performance "$PERF_ID" --fans "$FANS" \
  --concurrency 32 --fans-file "$WORK/fans.txt" >"$WORK/join.json"
log "joined: $(cat "$WORK/join.json")"
JOINED=$(wc -l <"$WORK/fans.txt")
RSS_AFTER=$(rss_kb)
HEAP_AFTER=$(heap_bytes after)

# 3. The opening (moved to now + 3 s) and the verification of the draw -------------------------------------------------
settings "$(date -u -d '+3 seconds' +%Y-%m-%dT%H:%M:%SZ)" >/dev/null
sleep 4
curl -fs "$B/api/performances/$PERF_ID/queue/fairness" >"$WORK/fairness.json"
pages=$(( (JOINED + 99) / 100 ))
for p in $(seq 1 "$pages"); do curl -fs "$B/api/performances/$PERF_ID/queue/fairness/order?page=$p&pageSize=100" | jq -c '.items[]'; done >"$WORK/order.jsonl"
ORDER_OK=$(python3 - "$WORK/fairness.json" "$WORK/order.jsonl" "$COMMITMENT" <<'PY'
import hashlib, json, sys
f = json.load(open(sys.argv[1])); seed = bytes.fromhex(f["seed"])
published = [json.loads(l) for l in open(sys.argv[2])]
pre = [p["entryId"] for p in published if p["preQueue"]]
recomputed = sorted(pre, key=lambda i: hashlib.sha256(seed + i.lower().encode()).hexdigest())
ok = hashlib.sha256(seed).hexdigest() == f["commitment"] == sys.argv[3] and recomputed == pre \
     and [p["position"] for p in published] == list(range(1, len(published) + 1))
print("true" if ok else "false")
PY
)

# 4. Status endpoint vs ping, same run ---------------------------------------------------------------------------------
# The status polls rotate over up to 5,000 fans (each fan's own token and entry), as a crowd of waiting pages does.
shuf -n 5000 "$WORK/fans.txt" >"$WORK/pollers.txt" 2>/dev/null || head -5000 "$WORK/fans.txt" >"$WORK/pollers.txt"
# Both scripts hand wrk requests built once per thread (wrk.format in init, once Host is known), so the client costs
# the same for both.
cat >"$WORK/poll.lua" <<'LUA'
local requests, i = {}, 0
init = function()
  for line in io.lines(os.getenv("POLLERS")) do
    local t, e = line:match("(%S+) (%S+)")
    requests[#requests + 1] = wrk.format("GET", "/api/queue/" .. e, { ["Authorization"] = "Bearer " .. t })
  end
  i = math.random(#requests)
end
request = function()
  i = i % #requests + 1
  return requests[i]
end
LUA
cat >"$WORK/ping.lua" <<'LUA'
local ping
init = function() ping = wrk.format("GET", "/api/ping") end
request = function()
  return ping
end
LUA
export POLLERS="$WORK/pollers.txt"
rate() {
  local out; out=$(wrk -t2 -c32 -d"${SECONDS_}s" "$@" 2>&1)
  if echo "$out" | grep -q "Non-2xx"; then echo "non-2xx answers: $out" >&2; exit 1; fi
  echo "$out" | awk '/Requests\/sec/ {print $2}'
}
wrk -t1 -c4 -d2s -s "$WORK/ping.lua" "$B" >/dev/null 2>&1
wrk -t1 -c4 -d2s -s "$WORK/poll.lua" "$B" >/dev/null 2>&1
PING=$(rate -s "$WORK/ping.lua" "$B"); STATUS=$(rate -s "$WORK/poll.lua" "$B")

# 5. Orders without admission: every one refused ----------------------------------------------------------------------
REFUSED=0; TRIED=0
while read -r t _; do
  TRIED=$((TRIED + 1))
  code=$(curl -s -o "$WORK/o.json" -w '%{http_code}' -H "Authorization: Bearer $t" -H 'Content-Type: application/json' \
    -d "{\"performanceId\":\"$PERF_ID\",\"items\":[{\"categoryId\":\"$CAT_ID\",\"quantity\":1}]}" "$B/api/orders")
  [ "$code" = 403 ] && [ "$(jq -r .code "$WORK/o.json")" = admission_required ] && REFUSED=$((REFUSED + 1))
done < <(head -50 "$WORK/fans.txt")

# 6. The admission rate: the admitted count read twice, RATE_SECONDS apart, against the configured 600 a minute ---------
count() { curl -fs -H "Authorization: Bearer $TOKEN" "$B/api/performances/$PERF_ID/queue/settings" | jq -r .admittedCount; }
A1=$(count); T1=$(date +%s.%N); sleep "$RATE_SECONDS"; A2=$(count); T2=$(date +%s.%N)
MEASURED_RATE=$(python3 -c "print(round(($A2 - $A1) / ($T2 - $T1) * 60, 1))")

# 7. No oversell: the first 300 admitted fans order one seat each at once, with their tokens, for 100 seats -----------
for p in 1 2 3; do curl -fs "$B/api/performances/$PERF_ID/queue/fairness/order?page=$p&pageSize=100" | jq -r '.items[].entryId'; done >"$WORK/first.txt"
awk 'NR==FNR {token[$2]=$1; next} ($1 in token) {print token[$1], $1}' "$WORK/fans.txt" "$WORK/first.txt" >"$WORK/first-fans.txt"
export B PERF_ID CAT_ID
xargs -P 16 -L 1 sh -c '
  adm=$(curl -fs -H "Authorization: Bearer $0" "$B/api/queue/$1" | jq -r ".admissionToken // empty")
  curl -s -o /dev/null -w "%{http_code}\n" -H "Authorization: Bearer $0" -H "Admission-Token: $adm" -H "Content-Type: application/json" \
    -d "{\"performanceId\":\"$PERF_ID\",\"items\":[{\"categoryId\":\"$CAT_ID\",\"quantity\":1}]}" "$B/api/orders"' \
  <"$WORK/first-fans.txt" >"$WORK/admitted-orders.txt"
HELD=$(grep -c '^201$' "$WORK/admitted-orders.txt" || true)
ADMITTED_TRIED=$(wc -l <"$WORK/admitted-orders.txt")
# The category's counters straight from the database (held + sold never above capacity).
if [ "$DB" = postgres ]; then
  read -r CAP_DB HELD_DB SOLD_DB < <("$PG_BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d ticketing -At -F ' ' \
    -c "SELECT \"Capacity\", \"Held\", \"Sold\" FROM \"PriceCategories\" WHERE \"Id\" = '$CAT_ID'")
else
  read -r CAP_DB HELD_DB SOLD_DB < <(python3 - "$WORK/ticketing.db" "$CAT_ID" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
row = c.execute('SELECT "Capacity","Held","Sold" FROM "PriceCategories" WHERE "Id" = ?', (sys.argv[2].upper(),)).fetchone()
print(*row)
PY
)
fi

LINE=$(jq -nc --argjson fans "$FANS" --argjson joined "$JOINED" --argjson ping "$PING" --argjson status "$STATUS" \
  --argjson before "$RSS_BEFORE" --argjson after "$RSS_AFTER" --argjson heapBefore "$HEAP_BEFORE" --argjson heapAfter "$HEAP_AFTER" --argjson ok "$ORDER_OK" --argjson tried "$TRIED" \
  --argjson refused "$REFUSED" --arg seconds "$SECONDS_" --argjson rate "$MEASURED_RATE" --argjson held "$HELD" \
  --argjson admittedTried "$ADMITTED_TRIED" --argjson capDb "$CAP_DB" --argjson heldDb "$HELD_DB" --argjson soldDb "$SOLD_DB" --argjson join "$(cat "$WORK/join.json")" \
  --arg db "$DB" '{bench:"queue", db:$db, fans:$fans, joined:$joined, orderVerified:$ok, wrk:"-t2 -c32 -d\($seconds)s",
    reqPerSec:{ping:$ping, queueStatus:$status}, statusVsPing:(($status / $ping * 100 | round) / 100),
    bytesPerWaitingFan:((($after - $before) * 1024 / $joined) | round),
    liveHeapBytesPerWaitingFan:(if $heapAfter == null or $heapBefore == null then null else (($heapAfter - $heapBefore) / $joined | round) end), ordersWithoutAdmission:{tried:$tried, refused:$refused},
    admission:{configuredPerMinute:600, measuredPerMinute:$rate, deviation:((($rate - 600) / 600 * 1000 | round) / 1000)},
    admittedOrders:{tried:$admittedTried, held:$held, capacity:$capDb, heldInDb:$heldDb, soldInDb:$soldDb,
      oversold:([0, $held - $capDb, $heldDb + $soldDb - $capDb] | max)},
    join:$join}')
echo "$LINE"
[ -n "$OUT" ] && echo "$LINE" >>"$OUT"
exit 0
