// Copies the exact htmx build we depend on into static/vendor, so the app serves
// the version package-lock.json pins and never a CDN's.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'static', 'vendor');
mkdirSync(out, { recursive: true });

const files = [
  ['htmx.org/dist/htmx.min.js', 'htmx.min.js'],
  ['htmx-ext-sse/dist/sse.min.js', 'htmx-ext-sse.min.js'],
];
for (const [from, to] of files) {
  copyFileSync(require.resolve(from), join(out, to));
}
