#!/usr/bin/env bash
# Builds the ServeNet image from the Dockerfile and runs it for real on a Docker engine: alone, and
# as docker/compose.yaml's 3 replicas behind nginx. One line per check, then a summary line:
#
#   docker/image-test.sh           # a few minutes; CI runs it from .ci/run
#   docker/image-test.sh --fresh   # first remove the base-image stand-ins and make them again
#
# 1. Engine: the one DOCKER_HOST names, if set; otherwise a private dockerd (Debian's docker.io)
#    with its own socket, state and data root (/run/servenet-image-test, /var/lib/servenet-image-test),
#    started as `dockerd --bridge=none --iptables=false --ip-forward=false --ip-masq=false` when it
#    is not already running, and stopped at the end. Every container here uses the host's network:
#    no bridge is ever created and iptables is never touched. Test addresses are on loopback
#    (IMAGE_TEST_NET, default 127.0.15.x), apart from the ports the image binds on every interface.
# 2. Base images: docker/test/stand-ins.sh uses them when present or pullable, and otherwise makes
#    local stand-ins under the same names (Debian 12 + this machine's .NET; Debian's nginx). It says
#    what it substituted; docs/deploy.md has the details.
# 3. Build: the Dockerfile with the classic builder (DOCKER_BUILDKIT=0) and with BuildKit; both must
#    hold the same published app (but for the three files no two builds reproduce bit for bit). The
#    pins (global.json, base image versions) are checked.
# 4. Containers of the image, all `--read-only --tmpfs /tmp --cap-drop ALL`: with its own settings
#    (non-root, read-only root, HEALTHCHECK healthy, /classify and /ner, the shipped checkpoints,
#    docker/smoke.sh, a clean stop), and with the port moved by ASPNETCORE_URLS, by `--urls` and by
#    ASPNETCORE_HTTP_PORTS (the HEALTHCHECK must follow each). Then docker/smoke-local.sh on the
#    image's own published app with the checkpoints in a mode-0700 folder (as in a clone under
#    `mktemp -d`).
# 5. Compose: docker/compose.yaml with docker/test/compose.host-network.yaml (one loopback address
#    per replica, dnsmasq as Docker's DNS): 3 healthy replicas, the proxy started once they were
#    healthy, docker/smoke.sh through nginx, load spread, replicas killed one by one with requests
#    still answered, 503 + Retry-After once all are down, a replica started again serving again.
# 6. Teardown: compose down, containers and built images removed, dnsmasq and a private engine
#    stopped. The stand-ins stay in the private engine's data root for the next run.
#
# Installs what it lacks, as root, from Debian's registry: docker.io, debootstrap, dnsmasq-base,
# curl, util-linux; Compose v2 comes from Debian 13's docker-compose package (Debian 12 packages
# Compose v1 only), unpacked into the tools folder (SERVENET_TOOLS_DIR, default
# ~/.cache/servenet-deploy-tools), never installed system-wide.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
fresh=()
case "${1-}" in
  "") ;;
  --fresh) fresh=(--fresh) ;;
  *) echo "usage: $0 [--fresh]" >&2; exit 2 ;;
esac

started_at=$SECONDS
net="${IMAGE_TEST_NET:-127.0.15}"
replica_addresses=("$net.2" "$net.3" "$net.4")
proxy_address="$net.10:8080"
dns_address="$net.11"
image=servenet-api:image-test
image_buildkit=servenet-api:image-test-buildkit
project=servenet-image-test
engine_dir=/run/servenet-image-test
tools="${SERVENET_TOOLS_DIR:-${HOME:-/tmp}/.cache/servenet-deploy-tools}"

state="$(mktemp -d /tmp/servenet-image-test.XXXXXX)"
chmod 755 "$state" # bind-mounted into containers and read by UID 1654
export PATH="$state/bin:$PATH:/usr/sbin:/sbin"
mkdir -p "$state/bin"

# ---------------------------------------------------------------- results
passed=0 failed=0 skipped=0
results=()
ok() { passed=$((passed + 1)); results+=("ok    $1"); printf '  ok    %s\n' "$1"; }
fail() { failed=$((failed + 1)); results+=("FAIL  $1: $2"); printf '  FAIL  %s: %s\n' "$1" "$2"; }
skip() { skipped=$((skipped + 1)); results+=("skip  $1: $2"); printf '  skip  %s: %s\n' "$1" "$2"; }
section() { printf '\n== %s (%d s)\n' "$1" "$((SECONDS - started_at))"; }
# check NAME COMMAND...: ok when COMMAND succeeds; its last output line says why it failed.
check() {
  local name="$1" out; shift
  if out="$("$@" 2>&1)"; then ok "$name${out:+ ($(tail -1 <<<"$out"))}"
  else fail "$name" "$(tail -1 <<<"${out:-no output}")"; fi
}

