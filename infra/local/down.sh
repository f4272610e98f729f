#!/usr/bin/env bash
# Stop the local infrastructure. Idempotent; data under DATA_DIR is kept.
set -euo pipefail

LOG_TAG=down
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# In parallel: Kafka's controlled shutdown takes a few seconds on its own.
run_prefixed kafka bash "$LOCAL_DIR/kafka.sh" stop &
kafka_job=$!
run_prefixed postgres bash "$LOCAL_DIR/postgres.sh" stop &
pg_job=$!
run_prefixed redis bash "$LOCAL_DIR/redis.sh" stop &
redis_job=$!

failed=()
wait "$kafka_job" || failed+=(kafka)
wait "$pg_job" || failed+=(postgres)
wait "$redis_job" || failed+=(redis)

if ((${#failed[@]} > 0)); then
  die "FAILED to stop: ${failed[*]} (details above)"
fi
log "all down"
