// Minifies the page's JavaScript glue (what wasm-bindgen writes: 44 KB with its doc
// comments and long names) with terser, after `trunk build --release`, and rewrites
// the file's `integrity` hashes in index.html to match. Trunk minifies the CSS and
// HTML itself (Trunk.toml `minify`) but leaves the glue as wasm-bindgen wrote it.
// Deterministic: the same glue always gives the same bytes.
// Usage: node scripts/minify-glue.mjs [dist]
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { minify } from 'terser';

const dist = process.argv[2] || 'dist';
const integrity = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const indexPath = path.join(dist, 'index.html');
let index = readFileSync(indexPath, 'utf8');
const glue = readdirSync(dist).filter((f) => f.endsWith('.js'));
if (glue.length === 0) throw new Error(`no JavaScript in ${dist}`);
for (const name of glue) {
  const file = path.join(dist, name);
  const before = readFileSync(file);
  const out = await minify(before.toString('utf8'), { module: true, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  const old = integrity(before);
  if (!index.includes(old)) {
    // Already minified (a second run over the same dist): nothing to do.
    if (before.toString('utf8') === out.code) continue;
    throw new Error(`${name}: index.html does not carry its integrity ${old}`);
  }
  writeFileSync(file, out.code);
  index = index.split(old).join(integrity(Buffer.from(out.code)));
  console.log(`minified ${name}: ${before.length} -> ${out.code.length} bytes`);
}
writeFileSync(indexPath, index);
