// What a page's scripts are, as a browser loads them: each <script src> of static/ is one
// file or a bundle of several (src/web/assets.ts), so "does this page run breakup.js?"
// is asked of the code the page loads, not of a file name.
import { readFileSync } from 'node:fs';
import { rawRequest } from './client';

/** The bodies of the static scripts the page links, in order. */
export async function pageScripts(base: string, html: string): Promise<string[]> {
  const urls = [...html.matchAll(/<script src="(\/static\/[^"]+)"/g)].map((m) => m[1]);
  return Promise.all(urls.map(async (url) => (await rawRequest(base + url, 'GET', {})).text));
}

/** Whether the page runs static/<name>, linked on its own or joined into a bundle. */
export async function loadsScript(base: string, html: string, name: string): Promise<boolean> {
  const source = readFileSync(new URL(`../../static/${name}`, import.meta.url), 'utf8');
  return (await pageScripts(base, html)).some((body) => body.includes(source));
}
