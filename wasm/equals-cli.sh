#!/usr/bin/env bash
# Native = wasm, byte for byte: every bundled scenario (or the files given) at 1 and 20
# replications, its monthly estimate and its run chart, from the JS API under Node and from
# the CLI, compared with cmp. Needs the tools web/tools.sh installs and a release CLI.
# Usage: bash wasm/equals-cli.sh [FILE.toml...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash web/tools.sh
export PATH="$PWD/target/tools/bin:$PATH"
cargo build --locked --profile wasm -p deploysim-wasm --target wasm32-unknown-unknown
pkg=target/wasm-pkg/node
wasm-bindgen --target nodejs --out-dir "$pkg" target/wasm32-unknown-unknown/wasm/deploysim_wasm.wasm
cargo build --locked --release -p deploysim-cli
out=target/equals-cli
rm -rf "$out" && mkdir -p "$out/wasm" "$out/cli"
node wasm/equals-cli.mjs "$pkg" "$out/wasm" "$@"
files=("$@")
if [ ${#files[@]} -eq 0 ]; then files=(scenarios/*.toml); fi
for f in "${files[@]}"; do
  s=$(basename "$f" .toml)
  ./target/release/simulate run "$f" --format json --no-check > "$out/cli/$s.r1.json"
  ./target/release/simulate run "$f" --runs 20 --format json --no-check --plot "$out/cli/$s.svg" > "$out/cli/$s.r20.json"
  ./target/release/simulate cost "$f" --format json > "$out/cli/$s.cost.json"
done
n=0
for f in "$out"/cli/*; do
  cmp "$f" "$out/wasm/$(basename "$f")"
  n=$((n + 1))
done
echo "native = wasm: $n files identical (${#files[@]} scenarios: runs 1 and 20, cost, chart)"
