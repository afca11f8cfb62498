#!/bin/sh
# Stand-in for Prisma's native schema engine, which these machines cannot download.
# `prisma generate|validate|format` only ask it for a version; migrations go through
# @prisma/schema-engine-wasm instead (src/db/schema-engine.ts).
case "$1" in
  --version|-V) echo "schema-engine-cli 0.0.0 (piper: native engine not used)"; exit 0 ;;
esac
echo "piper: the native Prisma schema engine is not installed; use npm run db:migrate / db:new-migration" >&2
exit 1
