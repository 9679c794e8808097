#!/usr/bin/env bash
# Makes sure the Docker engine has the base images that docker/image-test.sh needs, under the
# exact names the Dockerfile and docker/compose.yaml use: an image already there is used as it is,
# a missing one is pulled, and one that cannot be pulled (no access to container registries, as on
# the machines this project is built on) is replaced by a local stand-in, labelled
# org.servenet.stand-in with what it holds:
#
#   mcr.microsoft.com/dotnet/aspnet:V-noble  Debian 12 minbase root filesystem (debootstrap) with
#                                            the noble image's packages, user `app` (UID 1654) and
#                                            settings, and this machine's .NET runtimes
#   mcr.microsoft.com/dotnet/sdk:V-noble     that, plus the SDK image's packages, this machine's SDK
#                                            and this machine's CA bundle (NuGet inside the build)
#   nginx:V-alpine                           Debian 12's nginx on that root filesystem, user 101
#
#   docker/test/stand-ins.sh [--fresh]   # --fresh: remove earlier stand-ins and make them again
#
# Needs: a running engine (DOCKER_HOST), debootstrap and this machine's dotnet. Prints one line per
# image, saying what was used or substituted. Stand-in builds use the classic builder with host
# networking (their apt-get reaches the machine's Debian registry).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/docker/test/stand-ins"
fresh=0
case "${1-}" in
  "") ;;
  --fresh) fresh=1 ;;
  *) echo "usage: $0 [--fresh]" >&2; exit 2 ;;
esac

label=org.servenet.stand-in
base_image=servenet-stand-in/debian:bookworm-minbase
work="$(mktemp -d /tmp/servenet-stand-ins.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# ---- the names to provide, read from the files that use them ----
dockerfile_flat="$(sed -e ':a' -e '/\\$/N; s/\\\n/ /; ta' "$root/Dockerfile")"
from_image() { awk '/^FROM /{for (i = 2; i <= NF; i++) if ($i !~ /^--/) {print $i; break}}' <<<"$dockerfile_flat" | grep -E "$1" | head -1; }
sdk_image="$(from_image '^mcr\.microsoft\.com/dotnet/sdk:')"
aspnet_image="$(from_image '^mcr\.microsoft\.com/dotnet/aspnet:')"
nginx_image="$(grep -oE '^    image: nginx:[^ ]+' "$root/docker/compose.yaml" | awk '{print $2}' | head -1)"
for name in sdk_image aspnet_image nginx_image; do
  [ -n "${!name}" ] || { echo "stand-ins: cannot find the ${name%_image} image in the Dockerfile/compose.yaml" >&2; exit 1; }
done
tag_of() { sed -E 's/@sha256:[0-9a-f]+$//' <<<"$1"; }

# ---- this machine's .NET, which the stand-ins carry ----
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
runtime_version="$(dotnet --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" {print $2}' | sort -V | tail -1)"
sdk_version="$(cd "$root" && dotnet --version)" \
  || { echo "stand-ins: this machine has no .NET SDK that global.json accepts" >&2; exit 1; } # the one global.json selects
[ -d "$dotnet_root/shared/Microsoft.NETCore.App/$runtime_version" ] \
  || { echo "stand-ins: $dotnet_root has no Microsoft.NETCore.App $runtime_version beside ASP.NET Core" >&2; exit 1; }

labelled() { docker image inspect -f "{{index .Config.Labels \"$label\"}}" "$1" 2>/dev/null; }

# wanted IMAGE: 0 when a stand-in must be made for it.
wanted() {
  local image; image="$(tag_of "$1")"
  if docker image inspect "$image" >/dev/null 2>&1; then
    if [ -z "$(labelled "$image")" ]; then echo "stand-in: none for $image: the real image is present"; return 1; fi
    if [ "$fresh" = 0 ]; then echo "stand-in: $image = $(labelled "$image") (made earlier)"; return 1; fi
    docker image rm "$image" >/dev/null
  fi
  if timeout 300 docker pull -q "$1" >/dev/null 2>"$work/pull.err"; then
    echo "stand-in: none for $1: pulled"
    return 1
  fi
  if [[ "$1" == *@sha256:* ]]; then
    # A local image cannot carry the registry's digest, and a build asks for that digest.
    echo "stand-ins: $1 is pinned by digest and cannot be pulled: no stand-in can answer to a digest" >&2
    exit 1
  fi
  echo "stand-in: $image cannot be pulled ($(head -1 "$work/pull.err" | cut -c1-160)): making a stand-in"
}

