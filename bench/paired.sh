#!/usr/bin/env bash
# Paired A/B of Core against an earlier revision, in one process (bench/ServeNet.Bench.Paired):
#   bash bench/paired.sh BASE_REVISION {gemm|dan|ner} [ROUNDS]
# builds the probes against a worktree of BASE_REVISION (A) and against this checkout (B), then alternates their rounds.
# Ratios are B/A of each pair of rounds: above 1 means this checkout is faster for GFLOPS, slower for microseconds.
set -euo pipefail
if [ $# -lt 2 ]; then echo "usage: bash bench/paired.sh BASE_REVISION gemm|dan|ner [ROUNDS]" >&2; exit 2; fi
base=$1
set=$2
rounds=${3:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$root" worktree add --detach "$work/base" "$base" >/dev/null
for side in base this; do
  core=$([ "$side" = base ] && echo "$work/base" || echo "$root")
  cp -r "$root/bench/ServeNet.Bench.Paired.Probes" "$work/probes-$side"
  dotnet build -c Release -nologo -v quiet "$work/probes-$side" -p:CoreDir="$core" -p:BenchDir="$root/bench/ServeNet.Bench" \
    -o "$work/out-$side" >/dev/null
done
dotnet build -c Release -nologo -v quiet "$root/bench/ServeNet.Bench.Paired" >/dev/null
echo "# A = $(git -C "$root" rev-parse --short "$base"), B = $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo ' + uncommitted changes'); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | xargs) model $(grep -m1 '^model\s' /proc/cpuinfo | cut -d: -f2 | xargs); $rounds rounds"
# From the repository root: the models and ../shared/data are found from there, as the other benchmarks find them.
cd "$root"
dotnet "$root/bench/ServeNet.Bench.Paired/bin/Release/net10.0/servenet-paired.dll" "$work/out-base/ServeNet.Bench.Paired.Probes.dll" \
  "$work/out-this/ServeNet.Bench.Paired.Probes.dll" "$rounds" "$set"
