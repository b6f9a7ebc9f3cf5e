#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; it never
# downloads a browser). Idempotent; needs root or sudo. Exit status 1 when it cannot install.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-browser: no apt-get here; install Chromium at /usr/bin/chromium (or set RECOUPE_CHROMIUM)" >&2
  exit 1
fi
if [ "$(id -u)" = 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "setup-browser: need root (or passwordless sudo) to apt-get install chromium" >&2
  exit 1
fi
echo "installing Debian's chromium for the browser tests (apt-get)..." >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
/usr/bin/chromium --version >&2
