#!/usr/bin/env bash
# Installs the pinned tools the playground's build and tests need, once per machine:
#   - the wasm32 target (rust-toolchain.toml lists it; rustup installs it),
#   - wasm-bindgen-cli (with its test runner) at Cargo.lock's wasm-bindgen version, into
#     target/tools/bin (cargo install; not --locked: its lockfile names a crate version the
#     registry mirror lacks),
#   - wasm-opt (npm binaryen 132) and playwright-core, from web/package-lock.json, into
#     web/node_modules,
#   - with --browser: Debian's chromium (for the end-to-end tests), when /usr/bin/chromium is
#     missing.
# Usage: bash web/tools.sh [--browser]
set -euo pipefail
cd "$(dirname "$0")/.."
rustup toolchain install >/dev/null
wbv=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
if ! target/tools/bin/wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wbv"; then
  echo "installing wasm-bindgen-cli $wbv into target/tools (about 3 minutes, once)"
  cargo install wasm-bindgen-cli --version "$wbv" --root target/tools --force
fi
if [ ! -x web/node_modules/.bin/wasm-opt ] || [ ! -d web/node_modules/playwright-core ]; then
  npm ci --prefix web --no-audit --no-fund
fi
if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
