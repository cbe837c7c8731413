#!/usr/bin/env bash
# Lint, then the whole test suite on SQLite, then again on the local
# PostgreSQL (a throwaway database). In CI the PostgreSQL pass is required.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
. .venv/bin/activate
ruff check .
echo "== tests on SQLite (the embedded default)"
python -m pytest "$@"
pg_host=${PGHOST_FOR_TESTS:-127.0.0.1}
if python - "$pg_host" <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(2)
sys.exit(0 if s.connect_ex((sys.argv[1], 5432)) == 0 else 1)
PY
then
  db="feedback_test_$$"
  psql -h "$pg_host" -U postgres -qc "CREATE DATABASE $db" postgres
  trap 'psql -h "$pg_host" -U postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" postgres >/dev/null 2>&1 || true' EXIT
  echo "== tests on PostgreSQL"
  FEEDBACK_TEST_DATABASE_URL="postgresql+psycopg://postgres@$pg_host:5432/$db" python -m pytest "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not reachable on $pg_host:5432; CI requires the PostgreSQL pass" >&2
  exit 1
else
  echo "(PostgreSQL not reachable: skipped the PostgreSQL pass)"
fi