# ---------------------------------------------------------------- teardown (always)
engine_pid=""
dnsmasq_pid=""
compose_up=0
teardown() {
  trap - EXIT INT TERM
  section "teardown"
  if command -v docker >/dev/null && docker version >/dev/null 2>&1; then
    if [ "$compose_up" = 1 ]; then compose down --timeout 10 >"$state/down.log" 2>&1 || tail -5 "$state/down.log"; fi
    local leftover
    leftover="$( (docker ps -aq --filter label=org.servenet.image-test
      docker ps -aq --filter "label=com.docker.compose.project=$project") | sort -u | xargs)"
    [ -z "$leftover" ] || docker rm -f $leftover >/dev/null 2>&1
    docker image rm -f "$image" "$image_buildkit" >/dev/null 2>&1
    docker image prune -f >/dev/null 2>&1
    docker builder prune -af >/dev/null 2>&1
    echo "removed the test containers, the built images and the build cache"
  fi
  [ -z "$dnsmasq_pid" ] || { kill "$dnsmasq_pid" 2>/dev/null; wait "$dnsmasq_pid" 2>/dev/null; }
  if [ -n "$engine_pid" ]; then
    kill "$engine_pid" 2>/dev/null
    for _ in $(seq 60); do kill -0 "$engine_pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$engine_pid" 2>/dev/null; then echo "the private dockerd ($engine_pid) did not stop"
    else
      # The engine leaves its default network namespace mounted; nothing else of it runs now.
      umount "$engine_dir/exec/netns/default" 2>/dev/null
      echo "stopped the private dockerd"
    fi
  fi
  rm -rf "$state"
  section "summary"
  printf '%s\n' "${results[@]}"
  echo "image-test: took $((SECONDS - started_at)) s"
  echo "image-test: $passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ] && exit 0
  exit 1
}
trap teardown EXIT
trap 'exit 130' INT TERM
# A step that makes every later check meaningless: counted as failed, then straight to teardown.
die() { fail "$1" "$2"; exit 1; }

