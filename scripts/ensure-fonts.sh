#!/usr/bin/env bash
# The CJK font the image tests draw Chinese text with (Debian fonts-wqy-microhei); installed only when missing.
set -euo pipefail
FONT=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
[ -f "$FONT" ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo"
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq fonts-wqy-microhei; }; then
  echo "could not install fonts-wqy-microhei: the image text tests will skip (they fail under CI=true)" >&2
  [ "${CI:-}" = "true" ] && exit 1
fi
exit 0
