// The couple profile over HTTP (GET /couple, POST /couple/profile, POST /couple/photo): the
// name I call my partner shown where their login ID was, 사귄 날 counting the days, the
// birthdays on the calendar, the photo cleaned of its metadata, and the forms' refusals.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/calendar/dates';
import { dayOf } from '../../src/time';
import { backends } from '../support/backends';
import { HX, send } from '../support/chatHttp';
import { Client, type Fields } from '../support/client';
import { httpSuite } from '../support/httpSuite';
import { fetchFile, locatedJpeg, multipart, svg, type Part } from '../support/uploads';
import { testClock } from '../support/clock';
import { suiteStreams } from '../support/sse';
import { answerOk, questionIdIn } from '../support/questions';

const SEOUL = 'Asia/Seoul'; // the test app's APP_TIMEZONE
const today = () => dayOf(testClock.now(), SEOUL);
const fieldError = (html: string, name: string) => new RegExp(`<p class="field-error" id="${name}-error">([^<]*)</p>`).exec(html)?.[1] ?? '';
const inputValue = (html: string, name: string) => new RegExp(`<input id="${name}" name="${name}"[^>]* value="([^"]*)"`).exec(html)?.[1];
const chatTitle = (html: string) => Client.visible(/<h1 id="chat-title"[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? 'no title').trim();

function postPhoto(client: Client, parts: Part[], headers: Record<string, string> = {}) {
  const { body, contentType } = multipart(parts);
  return client.request('POST', `/couple/photo?_csrf=${encodeURIComponent(client.csrf)}`, { body, headers: { 'content-type': contentType, 'content-length': String(body.length), ...headers } });
}

describe.each(backends())('couple profile on $name', (backend) => {
  const { app, couple } = httpSuite(backend, { tag: 'prof', config: { uploadMaxBytes: 1024 * 1024 } });
  const { stream } = suiteStreams();
  const save = async (client: Client, fields: Fields, headers: Record<string, string> = {}) => {
    await client.get('/couple');
    return client.post('/couple/profile', { partner_nickname: '', started_on: '', birthday: '', ...fields }, headers);
  };

  it('shows the page with both names, the days together and the form, linked from the chat header', async () => {
    const c = await couple();
    const chat = await c.a.get('/chat');
    expect(chat.text).toMatch(/<a id="couple-avatar" class="avatar" href="\/couple"/);
    const page = await c.a.get('/couple');
    expect(page.status).toBe(200);
    const text = Client.visible(page.text);
    expect(text).toContain('우리 프로필');
    expect(text).toContain(c.bLogin);
    expect(text).toContain(c.aLogin);
    expect(text).toContain('함께한 지 1일');
    expect(page.text).toContain('name="partner_nickname"');
  });

  it('a nickname shows for me wherever my partner’s login ID did, and not for my partner', async () => {
    const c = await couple();
    const res = await save(c.a, { partner_nickname: '  자기  ' });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/couple');
    expect(await app.db('users').where({ id: c.aId }).first('partner_nickname')).toEqual({ partner_nickname: '자기' });
    expect(chatTitle((await c.a.get('/chat')).text)).toBe('자기 님과의 대화');
    expect(chatTitle((await c.b.get('/chat')).text)).toBe(`${c.aLogin} 님과의 대화`); // b gave a no name
    expect(Client.visible((await c.a.get('/rank')).text)).toContain('자기');
    // the export: each by the name the other gave them
    await send(c.a, '안녕');
    const exported = await c.a.get('/chat/export');
    expect(exported.text).toContain('자기');
  });

  it('the answers page and the revealed card name the partner as I call them', async () => {
    const c = await couple();
    await save(c.a, { partner_nickname: '자기' });
    await send(c.a, '나는 운동갔다가 저녁 먹고 쉬려고!');
    const id = questionIdIn((await c.a.get('/chat')).text);
    expect(id).not.toBeNull();
    await answerOk(c.a, id!, '좋아해');
    await answerOk(c.b, id!, '나도');
    const answers = Client.visible((await c.a.get('/answers')).text);
    expect(answers).toContain('자기');
    expect(answers).not.toContain(c.bLogin);
    const logins = (html: string) => [...html.matchAll(/<span class="who-login">([^<]*)</g)].map((m) => m[1]);
    expect(logins((await c.a.get('/chat')).text)).toEqual([c.aLogin, '자기']); // sides a, b: b as a calls him
  });

  it('the break-up banner names who started it as the other calls them', async () => {
    const c = await couple();
    await save(c.a, { partner_nickname: '윤석' });
    await c.b.get('/account');
    expect((await c.b.post('/couple/breakup', { password: 'violet-Harbor-42' })).status).toBe(303);
    const banner = Client.visible((await c.a.get('/chat')).text);
    expect(banner).toContain('윤석 님이 이별을 신청했어요');
    await c.a.post('/couple/breakup/cancel');
  });

  it('a blank nickname is none (the login ID shows); one too long is refused with the input kept', async () => {
    const c = await couple();
    await save(c.a, { partner_nickname: '자기' });
    expect((await save(c.a, { partner_nickname: ' \u200b ' })).status).toBe(303);
    expect((await app.db('users').where({ id: c.aId }).first('partner_nickname')).partner_nickname).toBeNull();
    const long = '가'.repeat(21);
    const res = await save(c.a, { partner_nickname: long, birthday: '1999-01-02' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'partner_nickname')).toBe('이름은 20자까지 적을 수 있어요.');
    expect(inputValue(res.text, 'partner_nickname')).toBe(long);
    expect(inputValue(res.text, 'birthday')).toBe('1999-01-02');
    expect((await app.db('users').where({ id: c.aId }).first('birthday')).birthday).toBeNull();
  });

  it.each([
    ['2023-02-30', '날짜를 YYYY-MM-DD 형식의 실제 날짜로 적어 주세요.'],
    ['yesterday', '날짜를 YYYY-MM-DD 형식의 실제 날짜로 적어 주세요.'],
    ['1899-12-31', '1900년 이후의 날짜를 적어 주세요.'],
  ])('a bad date (%s) is a 422 next to its field, the input kept', async (bad, message) => {
    const c = await couple();
    for (const name of ['started_on', 'birthday']) {
      const res = await save(c.a, { [name]: bad });
      expect(res.status).toBe(422);
      expect(fieldError(res.text, name)).toBe(message);
      expect(inputValue(res.text, name)).toBe(bad);
    }
  });

  it('사귄 날 in the future is refused; htmx gets the form back in place', async () => {
    const c = await couple();
    await c.a.get('/couple');
    const res = await c.a.post('/couple/profile', { partner_nickname: '', started_on: addDays(today(), 1), birthday: '' }, HX);
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/^<section id="couple-profile"/);
    expect(fieldError(res.text, 'started_on')).toBe('오늘 이후의 날짜는 적을 수 없어요.');
    const ok = await c.a.post('/couple/profile', { partner_nickname: '', started_on: today(), birthday: '' }, HX);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('프로필을 저장했어요.');
  });

  it('days together, the chat header and the calendar’s anniversaries count from 사귄 날', async () => {
    const c = await couple();
    const started = addDays(today(), -99); // today is the 100th day
    expect((await save(c.a, { started_on: started })).status).toBe(303);
    expect(Client.visible((await c.b.get('/couple')).text)).toContain('함께한 지 100일');
    expect(Client.visible((await c.b.get('/chat')).text)).toContain('100일째');
    const cal = Client.visible((await c.b.get(`/calendar?month=${today().slice(0, 7)}`)).text);
    expect(cal).toContain('함께한 지 100일');
    expect(cal).toContain('100일');
  });

  it('the calendar shows both partners’ birthdays every year, under the name each is called', async () => {
    const c = await couple();
    await save(c.a, { partner_nickname: '곰돌이', birthday: '1995-03-14' });
    await save(c.b, { birthday: '1996-07-01' });
    const thisYear = today().slice(0, 4);
    const march = Client.visible((await c.a.get(`/calendar?month=${thisYear}-03`)).text);
    expect(march).toContain(`${c.aLogin} 생일`); // b gave a no name: a's own login ID
    const july = Client.visible((await c.a.get(`/calendar?month=${Number(thisYear) + 1}-07`)).text);
    expect(july).toContain('곰돌이 생일');
  });

  it('a partner’s open chat hears of the change: the header with the new name', async () => {
    const c = await couple();
    const s = await stream(c.b);
    await save(c.b, { partner_nickname: '내사랑' });
    const event = await s.waitFor((e) => e.event === 'profile');
    expect(event.data).toMatch(/<h1 id="chat-title" hx-disable hx-swap-oob="true"/);
    expect(event.data).toContain('내사랑 님과의 대화');
  });

  it('a photo is stored upright and small, with no EXIF or location, and shows on the page and in the chat header', async () => {
    const c = await couple();
    await c.a.get('/couple');
    const res = await postPhoto(c.a, [{ name: 'photo', filename: 'me.jpg', type: 'image/jpeg', data: await locatedJpeg(800, 400) }]);
    expect(res.status).toBe(303);
    const row = await app.db('couples').where({ id: c.coupleId }).first('photo_file_id');
    const id = Number(row.photo_file_id);
    expect(id).toBeGreaterThan(0);
    expect((await c.b.get('/couple')).text).toContain(`src="/files/${id}"`);
    expect((await c.b.get('/chat')).text).toContain(`src="/files/${id}"`);
    const got = await fetchFile(c.b, `/files/${id}`);
    expect(got.status).toBe(200);
    const meta = await sharp(got.body).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 240, 480]); // turned upright, 480 px at most
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(got.body.toString('latin1')).not.toMatch(/GPS|TestCam/);
    // another photo replaces it; the first is gone
    await postPhoto(c.a, [{ name: 'photo', filename: 'two.jpg', type: 'image/jpeg', data: await locatedJpeg(80, 40) }]);
    expect((await fetchFile(c.b, `/files/${id}`)).status).toBe(404);
    // another couple cannot see it
    const other = await couple();
    expect((await fetchFile(other.a, `/files/${Number((await app.db('couples').where({ id: c.coupleId }).first('photo_file_id')).photo_file_id)}`)).status).toBe(404);
  });

  it('a file that is not an image is a 422; none is a 422; too large is a 413', async () => {
    const c = await couple();
    await c.a.get('/couple');
    expect((await postPhoto(c.a, [{ name: 'photo', filename: 'x.svg', type: 'image/svg+xml', data: svg }])).status).toBe(422);
    expect((await postPhoto(c.a, [{ name: 'photo', filename: 'x.txt', type: 'text/plain', data: Buffer.from('hello') }])).status).toBe(422);
    expect((await postPhoto(c.a, [{ name: 'other', value: 'x' }])).status).toBe(422);
    const big = Buffer.alloc(1024 * 1024 + 10, 1);
    expect((await postPhoto(c.a, [{ name: 'photo', filename: 'big.jpg', type: 'image/jpeg', data: big }])).status).toBe(413);
    expect((await app.db('couples').where({ id: c.coupleId }).first('photo_file_id')).photo_file_id).toBeNull();
  });

  it('a change is to the sender’s own couple only: another couple’s profile is untouched', async () => {
    const c = await couple();
    const other = await couple();
    await save(other.a, { partner_nickname: '남의것', started_on: '2020-01-01' });
    expect((await app.db('couples').where({ id: c.coupleId }).first('started_on')).started_on).toBeNull();
    expect((await app.db('users').where({ id: c.aId }).first('partner_nickname')).partner_nickname).toBeNull();
  });
});

