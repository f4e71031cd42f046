// Every script the app serves runs on the old phones it promises to work on: it parses as
// ES2017 (no ?., no ??, no object spread), each file of static/ as it is and each bundle as
// the one classic script a page loads.
import { parse, type Options } from 'acorn';
import { describe, expect, it } from 'vitest';
import { BUNDLES, staticAssets } from '../../src/web/assets';

const ES2017 = { ecmaVersion: 2017 } as const satisfies Partial<Options>;

function parseError(source: string, sourceType: 'script' | 'module'): string | null {
  try {
    parse(source, { ...ES2017, sourceType });
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

describe('scripts served from static/', () => {
  const scripts = staticAssets().all().filter((asset) => asset.type.startsWith('text/javascript'));

  it('include every bundle and the chat’s modules', () => {
    const names = scripts.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(Object.keys(BUNDLES)));
    expect(names).toEqual(expect.arrayContaining([...BUNDLES['chat.bundle.js']]));
  });

  it.each(scripts.filter((s) => !(s.name in BUNDLES)).map((s) => [s.name, s] as const))('%s parses as ES2017', (_, asset) => {
    const source = asset.body.toString('utf8');
    const asScript = parseError(source, 'script');
    expect(asScript && parseError(source, 'module') && asScript).toBeNull();
  });

  it.each(Object.keys(BUNDLES))('the bundle %s parses as one ES2017 script', (name) => {
    const asset = scripts.find((s) => s.name === name)!;
    expect(parseError(asset.body.toString('utf8'), 'script')).toBeNull();
  });
});
