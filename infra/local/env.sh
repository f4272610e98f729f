# shellcheck shell=bash
# Connection settings for the local infrastructure started by up.sh.
#
#   source infra/local/env.sh
#
# Meant to be sourced into an interactive shell or a test script, so it
# deliberately does NOT `set -euo pipefail` (that would change the caller's
# shell options). It is also the single place where the ports and credentials
# get their defaults: lib.sh sources it, so the servers and the clients always
# agree. Override any of these variables before sourcing/starting.
# Values go into a URL unescaped: keep user, password and database URL-safe.

: "${KAFKA_PORT:=9092}"
: "${KAFKA_CONTROLLER_PORT:=9093}"
: "${PG_PORT:=55432}"
: "${PG_USER:=gateway}"
: "${PG_PASSWORD:=gateway}"
: "${PG_DATABASE:=gateway}"
# Not 6379, so it never clashes with a system Redis.
: "${REDIS_PORT:=56379}"

export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT}"
export DATABASE_URL="postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${PG_PORT}/${PG_DATABASE}"
export RATE_LIMIT_REDIS_URL="redis://127.0.0.1:${REDIS_PORT}"
