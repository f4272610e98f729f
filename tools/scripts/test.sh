#!/usr/bin/env bash
# `npm test`: unit, integration and embedded end-to-end tiers. Integration tests need the real
# Kafka broker and Postgres server; infra/local provisions and starts them (idempotent).
set -euo pipefail
bash tools/scripts/jest.sh unit
bash tools/scripts/jest.sh integration
bash tools/scripts/jest.sh e2e
