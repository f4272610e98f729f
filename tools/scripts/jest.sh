#!/usr/bin/env bash
# Runs one test tier: unit | integration | e2e | e2e-distributed. Extra arguments go to jest.
set -euo pipefail
tier="$1"; shift
nx run contracts:codegen --output-style=stream >/dev/null
case "$tier" in
  integration) bash infra/local/up.sh ;;
  e2e) bash tools/scripts/build.sh ;;
  e2e-distributed) bash infra/local/up.sh && bash tools/scripts/build.sh ;;
esac
# Integration and end-to-end suites share one broker and one database: run them one file at a time.
case "$tier" in
  # Paths and options first: --selectProjects takes every word after it as a project name.
  unit) exec jest "$@" --selectProjects unit ;;
  *) exec jest --runInBand "$@" --selectProjects "$tier" ;;
esac
