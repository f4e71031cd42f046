// Copies the exact htmx build we depend on into static/vendor, so the app serves the
// version package-lock.json pins and never a CDN's. On the way each file is lowered to
// ES2017 (htmx 2.0.11 has a few ?. and ??), which the old phone browsers we promise to
// work on can parse; esbuild does it as it does for our TypeScript, minified again.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { transformSync } = require('esbuild');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'static', 'vendor');
mkdirSync(out, { recursive: true });

const files = [
  ['htmx.org/dist/htmx.min.js', 'htmx.min.js'],
  ['htmx-ext-sse/dist/sse.min.js', 'htmx-ext-sse.min.js'],
];
for (const [from, to] of files) {
  const source = readFileSync(require.resolve(from), 'utf8');
  writeFileSync(join(out, to), transformSync(source, { target: 'es2017', minify: true }).code);
}
