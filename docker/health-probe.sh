#!/bin/bash
# The image's HEALTHCHECK: exits 0 when GET /health/ready answers 200 on the address Kestrel was
# told to listen on, 1 otherwise. The ASP.NET Core runtime image has bash but neither curl nor
# wget, so the request goes through bash's /dev/tcp.
#
# The address is read from the app's own configuration, in ASP.NET Core's order: `--urls` on the
# command line, else ASPNETCORE_URLS / DOTNET_URLS, else the first of ASPNETCORE_HTTP_PORTS /
# DOTNET_HTTP_PORTS, else ServeNet__Server__Host/Port (the app's fallback). Arguments and
# environment are those of PID 1 (the ENTRYPOINT, exec form) when readable, so `docker run IMAGE
# --urls ...` and a wrapper that sets the address before exec are followed too; otherwise this
# probe's own environment, which is the container's.
set -u

args=()
mapfile -d '' -t args < <(cat /proc/1/cmdline 2>/dev/null)
# Only these variables are taken from PID 1 (nothing when its environment is not readable).
while IFS= read -r -d '' kv; do
  case "$kv" in
    ASPNETCORE_URLS=* | DOTNET_URLS=* | ASPNETCORE_HTTP_PORTS=* | DOTNET_HTTP_PORTS=* | ServeNet__Server__*=*)
      export "${kv?}" ;;
  esac
done < <(cat /proc/1/environ 2>/dev/null)

urls=""
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --urls=*) urls="${args[i]#--urls=}" ;;
    --urls) urls="${args[i + 1]-}" ;;
  esac
done
urls="${urls:-${ASPNETCORE_URLS:-${DOTNET_URLS:-}}}"

host=127.0.0.1
port=""
if [ -n "$urls" ]; then
  # First plain-HTTP entry of "http://+:8080;https://..."; a wildcard host means this machine.
  IFS=';' read -r -a entries <<<"$urls"
  for url in "${entries[@]}"; do
    [[ "$url" == http://* ]] || continue
    authority="${url#http://}"
    authority="${authority%%/*}"
    case "$authority" in
      \[*\]:*) host="${authority%%]:*}"; host="${host#[}"; port="${authority##*]:}" ;;
      \[*\]) host="${authority#[}"; host="${host%]}"; port=80 ;;
      *:*) host="${authority%:*}"; port="${authority##*:}" ;;
      *) host="$authority"; port=80 ;;
    esac
    break
  done
  # Kestrel binds [::] dual-mode, so IPv4 loopback reaches it too.
  case "$host" in "+" | "*" | "" | 0.0.0.0 | "::" | localhost) host=127.0.0.1 ;; esac
else
  ports="${ASPNETCORE_HTTP_PORTS:-${DOTNET_HTTP_PORTS:-}}"
  if [ -n "$ports" ]; then
    port="${ports%%[;,]*}"
  else
    port="${ServeNet__Server__Port:-5000}"
    case "${ServeNet__Server__Host:-localhost}" in
      localhost | "*") ;;
      *) host="$ServeNet__Server__Host" ;;
    esac
  fi
fi
[[ "$port" =~ ^[0-9]+$ ]] || { echo "health-probe: no HTTP port in the configuration (urls '$urls')" >&2; exit 1; }

exec 3<>"/dev/tcp/$host/$port" 2>/dev/null || { echo "health-probe: nothing answers on $host:$port" >&2; exit 1; }
printf 'GET /health/ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 3 status <&3 || exit 1
echo "health-probe: http://$host:$port/health/ready: ${status%$'\r'}"
[[ "$status" == "HTTP/1."[01]" 200 "* ]]
