# ServeNet API image: the SDK image restores, builds and publishes Release; the ASP.NET Core
# runtime image (Ubuntu 24.04, glibc) runs it as the non-root user `app` with the shipped
# checkpoints in /app/models. No secrets are baked in: every setting comes from environment
# variables (see docs/deploy.md). Builds with BuildKit and with the classic builder alike.
#
#   docker build -t servenet-api .
#   docker run --rm -p 8080:8080 --read-only --tmpfs /tmp servenet-api
#
# Base images are pinned to exact versions: the SDK to the feature band that global.json asks for,
# the runtime to the one that SDK ships with. docs/deploy.md says how to move them (and how to add
# the digests, which could not be read where this was written).

# ---- build: restore (cached layer), then publish a framework-dependent, portable build ----
# The published output is IL only (no apphost, no native assets), so it runs on any target
# architecture. (No `--platform=$BUILDPLATFORM`: the classic builder leaves that variable empty
# and refuses the line; a cross-architecture build runs this stage emulated instead.)
FROM mcr.microsoft.com/dotnet/sdk:10.0.401-noble AS build
WORKDIR /src

# Restore first, from the files that decide the package graph only, so source edits reuse it.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Core/Core.csproj src/Core/
COPY src/Api/Api.csproj src/Api/
RUN dotnet restore src/Api/Api.csproj

COPY src/Core/ src/Core/
COPY src/Api/ src/Api/
# Portable PDBs stay (a few hundred KB): stack traces in the logs keep their line numbers.
RUN dotnet publish src/Api/Api.csproj --configuration Release --no-restore \
        --output /app/publish -p:UseAppHost=false

# ---- runtime ----
FROM mcr.microsoft.com/dotnet/aspnet:10.0.12-noble AS runtime

LABEL org.opencontainers.image.title="servenet-api" \
      org.opencontainers.image.description="ServeNet sentiment and NER API (ASP.NET Core)"

# Settings (each can be overridden with -e / compose environment / a k8s env entry):
#   ASPNETCORE_HTTP_PORTS        port Kestrel listens on, every interface (the .NET image convention)
#   ServeNet__Models__Directory  folder of sentiment.ckpt and ner.ckpt (baked in; a volume may replace it)
#   ServeNet__Logging__Format    Json (one compact JSON object per line) or Text
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ServeNet__Models__Directory=/app/models \
    ServeNet__Logging__Format=Json

WORKDIR /app
# Owned by root and not writable by `app`: the process reads its code and checkpoints only.
COPY --from=build /app/publish/ /app/
COPY models/ /app/models/
COPY docker/health-probe.sh /usr/local/bin/servenet-health-probe

USER $APP_UID
EXPOSE 8080

# Ready = both models loaded and warmed up (503 before). The probe asks /health/ready on the port
# the app was configured with (--urls, ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS: docker/health-probe.sh),
# so moving the port keeps the container healthy. Start-up (load and warm-up) takes a few seconds,
# well inside the 3 x 10 s before "unhealthy"; docker/compose.yaml adds a start_period.
# (No --start-period here: dockerfilelint 1.8 misreads it.)
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
    CMD ["bash", "/usr/local/bin/servenet-health-probe"]

ENTRYPOINT ["dotnet", "ServeNet.Api.dll"]
