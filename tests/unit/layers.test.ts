// The layers of src/, as the README's "How the code is laid out" draws them, checked on every
// import (type-only ones too): an arrow that breaks a rule fails here, naming the file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(__dirname, '../../src');

type Layer = 'base' | 'realtime' | 'web' | 'feature' | 'routes' | 'app';

const FEATURES = ['accounts', 'pairing', 'couple', 'chat', 'files', 'questions', 'ranking', 'calendar', 'push', 'reminders', 'album'];
const BASE_FOLDERS = ['i18n', 'language', 'limits'];
const APP_FILES = ['app.ts', 'server.ts', 'migrate.ts', 'appContext.ts', 'prepareAssets.ts'];

/** A module's layer, from its path under src/. */
export function layerOf(path: string): Layer {
  const [top, ...rest] = path.split('/');
  if (rest.length === 0) return APP_FILES.includes(top) ? 'app' : 'base';
  if (BASE_FOLDERS.includes(top)) return 'base';
  if (top === 'realtime') return 'realtime';
  if (top === 'web') return 'web';
  if (FEATURES.includes(top)) return isRouteModule(path) ? 'routes' : 'feature';
  throw new Error(`src/${path}: a folder the layers do not know (add it to tests/unit/layers.test.ts and the README)`);
}

/** Route modules: the HTTP handlers of a feature (routes.ts, fooRoutes.ts, and the chat's stream). */
export const isRouteModule = (path: string) => /(^|\/)(routes|[a-z]+Routes|stream)\.ts$/.test(path);

/** Which layers each layer may import. */
const ALLOWED: Record<Layer, Layer[]> = {
  base: ['base'],
  realtime: ['base', 'realtime'],
  web: ['base', 'realtime', 'web'],
  feature: ['base', 'realtime', 'web', 'feature'],
  routes: ['base', 'realtime', 'web', 'feature'],
  app: ['base', 'realtime', 'web', 'feature', 'routes', 'app'],
};

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) yield path;
  }
}

/** Every relative import of a file, as paths under src/ (with .ts). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*'([^']+)'|import\(\s*'([^']+)'\s*\)|(?:^|\n)\s*import\s*'([^']+)'/g)].map((m) => m[1] ?? m[2] ?? m[3]);
  return specs.filter((s) => s.startsWith('.')).map((s) => relative(SRC, normalize(join(dirname(file), s))).split(sep).join('/') + '.ts');
}

const graph = [...sources(SRC)].map((file) => {
  const path = relative(SRC, file).split(sep).join('/');
  return { path, imports: importsOf(file).filter((target) => !target.startsWith('..')) };
});

const folderOf = (path: string) => path.split('/')[0];

describe('the layers of src/', () => {
  it('knows every module, and every import resolves to one', () => {
    const known = new Set(graph.map((m) => m.path));
    for (const m of graph) layerOf(m.path);
    const dangling = graph.flatMap((m) => m.imports.filter((t) => !known.has(t)).map((t) => `${m.path} → ${t}`));
    expect(dangling).toEqual([]);
  });

  it('imports only downwards: base ← realtime ← web ← features ← routes ← app', () => {
    const broken = graph.flatMap((m) =>
      m.imports.filter((t) => !ALLOWED[layerOf(m.path)].includes(layerOf(t))).map((t) => `${m.path} (${layerOf(m.path)}) → ${t} (${layerOf(t)})`),
    );
    expect(broken).toEqual([]);
  });

  it('never has a route module import another route module', () => {
    const broken = graph.flatMap((m) => (isRouteModule(m.path) ? m.imports.filter(isRouteModule).map((t) => `${m.path} → ${t}`) : []));
    expect(broken).toEqual([]);
  });

  it('has no two feature folders that import each other, directly or around a circle', () => {
    const edges = new Map<string, Set<string>>();
    for (const m of graph) {
      if (layerOf(m.path) !== 'feature') continue;
      for (const t of m.imports) {
        if (layerOf(t) === 'feature' && folderOf(t) !== folderOf(m.path)) {
          if (!edges.has(folderOf(m.path))) edges.set(folderOf(m.path), new Set());
          edges.get(folderOf(m.path))!.add(folderOf(t));
        }
      }
    }
    const cycles: string[] = [];
    const visit = (folder: string, trail: string[]) => {
      for (const next of edges.get(folder) ?? []) {
        if (next === trail[0]) cycles.push([...trail, next].join(' → '));
        else if (!trail.includes(next) && trail.length < FEATURES.length) visit(next, [...trail, next]);
      }
    };
    for (const folder of FEATURES) visit(folder, [folder]);
    expect(cycles).toEqual([]);
  });
});
