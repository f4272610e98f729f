#!/usr/bin/env bash
# `npm run start:distributed`: every service as its own process against the Kafka broker and the
# Postgres server of infra/local (started here if needed). Ctrl-C stops them all.
set -euo pipefail
bash infra/local/up.sh
# shellcheck source=/dev/null
source infra/local/env.sh
bash tools/scripts/build.sh
export GATEWAY_BUS=kafka GATEWAY_ROOT="${GATEWAY_ROOT:-$PWD}"
# The master key seals stored secrets (signing keys, upstream credentials); every service that
# opens them needs the same key. Made once, readable by its owner only, unless one is configured.
if [[ -z "${GATEWAY_MASTER_KEY:-}" && -z "${GATEWAY_MASTER_KEY_FILE:-}" ]]; then
  mkdir -p .data
  [[ -f .data/master.key ]] || (umask 077 && node -e "process.stdout.write(require('node:crypto').randomBytes(32).toString('hex'))" >.data/master.key)
  export GATEWAY_MASTER_KEY_FILE="$PWD/.data/master.key"
fi
# Tokens are issued by the auth service; every service verifies them against its name.
export AUTH_ISSUER="${AUTH_ISSUER:-http://127.0.0.1:${AUTH_HTTP_PORT:-8083}}"
log_dir="${GATEWAY_LOG_DIR:-.data/logs}"
mkdir -p "$log_dir"
pids=()
stop_all() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all INT TERM EXIT
# Control plane first, then the data plane; each retries its dependencies, so order is a courtesy.
for service in registry auth policy audit telemetry router ingress; do
  node --enable-source-maps "dist/apps/$service/src/main.js" >"$log_dir/$service.log" 2>&1 &
  pids+=("$!")
  echo "started $service (pid $!, log $log_dir/$service.log)"
done
echo
echo "MCP gateway (distributed): http://${INGRESS_HOST:-127.0.0.1}:${INGRESS_PORT:-8080}/mcp"
echo "metrics: http://127.0.0.1:${TELEMETRY_HTTP_PORT:-8086}/metrics"
echo "the first start prints an admin API key in $log_dir/auth.log (shown once)"
wait -n "${pids[@]}"
echo "a service exited; stopping the others" >&2
exit 1
