#!/usr/bin/env python3
"""Regenerates the API's examples from the shipped models: serves models/ on a loopback port, sends every example
request, and writes each answer

  * to src/Api/OpenApi/Examples/<name>.json: the response examples of the OpenAPI document (Swagger UI), and
  * into docs/api.md, between the markers <!-- example: <name> --> and <!-- /example -->: the curl command and its
    output.

Run it after the models in models/ change (retraining) or the API's answers do:

    python3 scripts/api-examples.py            # builds and starts the API itself (dotnet run -c Release)

Only the standard library; needs the .NET SDK. Requests carry a fixed X-Request-Id, so that reruns with the same
models change only what must change (load times, timestamps)."""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "src", "Api", "OpenApi", "Examples")
DOCS = os.path.join(ROOT, "docs", "api.md")
SHOWN_BASE = "http://localhost:5000"  # what the docs' curl commands say (dotnet run --project src/Api)

SENTIMENT_BATCH = {"texts": ["a wonderful, moving film", "a dull, tedious mess"]}
NER_TEXT = "Angela Merkel visited Paris"
EMOJI_TEXT = "🤗 Angela Merkel visited Zürich"

# name, method, path, body (None: no body), headers shown in the docs, embedded in the OpenAPI document
EXAMPLES_TO_RUN = [
    ("classify-single", "POST", "/classify", {"text": "a wonderful, moving film"}, True, True),
    ("classify-batch", "POST", "/classify", SENTIMENT_BATCH, False, True),
    ("classify-explain", "POST", "/classify?explain=true", {"text": "a wonderful, moving film"}, False, True),
    ("classify-explain-negation", "POST", "/classify?explain=true", {"text": "Not a good film."}, False, False),
    ("classify-huggingface", "POST", "/classify", {"inputs": ["a wonderful, moving film"], "parameters": {"top_k": 2}}, False, True),
    ("ner-single", "POST", "/ner", {"text": NER_TEXT}, False, True),
    ("ner-batch", "POST", "/ner", {"texts": [NER_TEXT, "Microsoft opened an office in Berlin"]}, False, True),
    ("ner-codepoints", "POST", "/ner?offsets=codepoints", {"inputs": EMOJI_TEXT}, False, True),
    ("ner-utf16", "POST", "/ner", {"inputs": EMOJI_TEXT}, False, False),
    ("ner-utf8", "POST", "/ner?offsets=utf8", {"inputs": EMOJI_TEXT}, False, False),
    ("v2-server", "GET", "/v2", None, False, True),
    ("v2-live", "GET", "/v2/health/live", None, False, True),
    ("v2-ready", "GET", "/v2/health/ready", None, False, True),
    ("v2-model-sentiment", "GET", "/v2/models/sentiment", None, False, True),
    ("v2-model-ner", "GET", "/v2/models/ner", None, False, True),
    ("v2-model-ready", "GET", "/v2/models/sentiment/ready", None, False, True),
    ("v2-infer-sentiment", "POST", "/v2/models/sentiment/infer",
     {"id": "42", "inputs": [{"name": "text", "shape": [2], "datatype": "BYTES", "data": SENTIMENT_BATCH["texts"]}]}, True, True),
    ("v2-infer-ner", "POST", "/v2/models/ner/infer",
     {"id": "43", "parameters": {"offsets": "codepoints"},
      "inputs": [{"name": "text", "shape": [1], "datatype": "BYTES", "data": [EMOJI_TEXT]}]}, False, True),
    ("v2-error", "POST", "/v2/models/sentiment/infer",
     {"inputs": [{"name": "text", "shape": [1], "datatype": "FP32", "data": [1.0]}]}, True, False),
    ("models", "GET", "/models", None, False, True),
    ("model-sentiment", "GET", "/models/sentiment", None, False, True),
    ("health-live", "GET", "/health/live", None, False, True),
    ("health-ready", "GET", "/health/ready", None, False, True),
    ("reload", "POST", "/models/reload?task=ner", None, False, True),
]
SHOWN_HEADERS = ("content-type", "x-model-version", "x-request-id")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(base, name, method, path, body):
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(base + path, data=data, method=method, headers={"X-Request-Id": f"docs-{name}"})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.reason, dict(response.headers.items()), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.reason, dict(error.headers.items()), error.read().decode("utf-8")


def curl(method, path, body):
    parts = ["curl -s"]
    if method != "GET" or body is not None:
        parts.append(f"-X {method}")
    parts.append(f"'{SHOWN_BASE}{path}'")
    if body is not None:
        parts.append("-H 'content-type: application/json' \\\n  -d '" + json.dumps(body, ensure_ascii=False) + "'")
    return " ".join(parts)


def block(method, path, body, status, reason, headers, text, show_headers):
    out = ["```bash", curl(method, path, body).replace("curl -s", "curl -si", 1) if show_headers else curl(method, path, body), "```", ""]
    if show_headers:
        out += ["```", f"HTTP/1.1 {status} {reason}"]
        out += [f"{k}: {v}" for k, v in headers.items() if k.lower() in SHOWN_HEADERS]
        out += ["", text, "```"]
    else:
        out += ["```json", text, "```"]
    return "\n".join(out)


def main():
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, ServeNet__Models__Directory=os.path.join(ROOT, "models"), ServeNet__Models__Watch="false")
    server = subprocess.Popen(["dotnet", "run", "--project", os.path.join(ROOT, "src", "Api"), "-c", "Release", "--no-launch-profile",
                               "--", "--urls", base], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + 300
        while True:
            try:
                if request(base, "ready", "GET", "/health/ready", None)[0] == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline or server.poll() is not None:
                sys.exit("api-examples: the API did not become ready (is models/ complete?)")
            time.sleep(0.5)
        os.makedirs(EXAMPLES, exist_ok=True)
        docs = open(DOCS, encoding="utf-8").read()
        for name, method, path, body, show_headers, embed in EXAMPLES_TO_RUN:
            status, reason, headers, text = request(base, name, method, path, body)
            if embed:
                if status != 200:
                    sys.exit(f"api-examples: {method} {path} answered {status}: {text}")
                with open(os.path.join(EXAMPLES, f"{name}.json"), "w", encoding="utf-8") as f:
                    f.write(text + "\n")
            marker = re.compile(rf"(<!-- example: {re.escape(name)} -->\n)(?:(?!<!-- example:).)*?(<!-- /example -->)", re.S)
            docs, found = marker.subn(lambda m: m.group(1) + block(method, path, body, status, reason, headers, text, show_headers) + "\n" + m.group(2), docs)
            print(f"{name}: {status} ({len(text)} bytes){'' if found else ' (not in docs/api.md)'}")
        with open(DOCS, "w", encoding="utf-8") as f:
            f.write(docs)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
