#!/usr/bin/env bash
# Runs the image's program without Docker and smoke-tests it: fast, and possible on a machine with
# no container engine (docker/image-test.sh runs the image itself).
#
#   docker/smoke-local.sh            # one process, as the Dockerfile runs it
#   docker/smoke-local.sh --proxy    # 3 replicas behind docker/nginx/nginx.conf, as compose runs them
#
# 1. `dotnet publish` of src/Api with the Dockerfile's options (Release, no apphost), into a temp
#    folder (bin/obj there too, so the work tree and concurrent builds are left alone).
# 2. Starts `dotnet ServeNet.Api.dll` (the Dockerfile's ENTRYPOINT, read from it) in the publish
#    folder (its WORKDIR), with exactly the ENV of the Dockerfile's final stage plus the ENV the
#    base image defines, and nothing else from this shell. Differences from the container, and only
#    these: ServeNet__Models__Directory points at a copy of the repository's checkpoints
#    (SMOKE_MODELS_DIR to use others) in this run's folder, world-readable like the image's
#    /app/models, so the test passes wherever the clone lives (under a private folder, e.g. one made
#    by `mktemp -d`, UID 1654 could not read the originals); and when run as root the process runs
#    as UID/GID 1654 (the image's `app` user), so it cannot write the app or models folders, like
#    the read-only container.
# 3. Runs docker/smoke.sh against it, then stops it (always, via trap) and exits with the result.
#
# --proxy also needs nginx and dnsmasq (docker/validate.sh installs them): dnsmasq answers `api`
# with 127.0.0.2-4 on 127.0.0.11:53, the address of Docker's embedded DNS that nginx.conf uses,
# each replica listens on one of those addresses, and nginx runs docker/nginx/nginx.conf unchanged
# but for its listen line (127.0.0.10:PORT), as UID 101 like in compose. The smoke test then goes
# through nginx, and the replicas' request counts show that the proxy spread the load.
#
# Settings: SMOKE_PORT (default 8080, the image's port), SMOKE_MODELS_DIR (default models/),
# SMOKE_READY_TIMEOUT (default 120 s), SMOKE_PUBLISH_DIR (publish there and keep it; when it
# already holds the app, reuse it and skip step 1).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode=single
case "${1-}" in
  "") ;;
  --proxy) mode=proxy ;;
  *) echo "usage: $0 [--proxy]" >&2; exit 2 ;;
esac

port="${SMOKE_PORT:-8080}"
models="${SMOKE_MODELS_DIR:-$root/models}"
models="$(cd "$models" 2>/dev/null && pwd)" || { echo "smoke-local: models folder ${SMOKE_MODELS_DIR:-$root/models} does not exist" >&2; exit 1; }
for f in sentiment.ckpt ner.ckpt; do
  [ -r "$models/$f" ] || { echo "smoke-local: $models/$f is missing: the image ships models/ and so does this test" >&2; exit 1; }
done

