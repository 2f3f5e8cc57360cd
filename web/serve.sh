#!/usr/bin/env bash
# Builds the playground and serves web/dist/ on http://127.0.0.1:PORT/ (default 8000) until
# interrupted. Usage: bash web/serve.sh [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-8000}"
bash web/build.sh
echo "serving the playground on http://127.0.0.1:$port/ (Ctrl-C stops it)"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory web/dist
