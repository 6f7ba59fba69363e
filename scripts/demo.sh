#!/bin/sh
# One command for the demo on a fresh clone: install what is missing, then run the loop.
set -e
cd "$(dirname "$0")/.."
if [ ! -d node_modules ]; then
  echo "installing dependencies (npm ci)…"
  npm ci --no-audit --no-fund
fi
exec node_modules/.bin/tsx scripts/demo.ts
