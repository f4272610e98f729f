#!/usr/bin/env bash
# Prints a directory holding a Node.js 24 `node` binary, provisioning one from the npm
# registry (the `node` package) when neither the project nor the system has it.
# The project targets Node 24 LTS (package.json engines); older system Nodes are common.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
required_major=24

major_of() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

for candidate in "$root/node_modules/.bin/node" "$root/.toolchain/node/node_modules/.bin/node" "$(command -v node || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && [ "$(major_of "$candidate")" = "$required_major" ]; then
    dirname "$candidate"
    exit 0
  fi
done

echo "Provisioning Node.js $required_major into .toolchain/node (system Node is $(node --version 2>/dev/null || echo absent))" >&2
mkdir -p "$root/.toolchain/node"
npm install --prefix "$root/.toolchain/node" --no-save --no-audit --no-fund --loglevel=error "node@$required_major" >&2
candidate="$root/.toolchain/node/node_modules/.bin/node"
if [ "$(major_of "$candidate")" != "$required_major" ]; then
  echo "Could not provision Node.js $required_major from the npm registry" >&2
  exit 1
fi
dirname "$candidate"
