#!/usr/bin/env bash
# Validates the deployment files without a Docker engine, in seconds (docker/image-test.sh then
# builds the image and runs it, alone and with compose, on a private engine):
#
#   docker/validate.sh           # static checks (about 15 s once the tools are installed)
#   docker/validate.sh --smoke   # then docker/smoke-local.sh, single process and --proxy
#
# Checks: Compose file (dclint with the Compose-spec schema, and `docker-compose config` of Debian's
# docker-compose 1.29), Dockerfile (dockerfilelint, dockerfile-utils, and ServeNet's rules),
# build context (.dockerignore, with Docker's matching rules), YAML (yamllint), Kubernetes manifests
# (OpenAPI schema, unknown fields, ServeNet's rules: docker/k8s-check.mjs; the KServe InferenceService of
# docker/k8s/kserve: docker/kserve-check.mjs), nginx config (nginx -t),
# and that port, health paths and body limit agree across the files.
#
# Installs what it lacks, non-interactively: Debian packages with apt-get (as root), npm packages
# pinned in a tools folder outside the repository (SERVENET_TOOLS_DIR, default
# ~/.cache/servenet-deploy-tools). Fails with a clear message when a registry cannot be reached.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
smoke=0
case "${1-}" in
  "") ;;
  --smoke) smoke=1 ;;
  *) echo "usage: $0 [--smoke]" >&2; exit 2 ;;
esac

die() { echo "validate: $*" >&2; exit 1; }
section() { printf '\n== %s\n' "$1"; }

# ---------------------------------------------------------------- tools
section "tools"
export DEBIAN_FRONTEND=noninteractive
declare -A apt_for=([docker-compose]=docker-compose [yamllint]=yamllint [nginx]=nginx [dnsmasq]=dnsmasq-base
  [node]=nodejs [npm]=npm [curl]=curl [setpriv]=util-linux)
missing=()
for cmd in docker-compose yamllint nginx dnsmasq node npm curl setpriv; do
  command -v "$cmd" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null 2>&1 || missing+=("${apt_for[$cmd]}")
done
export PATH="$PATH:/usr/sbin:/sbin"
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing Debian packages ${missing[*]}: run as root, or apt-get install them first"
  echo "apt-get install ${missing[*]}"
  timeout 300 apt-get update -qq </dev/null >/tmp/servenet-validate-apt.log 2>&1 \
    || { tail -5 /tmp/servenet-validate-apt.log; die "apt-get update failed: is the Debian package registry reachable?"; }
  timeout 600 apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >>/tmp/servenet-validate-apt.log 2>&1 \
    || { tail -5 /tmp/servenet-validate-apt.log; die "apt-get install ${missing[*]} failed: is the Debian package registry reachable?"; }
  for cmd in docker-compose yamllint nginx dnsmasq node npm curl setpriv; do
    command -v "$cmd" >/dev/null || die "$cmd is still missing after apt-get install"
  done
fi

tools="${SERVENET_TOOLS_DIR:-${HOME:-/tmp}/.cache/servenet-deploy-tools}"
mkdir -p "$tools"
manifest='{
  "name": "servenet-deploy-tools",
  "private": true,
  "description": "Linters for docker/validate.sh; installed outside the repository.",
  "dependencies": {
    "@balena/dockerignore": "1.0.2",
    "dclint": "3.1.0",
    "dockerfile-utils": "0.16.3",
    "dockerfilelint": "1.8.0",
    "kubernetes-models": "5.1.0",
    "typescript": "5.9.3",
    "yaml": "2.9.1"
  }
}'
if [ "$(cat "$tools/package.json" 2>/dev/null)" != "$manifest" ] || [ ! -f "$tools/node_modules/.servenet-installed" ]; then
  printf '%s\n' "$manifest" >"$tools/package.json"
  echo "npm install (pinned linters) into $tools"
  (cd "$tools" && timeout 600 npm install --no-audit --no-fund --loglevel=error </dev/null >"$tools/npm-install.log" 2>&1) \
    || { tail -5 "$tools/npm-install.log"; die "npm install failed: is the npm registry reachable? (log: $tools/npm-install.log)"; }
  touch "$tools/node_modules/.servenet-installed"