debian_base() {
  if docker image inspect "$base_image" >/dev/null 2>&1 && [ "$fresh" = 0 ]; then return 0; fi
  # This machine's Debian archive (debootstrap's default when apt names none).
  local mirror
  mirror="$(apt-get indextargets --format '$(REPO_URI)' 'Codename: bookworm' 'Label: Debian' 'Identifier: Packages' 2>/dev/null | head -1)"
  echo "stand-in: debootstrap --variant=minbase bookworm (Debian 12) with ca-certificates libicu72 libssl3 tzdata"
  if ! debootstrap --variant=minbase --include=ca-certificates,libicu72,libssl3,tzdata \
      bookworm "$work/rootfs" ${mirror:+"$mirror"} >"$work/debootstrap.log" 2>&1; then
    tail -5 "$work/debootstrap.log"
    echo "stand-ins: debootstrap failed: is the Debian package registry reachable?" >&2
    return 1
  fi
  rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/*
  tar -C "$work/rootfs" -c . | docker import --change 'CMD ["bash"]' \
    --change "LABEL $label=\"Debian 12 minbase (debootstrap)\"" - "$base_image" >/dev/null
  rm -rf "$work/rootfs"
}

# build IMAGE DOCKERFILE CONTEXT DESCRIPTION [BUILD_ARG...]
build() {
  local image="$1" dockerfile="$2" context="$3" description="$4"; shift 4
  local args=()
  for arg in "$@"; do args+=(--build-arg "$arg"); done
  if ! DOCKER_BUILDKIT=0 docker build --network host -q -f "$here/$dockerfile" "${args[@]}" \
      --label "$label=$description" -t "$image" "$context" >"$work/build.log" 2>&1; then
    tail -20 "$work/build.log"
    echo "stand-ins: building the stand-in for $image failed" >&2
    return 1
  fi
  echo "stand-in: $image = $description"
}

# Copies (hard links where possible) parts of this machine's dotnet folder into a build context.
context_with() {
  local context="$1"; shift
  mkdir -p "$context/dotnet"
  for part in "$@"; do
    mkdir -p "$context/dotnet/$(dirname "$part")"
    cp -al "$dotnet_root/$part" "$context/dotnet/$part" 2>/dev/null || cp -a "$dotnet_root/$part" "$context/dotnet/$part"
  done
}

versions_note() { # TAG_VERSION MACHINE_VERSION
  [ "$1" = "$2" ] && echo "" || echo " (the tag names $1)"
}

aspnet_tag="$(tag_of "$aspnet_image")"
sdk_tag="$(tag_of "$sdk_image")"
nginx_tag="$(tag_of "$nginx_image")"

make_aspnet=0 make_sdk=0 make_nginx=0
if wanted "$aspnet_image"; then make_aspnet=1; fi
if wanted "$sdk_image"; then make_sdk=1; fi
if wanted "$nginx_image"; then make_nginx=1; fi
if [ $((make_aspnet + make_sdk + make_nginx)) -gt 0 ]; then debian_base; fi

if [ "$make_aspnet" = 1 ]; then
  tag_version="$(sed -E 's/.*:([0-9.]+).*/\1/' <<<"$aspnet_tag")"
  context_with "$work/aspnet" dotnet LICENSE.txt ThirdPartyNotices.txt "host/fxr/$runtime_version" \
    "shared/Microsoft.NETCore.App/$runtime_version" "shared/Microsoft.AspNetCore.App/$runtime_version"
  build "$aspnet_tag" aspnet.Dockerfile "$work/aspnet" \
    "Debian 12 minbase (not Ubuntu 24.04) + user app 1654 + this machine's .NET and ASP.NET Core runtimes $runtime_version$(versions_note "$tag_version" "$runtime_version")" \
    "BASE=$base_image" "DOTNET_VERSION=$runtime_version"
  rm -rf "$work/aspnet"
fi

if [ "$make_sdk" = 1 ]; then
  tag_version="$(sed -E 's/.*:([0-9.]+).*/\1/' <<<"$sdk_tag")"
  context_with "$work/sdk" dnx packs sdk-manifests templates "sdk/$sdk_version"
  cp /etc/ssl/certs/ca-certificates.crt "$work/sdk/ca-certificates.crt"
  revocation="${NUGET_CERT_REVOCATION_MODE:-online}"
  build "$sdk_tag" sdk.Dockerfile "$work/sdk" \
    "the aspnet stand-in + curl git libatomic1 wget (Debian 12) + this machine's .NET SDK $sdk_version$(versions_note "$tag_version" "$sdk_version"), CA bundle and NUGET_CERT_REVOCATION_MODE=$revocation; no PowerShell" \
    "BASE=$aspnet_tag" "DOTNET_SDK_VERSION=$sdk_version" "NUGET_CERT_REVOCATION_MODE=$revocation"
  rm -rf "$work/sdk"
fi

if [ "$make_nginx" = 1 ]; then
  mkdir -p "$work/nginx"
  build "$nginx_tag" nginx.Dockerfile "$work/nginx" \
    "Debian 12 minbase + Debian 12's nginx and wget (glibc, not Alpine/musl) + user nginx 101" \
    "BASE=$base_image"
  echo "stand-in: $nginx_tag runs $(docker run --rm --network none "$nginx_tag" nginx -v 2>&1 | sed 's/.*: //')"
fi
