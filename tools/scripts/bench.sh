#!/usr/bin/env bash
# `npm run bench`: builds the gateway and the bench fixture into dist/, then runs tools/bench
# (the distributed topology starts infra/local's Kafka and Postgres itself). Options: --help.
set -euo pipefail
bash tools/scripts/build.sh
exec node -r @swc-node/register tools/bench/run.ts "$@"