fi
cp docker/k8s-check.mjs docker/kserve-check.mjs docker/context-check.mjs "$tools/"
bin="$tools/node_modules/.bin"
echo "docker-compose $(docker-compose version --short 2>/dev/null), $(yamllint --version), nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), node $(node --version),"
echo "dclint $("$bin/dclint" --version), dockerfilelint $(node -p "require('$tools/node_modules/dockerfilelint/package.json').version"), dockerfile-utils $(node -p "require('$tools/node_modules/dockerfile-utils/package.json').version"), kubernetes-models $(node -p "require('$tools/node_modules/kubernetes-models/package.json').version"), typescript $("$bin/tsc" --version | sed 's/Version //')"

# ---------------------------------------------------------------- checks
results=()
failed=()
run() { # NAME COMMAND...: runs a check, records its result
  local name="$1"; shift
  section "$name"
  if "$@"; then results+=("ok    $name"); else results+=("FAIL  $name"); failed+=("$name"); fi
}

work="$(mktemp -d /tmp/servenet-validate.XXXXXX)"
chmod 755 "$work" # smoke-local runs the app from here as UID 1654
trap 'rm -rf "$work"' EXIT

# What the Dockerfile's final stage says; the other files must agree with it.
dockerfile_flat="$(sed -e ':a' -e '/\\$/N; s/\\\n/ /; ta' Dockerfile)"
port="$(grep -oE 'ASPNETCORE_HTTP_PORTS=[0-9]+' <<<"$dockerfile_flat" | tail -1 | cut -d= -f2)"
body_limit="$(grep -oE '"MaxRequestBodyBytes": *[0-9]+' src/Api/appsettings.json 2>/dev/null | grep -oE '[0-9]+$')"

compose_v1() {
  # Compose 1.29 predates the top-level `name:` of the Compose spec; it validates the rest.
  # --project-directory docker: relative paths resolve as for `docker compose -f docker/compose.yaml`.
  local out
  grep -v '^name:' docker/compose.yaml >"$work/compose.yaml"
  grep -v '^name:' docker/compose.models.yaml >"$work/compose.models.yaml"
  docker-compose --project-directory docker -f "$work/compose.yaml" config -q || return 1
  echo "docker-compose config: compose.yaml is valid"
  docker-compose --project-directory docker -f "$work/compose.yaml" -f "$work/compose.models.yaml" config -q || return 1
  echo "docker-compose config: compose.yaml + compose.models.yaml is valid"
  out="$(docker-compose --project-directory docker -f "$work/compose.yaml" config)" || return 1
  grep -q '^      replicas: 3$' <<<"$out" || { echo "default replicas are not 3"; return 1; }
  out="$(SERVENET_REPLICAS=5 SERVENET_PORT=9000 docker-compose --project-directory docker -f "$work/compose.yaml" config)" || return 1
  grep -q '^      replicas: 5$' <<<"$out" && grep -q '0.0.0.0:9000:8080' <<<"$out" \
    || { echo "SERVENET_REPLICAS / SERVENET_PORT are not applied"; return 1; }
  echo "docker-compose config: defaults give 3 replicas; SERVENET_REPLICAS=5 SERVENET_PORT=9000 give 5 and 0.0.0.0:9000"
}

compose_rules() {
  local ok=0 c=docker/compose.yaml
  want() { if grep -qE -- "$2" "$c"; then echo "  ok    $1"; else echo "  FAIL  $1"; ok=1; fi; }
  want "api: deploy.replicas (default 3)" '^      replicas: \$\{SERVENET_REPLICAS:-3\}$'
  want "api: CPU and memory limits" '^          cpus: .*SERVENET_API_CPUS' 
  want "read-only root filesystems" '^    read_only: true$'
  want "tmpfs /tmp" '^      - /tmp:size='
  # The api healthcheck sets timing only; its command is the image's (it follows the port).
  local api_health
  api_health="$(sed -n '/^  api:/,/^  proxy:/p' "$c" | sed -n '/^    healthcheck:/,/^    [a-z_]*:$/p' | grep -v '^    healthcheck:')"
  if grep -q 'start_period:' <<<"$api_health" && ! grep -q '^      test:' <<<"$api_health"; then
    echo "  ok    api: healthcheck is the image's (no test of its own), with a start_period"
  else echo "  FAIL  api: healthcheck must set timing (start_period) and no test: the image's follows the port"; ok=1; fi
  want "proxy: official nginx image" '^    image: nginx:[0-9]'
  want "proxy: waits for healthy replicas" 'condition: service_healthy'
  want "proxy: config from docker/nginx" 'source: \./nginx/nginx\.conf'
  local published
  published="$(grep -cE '^    ports:$' "$c")"
  if [ "$published" = 1 ] && ! sed -n '/^  api:/,/^  proxy:/p' "$c" | grep -q '^    ports:'; then
    echo "  ok    one published port, the proxy's"
  else echo "  FAIL  exactly one published port, the proxy's"; ok=1; fi
  return $ok
}

