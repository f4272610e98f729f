#!/usr/bin/env bash
# `npm run audit:verify [-- --chain tenant:default] [-- --json]`: builds, then walks every audit hash
# chain in the database at DATABASE_URL (default: the infra/local Postgres) and exits non-zero
# naming the first broken link. In production run the built CLI directly:
#   node dist/apps/audit/src/audit-cli.js verify
set -euo pipefail
if [[ -z "${DATABASE_URL:-}" ]]; then
  # shellcheck source=/dev/null
  source infra/local/env.sh
fi
bash tools/scripts/build.sh
exec node --enable-source-maps dist/apps/audit/src/audit-cli.js verify "$@"
