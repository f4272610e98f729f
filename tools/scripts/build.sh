#!/usr/bin/env bash
# Compiles apps/ and libs/ with SWC into dist/ (decorator metadata for NestJS; the tsconfig path
# aliases rewritten to relative requires). Type checking is `npm run typecheck`: SWC only transpiles.
set -euo pipefail
nx run contracts:codegen --output-style=stream >/dev/null
rm -rf dist
mkdir -p dist
# The build config is .swcrc plus the path aliases of tsconfig.base.json, which SWC needs with an
# absolute base directory (jest reads .swcrc alone and resolves aliases with moduleNameMapper).
node -e '
  const swc = JSON.parse(require("fs").readFileSync(".swcrc", "utf8"));
  const ts = JSON.parse(require("fs").readFileSync("tsconfig.base.json", "utf8"));
  swc.jsc.baseUrl = process.cwd();
  swc.jsc.paths = ts.compilerOptions.paths;
  require("fs").writeFileSync("dist/.swcrc.build.json", JSON.stringify(swc));
'
swc apps libs -d dist --copy-files --config-file dist/.swcrc.build.json --quiet \
  --ignore '**/*.spec.ts' --ignore '**/*.int-spec.ts' --ignore '**/*.e2e-spec.ts' --ignore '**/*.e2e-distributed-spec.ts'
