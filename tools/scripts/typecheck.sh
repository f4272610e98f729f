#!/usr/bin/env bash
set -euo pipefail
nx run contracts:codegen --output-style=stream >/dev/null
exec tsc -p tsconfig.json
