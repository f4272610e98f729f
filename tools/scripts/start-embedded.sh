#!/usr/bin/env bash
# `npm start`: the whole gateway in one process on its embedded defaults (PGlite, in-process bus).
set -euo pipefail
bash tools/scripts/build.sh
export GATEWAY_ROOT="${GATEWAY_ROOT:-$PWD}"
exec node --enable-source-maps dist/apps/gateway/src/main.js
