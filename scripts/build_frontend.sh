#!/usr/bin/env bash
# Build the dashboard (frontend/) into src/rasd/api/static/dist/: Leaflet, the Arabic web font,
# Swagger UI and the MENA country outlines, all from the npm registry (package-lock.json).
# Needs Node.js >= 18 and npm. Usage: scripts/build_frontend.sh
set -euo pipefail
cd "$(dirname "$0")/../frontend"
npm ci --no-audit --no-fund --loglevel=error
node build.mjs
