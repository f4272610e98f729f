#!/usr/bin/env bash
set -euo pipefail
nx run contracts:codegen --output-style=stream >/dev/null
eslint --max-warnings=0 apps libs
prettier --check .
