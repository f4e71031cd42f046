// Compiles the server for production: src/server.ts and src/migrate.ts bundled by esbuild
// into dist/ (our code only; packages stay in node_modules), so `npm start` runs plain
// JavaScript and no TypeScript loader compiles modules while the first requests wait.
// Runs at install (postinstall) and again from `npm start` / `npm run migrate`, where it
// does nothing unless a source file is newer than the last build. The tests run the
// TypeScript itself.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
const stamp = join(out, '.built');

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const sources = ['src', 'migrations', 'static', 'package.json', 'scripts/build.mjs'].map((p) => join(root, p));
const upToDate = existsSync(stamp) && statSync(stamp).mtimeMs >= Math.max(...sources.map(newest));
if (!upToDate) {
  const { buildSync } = require('esbuild');
  // the chunks of an earlier build go (their names are hashes); dist/compressed stays
  if (existsSync(out)) for (const name of readdirSync(out)) if (/\.js(\.map)?$/.test(name)) rmSync(join(out, name));
  buildSync({
    absWorkingDir: root,
    entryPoints: ['src/server.ts', 'src/migrate.ts', 'src/prepareAssets.ts'],
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    sourcesContent: false, // the maps only turn stack traces back into src/ lines: no copy of the sources for --enable-source-maps to load
    logLevel: 'warning',
  });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
// static/ is compressed once here rather than by each process at start (see src/web/assets.ts)
if (!upToDate || process.argv.includes('--assets')) execFileSync(process.execPath, [join(out, 'prepareAssets.js')], { stdio: 'inherit' });
