#!/usr/bin/env bash
# Debian's Chromium for the browser tests (tests/web): installed only when missing. Never a
# downloaded browser build: Playwright drives /usr/bin/chromium through executable_path.
set -euo pipefail
BROWSER=/usr/bin/chromium
[ -x "$BROWSER" ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null; }; then
  echo "could not install Debian's chromium: the browser tests will skip (they fail under CI=true)" >&2
  [ "${CI:-}" = "true" ] && exit 1
fi
exit 0
