# Stand-in for mcr.microsoft.com/dotnet/aspnet:<version>-noble, made by docker/test/stand-ins.sh
# where that registry cannot be reached. It follows dotnet-docker's runtime-deps, runtime and
# aspnet Dockerfiles for Ubuntu 24.04 on a Debian 12 root filesystem (BASE: debootstrap minbase
# with ca-certificates, libicu72, libssl3, tzdata, the counterparts of the noble packages), with
# this machine's .NET runtime and ASP.NET Core runtime (the build context's dotnet/ folder).
ARG BASE
FROM ${BASE}

ENV APP_UID=1654 \
    ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_RUNNING_IN_CONTAINER=true

RUN groupadd --gid=$APP_UID app \
    && useradd --no-log-init --uid=$APP_UID --gid=$APP_UID --create-home app

COPY dotnet/ /usr/share/dotnet/
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet

ARG DOTNET_VERSION
ENV DOTNET_VERSION=$DOTNET_VERSION \
    ASPNET_VERSION=$DOTNET_VERSION
