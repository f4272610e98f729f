#!/usr/bin/env bash
# Runs a command with Node.js 24 and the project's local binaries first on PATH, so every
# npm script behaves the same whatever Node the machine has.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
node_dir="$(bash "$root/tools/node/ensure-node.sh")"
export PATH="$node_dir:$root/node_modules/.bin:$PATH"
export NX_DAEMON="${NX_DAEMON:-false}"
export NX_NO_CLOUD=true
cd "$root"
exec "$@"