describe.each(backends())('a day of the couple’s own as the D-day on $name', (backend) => {
  const { app, couple } = httpSuite(backend, { tag: 'mark' });
  const ddayIn = (html: string) => Client.visible(/<p id="dday" class="dday"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? 'no #dday').trim();

  it('the profile offers the coming birthdays and anniversaries; one becomes the D-day, shown in the chat', async () => {
    const c = await couple();
    const soon = addDays(today(), 3);
    await c.a.get('/couple');
    await c.a.post('/couple/profile', { partner_nickname: '', started_on: '', birthday: `1997${soon.slice(4)}` });
    const page = await c.b.get('/couple');
    expect(page.text).toContain(`name="date" value="${soon}"`);
    expect(page.text).toContain(`name="date" value="${addDays(today(), 99)}"`); // 100일 from the pairing day
    const res = await c.b.post('/calendar/dday/mark', { date: soon });
    expect(res.status).toBe(303);
    expect(ddayIn((await c.a.get('/chat')).text)).toBe(`D-3 ${c.aLogin} 생일`);
    // again: the same plan stays the D-day, none added
    await c.b.post('/calendar/dday/mark', { date: soon });
    expect(await app.db('calendar_events').where({ couple_id: c.coupleId }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });

  it('a day that is none of the couple’s is a 422, and so is another couple’s birthday or a bad date', async () => {
    const c = await couple();
    const other = await couple();
    await other.a.get('/couple');
    await other.a.post('/couple/profile', { partner_nickname: '', started_on: '', birthday: `1997${addDays(today(), 5).slice(4)}` });
    await c.a.get('/couple');
    for (const date of [addDays(today(), 5), addDays(today(), 4), '2026-02-30', 'x']) {
      expect((await c.a.post('/calendar/dday/mark', { date })).status).toBe(422);
    }
    expect(await app.db('calendar_events').where({ couple_id: c.coupleId }).count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });
});
