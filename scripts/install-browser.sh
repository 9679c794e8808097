#!/usr/bin/env bash
# Makes sure a headless Chromium exists for the browser tests (tests/Browser.Tests): Debian's
# chromium package, installed from the Debian registry when missing and when this user may install
# packages. Extra Debian packages to install with it may be named as arguments. Never downloads a
# browser from elsewhere. Exits 0 either way: without a browser the tests skip and say why.
set -uo pipefail
wanted=("$@")
command -v chromium >/dev/null 2>&1 || [ -n "${SERVENET_CHROMIUM:-}" ] || wanted+=(chromium)
[ ${#wanted[@]} -eq 0 ] && exit 0
missing=()
for package in "${wanted[@]}"; do dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package"); done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "install-browser: cannot install ${missing[*]} (not root, no sudo); the browser tests will skip" >&2
    exit 0
  fi
fi
echo "install-browser: installing ${missing[*]} from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null &&
  $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
  echo "install-browser: apt-get could not install ${missing[*]}; the browser tests will skip" >&2
exit 0
