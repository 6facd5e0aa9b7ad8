#!/usr/bin/env bash
# Make a Chromium available for the browser tests: Debian's `chromium` package.
# (`playwright install` cannot download browsers on this network.)
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium package for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  command -v chromium >/dev/null 2>&1 && exit 0
fi
echo "The browser tests need Chromium. Install it with:" >&2
echo "    sudo apt-get install chromium" >&2
echo "(or put a Chromium binary named 'chromium' on PATH)." >&2
exit 1
