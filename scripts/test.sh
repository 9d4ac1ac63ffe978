#!/usr/bin/env bash
# The whole suite (`make test`): SQLite and PostgreSQL cases, on both cores.
set -euo pipefail
cd "$(dirname "$0")/.."
# onnxruntime (OCR) looks up its telemetry hosts unless this is set before it is imported.
export ORT_DISABLE_TELEMETRY=1
bash scripts/ensure-fonts.sh
bash scripts/ensure-chromium.sh  # Debian's chromium for the browser tests (tests/web)
if [ "${CI:-}" = "true" ]; then bash scripts/ensure-postgres.sh; else bash scripts/ensure-postgres.sh || echo "PostgreSQL unavailable: its cases will skip (they fail under CI=true)" >&2; fi
if [ "${CI:-}" = "true" ]; then bash scripts/ensure-nats.sh; else bash scripts/ensure-nats.sh || echo "NATS unavailable: its cases will skip (they fail under CI=true)" >&2; fi
exec .venv/bin/pytest -n "${SHOPWARDEN_TEST_WORKERS:-2}" -q "$@"
