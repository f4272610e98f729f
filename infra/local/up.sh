#!/usr/bin/env bash
# Start the local infrastructure (Kafka + PostgreSQL + Redis) and wait until
# all are ready. Idempotent: with all already up it is a quick no-op.
set -euo pipefail

LOG_TAG=up
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# In parallel: the Kafka jar fetch/JVM start dominates, and PostgreSQL
# and Redis (including a first-time apt-get install) fit entirely inside it.
run_prefixed kafka bash "$LOCAL_DIR/kafka.sh" start &
kafka_job=$!
run_prefixed postgres bash "$LOCAL_DIR/postgres.sh" start &
pg_job=$!
run_prefixed redis bash "$LOCAL_DIR/redis.sh" start &
redis_job=$!

failed=()
wait "$kafka_job" || failed+=(kafka)
wait "$pg_job" || failed+=(postgres)
wait "$redis_job" || failed+=(redis)

if ((${#failed[@]} > 0)); then
  die "FAILED to start: ${failed[*]} (details above; logs under $DATA_DIR)"
fi
log "all up: KAFKA_BROKERS=$KAFKA_BROKERS DATABASE_URL=${DATABASE_URL/:${PG_PASSWORD}@/:***@} RATE_LIMIT_REDIS_URL=$RATE_LIMIT_REDIS_URL"
log "for clients: source infra/local/env.sh"