# ---------------------------------------------------------------- tools
section "tools"
export DEBIAN_FRONTEND=noninteractive
declare -A apt_for=([dockerd]=docker.io [debootstrap]=debootstrap [dnsmasq]=dnsmasq-base [curl]=curl [setpriv]=util-linux)
missing=()
for cmd in dockerd debootstrap dnsmasq curl setpriv; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${apt_for[$cmd]}")
done
# Debian's docker.io client: it builds with BuildKit without the buildx plugin (newer clients need it).
[ -x /usr/bin/docker ] || [ -n "${DOCKER_HOST:-}" ] || missing+=(docker.io)
if [ "${#missing[@]}" -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  [ "$(id -u)" = 0 ] || die "tools" "missing Debian packages ${missing[*]}: run as root, or apt-get install them first"
  echo "apt-get install ${missing[*]}"
  { timeout 300 apt-get update -qq && timeout 600 apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
    </dev/null >"$state/apt.log" 2>&1 || { tail -5 "$state/apt.log"; die "tools" "apt-get install ${missing[*]} failed: is the Debian package registry reachable?"; }
fi
if [ -x /usr/bin/docker ]; then ln -sf /usr/bin/docker "$state/bin/docker"; fi

# Compose v2 as a CLI plugin, in a private client configuration (DOCKER_CONFIG).
export DOCKER_CONFIG="$state/docker-config"
mkdir -p "$DOCKER_CONFIG/cli-plugins"
for plugins in "${HOME:-/root}/.docker/cli-plugins" /usr/local/lib/docker/cli-plugins /usr/libexec/docker/cli-plugins; do
  [ -x "$plugins/docker-compose" ] && ln -sf "$plugins/docker-compose" "$DOCKER_CONFIG/cli-plugins/docker-compose" && break
done
if ! docker compose version >/dev/null 2>&1; then
  compose_bin="$tools/compose-v2/docker-compose"
  if [ ! -x "$compose_bin" ]; then
    # Debian 12 has only Compose v1 (docker-compose 1.29, which ignores deploy.replicas and refuses
    # the top-level name:). Debian 13's docker-compose package is Compose v2, a Go program that
    # needs only libc: fetched with apt-get from this machine's Debian archive, unpacked here.
    echo "Compose v2: apt-get download docker-compose from Debian 13 (trixie) into $tools/compose-v2"
    mirror="$(apt-get indextargets --format '$(REPO_URI)' 'Codename: bookworm' 'Label: Debian' 'Identifier: Packages' | head -1)"
    [ -n "$mirror" ] || die "tools" "no Debian archive in this machine's apt sources to fetch Compose v2 from"
    apt_dir="$state/apt-trixie"
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$tools/compose-v2"
    echo "deb $mirror trixie main" >"$apt_dir/sources.list"
    apt_opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$apt_dir/lists"
      -o "Dir::Cache=$apt_dir/cache" -o APT::Sandbox::User=root)
    if ! (cd "$apt_dir" && timeout 300 apt-get "${apt_opts[@]}" update -qq && timeout 300 apt-get "${apt_opts[@]}" download docker-compose) \
        </dev/null >"$state/compose-download.log" 2>&1; then
      tail -5 "$state/compose-download.log"
      die "tools" "could not fetch Debian 13's docker-compose (Compose v2)"
    fi
    dpkg-deb -x "$apt_dir"/docker-compose_*.deb "$apt_dir/unpacked"
    cp "$apt_dir/unpacked/usr/libexec/docker/cli-plugins/docker-compose" "$compose_bin"
  fi
  ln -sf "$compose_bin" "$DOCKER_CONFIG/cli-plugins/docker-compose"
fi
docker compose version >/dev/null 2>&1 || die "tools" "docker compose (v2) does not run"
echo "docker client $(docker version -f '{{.Client.Version}}' 2>/dev/null || docker --version), $(docker compose version), $(debootstrap --version 2>/dev/null || echo debootstrap)"

# ---------------------------------------------------------------- engine
section "engine"
if [ -z "${DOCKER_HOST:-}" ]; then
  export DOCKER_HOST="unix://$engine_dir/docker.sock"
  if ! docker version >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || die "engine" "starting a private dockerd needs root"
    mkdir -p "$engine_dir" /var/lib/servenet-image-test
    dockerd --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
      --data-root /var/lib/servenet-image-test --exec-root "$engine_dir/exec" --pidfile "$engine_dir/dockerd.pid" \
      --host "$DOCKER_HOST" >"$engine_dir/dockerd.log" 2>&1 </dev/null &
    engine_pid=$!
    for _ in $(seq 60); do docker version >/dev/null 2>&1 && break; kill -0 "$engine_pid" 2>/dev/null || break; sleep 0.5; done
    if ! docker version >/dev/null 2>&1; then
      tail -5 "$engine_dir/dockerd.log"
      die "engine" "the private dockerd did not start (log: $engine_dir/dockerd.log)"
    fi
    echo "started a private dockerd (pid $engine_pid, $DOCKER_HOST, data root /var/lib/servenet-image-test)"
  else
    echo "using the private dockerd already running at $DOCKER_HOST (left running)"
  fi
fi
ok "engine: Docker $(docker version -f '{{.Server.Version}}'), storage $(docker info -f '{{.Driver}}'), containers on the host network"

# ---------------------------------------------------------------- base images
section "base images"
if docker/test/stand-ins.sh "${fresh[@]}" | tee "$state/stand-ins.log"; then
  if grep -q ' = ' "$state/stand-ins.log"; then ok "base images: stand-ins under the Dockerfile's and compose.yaml's names (above)"
  else ok "base images: the real ones"; fi
else
  die "base images" "docker/test/stand-ins.sh failed"
fi

# ---------------------------------------------------------------- build
section "build"
build() { # NAME BUILDKIT TAG
  local t0=$SECONDS
  if DOCKER_BUILDKIT="$2" docker build --network host -t "$3" --label org.servenet.image-test=1 . >"$state/build-$2.log" 2>&1; then
    ok "$1 ($((SECONDS - t0)) s)"
  else
    grep -E 'error|ERROR|failed' "$state/build-$2.log" | head -5
    tail -5 "$state/build-$2.log"
    fail "$1" "$(grep -E 'error|ERROR|failed' "$state/build-$2.log" | head -1 | cut -c1-200)"
    return 1
  fi
}
build "build: docker build with the classic builder (DOCKER_BUILDKIT=0)" 0 "$image" \
  || die "build" "no image to test"
# Both builders must give the same /app: the same files, byte for byte, except what differs between
# any two builds with either builder (seen here): ServeNet.Api.dll and its .pdb (Core's are
# reproduced exactly) and the static assets' endpoint list, which records the build time.
same_app() {
  local i
  for i in "$image" "$image_buildkit"; do
    docker run --rm --network none --entrypoint bash "$i" -c 'cd /app && find . -type f ! -name ServeNet.Api.dll \
      ! -name ServeNet.Api.pdb ! -name "*.staticwebassets.endpoints.json" -print0 | sort -z | xargs -0 sha256sum' \
      >"$state/app-$i.sums" || return 1
  done
  if ! cmp -s "$state/app-$image.sums" "$state/app-$image_buildkit.sums"; then
    echo "they differ in $(diff "$state/app-$image.sums" "$state/app-$image_buildkit.sums" | grep '^[<>]' | awk '{print $3}' | sort -u | xargs)"
    return 1
  fi
  echo "$(wc -l <"$state/app-$image.sums") files identical, sha256 $(sha256sum <"$state/app-$image.sums" | cut -c1-16)"
}
if build "build: docker build with BuildKit" 1 "$image_buildkit"; then
  check "build: both builders publish the same /app (but for what no two builds reproduce)" same_app
  docker image rm "$image_buildkit" >/dev/null
fi

# The pins: global.json's SDK band; base images by exact version, the runtime the tag names.
pins_sdk() {
  local band roll sdk_image sdk
  band="$(grep -oE '"version": *"[0-9.]+"' global.json | grep -oE '[0-9]+\.[0-9]+\.[0-9]')"
  roll="$(grep -oE '"rollForward": *"[a-zA-Z]+"' global.json | cut -d'"' -f4)"
  sdk_image="$(grep -oE '^FROM mcr\.microsoft\.com/dotnet/sdk:[^ ]+' Dockerfile | cut -d' ' -f2)"
  sdk="$(docker image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$sdk_image" | sed -n 's/^DOTNET_SDK_VERSION=//p')"
  case "$roll" in
    latestPatch) ;;                 # the feature band: 10.0.4xx
    latestFeature) band="${band%.*}." ;; # any band of the version: 10.0.x
    *) echo "global.json: rollForward '$roll', expected latestPatch or latestFeature"; return 1 ;;
  esac
  [ -n "$band" ] || { echo "global.json names no SDK version"; return 1; }
  [[ "$sdk" == "$band"* ]] || { echo "the build stage's SDK $sdk is outside global.json's ${band}xx"; return 1; }
  [[ "$sdk_image" == *":$sdk-"* ]] || { echo "$sdk_image does not name the SDK it holds ($sdk)"; return 1; }
  echo "global.json: SDK ${band}xx, rollForward $roll; build stage $sdk_image holds SDK $sdk"
}
pins_images() {
  local images bad=""
  images="$(awk '/^FROM /{for (i = 2; i <= NF; i++) if ($i !~ /^--/) {print $i; break}}' Dockerfile; grep -oE '^    image: [^$ ]+' docker/compose.yaml | awk '{print $2}')"
  for i in $images; do [[ "$i" =~ :[0-9]+\.[0-9]+\.[0-9]+(-[a-z0-9.]+)?(@sha256:[0-9a-f]{64})?$ ]] || bad+=" $i"; done
  [ -z "$bad" ] || { echo "not pinned to an exact version:$bad"; return 1; }
  echo "$(xargs <<<"$images")"
}
pins_runtime() {
  local tag runtime
  tag="$(grep -oE '^FROM mcr\.microsoft\.com/dotnet/aspnet:[0-9.]+' Dockerfile | grep -oE '[0-9.]+$')"
  runtime="$(docker run --rm --network none --entrypoint dotnet "$image" --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" {print $2}')"
  [ "$runtime" = "$tag" ] || { echo "the image runs ASP.NET Core $runtime, its base image tag names $tag"; return 1; }
  echo "ASP.NET Core $runtime"
}
check "pins: global.json selects the SDK band of the build image" pins_sdk
check "pins: every base image by exact version" pins_images
check "pins: the image runs the runtime its base tag names" pins_runtime

