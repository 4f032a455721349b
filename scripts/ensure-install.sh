#!/usr/bin/env bash
# Installs dependencies when node_modules is missing or older than package-lock.json, so
# `npm start`, `npm test` and `npm run bench` work on a fresh clone without a separate install step.
set -euo pipefail
cd "$(dirname "$0")/.."
marker=node_modules/.package-lock.json
if [ ! -f "$marker" ] || [ package-lock.json -nt "$marker" ]; then
  echo "安装依赖 (installing dependencies): npm ci"
  npm ci --no-audit --no-fund
fi
