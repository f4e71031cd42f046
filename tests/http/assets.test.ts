// What a phone downloads: pages link static files by content-hashed names cached for a
// year, served brotli- or gzip-compressed; pages are compressed too; the event stream
// and file downloads pass untouched.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { Client, rawRequest } from '../support/client';
import { newCouple, send, shownMessageIds } from '../support/chatHttp';
import { isMessage, suiteStreams } from '../support/sse';
import { filePart, upload } from '../support/uploads';
import { BUNDLES, INLINE_SCRIPTS, inlineStyle } from '../../src/web/assets';
import { bundledPart, pageScripts } from '../support/pageScripts';

const staticFile = (name: string) => readFileSync(new URL(`../../static/${name}`, import.meta.url), 'utf8');

describe('static files and compression', () => {
  const { app } = httpSuite(backends()[0]);
  const { stream } = suiteStreams();

  const linked = (html: string) => [...html.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)].map((m) => m[1]);

  it('links every static file of a page by a content-hashed name, cached for a year', async () => {
    const page = await new Client(app.url).get('/login');
    const urls = linked(page.text);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) {
      expect(url).toMatch(/\.[0-9a-f]{12}\.(css|js|svg|png|webmanifest)$/);
      const res = await rawRequest(app.url + url, 'GET', {});
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
  });

  it('serves the same bytes brotli- or gzip-compressed, or plain, as the browser asks', async () => {
    const page = await new Client(app.url).get('/login');
    const htmx = linked(page.text).find((u) => u.includes('site.bundle'))!;
    const original = (await rawRequest(app.url + htmx, 'GET', {})).bytes;
    const br = await rawRequest(app.url + htmx, 'GET', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.bytes).equals(original)).toBe(true);
    expect(br.bytes.length).toBeLessThan(original.length / 2);
    const gz = await rawRequest(app.url + htmx, 'GET', { 'accept-encoding': 'gzip' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(gz.bytes).equals(original)).toBe(true);
    const plain = await rawRequest(app.url + htmx, 'GET', {});
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.bytes.equals(original)).toBe(true);
    expect(original.toString('utf8').includes(bundledPart('vendor/htmx.min.js'))).toBe(true);
  });

  it('answers a revalidation of an unchanged file with 304', async () => {
    const url = linked((await new Client(app.url).get('/login')).text).find((u) => u.endsWith('.css'))!;
    const first = await rawRequest(app.url + url, 'GET', {});
    const again = await rawRequest(app.url + url, 'GET', { 'if-none-match': first.headers.get('etag')! });
    expect(again.status).toBe(304);
  });

  it('still serves a file by its plain name, with a short cache', async () => {
    const res = await rawRequest(`${app.url}/static/app.css`, 'GET', {});
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
  });

  it('compresses pages for a browser that takes it', async () => {
    const client = new Client(app.url);
    const res = await rawRequest(`${app.url}/signup`, 'GET', { 'accept-encoding': 'br, gzip' });
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(res.bytes).toString('utf8')).toContain('<!doctype html>');
    expect((await client.get('/signup')).status).toBe(200);
  });

  it('compresses what a browser asks for whatever its size: a sent message’s fragment, a long page, gzip for gzip; a tiny answer goes plain', async () => {
    const { a } = await newCouple(app.url, app.db, 'gzs');
    const words = '첫 화면에 보일 메시지, 조금 길게 써 본 문장이에요. '.repeat(14); // no word of the question bank in it
    const fragment = await a.post('/chat/messages', { body: words, client_id: `gzs-${Date.now()}` }, { 'HX-Request': 'true', 'accept-encoding': 'gzip, deflate, br' });
    expect(fragment.status).toBe(200);
    expect(fragment.headers.get('content-encoding')).toBe('br');
    expect(fragment.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(fragment.bytes).toString('utf8')).toContain(words.trim().slice(0, 40));
    expect(Number(fragment.headers.get('content-length'))).toBe(fragment.bytes.length);

    const gz = await a.post('/chat/messages', { body: words, client_id: `gzs2-${Date.now()}` }, { 'HX-Request': 'true', 'accept-encoding': 'gzip' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(gz.bytes).toString('utf8')).toContain(words.trim().slice(0, 40));

    for (let i = 0; i < 48; i++) await send(a, `${words} ${i}`);
    const long = await rawRequest(`${app.url}/chat`, 'GET', { cookie: a.cookieHeader(), 'accept-encoding': 'gzip, deflate, br' });
    const html = brotliDecompressSync(long.bytes).toString('utf8');
    expect(html.length).toBeGreaterThan(32 * 1024); // beyond what is compressed in line: koa-compress's stream
    expect(long.headers.get('content-encoding')).toBe('br');
    expect(shownMessageIds(html)).toHaveLength(50);

    const tiny = await a.post('/chat/messages', { body: ' ', client_id: `gzs3-${Date.now()}` }, { 'HX-Request': 'true', 'accept-encoding': 'gzip, br' });
    expect(tiny.status).toBe(422);
    expect(tiny.text).toContain('class="send-error"');
    expect(tiny.text.length).toBeLessThan(1024);
    expect(tiny.headers.get('content-encoding')).toBeNull();
  });

  it('never compresses or holds back the event stream', async () => {
    const { a, b } = await newCouple(app.url, app.db, 'gz');
    const s = await stream(b, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(s.headers['content-encoding']).toBeUndefined();
    const id = await send(a, '압축 없이 바로 와야 해');
    await s.waitFor(isMessage(id));
  });

  it('never compresses a file download, so Range requests keep their byte offsets', async () => {
    const { a } = await newCouple(app.url, app.db, 'gzf');
    const text = Buffer.from('가나다라마바사 '.repeat(400));
    await upload(a, [filePart('notes.txt', text, 'text/plain')]);
    const fileId = Number((await app.db('files').orderBy('id', 'desc').first('id')).id);
    const whole = await rawRequest(`${app.url}/files/${fileId}`, 'GET', { cookie: a.cookieHeader(), 'accept-encoding': 'gzip, br' });
    expect(whole.headers.get('content-encoding')).toBeNull();
    expect(whole.bytes.equals(text)).toBe(true);
    const part = await rawRequest(`${app.url}/files/${fileId}`, 'GET', { cookie: a.cookieHeader(), 'accept-encoding': 'gzip, br', range: 'bytes=3-5' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-encoding')).toBeNull();
    expect(part.bytes.equals(text.subarray(3, 6))).toBe(true);
  });

  it('is installable: a manifest in the visitor’s language with icons that exist, linked from every page', async () => {
    const client = new Client(app.url);
    const page = await client.get('/login');
    expect(page.text).toContain('<link rel="manifest" href="/manifest.webmanifest">');
    const ko = await rawRequest(`${app.url}/manifest.webmanifest`, 'GET', { 'accept-language': 'ko' });
    expect(ko.headers.get('content-type')).toContain('application/manifest+json');
    const manifest = JSON.parse(ko.text);
    expect(manifest).toMatchObject({ name: '커플챗', lang: 'ko', display: 'standalone', start_url: '/' });
    expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(manifest.icons.some((i: { purpose?: string }) => i.purpose === 'maskable')).toBe(true);
    for (const icon of manifest.icons) {
      const res = await rawRequest(app.url + icon.src, 'GET', {});
      expect(res.status, icon.src).toBe(200);
      expect(res.headers.get('content-type')).toBe(icon.type);
    }
    const en = JSON.parse((await rawRequest(`${app.url}/manifest.webmanifest`, 'GET', { 'accept-language': 'en' })).text);
    expect(en).toMatchObject({ name: 'Couple Chat', lang: 'en' });
  });

  const scriptsOf = (html: string) => [...html.matchAll(/<script src="(\/static\/[^"]+)"/g)].map((m) => m[1]);

  it('gives the chat its one script in the page, and its style sheet: htmx and the small modules joined in order, minified', async () => {
    const { a } = await newCouple(app.url, app.db, 'bndl');
    const html = (await a.get('/chat')).text;
    expect(scriptsOf(html)).toEqual([]);
    expect(html).not.toMatch(/<link rel="stylesheet"/);
    expect(html).toContain(`<style>${inlineStyle('app.css')}</style>`);
    const scripts = await pageScripts(app.url, html);
    expect(scripts).toHaveLength(2); // the stream's opener in the head, then the bundle
    const [opener, text] = scripts;
    expect(opener).toBe(staticFile('chat/openStream.js'));
    expect(BUNDLES['chat.bundle.js'][0]).toBe('vendor/htmx.min.js');
    let previous = -1;
    for (const part of BUNDLES['chat.bundle.js']) {
      const at = text.indexOf(bundledPart(part));
      expect(at, part).toBeGreaterThan(previous);
      previous = at;
    }
    expect(text.length).toBeLessThan(BUNDLES['chat.bundle.js'].map(staticFile).join('').length * 0.8); // minified
  });

  it('keeps the chat’s own code off every other page', async () => {
    const { a } = await newCouple(app.url, app.db, 'bndo');
    const chatOwn = BUNDLES['chat.bundle.js'].filter((part) => part.startsWith('chat')).map(bundledPart);
    expect(chatOwn.length).toBeGreaterThan(0);
    const pages = [[a, '/account'], [a, '/calendar'], [a, '/answers'], [a, '/rank'], [a, '/chat/search'], [new Client(app.url), '/login']] as const;
    for (const [client, path] of pages) {
      const scripts = await pageScripts(app.url, (await client.get(path)).text);
      expect(scripts.length, path).toBe(1);
      for (const body of scripts) for (const code of chatOwn) expect(body.includes(code), path).toBe(false);
    }
  });

  it('has the service worker keep the bundles pages load, not the files joined into them nor what pages carry', async () => {
    const worker = await new Client(app.url).get('/sw.js');
    const shell = JSON.parse(/var SHELL = (\[.*?\]);/.exec(worker.text)![1]) as string[];
    const names = shell.map((url) => url.replace(/^\/static\//, '').replace(/\.[0-9a-f]{12}(\.\w+)$/, '$1'));
    const linked = Object.keys(BUNDLES).filter((name) => !(INLINE_SCRIPTS as readonly string[]).includes(name));
    expect(linked.length).toBeGreaterThan(0);
    expect(names).toEqual(expect.arrayContaining([...linked, 'app.css']));
    for (const part of new Set([...Object.values(BUNDLES).flat(), ...INLINE_SCRIPTS])) expect(names).not.toContain(part);
  });

  it('opens the chat with its newest 50 messages in under 60 KB, brotli-compressed: the page and all it links but images', async () => {
    const { a, b } = await newCouple(app.url, app.db, 'bndw');
    for (let i = 0; i < 50; i++) await send(i % 2 ? b : a, `첫 화면에 보일 메시지 ${i}번, 조금 길게 써 본 문장이에요.`);
    const br = { cookie: a.cookieHeader(), 'accept-encoding': 'br' };
    const page = await rawRequest(`${app.url}/chat`, 'GET', br);
    const html = brotliDecompressSync(page.bytes).toString('utf8');
    expect(shownMessageIds(html)).toHaveLength(50);
    const linked = [...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]).filter((u) => !/\.(svg|png)$/.test(u));
    const parts = await Promise.all(linked.map((url) => rawRequest(app.url + url, 'GET', br)));
    for (const part of parts) expect(part.status).toBe(200);
    const bytes = [page, ...parts].reduce((sum, res) => sum + res.bytes.length, 0);
    expect(bytes).toBeLessThan(60 * 1024);
  });

  it('has an offline page to show when the network is gone', async () => {
    const res = await new Client(app.url).get('/offline');
    expect(res.status).toBe(200);
    expect(Client.visible(res.text)).toContain('지금은 오프라인이에요');
  });
});