dockerfile_rules() {
  local ok=0 stages final assembly
  want() { if grep -qE -- "$2" <<<"$3"; then echo "  ok    $1"; else echo "  FAIL  $1"; ok=1; fi; }
  refuse() { if grep -qE -- "$2" <<<"$3"; then echo "  FAIL  $1: $(grep -E -- "$2" <<<"$3" | head -1)"; ok=1; else echo "  ok    $1"; fi; }
  stages="$(grep -cE '^FROM ' <<<"$dockerfile_flat")"
  final="$(awk '/^FROM /{buf=""} {buf=buf $0 "\n"} END{printf "%s", buf}' <<<"$dockerfile_flat")"
  [ "$stages" -ge 2 ] && echo "  ok    multi-stage ($stages stages)" || { echo "  FAIL  multi-stage"; ok=1; }
  want "build stage: .NET SDK image" '^FROM (--platform=\S+ )?mcr\.microsoft\.com/dotnet/sdk:10\.0' "$dockerfile_flat"
  want "final stage: ASP.NET Core runtime image" '^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0' "$final"
  local image untagged=""
  while read -r image; do
    [[ "$image" == *:* && "$image" != *:latest ]] || untagged+=" $image"
  done < <(awk '/^FROM /{for (i = 2; i <= NF; i++) if ($i !~ /^--/) {print $i; break}}' <<<"$dockerfile_flat")
  if [ -z "$untagged" ]; then echo "  ok    every FROM names an explicit tag, not latest"
  else echo "  FAIL  FROM without an explicit tag:$untagged"; ok=1; fi
  want "publishes Release" 'dotnet publish .*(-c|--configuration) Release' "$dockerfile_flat"
  want "ships models/" '^COPY models/ /app/models/' "$final"
  want "non-root USER" '^USER (\$APP_UID|\$\{APP_UID\}|app|[1-9][0-9]*)$' "$final"
  local probe
  probe="$(grep -oE '^COPY docker/health-probe\.sh [^ ]+' <<<"$final" | awk '{print $3}')"
  if [ -n "$probe" ] && grep -qE "^HEALTHCHECK .*CMD .*$probe" <<<"$final" && grep -q 'GET /health/ready' docker/health-probe.sh; then
    echo "  ok    HEALTHCHECK runs docker/health-probe.sh (GET /health/ready on the configured port)"
  else echo "  FAIL  HEALTHCHECK must run docker/health-probe.sh, copied into the final stage"; ok=1; fi
  refuse "no FROM --platform=\$BUILDPLATFORM (the classic builder leaves it empty and fails)" '^FROM --platform=\$\{?BUILDPLATFORM' "$dockerfile_flat"
  want "port from ASPNETCORE_HTTP_PORTS ($port) and EXPOSEd" "^EXPOSE $port\$" "$final"
  want "models folder from ServeNet__Models__Directory" 'ServeNet__Models__Directory=/app/models' "$final"
  refuse "no secrets in ENV/ARG" '^(ENV|ARG) .*(KEY|Key|SECRET|Secret|PASSWORD|Password|TOKEN|Token)[A-Za-z_]*=[^ ]' "$dockerfile_flat"
  assembly="$(grep -oE '<AssemblyName>[^<]+' src/Api/Api.csproj | cut -d'>' -f2)"
  want "ENTRYPOINT runs $assembly.dll (exec form)" "^ENTRYPOINT \[\"dotnet\", \"$assembly\.dll\"\]" "$final"
  return $ok
}

