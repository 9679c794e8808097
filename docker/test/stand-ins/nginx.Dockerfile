# Stand-in for the official nginx:<version>-alpine image, made by docker/test/stand-ins.sh where
# that registry cannot be reached: Debian 12's nginx (1.22, glibc) on the Debian 12 root filesystem
# (BASE), with what docker/compose.yaml relies on from the official image: the user nginx with
# UID/GID 101, a wget for the healthcheck (busybox's there), `nginx -g 'daemon off;'` in the
# foreground, and SIGQUIT as the stop signal (graceful shutdown).
ARG BASE
FROM ${BASE}

RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx wget \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 101 nginx \
    && useradd --system --uid 101 --gid 101 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin nginx

EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
