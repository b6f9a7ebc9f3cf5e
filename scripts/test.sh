#!/usr/bin/env bash
# Quick start 2/2: set up and run the whole test suite (lint included). CI runs exactly this.
# The browser tests use Debian's Chromium: installed here when root/sudo allows, else they skip
# (under CI a missing browser fails them).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/setup-browser.sh || echo "warning: no Chromium; the browser tests will be skipped" >&2
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
