#!/usr/bin/env bash
# The test command of README.md: installs what the tests need when it can (root on Debian),
# checks that both providers' migrations match the model, builds once, runs every test,
# and closes with one line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql postgresql-contrib)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
command -v npx >/dev/null 2>&1 || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "missing (install them, or run as root on Debian): ${need[*]}" >&2
  fi
fi

dotnet tool restore >/dev/null   # dotnet-ef, and Kiota for the generated-client tests
# The OpenAPI lint test runs Redocly CLI through npx: fetch it once here rather than inside a test's time.
npx --yes @redocly/cli@2.77.0 --version >/dev/null 2>&1 || echo "could not fetch @redocly/cli (the OpenAPI lint test will try again)" >&2
# The OpenID Connect provider the external sign-in tests start (Node, oidc-provider): from its lock file.
(cd Ticketing.Tests/Oidc && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || echo "npm ci in Ticketing.Tests/Oidc failed (the OIDC tests will try again)" >&2
dotnet build Ticketing.sln -c Release -warnaserror 2>&1 | tail -3

# A model change must be migrated for BOTH providers.
for ctx in SqliteTicketingDbContext PostgresTicketingDbContext; do
  dotnet ef migrations has-pending-model-changes --no-build --configuration Release \
    --project Ticketing.Core --startup-project Ticketing.Core --context "$ctx" >/tmp/ticketing-ef-$ctx.log 2>&1 \
    || { cat /tmp/ticketing-ef-$ctx.log; echo "pending model changes for $ctx: add a migration for both providers" >&2; exit 1; }
done

# The published app (used by the browser, nginx and flash-sale tests), built the way the Dockerfile builds it.
rm -rf artifacts/publish
dotnet publish Ticketing.Web -c Release -o artifacts/publish --no-build 2>&1 | tail -1
export TICKETING_PUBLISHED_APP="$PWD/artifacts/publish"

log=$(mktemp)
# The test apps append their Error entries here (Ticketing.Tests/Infrastructure/ServerErrorLog.cs): printed on failure.
export TICKETING_TEST_ERROR_LOG="$(mktemp)"
set +e
dotnet test Ticketing.sln -c Release --no-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=0; failed=0; skipped=0
while read -r f p s; do
  failed=$((failed + f)); passed=$((passed + p)); skipped=$((skipped + s))
done < <(sed -nE 's/.*(Passed|Failed)! +- +Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \3 \4/p' "$log")
rm -f "$log"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  # Tests provoke some errors on purpose; the unhandled ones (a 500) are the ones that explain a failure.
  if grep -q "Unhandled exception" "$TICKETING_TEST_ERROR_LOG" 2>/dev/null; then
    echo "---- unhandled exceptions in the test apps (last 80 lines; all errors in $TICKETING_TEST_ERROR_LOG) ----"
    awk '/ Error \[|Critical \[/ { keep = /Unhandled exception/ } keep' "$TICKETING_TEST_ERROR_LOG" | tail -n 80
  fi
fi
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then exit 1; fi
if [ "$passed" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
