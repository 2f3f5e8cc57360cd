#!/usr/bin/env bash
# Builds the playground into web/dist/: the yew app and its workers as one wasm module
# (cargo, profile `wasm`), its JS glue (wasm-bindgen --target web), wasm-opt -Oz, and the
# static files. Every URL is relative, so dist/ works from any sub-path and from
# `python3 -m http.server`. Installs the pinned tools it needs (web/tools.sh) on first use.
# Usage: bash web/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash web/tools.sh
export PATH="$PWD/target/tools/bin:$PWD/web/node_modules/.bin:$PATH"
cargo build --locked --profile wasm -p deploysim-web --target wasm32-unknown-unknown
out=web/dist
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" target/wasm32-unknown-unknown/wasm/deploysim_web.wasm
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  "$out/deploysim_web_bg.wasm" -o "$out/deploysim_web_bg.wasm"
cp web/static/index.html web/static/worker.js web/static/style.css "$out/"
total=0
for f in "$out"/*; do
  total=$((total + $(gzip -9 -c "$f" | wc -c)))
done
echo "built $out: $(du -sb "$out" | cut -f1) bytes, $total bytes gzip -9 file by file"
