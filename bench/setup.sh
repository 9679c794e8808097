#!/usr/bin/env bash
# Installs the benchmark peers from Debian's registry (idempotent, non-interactive, needs root):
# OpenBLAS (GEMM yardstick), PyTorch 1.13 and scikit-learn (bench/peers/torch_peer.py), wrk (HTTP load),
# FastAPI + uvicorn with uvloop and httptools (bench/peers/torch_serve.py: what `pip install uvicorn[standard]`
# would bring; without them uvicorn falls back to asyncio and h11, a slower server than a user would run).
set -euo pipefail
need=()
[ -e /usr/lib/x86_64-linux-gnu/libopenblas.so.0 ] || [ -e /usr/lib/aarch64-linux-gnu/libopenblas.so.0 ] || need+=(libopenblas-dev)
/usr/bin/python3 -c "import torch" 2>/dev/null || need+=(python3-torch)
/usr/bin/python3 -c "import sklearn, threadpoolctl" 2>/dev/null || need+=(python3-sklearn python3-threadpoolctl)
/usr/bin/python3 -c "import fastapi" 2>/dev/null || need+=(python3-fastapi)
/usr/bin/python3 -c "import uvicorn" 2>/dev/null || need+=(python3-uvicorn)
/usr/bin/python3 -c "import uvloop" 2>/dev/null || need+=(python3-uvloop)
/usr/bin/python3 -c "import httptools" 2>/dev/null || need+=(python3-httptools)
command -v wrk >/dev/null || need+=(wrk)
command -v taskset >/dev/null || need+=(util-linux)
if [ "${#need[@]}" -eq 0 ]; then echo "benchmark peers already installed"; exit 0; fi
[ "$(id -u)" = 0 ] || { echo "run as root to apt-get install: ${need[*]}" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq </dev/null
apt-get install -y -qq "${need[@]}" </dev/null
echo "installed: ${need[*]}"
