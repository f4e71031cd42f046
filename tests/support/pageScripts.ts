// What a page's scripts are, as a browser loads them: each <script src> of static/ is one
// file or a bundle of several (src/web/assets.ts), and a page may carry one in line (the
// chat), so "does this page run breakup.js?" is asked of the code the page runs, not of a
// file name. Bundles carry their parts minified: a part is looked for as minifyScript makes it.
import { readFileSync } from 'node:fs';
import { minifyScript } from '../../src/web/assets';
import { rawRequest } from './client';

/** The bodies of the page's scripts, in order: those it links from static/ and those it carries. */
export async function pageScripts(base: string, html: string): Promise<string[]> {
  const scripts = [...html.matchAll(/<script(?: src="(\/static\/[^"]+)")?[^>]*>([\s\S]*?)<\/script>/g)];
  return Promise.all(scripts.map(async ([, url, body]) => (url ? (await rawRequest(base + url, 'GET', {})).text : body)));
}

/** A file of static/ as a bundle carries it. */
export const bundledPart = (name: string): string => minifyScript(readFileSync(new URL(`../../static/${name}`, import.meta.url), 'utf8'));

/** Whether the page runs static/<name>, joined into a bundle it links or carries. */
export async function loadsScript(base: string, html: string, name: string): Promise<boolean> {
  const part = bundledPart(name);
  return (await pageScripts(base, html)).some((body) => body.includes(part));
}