work="$(mktemp -d /tmp/servenet-smoke.XXXXXX)"
chmod 755 "$work"
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$status" -ne 0 ]; then
    for log in "$work"/*.log; do
      [ -s "$log" ] || continue
      echo "---- last lines of $(basename "$log") ----"
      tail -n 25 "$log"
    done
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The checkpoints as the image has them: a copy owned by this user, readable by every user.
mkdir -p "$work/models"
cp "$models/sentiment.ckpt" "$models/ner.ckpt" "$work/models/"
chmod -R a+rX "$work/models"
models="$work/models"

# ---- what the Dockerfile's final stage says ----
# Final stage = everything after the last FROM; continuation lines joined.
stage="$(sed -e ':a' -e '/\\$/N; s/\\\n/ /; ta' "$root/Dockerfile" | awk 'toupper($1)=="FROM"{buf=""; next} {buf=buf $0 "\n"} END{printf "%s", buf}')"
entrypoint="$(grep -E '^ENTRYPOINT ' <<<"$stage" | tail -1 | sed -E 's/^ENTRYPOINT +//')"
[[ "$entrypoint" == \[*\] ]] || { echo "smoke-local: the Dockerfile's ENTRYPOINT is not in exec form: $entrypoint" >&2; exit 1; }
mapfile -t entry_args < <(grep -o '"[^"]*"' <<<"$entrypoint" | tr -d '"')
# ENV of the aspnet:10.0.x-noble base image that changes behaviour (dotnet/dotnet-docker runtime-deps
# Dockerfile; the runtime and aspnet ones add only DOTNET_VERSION and ASPNET_VERSION).
image_env=(APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true)
while read -r line; do
  # ENV KEY=VALUE [KEY=VALUE ...]; values here are plain words or "double-quoted" (read: no globbing).
  read -r -a pairs <<<"$(sed -E 's/^ENV +//' <<<"$line")"
  for pair in "${pairs[@]}"; do
    pair="${pair//\"/}"
    for i in "${!image_env[@]}"; do [[ "${image_env[$i]}" == "${pair%%=*}="* ]] && unset 'image_env[i]'; done
    image_env=("${image_env[@]}" "$pair")
  done
done < <(grep -E '^ENV ' <<<"$stage")

env_value() { local v="" kv; for kv in "${image_env[@]}"; do [[ "$kv" == "$1="* ]] && v="${kv#*=}"; done; printf '%s' "$v"; }
image_port="$(env_value ASPNETCORE_HTTP_PORTS)"
echo "smoke-local: Dockerfile final stage: ENTRYPOINT ${entry_args[*]}"
echo "smoke-local: environment: ${image_env[*]}"

# ---- publish, as the Dockerfile's build stage does ----
if [ -n "${SMOKE_PUBLISH_DIR:-}" ] && [ -f "$SMOKE_PUBLISH_DIR/${entry_args[1]}" ]; then
  app="$(cd "$SMOKE_PUBLISH_DIR" && pwd)"
  echo "smoke-local: using the publish output in $app"
else
  app="${SMOKE_PUBLISH_DIR:-$work/app}"
  echo "smoke-local: dotnet publish src/Api -c Release -p:UseAppHost=false -> $app"
  dotnet publish "$root/src/Api/Api.csproj" --configuration Release --output "$app" -p:UseAppHost=false \
    --artifacts-path "$work/artifacts" -nologo -v quiet >"$work/publish.log" 2>&1 \
    || { cat "$work/publish.log"; echo "smoke-local: dotnet publish failed" >&2; exit 1; }
  app="$(cd "$app" && pwd)"
fi
chmod -R a+rX "$app"
[ -f "$app/${entry_args[1]}" ] || { echo "smoke-local: $app/${entry_args[1]} (the ENTRYPOINT's dll) is missing" >&2; exit 1; }

# Run as the image's user when we can (root with setpriv), else as ourselves.
as_app=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  uid="$(env_value APP_UID)"
  as_app=(setpriv --reuid="$uid" --regid="$uid" --clear-groups --)
  # HOME exists but is not writable, as /home/app on the container's read-only root filesystem.
  mkdir -p "$work/home"
  for path in "$app/${entry_args[1]}" "$models/sentiment.ckpt" "$models/ner.ckpt"; do
    "${as_app[@]}" test -r "$path" || { echo "smoke-local: UID $uid cannot read $path (the image's user must)" >&2; exit 1; }
  done
  echo "smoke-local: running as UID/GID $uid (the image's app user)"
else
  mkdir -p "$work/home"
fi

port_free() { ! (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# wait_ready URL PID: until GET URL/health/ready answers 200; fails at once if PID exits.
wait_ready() {
  local deadline=$((SECONDS + ${SMOKE_READY_TIMEOUT:-120}))
  until curl -fsS -o /dev/null --max-time 2 "$1/health/ready" 2>/dev/null; do
    kill -0 "$2" 2>/dev/null || { echo "smoke-local: the app at $1 exited before it was ready" >&2; return 1; }
    [ "$SECONDS" -lt "$deadline" ] || { echo "smoke-local: $1 not ready after ${SMOKE_READY_TIMEOUT:-120} s" >&2; return 1; }
    sleep 1
  done
  echo "smoke-local: $1 ready after $((SECONDS - started)) s"
}

# start NAME [EXTRA_ENV...]: the ENTRYPOINT in the app folder with the image's environment only.
start() {
  local name="$1"; shift
  (cd "$app" && exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="$work/home" \
    "${image_env[@]}" ServeNet__Models__Directory="$models" "$@" \
    "${as_app[@]}" "${entry_args[@]}") >"$work/$name.log" 2>&1 &
  pids+=("$!")
}

if [ "$mode" = single ]; then
  port_free 127.0.0.1 "$port" || { echo "smoke-local: port $port is in use; set SMOKE_PORT" >&2; exit 1; }
  extra=()
  if [ "$port" != "$image_port" ]; then
    for var in ASPNETCORE_HTTP_PORTS ServeNet__Server__Port; do
      [ -z "$(env_value "$var")" ] || extra+=("$var=$port")
    done
  fi
  started=$SECONDS
  start api "${extra[@]}"
  echo "smoke-local: started ${entry_args[*]} (pid ${pids[0]}) on port $port"
  wait_ready "http://127.0.0.1:$port" "${pids[0]}" || exit 1
  set +e
  SMOKE_READY_TIMEOUT="${SMOKE_READY_TIMEOUT:-120}" "$root/docker/smoke.sh" "http://127.0.0.1:$port"
  result=$?
  set -e
  # Warnings and errors the app logged during the run (compact JSON: "@l" is the level).
  if grep -qE '"@l":"(Warning|Error|Fatal)"' "$work/api.log"; then
    echo "smoke-local: the app logged these warnings/errors:"
    grep -E '"@l":"(Warning|Error|Fatal)"' "$work/api.log" | cut -c1-1500 | sed 's/^/  /' | head -20
  else
    echo "smoke-local: the app logged no warning or error"
  fi
  exit "$result"
fi

# ---- --proxy: compose's topology on loopback addresses ----
for tool in nginx dnsmasq; do
  command -v "$tool" >/dev/null || { echo "smoke-local: --proxy needs $tool (docker/validate.sh installs it)" >&2; exit 1; }
done
replicas=(127.0.0.2 127.0.0.3 127.0.0.4)
port_free 127.0.0.11 53 || { echo "smoke-local: 127.0.0.11:53 is in use" >&2; exit 1; }
for ip in "${replicas[@]}"; do
  port_free "$ip" "$image_port" || { echo "smoke-local: $ip:$image_port is in use" >&2; exit 1; }
done
port_free 127.0.0.10 "$port" || { echo "smoke-local: 127.0.0.10:$port is in use; set SMOKE_PORT" >&2; exit 1; }

printf '%s api\n' "${replicas[@]}" >"$work/hosts"
dnsmasq --keep-in-foreground --no-resolv --no-hosts --addn-hosts="$work/hosts" --listen-address=127.0.0.11 \
  --bind-interfaces --port=53 --user=root --pid-file="$work/dnsmasq.pid" --log-facility=- >"$work/dnsmasq.log" 2>&1 &
pids+=("$!")
sleep 0.5
kill -0 "${pids[-1]}" 2>/dev/null || { echo "smoke-local: dnsmasq did not start" >&2; exit 1; }

started=$SECONDS
replica_pids=()
for i in "${!replicas[@]}"; do
  # One address per replica, as each container has its own; the port is the image's.
  start "api$((i + 1))" ASPNETCORE_URLS="http://${replicas[$i]}:$image_port" ASPNETCORE_HTTP_PORTS=
  replica_pids+=("${pids[-1]}")
done

# The test copy of nginx.conf differs in two things only: it listens on 127.0.0.10:PORT, and the
# container's /tmp tmpfs (pid file, body buffers) is a private folder of this run.
mkdir -p "$work/nginx/tmp"
sed -E -e "s/^( *)listen 8080 default_server;/\1listen 127.0.0.10:$port default_server;/" \
  -e "s#/tmp/#$work/nginx/tmp/#g" "$root/docker/nginx/nginx.conf" >"$work/nginx/nginx.conf"
grep -q "listen 127.0.0.10:$port default_server;" "$work/nginx/nginx.conf" \
  || { echo "smoke-local: nginx.conf has no 'listen 8080 default_server;' line" >&2; exit 1; }
: >"$work/nginx.log"
nginx_user=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  nginx_user=(setpriv --reuid=101 --regid=101 --clear-groups --)   # compose: user "101:101"
  chown -R 101:101 "$work/nginx/tmp" "$work/nginx.log"
fi
chmod -R a+rX "$work/nginx"
"${nginx_user[@]}" nginx -e stderr -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' >>"$work/nginx.log" 2>&1 &
pids+=("$!")
sleep 0.5
kill -0 "${pids[-1]}" 2>/dev/null || { echo "smoke-local: nginx did not start" >&2; exit 1; }
echo "smoke-local: 3 replicas on ${replicas[*]}:$image_port, dnsmasq on 127.0.0.11:53, nginx on 127.0.0.10:$port"

# Every replica must be ready before the test: the proxy's readiness is the first replica's.
for i in "${!replicas[@]}"; do
  wait_ready "http://${replicas[$i]}:$image_port" "${replica_pids[$i]}" || exit 1
done

set +e
"$root/docker/smoke.sh" "http://127.0.0.10:$port"
result=$?
set -e

# Load spread: send 30 more requests through the proxy, then read each replica's request counter.
for _ in $(seq 30); do curl -fsS -o /dev/null --max-time 5 "http://127.0.0.10:$port/models" 2>/dev/null || true; done
served=0
for ip in "${replicas[@]}"; do
  # prometheus-net's request histogram, labelled with the route ("/models/").
  n="$(curl -fsS --max-time 5 "http://$ip:$image_port/metrics" 2>/dev/null \
    | awk '/^http_request_duration_seconds_count\{/ && /method="GET"/ && /endpoint="\/models\/?"/ {s+=$2} END{print s+0}')" || n=0
  echo "smoke-local: replica $ip served $n GET /models"
  if [ "${n%.*}" -gt 0 ]; then served=$((served + 1)); fi
done
if [ "$served" -lt 2 ]; then
  echo "smoke-local: FAILED: the proxy sent GET /models to $served replica(s), expected at least 2 of 3"
  result=1
else
  echo "smoke-local: the proxy spread requests over $served of 3 replicas"
fi

# Failover: stop one replica; the proxy must route around it (proxy_next_upstream) with no error.
kill "${replica_pids[2]}" && wait "${replica_pids[2]}" 2>/dev/null || true
errors=0
for _ in $(seq 20); do
  code="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 -H 'Content-Type: application/json' \
    --data-binary '{"text":"still here"}' "http://127.0.0.10:$port/classify" 2>/dev/null)" || code=000
  [ "$code" = 200 ] || errors=$((errors + 1))
done
if [ "$errors" -eq 0 ]; then
  echo "smoke-local: with replica ${replicas[2]} stopped, 20 of 20 POST /classify through the proxy answered 200"
else
  echo "smoke-local: FAILED: with replica ${replicas[2]} stopped, $errors of 20 POST /classify through the proxy failed"
  result=1
fi
exit "$result"
