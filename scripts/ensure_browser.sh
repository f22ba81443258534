#!/usr/bin/env bash
# Make sure a Chromium exists for a11y. Re-running skips what is done. The a11y tool itself
# never downloads anything; this set-up step may, through the system's package manager.
set -euo pipefail
PY="${1:-.venv/bin/python}"
if found=$("$PY" -m a11y.pipeline.browser 2>/dev/null); then
  echo "chromium: $found"
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "chromium: none found; installing Debian's chromium package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
else
  echo "chromium: none found; installing Playwright's Chromium"
  "$PY" -m playwright install chromium
fi
"$PY" -m a11y.pipeline.browser