# ---------------------------------------------------------------- one container
section "containers"
port_free() { ! (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
for endpoint in 127.0.0.1:8080 "$net.21:9000" "$net.22:9001" 127.0.0.1:9002 127.0.0.1:9003; do
  port_free "${endpoint%:*}" "${endpoint#*:}" || die "containers" "$endpoint is in use: the image test needs it"
done

run_container() { # NAME [docker run options...] -- [arguments to the image...]
  local name="$1"; shift
  local opts=() args=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
  [ $# -gt 0 ] && shift && args=("$@")
  docker run -d --name "$name" --label org.servenet.image-test=1 --network host \
    --read-only --tmpfs /tmp:size=64m --cap-drop ALL --security-opt no-new-privileges \
    "${opts[@]}" "$image" "${args[@]}" >/dev/null
}
# wait_healthy CONTAINER [TIMEOUT]: prints the seconds it took; fails when unhealthy, exited or late.
wait_healthy() {
  local t0=$SECONDS status
  while :; do
    status="$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$1" 2>/dev/null)"
    case "$status" in
      "running healthy") echo "healthy after $((SECONDS - t0)) s"; return 0 ;;
      *unhealthy) echo "unhealthy: $(docker inspect -f '{{range .State.Health.Log}}{{.Output}}{{end}}' "$1" | tail -1)"; return 1 ;;
      running*) ;;
      *) echo "container $status (exit code $(docker inspect -f '{{.State.ExitCode}}' "$1"))"; return 1 ;;
    esac
    [ $((SECONDS - t0)) -lt "${2:-60}" ] || { echo "still '$status' after ${2:-60} s"; return 1; }
    sleep 1
  done
}
logs_tail() { echo "---- last lines of $1 ----"; docker logs --tail 15 "$1" 2>&1 | cut -c1-400; }

