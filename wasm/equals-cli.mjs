// Writes what the JS API returns under Node for every bundled scenario, so that a shell can
// compare it with the CLI's output byte for byte (see wasm/equals-cli.sh):
//   <stem>.r1.json   simulate(text)               = simulate run scenarios/<stem>.toml --format json
//   <stem>.r20.json  simulate(text, {runs: 20})   = ... --runs 20 --format json
//   <stem>.cost.json cost(text)                   = simulate cost scenarios/<stem>.toml --format json
//   <stem>.svg       chart(text, {runs: 20})      = simulate run ... --runs 20 --plot <stem>.svg
// Usage: node wasm/equals-cli.mjs PKG_DIR OUT_DIR [FILE.toml...] (default: every preset).
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';

const [pkg, out, ...files] = process.argv.slice(2);
const api = createRequire(import.meta.url)(resolve(pkg, 'deploysim_wasm.js'));
mkdirSync(out, { recursive: true });
const inputs = files.length
  ? files.map((f) => ({ name: basename(f, '.toml'), text: readFileSync(f, 'utf8') }))
  : JSON.parse(api.presets()).map((p) => ({ name: p.name, text: p.text }));
for (const { name, text } of inputs) {
  writeFileSync(`${out}/${name}.r1.json`, api.simulate(text, {}));
  writeFileSync(`${out}/${name}.r20.json`, api.simulate(text, { runs: 20 }));
  writeFileSync(`${out}/${name}.cost.json`, api.cost(text, {}));
  writeFileSync(`${out}/${name}.svg`, api.chart(text, { runs: 20 }));
}
console.log(`wrote ${inputs.length * 4} files to ${out}`);
