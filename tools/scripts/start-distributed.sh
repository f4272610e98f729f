#!/usr/bin/env bash
# `npm run start:distributed`: every service as its own process against the Kafka broker and the
# Postgres server of infra/local (started here if needed). Ctrl-C stops them all.
set -euo pipefail
bash infra/local/up.sh
# shellcheck source=/dev/null
source infra/local/env.sh
bash tools/scripts/build.sh
export GATEWAY_BUS=kafka GATEWAY_ROOT="${GATEWAY_ROOT:-$PWD}"
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
wait -n "${pids[@]}"
echo "a service exited; stopping the others" >&2
exit 1