# All four start together (start-up overlaps; each loads and warms up both models).
run_container servenet-it-defaults
run_container servenet-it-urls -e "ASPNETCORE_URLS=http://$net.21:9000"
run_container servenet-it-args -- --urls "http://$net.22:9001"
run_container servenet-it-ports -e ASPNETCORE_HTTP_PORTS=9002
c=servenet-it-defaults
base=http://127.0.0.1:8080

check "run: HEALTHCHECK turns healthy (image settings, port 8080)" wait_healthy "$c" || logs_tail "$c"
non_root() {
  local user uid
  user="$(docker inspect -f '{{.Config.User}}' "$c")"
  uid="$(docker exec "$c" awk '/^Uid:/{print $2}' /proc/1/status)"
  [ "$user" = 1654 ] && [ "$uid" = 1654 ] || { echo "USER '$user', PID 1 UID '$uid'"; return 1; }
  echo "USER $user, PID 1 runs as UID $uid"
}
check "run: non-root: the process runs as UID 1654" non_root
read_only() {
  local app tmp owners
  app="$(docker exec "$c" touch /app/probe 2>&1)" && { echo "/app is writable"; return 1; }
  grep -q 'Read-only file system' <<<"$app" || { echo "touch /app/probe: $app"; return 1; }
  tmp="$(docker exec "$c" touch /tmp/probe 2>&1)" || { echo "touch /tmp/probe: $tmp"; return 1; }
  # Owner root, and no write bit for group or others.
  owners="$(docker exec "$c" stat -c '%U %A' /app/ServeNet.Api.dll /app/models/sentiment.ckpt /app/models/ner.ckpt)"
  if grep -qvE '^root .{5}[^w].{2}[^w]' <<<"$owners"; then echo "$(xargs <<<"$owners")"; return 1; fi
  echo "/app refuses writes, /tmp (tmpfs) takes them; app and checkpoints owned by root, not writable by others"
}
check "run: read-only root filesystem" read_only
post() { curl -sS --max-time 10 -H 'Content-Type: application/json' --data-binary "$2" "$1"; }
classify() {
  local body
  body="$(post "$base/classify" '{"text":"A warm, funny and beautifully acted film."}')" || return 1
  grep -q '"label":"positive"' <<<"$body" || { echo "${body:0:200}"; return 1; }
  echo "label positive"
}
ner() {
  local body
  body="$(post "$base/ner" '{"text":"Angela Merkel met Emmanuel Macron in Paris on Monday."}')" || return 1
  grep -q '"type":"PER"' <<<"$body" && grep -q '"type":"LOC"' <<<"$body" || { echo "${body:0:200}"; return 1; }
  echo "$(grep -o '"type":"[A-Z]*"' <<<"$body" | cut -d'"' -f4 | xargs)"
}
shipped() {
  local body f sum
  body="$(curl -sS --max-time 10 "$base/models")" || return 1
  for f in sentiment.ckpt ner.ckpt; do
    sum="$(sha256sum "models/$f" | cut -d' ' -f1)"
    grep -q "\"sha256\":\"$sum\"" <<<"$body" || { echo "/models does not report models/$f (sha256 $sum)"; return 1; }
  done
  echo "sha256 of models/sentiment.ckpt and models/ner.ckpt"
}
page() {
  local html
  html="$(curl -fsS --max-time 10 "$base/")" || return 1
  grep -q '<title>ServeNet' <<<"$html" || { echo "GET / is not the try-it page: ${html:0:120}"; return 1; }
  curl -fsS -o /dev/null --max-time 10 "$base/app.js" || { echo "GET /app.js failed"; return 1; }
  echo "GET / and /app.js from the image's wwwroot"
}
check "run: POST /classify" classify
check "run: POST /ner" ner
check "run: the try-it page" page
check "run: serves the repository's checkpoints" shipped
check "run: docker/smoke.sh against the container" bash -c "docker/smoke.sh $base >'$state/smoke-container.log' 2>&1; s=\$?; tail -1 '$state/smoke-container.log'; exit \$s" \
  || sed -n '/FAIL/p' "$state/smoke-container.log"
