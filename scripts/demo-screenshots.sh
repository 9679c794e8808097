#!/usr/bin/env bash
# Regenerates docs/demo-360.png and docs/demo-1280.png (the README's screenshots of the try-it page)
# by running the browser tests against the shipped models with their screenshots directed to docs/.
# Needs Debian's chromium (installed here when missing, as .ci/run does) and, for the emoji in the
# example text to render, fonts-noto-color-emoji.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/install-browser.sh" fonts-noto-color-emoji
SERVENET_SCREENSHOTS="$root/docs" dotnet test "$root/tests/Browser.Tests" --filter "FullyQualifiedName~PhoneAndDesktopWidths"
ls -l "$root"/docs/demo-*.png
