// 우리 앨범 (GET /album) over HTTP: the couple's photos and videos newest first under month
// headings in the viewer's zone and language, the next page (?before=ID, htmx continuing the
// grid), one photo on a page of its own (?at=ID) with its neighbours, and nothing of another couple.
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { HX, newClientId, newCouple, send, type Couple } from '../support/chatHttp';
import { Client, signUp } from '../support/client';
import { httpSuite } from '../support/httpSuite';
import { filePart, fileRows, jpeg, upload, video } from '../support/uploads';

/** The tiles' file ids, in the page's order. */
const tileIds = (html: string) => [...html.matchAll(/<a class="album-tile[^"]*" href="\/album\?at=(\d+)"/g)].map((m) => Number(m[1]));
const months = (html: string) => [...html.matchAll(/<h2 class="album-month">([^<]*)<\/h2>/g)].map((m) => m[1]);

describe.each(backends())('the album on $name', (backend) => {
  const { app } = httpSuite(backend);

  /** Sends these files in one message as `side`; returns their ids, oldest first. */
  async function shares(c: Couple, side: 'a' | 'b', parts: Array<ReturnType<typeof filePart>>): Promise<number[]> {
    const before = (await fileRows(app.db, c.coupleId)).length;
    const res = await upload(c[side], [{ name: 'client_id', value: newClientId() }, ...parts]);
    expect(res.status).toBe(303);
    return (await fileRows(app.db, c.coupleId)).slice(before).map((row) => Number(row.id));
  }
  const photo = async (name: string) => filePart(name, await jpeg(40, 30), 'image/jpeg');
  const at = (id: number, ms: number) => app.db('files').where({ id }).update({ created_at: ms });

  it('sends a visitor to /login and a single user to /pair', async () => {
    expect((await new Client(app.url).get('/album')).location).toBe('/login');
    expect((await (await signUp(app.url, 'album_single')).get('/album')).location).toBe('/pair');
  });

  it('says so when nothing was shared yet, and is a tab of every page', async () => {
    const c = await newCouple(app.url, app.db, 'albe');
    const page = await c.a.get('/album');
    expect(page.status).toBe(200);
    expect(page.text).toContain('아직 주고받은 사진이나 동영상이 없어요.');
    expect((await c.a.get('/chat')).text).toMatch(/<a class="tab" href="\/album">[^]*?<span>앨범<\/span><\/a>/);
  });

  it('shows photos and videos newest first under their months in the viewer’s zone; no documents, nothing of another couple', async () => {
    const c = await newCouple(app.url, app.db, 'alb');
    const other = await newCouple(app.url, app.db, 'albo');
    const [theirs] = await shares(other, 'a', [await photo('theirs.jpg')]);
    const [november] = await shares(c, 'a', [await photo('november.jpg')]);
    await send(c.b, '사진 고마워');
    const [doc] = await shares(c, 'b', [filePart('memo.txt', Buffer.from('메모'), 'text/plain')]);
    const [clip] = await shares(c, 'b', [filePart('clip.mp4', video('isom'), 'video/mp4')]);
    const [december] = await shares(c, 'b', [await photo('december.jpg')]);
    await at(november, Date.UTC(2026, 10, 20, 3));
    await at(clip, Date.UTC(2026, 10, 30, 16)); // 1 December, 1:00 in Seoul; still 30 November in New York
    await at(december, Date.UTC(2026, 11, 5, 3));

    const html = (await c.a.get('/album')).text;
    expect(tileIds(html)).toEqual([december, clip, november]);
    expect(tileIds(html)).not.toContain(doc);
    expect(tileIds(html)).not.toContain(theirs);
    expect(months(html)).toEqual(['2026년 12월', '2026년 11월']);
    expect(html.indexOf('2026년 11월')).toBeGreaterThan(html.indexOf(`at=${clip}"`));
    expect(html).toContain(`data-chat="/chat?around=`);
    expect(html).not.toContain('album-more'); // all of it on one page

    await c.b.get('/account');
    await c.b.post('/account/settings', { language: 'en', week_start: '0', time_zone: 'America/New_York' });
    const hers = (await c.b.get('/album')).text;
    expect(months(hers)).toEqual(['December 2026', 'November 2026']);
    expect(hers.indexOf('November 2026')).toBeLessThan(hers.indexOf(`at=${clip}"`));
  });

  it('loads older photos a page at a time: htmx continues the grid, without JavaScript a page of its own', async () => {
    const c = await newCouple(app.url, app.db, 'albp');
    const ids: number[] = [];
    for (let n = 0; n < 4; n++) ids.push(...(await shares(c, n % 2 ? 'a' : 'b', await Promise.all(Array.from({ length: 10 }, (_, i) => photo(`p${n}-${i}.jpg`))))));
    const newestFirst = [...ids].reverse();

    const first = (await c.a.get('/album')).text;
    expect(tileIds(first)).toEqual(newestFirst.slice(0, 30));
    const last = newestFirst[29];
    expect(first).toContain(`href="/album?before=${last}" hx-get="/album?before=${last}" hx-trigger="revealed"`);
    expect(first).toContain('더 보기');

    const more = await c.a.get(`/album?before=${last}`, HX);
    expect(more.status).toBe(200);
    expect(more.text).not.toContain('<html');
    expect(tileIds(more.text)).toEqual(newestFirst.slice(30));
    expect(months(more.text)).toEqual([]); // the same month goes on, no heading again
    expect(more.text).not.toContain('album-more');

    const page = await c.a.get(`/album?before=${last}`);
    expect(page.text).toContain('<html');
    expect(tileIds(page.text)).toEqual(newestFirst.slice(30));
    expect(months(page.text)).toHaveLength(1);
  });

  it('opens one photo on its own page with the newer and older one, its download and the way to it in the chat', async () => {
    const c = await newCouple(app.url, app.db, 'albo');
    const [first, middle, last] = await shares(c, 'a', [await photo('하나.jpg'), await photo('둘.jpg'), await photo('셋.jpg')]);
    const messageId = Number((await fileRows(app.db, c.coupleId)).find((row) => Number(row.id) === middle)!.message_id);
    const res = await c.b.get(`/album?at=${middle}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<img class="album-one-media" src="/files/${middle}" alt="둘.jpg">`);
    expect(res.text).toContain(`href="/album?at=${last}" rel="prev">이전</a>`);
    expect(res.text).toContain(`href="/album?at=${first}" rel="next">다음</a>`);
    expect(res.text).toContain(`href="/files/${middle}?download=1" download`);
    expect(res.text).toContain(`href="/chat?around=${messageId}#m-${messageId}">대화에서 보기</a>`);
    const newest = (await c.b.get(`/album?at=${last}`)).text;
    expect(newest).not.toContain('rel="prev"');
    expect((await c.b.get(`/album?at=${first}`)).text).not.toContain('rel="next"');
  });

  it('answers 404 for another couple’s file or a document, and 400 for an id that is none', async () => {
    const c = await newCouple(app.url, app.db, 'albn');
    const other = await newCouple(app.url, app.db, 'albm');
    const [theirs] = await shares(other, 'a', [await photo('theirs.jpg')]);
    const [doc] = await shares(c, 'a', [filePart('memo.txt', Buffer.from('메모'), 'text/plain')]);
    for (const path of [`/album?at=${theirs}`, `/album?before=${theirs}`, `/album?at=${doc}`, '/album?at=99999999', '/album?before=99999999']) {
      const res = await c.a.get(path);
      expect(res.status, path).toBe(404);
      expect(res.text).not.toContain('theirs.jpg');
    }
    for (const path of ['/album?at=abc', '/album?before=0', '/album?before=-1', '/album?at=1e3']) {
      expect((await c.a.get(path)).status, path).toBe(400);
    }
    expect((await c.a.get(`/album?before=${theirs}`, HX)).status).toBe(404);
  });
});
