#!/usr/bin/env bash
# Smoke test of a running ServeNet deployment (one process, a container, or compose behind nginx).
#
#   docker/smoke.sh http://127.0.0.1:8080
#
# Waits up to SMOKE_READY_TIMEOUT seconds (default 120) for GET /health/ready to answer 200, then
# checks /health/live, /classify and /ner (single and batch), the Open Inference Protocol under /v2, /models, /metrics, Swagger, request-id
# pass-through (when a proxy sets X-Request-ID), and that bad requests get 400/413 problem details.
# Needs only bash, curl and grep. Exits 0 when every check passed, 1 otherwise, 2 on bad usage.
set -uo pipefail

if [ $# -ne 1 ] || [[ "$1" != http://* && "$1" != https://* ]]; then
  echo "usage: $0 BASE_URL   (e.g. $0 http://127.0.0.1:8080)" >&2
  exit 2
fi
command -v curl >/dev/null || { echo "smoke: curl is required" >&2; exit 2; }

base="${1%/}"
ready_timeout="${SMOKE_READY_TIMEOUT:-120}"
request_timeout="${SMOKE_REQUEST_TIMEOUT:-15}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); printf '  ok    %s\n' "$1"; }
fail() {
  failed=$((failed + 1))
  printf '  FAIL  %s: %s\n' "$1" "$2"
  if [ -s "$work/body" ]; then printf '        body: %s\n' "$(head -c 400 "$work/body" | tr '\n' ' ')"; fi
}

# request METHOD PATH [JSON_BODY|@FILE] -> sets $status and $ctype; body in $work/body, headers in $work/headers
request() {
  local method="$1" path="$2" data="${3-}" out
  local args=(-sS -X "$method" -o "$work/body" -D "$work/headers" --max-time "$request_timeout"
    -H "X-Request-ID: $request_id" -w '%{http_code} %{content_type}')
  if [ -n "$data" ]; then args+=(-H 'Content-Type: application/json' --data-binary "$data"); fi
  : >"$work/body"
  if ! out="$(curl "${args[@]}" "$base$path" 2>"$work/curl.err")"; then
    status="000"; ctype=""
    printf '%s' "$(head -c 300 "$work/curl.err")" >"$work/body"
    return 0
  fi
  status="${out%% *}"
  ctype="${out#* }"
}

has() { grep -q -- "$1" "$work/body"; }
header() { grep -i "^$1:" "$work/headers" | head -1 | cut -d: -f2- | tr -d ' \r'; }
request_id="smoke-$$-$RANDOM"

echo "smoke: $base"

# ---- readiness ----
deadline=$((SECONDS + ready_timeout))
status="000"
while :; do
  request GET /health/ready
  [ "$status" = 200 ] && break
  if [ "$SECONDS" -ge "$deadline" ]; then
    fail "GET /health/ready" "not ready after ${ready_timeout}s (last status $status)"
    echo "smoke: FAILED: the service never became ready"
    exit 1
  fi
  sleep 1
done
if has '"ready"'; then ok "GET /health/ready (200 after $((SECONDS))s)"; else fail "GET /health/ready" "200 without a \"ready\" status"; fi

request GET /health/live
if [ "$status" = 200 ]; then ok "GET /health/live"; else fail "GET /health/live" "status $status"; fi

# ---- predictions ----
request POST /classify '{"text":"A warm, funny and beautifully acted film."}'
if [ "$status" != 200 ]; then fail "POST /classify" "status $status, expected 200"
elif [[ "$ctype" != application/json* ]]; then fail "POST /classify" "content type '$ctype', expected application/json"
elif ! has '"results"' || ! has '"label"' || ! has '"probabilities"'; then fail "POST /classify" "no results/label/probabilities in the body"
elif [ -z "$(header X-Model-Version)" ]; then fail "POST /classify" "no X-Model-Version header"
else ok "POST /classify (label $(grep -o '"label":"[^"]*"' "$work/body" | head -1 | cut -d'"' -f4), model $(header X-Model-Version))"
fi

# X-Request-ID: a proxy in front (docker/nginx) must pass ours through and return it.
rid="$(header X-Request-ID)"
if [ -z "$rid" ]; then ok "X-Request-ID (no proxy in front: not returned, not checked)"
elif [ "$rid" = "$request_id" ]; then ok "X-Request-ID passed through and returned"
else fail "X-Request-ID" "sent '$request_id', got back '$rid'"
fi

request POST /classify '{"texts":["Dreadful and boring.","An absolute delight."]}'
n="$(grep -o '"label"' "$work/body" | wc -l)"
if [ "$status" = 200 ] && [ "$n" -eq 2 ]; then ok "POST /classify batch of 2 (2 results)"
else fail "POST /classify batch" "status $status with $n labels, expected 200 with 2"
fi

request POST /ner '{"text":"Angela Merkel met Emmanuel Macron in Paris on Monday."}'
if [ "$status" != 200 ]; then fail "POST /ner" "status $status, expected 200"
elif [[ "$ctype" != application/json* ]]; then fail "POST /ner" "content type '$ctype', expected application/json"
elif ! has '"tokens"' || ! has '"entities"' || ! has '"tag"'; then fail "POST /ner" "no tokens/entities/tag in the body"
else ok "POST /ner ($(grep -o '"type":"[^"]*"' "$work/body" | wc -l) entities)"
fi

request POST /ner '{"texts":["EU rejects German call.","Peter Blackburn"]}'
n="$(grep -o '"entities"' "$work/body" | wc -l)"
if [ "$status" = 200 ] && [ "$n" -eq 2 ]; then ok "POST /ner batch of 2 (2 results)"
else fail "POST /ner batch" "status $status with $n results, expected 200 with 2"
fi

# ---- Open Inference Protocol (KServe V2) ----
request GET /v2/health/ready
if [ "$status" = 200 ] && has '"ready":true'; then ok "GET /v2/health/ready (KServe's readiness probe)"
else fail "GET /v2/health/ready" "status $status, expected 200 with \"ready\":true"
fi
request POST /v2/models/sentiment/infer '{"id":"smoke-1","inputs":[{"name":"text","shape":[2],"datatype":"BYTES","data":["Dreadful and boring.","An absolute delight."]}]}'
if [ "$status" = 200 ] && has '"model_name":"sentiment"' && has '"id":"smoke-1"' && has '"name":"label","shape":\[2\]'; then
  ok "POST /v2/models/sentiment/infer (2 labels, id echoed)"
else fail "POST /v2/models/sentiment/infer" "status $status, expected 200 with a label tensor of shape [2] and the id"
fi
request POST /v2/models/ner/infer '{"inputs":[{"name":"text","shape":[1],"datatype":"FP32","data":[1]}]}'
if [ "$status" = 400 ] && has '"error":'; then ok "POST /v2/models/ner/infer with FP32: 400 {\"error\": ...}"
else fail "POST /v2/models/ner/infer (bad datatype)" "status $status, expected 400 with the protocol's error object"
fi

# ---- models, metrics, docs ----
request GET /models
if [ "$status" != 200 ]; then fail "GET /models" "status $status, expected 200"
elif ! has '"sentiment"' || ! has '"ner"'; then fail "GET /models" "sentiment and ner are not both listed"
elif [ "$(grep -o '"status":"serving"' "$work/body" | wc -l)" -lt 2 ]; then fail "GET /models" "fewer than 2 models with status serving"
else ok "GET /models (sentiment and ner serving)"
fi

request GET /metrics
if [ "$status" != 200 ]; then fail "GET /metrics" "status $status, expected 200"
elif [[ "$ctype" != text/plain* ]]; then fail "GET /metrics" "content type '$ctype', expected text/plain (Prometheus)"
elif ! has '^# TYPE servenet_inference_seconds histogram' || ! has '^servenet_inference_seconds_count'; then
  fail "GET /metrics" "no servenet_inference_seconds histogram"
elif ! has '^servenet_model_info{'; then fail "GET /metrics" "no servenet_model_info"
else ok "GET /metrics (Prometheus text with servenet_* series)"
fi

request GET /swagger/v1/swagger.json
if [ "$status" = 200 ] && has '"/classify"'; then ok "GET /swagger/v1/swagger.json"
else fail "GET /swagger/v1/swagger.json" "status $status, expected 200 with /classify"
fi

# ---- bad requests: problem details ----
problem() { # name expected_status
  if [ "$status" != "$2" ]; then fail "$1" "status $status, expected $2"
  elif [[ "$ctype" != application/problem+json* ]]; then fail "$1" "content type '$ctype', expected application/problem+json"
  elif ! has "\"status\":$2"; then fail "$1" "problem details without \"status\":$2"
  else ok "$1 -> $2 problem+json"
  fi
}
request POST /classify '{"text":5}'
problem "POST /classify wrong type" 400
request POST /ner '{"text":"unterminated'
problem "POST /ner invalid JSON" 400
request POST /classify '{}'
problem "POST /classify without text" 400

# A body over the 1 MiB default limit (MaxRequestBodyBytes, and nginx's client_max_body_size).
{ printf '{"text":"'; head -c 1200000 /dev/zero | tr '\0' 'a'; printf '"}'; } >"$work/large.json"
request POST /classify "@$work/large.json"
problem "POST /classify 1.2 MB body" 413

echo
if [ "$failed" -eq 0 ]; then
  echo "smoke: all $passed checks passed against $base"
  exit 0
fi
echo "smoke: FAILED: $failed of $((passed + failed)) checks failed against $base"
exit 1
