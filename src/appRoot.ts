import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's folder (where package.json is), found from this module's own place: the
 * same whether it runs from src/ under tsx or bundled into dist/ by scripts/build.mjs.
 */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return dir;
}

export const APP_ROOT = findRoot();

/** A path inside the project: fromRoot('views'), fromRoot('static', 'app.css'). */
export const fromRoot = (...parts: string[]) => join(APP_ROOT, ...parts);