logs_clean() {
  local bad
  bad="$(docker logs "$1" 2>&1 | grep -E '"@l":"(Warning|Error|Fatal)"' | cut -c1-300)"
  [ -z "$bad" ] || { echo "$(head -1 <<<"$bad")"; return 1; }
  echo "$(docker logs "$1" 2>&1 | grep -c '^{') JSON lines, none at Warning or above"
}
check "run: JSON logs without warnings or errors" logs_clean "$c"

# The HEALTHCHECK follows the port however it is moved (it used to probe 8080 whatever the settings).
follows() { # CONTAINER URL
  wait_healthy "$1" || return 1
  curl -fsS -o /dev/null --max-time 5 "$2/health/ready" || { echo "nothing ready at $2"; return 1; }
  echo "healthy, serving $2"
}
check "run: HEALTHCHECK follows ASPNETCORE_URLS (http://$net.21:9000)" follows servenet-it-urls "http://$net.21:9000" \
  || logs_tail servenet-it-urls
check "run: HEALTHCHECK follows --urls (http://$net.22:9001)" follows servenet-it-args "http://$net.22:9001" \
  || logs_tail servenet-it-args
check "run: HEALTHCHECK follows ASPNETCORE_HTTP_PORTS=9002" follows servenet-it-ports http://127.0.0.1:9002 \
  || logs_tail servenet-it-ports

stops() {
  local t0=$SECONDS code
  docker stop -t 30 "$c" >/dev/null || return 1
  code="$(docker inspect -f '{{.State.ExitCode}}' "$c")"
  [ "$code" = 0 ] || { echo "exit code $code after $((SECONDS - t0)) s"; return 1; }
  echo "SIGTERM: exit code 0 after $((SECONDS - t0)) s"
}
check "run: docker stop ends the app cleanly" stops
docker rm -f servenet-it-defaults servenet-it-urls servenet-it-args servenet-it-ports >/dev/null 2>&1

# docker/smoke-local.sh (CI's test without Docker) must not depend on where the clone lives: run it
# on the image's own published app with the checkpoints in a mode-0700 folder.
smoke_local_private() {
  local cid
  mkdir -p "$state/private/models" && chmod 700 "$state/private"
  cp models/sentiment.ckpt models/ner.ckpt "$state/private/models/"
  cid="$(docker create "$image")" && docker cp "$cid:/app" "$state/published" && docker rm "$cid" >/dev/null || return 1
  SMOKE_PUBLISH_DIR="$state/published" SMOKE_MODELS_DIR="$state/private/models" SMOKE_PORT=9003 \
    docker/smoke-local.sh >"$state/smoke-local.log" 2>&1 || { grep -E 'FAIL|smoke-local:' "$state/smoke-local.log" | tail -3; return 1; }
  echo "$(grep -E '^smoke: all' "$state/smoke-local.log")"
}
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  check "smoke-local: checkpoints in a mode-0700 folder (a clone under mktemp -d)" smoke_local_private
else
  skip "smoke-local: checkpoints in a mode-0700 folder" "needs root and setpriv to run as UID 1654"
fi

# ---------------------------------------------------------------- compose
section "compose: 3 replicas behind nginx"
compose() {
  SERVENET_IMAGE="$image" IMAGE_TEST_REPLICA_ADDRESSES="${replica_addresses[*]}" IMAGE_TEST_CLAIMS="$state/claims" \
    IMAGE_TEST_NGINX_CONF="$state/nginx.conf" IMAGE_TEST_PROXY="$proxy_address" \
    docker compose -p "$project" -f docker/compose.yaml -f docker/test/compose.host-network.yaml "$@"
}
for endpoint in "${replica_addresses[@]/%/:8080}" "$proxy_address" "$dns_address:53"; do
  port_free "${endpoint%:*}" "${endpoint#*:}" || die "compose" "$endpoint is in use: the image test needs it"
done
mkdir -p "$state/claims"
for a in "${replica_addresses[@]}"; do : >"$state/claims/$a"; done
# The shipped nginx.conf but for two addresses that host networking has to move.
sed -E -e "s/^( *)listen 8080 default_server;/\1listen $proxy_address default_server;/" \
  -e "s/^( *)resolver 127\.0\.0\.11 /\1resolver $dns_address /" docker/nginx/nginx.conf >"$state/nginx.conf"
