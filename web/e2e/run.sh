#!/usr/bin/env bash
# The playground's end-to-end tests: builds the site and the CLI, serves web/dist on a free
# port of 127.0.0.1 for as long as the tests run, and drives Debian's headless Chromium with
# playwright-core (web/e2e/test.mjs). Screenshots of every view and measurements.json go to
# target/e2e/. Usage: bash web/e2e/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
bash web/tools.sh --browser
bash web/build.sh
cargo build --locked --release -p deploysim-cli
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory web/dist > target/e2e-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null; then break; fi
  sleep 0.1
done
node web/e2e/test.mjs "http://127.0.0.1:$port/" target/release/simulate target/e2e
