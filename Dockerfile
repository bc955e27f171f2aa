# syntax=docker/dockerfile:1
# Ticketing: one image for every instance. Build: docker build -t ticketing .  Run: see compose.yaml and docs/deployment.md.

# ---- build: the same publish command as .ci/test.sh and the CI workflow ----
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Restore first, from the project files and the central package versions only, so the layer is cached until a
# package changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY Ticketing.Core/Ticketing.Core.csproj Ticketing.Core/
COPY Ticketing.Web/Ticketing.Web.csproj Ticketing.Web/
RUN dotnet restore Ticketing.Web/Ticketing.Web.csproj
COPY Resources/ Resources/
COPY Ticketing.Core/ Ticketing.Core/
COPY Ticketing.Web/ Ticketing.Web/
RUN dotnet publish Ticketing.Web -c Release -o /app --no-restore

# ---- runtime ----
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# postgresql-client: pg_dump / pg_restore for the encrypted backups on PostgreSQL (Ubuntu 24.04's client is 16,
# the server version of compose.yaml: pg_dump must not be older than the server).
# tzdata: venue time zones (Europe/Paris...). curl: the health check. ICU comes with the base image: culture-aware
# formatting of dates and prices in English and French (InvariantGlobalization stays off).
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client tzdata curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY --from=build /app .
# App_Data: the SQLite database of a single-box install, mail files when no SMTP host is set, backups by default.
# Created here, owned by the app user, so that named volumes mounted on them start with that owner.
RUN mkdir -p /app/App_Data/backups && chown -R $APP_UID /app/App_Data
VOLUME /app/App_Data

ENV ASPNETCORE_URLS=http://+:8080 \
    DOTNET_RUNNING_IN_CONTAINER=true \
    TZ=UTC
EXPOSE 8080

# The non-root user of the .NET base images (uid 1654).
USER $APP_UID

HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health || exit 1

ENTRYPOINT ["dotnet", "Ticketing.Web.dll"]
