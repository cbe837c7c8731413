#!/usr/bin/env bash
# Creates .venv and installs the product with its test tools. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip 2>/dev/null || true
  .venv/bin/python -m pip install --quiet -e '.[test]'
  touch "$stamp"
fi
# Headless Chromium for the browser tests (`setup.sh --browser`; Debian's
# package, never `playwright install`). Only as root with apt; otherwise those
# tests skip and say why.
if [ "${1:-}" = "--browser" ] && ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
    >/dev/null 2>&1 || echo "(could not install chromium: browser tests will be skipped)" >&2
fi