nginx_check() {
  # nginx -t on the real file; only its /tmp paths (the container's tmpfs) are moved into a
  # private folder, so the test leaves nothing in this machine's /tmp. The upstream name `api`
  # is resolved at request time, so no stand-in is needed for it.
  mkdir -p "$work/nginx/tmp"
  sed "s#/tmp/#$work/nginx/tmp/#g" docker/nginx/nginx.conf >"$work/nginx/nginx.conf"
  nginx -t -q -e stderr -p "$work/nginx" -c "$work/nginx/nginx.conf" || return 1
  echo "nginx -t: syntax ok, test successful ($(nginx -v 2>&1 | sed 's/.*: //'))"
  local ok=0
  want() { if grep -qE -- "$2" docker/nginx/nginx.conf; then echo "  ok    $1"; else echo "  FAIL  $1"; ok=1; fi; }
  want "proxies to the api service on port $port" "set \\\$servenet_api http://api:$port;"
  want "re-resolves replicas through Docker's DNS" '^    resolver 127\.0\.0\.11 '
  want "passes X-Request-ID" 'proxy_set_header X-Request-ID'
  want "listens on one port (8080)" '^        listen 8080 default_server;'
  local limit
  limit="$(grep -oE 'client_max_body_size [0-9]+[kKmM]?' docker/nginx/nginx.conf | awk '{print $2}')"
  case "$limit" in *[mM]) limit=$(( ${limit%?} * 1048576 ));; *[kK]) limit=$(( ${limit%?} * 1024 ));; esac
  if [ -n "$body_limit" ] && [ "$limit" = "$body_limit" ]; then
    echo "  ok    client_max_body_size = the API's MaxRequestBodyBytes ($body_limit bytes)"
  else echo "  FAIL  client_max_body_size ($limit) differs from the API's MaxRequestBodyBytes (${body_limit:-unknown})"; ok=1; fi
  return $ok
}

scripts_check() {
  local script
  for script in docker/*.sh docker/test/*.sh; do bash -n "$script" || return 1; done
  echo "bash -n: $(echo docker/*.sh docker/test/*.sh) parse"
  if docker/smoke.sh >/dev/null 2>&1; then echo "smoke.sh without BASE_URL should fail with usage"; return 1; fi
  echo "smoke.sh without BASE_URL: usage error, exit 2"
}

[ -n "$port" ] || die "the Dockerfile sets no ASPNETCORE_HTTP_PORTS"
quiet_ok() { "$@" && echo "no problems found"; } # for linters that print nothing on success
run "compose: dclint $("$bin/dclint" --version) (Compose spec schema and rules)" \
  quiet_ok "$bin/dclint" -c docker/.dclintrc docker/compose.yaml docker/compose.models.yaml
run "compose: docker-compose config (1.29)" compose_v1
run "compose: ServeNet rules" compose_rules
run "Dockerfile: dockerfilelint" "$bin/dockerfilelint" -c docker Dockerfile
run "Dockerfile: dockerfile-utils lint" quiet_ok "$bin/dockerfile-utils" lint Dockerfile
run "Dockerfile: ServeNet rules" dockerfile_rules
run "build context: .dockerignore" node "$tools/context-check.mjs" "$root"
run "yamllint: compose, k8s, lint configs" quiet_ok yamllint -s -c docker/yamllint.yaml docker/compose.yaml \
  docker/compose.models.yaml docker/test/compose.host-network.yaml docker/k8s docker/.dclintrc docker/.dockerfilelintrc docker/yamllint.yaml
run "k8s: schema, unknown fields, ServeNet rules" node "$tools/k8s-check.mjs" docker/k8s "$port"
run "k8s: KServe InferenceService (PodSpec schema, unknown fields, custom-runtime rules)" node "$tools/kserve-check.mjs" docker/k8s/kserve "$port"
run "nginx: nginx -t and ServeNet rules" nginx_check
run "scripts" scripts_check

if [ "$smoke" = 1 ]; then
  # One publish for both runs: the first publishes into the folder, the second reuses it.
  export SMOKE_PUBLISH_DIR="$work/publish"
  run "smoke: published app as the Dockerfile runs it (docker/smoke-local.sh)" docker/smoke-local.sh
  run "smoke: 3 replicas behind nginx (docker/smoke-local.sh --proxy)" docker/smoke-local.sh --proxy
fi

section "summary"
printf '%s\n' "${results[@]}"
if [ "${#failed[@]}" -eq 0 ]; then
  echo "validate: all ${#results[@]} checks passed"
  exit 0
fi
echo "validate: FAILED: ${#failed[@]} of ${#results[@]} checks failed"
exit 1
