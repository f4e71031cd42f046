// The zone dates are shown in, as a browser reports it (the cc.tz cookie, from Intl) or a
// user saves it: Intl takes a zone's name in any case and by old aliases, so one zone has
// thousands of spellings. Each is one zone: the same times on the page, one entry in the
// caches of formatters (which a client could otherwise grow without end), one stored name.
import { describe, expect, it } from 'vitest';
import { timeCacheSizes } from '../../src/time';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { newCouple, send } from '../support/chatHttp';
import { Client, signUp } from '../support/client';
import { testClock } from '../support/clock';

let spelled = 0;

/** `n` spellings of a zone's name never made before in this process (the caches are the process's): its letters' case flipped by the bits of a counter. */
function spellings(zone: string, n: number): string[] {
  const letters = [...zone].flatMap((ch, i) => (/[a-z]/i.test(ch) ? [i] : []));
  const flip = (ch: string) => (ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase());
  return Array.from({ length: n }, () => {
    const bits = ++spelled;
    return [...zone].map((ch, i) => (letters.includes(i) && (bits >> letters.indexOf(i)) & 1 ? flip(ch) : ch)).join('');
  });
}

/** What a page shows in its <time> elements. */
const shown = (html: string) => [...html.matchAll(/<time datetime="[^"]*">([^<]*)<\/time>/g)].map((m) => m[1]);

describe.each(backends())('time zones on $name', (backend) => {
  const { app } = httpSuite(backend);

  it('shows the same times for every spelling of a browser’s zone, and caches one zone, not one per spelling', async () => {
    const c = await newCouple(app.url, app.db, 'tz');
    // a winter and a summer instant: New York's offset differs between them, Seoul's does not
    await testClock.at(Date.UTC(2026, 0, 15, 3, 7), () => send(c.a, 'hello there'));
    await testClock.at(Date.UTC(2026, 6, 15, 16, 40), () => send(c.b, 'hello back'));
    const page = (zone: string, lang: string, path = '/chat') => c.a.get(path, { cookie: `${c.a.cookieHeader()}; cc.tz=${zone}`, 'Accept-Language': lang });

    const expected: Record<string, string[]> = {};
    for (const lang of ['ko', 'en']) {
      for (const path of ['/chat', '/chat/search?q=hello']) {
        expected[`${lang} ${path}`] = shown((await page('America/New_York', lang, path)).text);
        expect(expected[`${lang} ${path}`], `${lang} ${path}`).toHaveLength(2);
        expect(shown((await page('Asia/Seoul', lang, path)).text), `${lang} ${path}`).not.toEqual(expected[`${lang} ${path}`]);
      }
    }
    expect(expected['en /chat']).toEqual(['10:07 PM', '12:40 PM']);

    const before = timeCacheSizes();
    for (const [k, spelling] of spellings('America/New_York', 48).entries()) {
      const lang = k % 2 ? 'en' : 'ko';
      const path = k % 4 < 2 ? '/chat' : '/chat/search?q=hello';
      expect(shown((await page(spelling, lang, path)).text), `${spelling} ${lang} ${path}`).toEqual(expected[`${lang} ${path}`]);
    }
    const after = timeCacheSizes();
    // the formatters and offsets are kept per zone: New York's were there already
    expect(after.partsFormatters).toBeLessThanOrEqual(before.partsFormatters);
    expect(after.hourOffsets).toBeLessThanOrEqual(before.hourOffsets);
    expect(after.displayFormatters).toBeLessThanOrEqual(before.displayFormatters);
  });

  it('names the reported zone by its canonical name on the account page', async () => {
    const client = await signUp(app.url, `tzacct_${Date.now() % 100000}`);
    const now = (html: string) => /<p class="hint" id="time_zone-hint">([^<]*)<\/p>/.exec(html)?.[1];
    for (const spelling of ['america/new_york', 'AMERICA/NEW_YORK', 'US/Eastern']) {
      const page = await client.get('/account', { cookie: `${client.cookieHeader()}; cc.tz=${spelling}`, 'Accept-Language': 'en' });
      expect(now(page.text), spelling).toBe('This device’s time zone now: America/New_York');
    }
  });

  it('stores a saved zone by its canonical name, however it was spelled', async () => {
    const login = `tzset_${Date.now() % 100000}`;
    const client = await signUp(app.url, login);
    for (const [spelling, stored] of [
      ['asia/SEOUL', 'Asia/Seoul'],
      ['US/Eastern', 'America/New_York'],
      ['europe/berlin', 'Europe/Berlin'],
    ]) {
      await client.get('/account');
      expect((await client.post('/account/settings', { language: 'ko', week_start: '0', time_zone: spelling })).status, spelling).toBe(303);
      expect((await app.db('users').where({ login_id: login }).first('time_zone')).time_zone, spelling).toBe(stored);
    }
    const page = await client.get('/account');
    expect(page.text).toContain('<option value="Europe/Berlin" selected>Berlin</option>');
    await client.get('/account');
    const refused = await client.post('/account/settings', { language: 'ko', week_start: '0', time_zone: 'europe/nowhere' });
    expect(refused.status).toBe(422);
    expect(Client.visible(refused.text)).toContain('올바른 값을 골라 주세요.');
    expect((await app.db('users').where({ login_id: login }).first('time_zone')).time_zone).toBe('Europe/Berlin');
  });
});
