#!/usr/bin/env bash
# Runs the product on its embedded default (SQLite in ./instance, in-process
# worker) with a demo service and the SMS simulator at /simulator.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/feedback demo --port "${PORT:-5000}"
