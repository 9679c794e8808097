# Stand-in for mcr.microsoft.com/dotnet/sdk:<version>-noble, made by docker/test/stand-ins.sh
# where that registry cannot be reached. It follows dotnet-docker's sdk Dockerfile for Ubuntu 24.04
# on top of the aspnet stand-in (BASE): the same packages (from Debian 12) and settings, this
# machine's SDK (the build context's dotnet/ folder), and no PowerShell. The CA bundle and the
# NuGet certificate revocation mode are this machine's, so a restore inside a build reaches NuGet
# the way this machine does (here revocation servers are out of reach: "offline" keeps each signed
# package from waiting for them).
ARG BASE
FROM ${BASE}

ENV DOTNET_GENERATE_ASPNET_CERTIFICATE=false \
    DOTNET_NOLOGO=true \
    DOTNET_USE_POLLING_FILE_WATCHER=true \
    NUGET_XMLDOC_MODE=skip

RUN apt-get update \
    && apt-get install -y --no-install-recommends curl git libatomic1 wget \
    && rm -rf /var/lib/apt/lists/*

COPY dotnet/ /usr/share/dotnet/
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt

ARG DOTNET_SDK_VERSION
ARG NUGET_CERT_REVOCATION_MODE=online
ENV DOTNET_SDK_VERSION=$DOTNET_SDK_VERSION \
    NUGET_CERT_REVOCATION_MODE=$NUGET_CERT_REVOCATION_MODE
RUN ln -s /usr/share/dotnet/dnx /usr/bin/dnx \
    && dotnet help >/dev/null
