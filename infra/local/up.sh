#!/usr/bin/env bash
# Start the local infrastructure (Kafka + PostgreSQL) and wait until both are
# ready. Idempotent: with both already up it is a quick no-op.
set -euo pipefail

LOG_TAG=up
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# In parallel: the Kafka jar fetch/JVM start dominates, and PostgreSQL
# (including a first-time apt-get install) fits entirely inside it.
run_prefixed kafka bash "$LOCAL_DIR/kafka.sh" start &
kafka_job=$!
run_prefixed postgres bash "$LOCAL_DIR/postgres.sh" start &
pg_job=$!

failed=()
wait "$kafka_job" || failed+=(kafka)
wait "$pg_job" || failed+=(postgres)

if ((${#failed[@]} > 0)); then
  die "FAILED to start: ${failed[*]} (details above; logs under $DATA_DIR)"
fi
log "all up: KAFKA_BROKERS=$KAFKA_BROKERS DATABASE_URL=${DATABASE_URL/:${PG_PASSWORD}@/:***@}"
log "for clients: source infra/local/env.sh"