[ "$(diff docker/nginx/nginx.conf "$state/nginx.conf" | grep -c '^>')" = 2 ] || die "compose" "nginx.conf has no 'listen 8080 default_server;' or 'resolver 127.0.0.11' line to move"
# Docker's DNS: `api` resolves to the running replicas (dns_replicas rewrites the list).
dns_replicas() {
  if [ $# -gt 0 ]; then printf '%s api\n' "$@"; fi >"$state/hosts"
  [ -z "$dnsmasq_pid" ] || kill -HUP "$dnsmasq_pid"
}
dns_replicas "${replica_addresses[@]}"
dnsmasq --keep-in-foreground --no-resolv --no-hosts --addn-hosts="$state/hosts" --listen-address="$dns_address" \
  --bind-interfaces --port=53 --user=root --pid-file="$state/dnsmasq.pid" --log-facility=- >"$state/dnsmasq.log" 2>&1 &
dnsmasq_pid=$!

config() {
  local out
  out="$(compose config)" || return 1
  grep -q '^    network_mode: host$' <<<"$out" || { echo "services are not on the host network"; return 1; }
  grep -qE '^      replicas: 3$' <<<"$out" || { echo "api does not have 3 replicas"; return 1; }
  grep -qE '^    (driver: bridge|internal:)' <<<"$out" && { echo "the override would create a network"; return 1; }
  echo "3 api replicas and the proxy on the host network, no network to create"
}
check "compose: docker/compose.yaml + docker/test/compose.host-network.yaml" config || die "compose" "no valid configuration"
compose_up=1
if ! compose up -d --no-build >"$state/up.log" 2>&1; then
  tail -10 "$state/up.log"
  die "compose: up" "$(grep -iE 'error' "$state/up.log" | tail -1)"
fi
mapfile -t replicas < <(docker ps -q --filter "label=com.docker.compose.project=$project" --filter label=com.docker.compose.service=api)
proxy="$(docker ps -q --filter "label=com.docker.compose.project=$project" --filter label=com.docker.compose.service=proxy)"
replica_address() { docker exec "$1" bash -c 'tr "\0" "\n" </proc/1/environ' | sed -n 's#^ASPNETCORE_URLS=http://\(.*\):.*#\1#p'; }

replicas_healthy() {
  [ "${#replicas[@]}" = 3 ] || { echo "${#replicas[@]} api containers"; return 1; }
  local r addresses=()
  for r in "${replicas[@]}"; do wait_healthy "$r" 90 >/dev/null || { echo "$(docker inspect -f '{{.Name}}' "$r"): $(wait_healthy "$r" 1)"; return 1; }; done
  for r in "${replicas[@]}"; do addresses+=("$(replica_address "$r")"); done
  [ "$(printf '%s\n' "${addresses[@]}" | sort -u | grep -c .)" = 3 ] || { echo "addresses: ${addresses[*]}"; return 1; }
  echo "each on its own address: $(printf '%s\n' "${addresses[@]}" | sort | xargs)"
}
check "compose: 3 api replicas healthy (the image's HEALTHCHECK)" replicas_healthy \
  || { for r in "${replicas[@]}"; do logs_tail "$r"; done; }
proxy_after_healthy() {
  [ -n "$proxy" ] || { echo "no proxy container"; return 1; }
  wait_healthy "$proxy" 60 >/dev/null || { echo "proxy: $(wait_healthy "$proxy" 1)"; return 1; }
  # Nanoseconds since the epoch: the first successful probe of each replica, the proxy's start.
  local started healthy=0 t r
  started="$(date -d "$(docker inspect -f '{{.State.StartedAt}}' "$proxy")" +%s%N)"
  for r in "${replicas[@]}"; do
    t="$(docker inspect -f '{{range .State.Health.Log}}{{if eq .ExitCode 0}}{{.End.UTC.Format "2006-01-02T15:04:05.000000000Z"}}{{"\n"}}{{end}}{{end}}' "$r" | head -1)"
    t="$(date -d "$t" +%s%N)" || return 1
    [ "$t" -le "$healthy" ] || healthy="$t"
  done
  [ "$started" -ge "$healthy" ] || { echo "the proxy started $(( (healthy - started) / 1000000 )) ms before the last replica was healthy"; return 1; }
  echo "proxy healthy; it started $(( (started - healthy) / 1000000 )) ms after the last replica turned healthy"
}
check "compose: proxy started once the replicas were healthy (depends_on: service_healthy)" proxy_after_healthy
check "compose: docker/smoke.sh through the proxy" bash -c "docker/smoke.sh http://$proxy_address >'$state/smoke-proxy.log' 2>&1; s=\$?; tail -1 '$state/smoke-proxy.log'; exit \$s" \
  || sed -n '/FAIL/p' "$state/smoke-proxy.log"
spread() {
  local since n
  since="$(date -u +%Y-%m-%dT%H:%M:%S)"
  for _ in $(seq 30); do curl -fsS -o /dev/null --max-time 5 "http://$proxy_address/models" || true; done
  n="$(docker logs --since "$since" "$proxy" 2>/dev/null | grep '"uri":"/models"' | grep -oE '"upstream_addr":"[0-9.]+:[0-9]+"' | sort -u | wc -l)"
  [ "$n" -ge 2 ] || { echo "30 GET /models went to $n replica(s)"; return 1; }
  echo "30 GET /models went to $n of 3 replicas"
}
check "compose: the proxy spreads requests over the replicas" spread

# Replicas die one by one: Docker's DNS stops naming each (dns_replicas) but nginx may still hold
# the address for up to 5 s; either way every request must still be answered.
through_proxy() { # N: POSTs N /classify through the proxy; prints the status codes seen
  for _ in $(seq "$1"); do
    curl -sS -o /dev/null -w '%{http_code}\n' --max-time 10 -H 'Content-Type: application/json' \
      --data-binary '{"text":"still here"}' "http://$proxy_address/classify" 2>/dev/null || echo 000
  done | sort | uniq -c | awk '{printf "%s%s x%s", sep, $2, $1; sep=", "} END{print ""}'
}
alive=("${replicas[@]}")
for i in 1 2; do
  victim="${alive[0]}"; alive=("${alive[@]:1}")
  docker kill "$victim" >/dev/null
  live_addresses=(); for r in "${alive[@]}"; do live_addresses+=("$(replica_address "$r")"); done
  dns_replicas "${live_addresses[@]}"
  codes="$(through_proxy 20)"
  if [ "$codes" = "200 x20" ]; then ok "compose: $i of 3 replicas killed: 20 of 20 POST /classify answered 200"
  else fail "compose: $i of 3 replicas killed: every request answered" "$codes"; fi
done
restarted="$(docker inspect -f '{{.RestartCount}} {{.State.Status}}' "${replicas[0]}")"
victim="${alive[0]}"
docker kill "$victim" >/dev/null
dns_replicas
all_down() {
  local headers body code
  headers="$state/all-down.headers"
  body="$(curl -sS -D "$headers" --max-time 15 -H 'Content-Type: application/json' --data-binary '{"text":"anyone?"}' "http://$proxy_address/classify")"
  code="$(head -1 "$headers" | awk '{print $2}')"
  [ "$code" = 503 ] || { echo "status $code: ${body:0:160}"; return 1; }
  grep -qi '^Retry-After: 5' "$headers" || { echo "503 without Retry-After"; return 1; }
  grep -qi '^Content-Type: application/problem+json' "$headers" && grep -q '"status":503' <<<"$body" \
    || { echo "503 without problem details: ${body:0:160}"; return 1; }
  echo "503 application/problem+json, Retry-After: 5"
}
check "compose: every replica down: the proxy answers 503 with Retry-After" all_down
# `restart: unless-stopped`: Docker does not restart a killed container (a manual stop); one
# started again takes its address back and serves again.
back_again() {
  [[ "$restarted" == "0 exited" ]] || { echo "the killed replica was restarted by the engine (restarts, state: $restarted)"; return 1; }
  docker start "${replicas[0]}" >/dev/null || return 1
  wait_healthy "${replicas[0]}" 60 >/dev/null || { echo "$(wait_healthy "${replicas[0]}" 1)"; return 1; }
  dns_replicas "$(replica_address "${replicas[0]}")"
  local codes; codes="$(through_proxy 10)"
  [ "$codes" = "200 x10" ] || { echo "through the proxy: $codes"; return 1; }
  echo "killed replicas stay down; one started again is healthy on $(replica_address "${replicas[0]}") and answers 10 of 10"
}
check "compose: a replica started again serves again" back_again

down() {
  compose down --timeout 10 >"$state/down.log" 2>&1 || { tail -1 "$state/down.log"; return 1; }
  local left; left="$(docker ps -aq --filter "label=com.docker.compose.project=$project" | wc -l)"
  [ "$left" = 0 ] || { echo "$left containers left"; return 1; }
  echo "no container left"
}
check "compose: down" down && compose_up=0
