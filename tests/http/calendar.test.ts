// The shared calendar over plain HTTP: the month view, adding and deleting plans, the D-day, isolation, live updates.
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/calendar/dates';
import { dayOf } from '../../src/time';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { Client, signUp } from '../support/client';
import { HX, renderedEventId } from '../support/chatHttp';
import { suiteStreams } from '../support/sse';
import { testClock } from '../support/clock';

const SEOUL = 'Asia/Seoul'; // the test app's APP_TIMEZONE
const today = () => dayOf(testClock.now(), SEOUL);
const monthPath = (date: string) => `/calendar?month=${date.slice(0, 7)}`;

/** The `<ul>` of one day's plans in a page or an event, or '' when the day is not there. */
function dayList(html: string, date: string): string {
  const start = html.indexOf(`<ul class="cal-plans" id="day-${date}"`);
  return start === -1 ? '' : html.slice(start, html.indexOf('</ul>', start) + 5);
}

const titlesIn = (list: string) => [...list.matchAll(/<summary><span class="cal-title" hx-disable>([^<]*)/g)].map((m) => m[1]);
const planIdsIn = (list: string) => [...list.matchAll(/action="\/calendar\/events\/(\d+)\/delete"/g)].map((m) => Number(m[1]));
const ddayIn = (html: string) => Client.visible(/<p id="dday" class="dday"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? 'no #dday').trim();
const fieldError = (html: string, name: string) => new RegExp(`<p class="field-error" id="${name}-error">([^<]*)</p>`).exec(html)?.[1] ?? '';
const inputValue = (html: string, name: string) => new RegExp(`<input id="${name}" name="${name}"[^>]* value="([^"]*)"`).exec(html)?.[1];

describe.each(backends())('calendar on $name', (backend) => {
  const { app, couple } = httpSuite(backend, { tag: 'cal' });
  const { stream } = suiteStreams();
  const add = (client: Client, date: string, title: string, headers: Record<string, string> = {}) =>
    client.post('/calendar/events', { date, title }, headers);
  /** Adds a plan and returns its id. */
  async function plan(client: Client, date: string, title: string): Promise<number> {
    const res = await add(client, date, title);
    if (res.status !== 303) throw new Error(`add failed: ${res.status}`);
    const ids = planIdsIn(dayList((await client.get(monthPath(date))).text, date));
    return Math.max(...ids);
  }
  const rowsOf = (coupleId: number) => app.db('calendar_events').where({ couple_id: coupleId }).whereNull('deleted_at').orderBy('id').select('id', 'date', 'title', 'dday');

  describe('who may see it', () => {
    it('sends a visitor to log-in (htmx: 401 with HX-Redirect) and a single user to pairing', async () => {
      const visitor = new Client(app.url);
      const page = await visitor.get('/calendar');
      expect(page.status).toBe(303);
      expect(page.location).toBe('/login');
      await visitor.get('/login');
      const post = await visitor.post('/calendar/events', { date: today(), title: '몰래' });
      expect(post.status).toBe(303);
      expect(post.location).toBe('/login');
      for (const path of ['/calendar/events/1/delete', '/calendar/events/1/dday', '/calendar/dday/clear']) {
        expect((await visitor.post(path)).location).toBe('/login');
      }
      const hx = await visitor.get('/calendar', HX);
      expect(hx.status).toBe(401);
      expect(hx.headers.get('hx-redirect')).toBe('/login');
      const single = await signUp(app.url, `calsolo_${Date.now() % 100000}`);
      const res = await single.get('/calendar');
      expect(res.status).toBe(303);
      expect(res.location).toBe('/pair');
      expect((await single.get('/pair')).text).not.toContain('href="/calendar"');
    });
  });

  describe('the month view', () => {
    it('shows this month in the user’s zone as an accessible table, Sunday first, today marked', async () => {
      const { a } = await couple();
      const res = await a.get('/calendar');
      expect(res.status).toBe(200);
      const [year, month] = today().split('-').map(Number);
      expect(res.text).toContain(`<h1 id="cal-title">${year}년 ${month}월</h1>`);
      expect(res.text).toContain('<table class="cal-grid" aria-labelledby="cal-title">');
      const headers = [...res.text.matchAll(/<th scope="col"><span aria-hidden="true">(.)<\/span><span class="sr-only">([^<]+)<\/span><\/th>/g)];
      expect(headers.map((h) => h[1])).toEqual(['일', '월', '화', '수', '목', '금', '토']);
      expect(headers[0][2]).toBe('일요일');
      const current = /<td class="cal-day[^"]*" aria-current="date">\s*<time class="cal-date" datetime="([\d-]+)">/.exec(res.text);
      expect(current?.[1]).toBe(today());
      expect(res.text.match(/aria-current="date"/g)).toHaveLength(1);
      expect(res.text).toMatch(/<td class="cal-day is-other">/); // a day of another month, dimmed
      expect(res.text).toMatch(/<a class="tab" href="\/calendar" aria-current="page">(?:(?!<\/a>)[\s\S])*<span>달력<\/span><\/a>/); // in the top bar
      expect(res.text).toContain(`sse-connect="/chat/stream?lastEventId=${renderedEventId(res.text)}"`);
      expect(res.text).toContain('sse-swap="calendar,breakup" hx-swap="none"');
      expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)/); // no inline script
      expect(res.text).not.toMatch(/\sstyle=/);
    });

    it('starts the week on Monday when the user’s setting says so', async () => {
      const { a } = await couple();
      await a.get('/account');
      const saved = await a.post('/account/settings', { language: 'ko', week_start: '1', time_zone: '' });
      expect(saved.status).toBe(303);
      const res = await a.get('/calendar?month=2026-05');
      const headers = [...res.text.matchAll(/<th scope="col"><span aria-hidden="true">(.)<\/span>/g)].map((h) => h[1]);
      expect(headers).toEqual(['월', '화', '수', '목', '금', '토', '일']);
      const firstDay = /<tbody>\s*<tr>\s*<td[^>]*>\s*<time class="cal-date" datetime="([\d-]+)"/.exec(res.text)?.[1];
      expect(firstDay).toBe('2026-04-27');
    });

    it.each([
      ['a 13th month', '2024-13'],
      ['letters', 'abc'],
      ['year zero', '0000-01'],
      ['a very long value', '2'.repeat(4000)],
      ['a day', '2024-05-01'],
      ['an empty value', ''],
    ])('shows this month for a bad month (%s), never an error', async (_name, month) => {
      const { a } = await couple();
      const res = await a.get(`/calendar?month=${encodeURIComponent(month)}`);
      expect(res.status).toBe(200);
      const [year, m] = today().split('-').map(Number);
      expect(res.text).toContain(`<h1 id="cal-title">${year}년 ${m}월</h1>`);
    });

    it('shows this month for a repeated month parameter too', async () => {
      const { a } = await couple();
      const res = await a.get('/calendar?month=2024-01&month=2024-02');
      expect(res.status).toBe(200);
      expect(res.text).toContain(`datetime="${today()}"`);
    });

    it('links to the previous and next month and year, and back to today', async () => {
      const { a } = await couple();
      const res = await a.get('/calendar?month=2026-01');
      expect(res.text).toContain('<h1 id="cal-title">2026년 1월</h1>');
      for (const [month, label] of [['2025-01', '이전 해'], ['2025-12', '이전 달'], ['2026-02', '다음 달'], ['2027-01', '다음 해']]) {
        expect(res.text).toContain(`href="/calendar?month=${month}" title="${label}"`);
      }
      expect(res.text).toContain('href="/calendar">오늘</a>');
      const next = await a.get('/calendar?month=2026-12');
      expect(next.text).toContain('href="/calendar?month=2027-01" title="다음 달"');
      const first = await a.get('/calendar?month=1900-01');
      expect(first.text).not.toContain('title="이전 달"');
      expect(first.text).toContain('href="/calendar?month=1900-02"');
    });

    it('shows the days together, the pairing day being day 1, and marks 100일 and 1주년', async () => {
      const { a, coupleId } = await couple();
      expect(Client.visible((await a.get('/calendar')).text)).toContain('함께한 지 1일');
      // paired 99 days ago at noon in Seoul: today is the 100th day
      const start = addDays(today(), -99);
      await app.db('couples').where({ id: coupleId }).update({ started_at: Date.parse(`${start}T12:00:00+09:00`) });
      const res = await a.get('/calendar');
      expect(Client.visible(res.text)).toContain('함께한 지 100일');
      expect(res.text).toMatch(new RegExp(`datetime="${today()}">\\d+</time>\\s*<span class="cal-anniversary">100일</span>`));
      const yearLater = `${Number(start.slice(0, 4)) + 1}${start.slice(4)}`;
      const anniversary = await a.get(monthPath(yearLater));
      expect(anniversary.text).toMatch(new RegExp(`datetime="${yearLater}">\\d+</time>\\s*<span class="cal-anniversary">1주년</span>`));
    });

    it('speaks English to an English user', async () => {
      const { a } = await couple();
      await a.get('/account');
      await a.post('/account/settings', { language: 'en', week_start: '0', time_zone: '' });
      const res = await a.get('/calendar?month=2026-05');
      expect(res.text).toContain('<h1 id="cal-title">May 2026</h1>');
      expect(res.text).toContain('<span>Calendar</span></a>'); // the top bar's tab
      expect(Client.visible(res.text)).toContain('Day 1 together');
    });
  });

  describe('adding plans', () => {
    it('adds several plans on one day, in order, for both partners, back to that month', async () => {
      const { a, b, coupleId } = await couple();
      const date = '2026-07-04';
      for (const title of ['데이트', '생일', '알바']) {
        const res = await add(a, date, title);
        expect(res.status).toBe(303);
        expect(res.location).toBe('/calendar?month=2026-07');
      }
      for (const client of [a, b]) {
        const page = await client.get('/calendar?month=2026-07');
        expect(titlesIn(dayList(page.text, date))).toEqual(['데이트', '생일', '알바']);
        // the notice is for the one who added, on the page after the redirect
        expect(Client.visible(page.text).includes('일정을 추가했어요.')).toBe(client === a);
      }
      expect((await rowsOf(coupleId)).map((r) => r.title)).toEqual(['데이트', '생일', '알바']);
    });

    it('adds a plan in another month and goes to that month; the plan shows dimmed around the months next to it', async () => {
      const { a } = await couple();
      const res = await add(a, '2026-08-01', '여행');
      expect(res.location).toBe('/calendar?month=2026-08');
      const july = await a.get('/calendar?month=2026-07'); // 1 Aug 2026 is in July's last row
      expect(titlesIn(dayList(july.text, '2026-08-01'))).toEqual(['여행']);
      expect(july.text).toMatch(/<td class="cal-day is-other">\s*<time class="cal-date" datetime="2026-08-01">/);
    });

    it('answers htmx with the month’s calendar in place and its address', async () => {
      const { a } = await couple();
      const res = await add(a, '2026-09-10', '수강신청', HX);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('<html');
      expect(res.text).toMatch(/^<section id="calendar"/);
      expect(res.headers.get('hx-push-url')).toBe('/calendar?month=2026-09');
      expect(titlesIn(dayList(res.text, '2026-09-10'))).toEqual(['수강신청']);
      expect(res.text).toContain('일정을 추가했어요.');
    });

    it('stores a title as text, trimmed, up to 100 characters counted as characters', async () => {
      const { a, b, coupleId } = await couple();
      await plan(a, '2026-10-01', '  <b>생일</b> & 파티  ');
      await plan(a, '2026-10-01', '🎂'.repeat(100));
      const list = dayList((await b.get('/calendar?month=2026-10')).text, '2026-10-01');
      expect(list).toContain('&lt;b&gt;생일&lt;/b&gt; &amp; 파티');
      expect(list).not.toContain('<b>');
      expect((await rowsOf(coupleId)).map((r) => r.title)).toEqual(['<b>생일</b> & 파티', '🎂'.repeat(100)]);
    });

    it.each([
      ['a blank title', '2026-07-04', '   ', 'title', '일정 이름을 입력해 주세요.'],
      ['a title of invisible characters', '2026-07-04', '\u200b\u3164\ufe0f', 'title', '일정 이름을 입력해 주세요.'],
      ['a title of 101 characters', '2026-07-04', '가'.repeat(101), 'title', '일정 이름은 100자까지 쓸 수 있어요.'],
      ['a date that does not exist', '2024-02-30', '생일', 'date', '올바른 날짜를 입력해 주세요.'],
      ['a malformed date', '7/4/2026', '생일', 'date', '올바른 날짜를 입력해 주세요.'],
      ['no date', '', '생일', 'date', '날짜를 골라 주세요.'],
    ])('refuses %s with 422, the error next to its field and the input kept', async (_name, date, title, fieldName, message) => {
      const { a, coupleId } = await couple();
      await a.get('/calendar?month=2026-03');
      const res = await a.post('/calendar/events', { date, title, month: '2026-03' });
      expect(res.status).toBe(422);
      expect(fieldError(res.text, fieldName)).toBe(message);
      expect(res.text).toMatch(new RegExp(`<input id="${fieldName}"[^>]*aria-invalid="true" aria-describedby="${fieldName}-error"`));
      expect(inputValue(res.text, 'date')).toBe(date);
      expect(inputValue(res.text, 'title')).toBe(title);
      // a good date shows its month; a bad one the month the form was sent from
      expect(res.text).toContain(fieldName === 'date' ? '<h1 id="cal-title">2026년 3월</h1>' : '<h1 id="cal-title">2026년 7월</h1>');
      const hx = await a.post('/calendar/events', { date, title }, HX);
      expect(hx.status).toBe(422);
      expect(hx.text).toMatch(/^<section id="calendar"/);
      expect(fieldError(hx.text, fieldName)).toBe(message);
      expect(await rowsOf(coupleId)).toEqual([]);
    });
  });

  describe('deleting plans', () => {
    it('deletes one plan of a day, for both partners; a second delete is a 404', async () => {
      const { a, b, coupleId } = await couple();
      const keep = await plan(a, '2026-11-11', '빼빼로');
      const gone = await plan(b, '2026-11-11', '알바');
      const res = await a.post(`/calendar/events/${gone}/delete`);
      expect(res.status).toBe(303);
      expect(res.location).toBe('/calendar?month=2026-11');
      const page = await b.get('/calendar?month=2026-11');
      expect(titlesIn(dayList(page.text, '2026-11-11'))).toEqual(['빼빼로']);
      const after = await a.get('/calendar?month=2026-11');
      expect(Client.visible(after.text)).toContain('삭제했어요 · 되돌리기');
      expect(after.text).toContain(`action="/calendar/events/${gone}/restore"`);
      expect((await rowsOf(coupleId)).map((r) => Number(r.id))).toEqual([keep]);
      expect((await a.post(`/calendar/events/${gone}/delete`)).status).toBe(404);
    });

    it('brings a deleted plan back with 되돌리기: same day, title and D-day, for both partners; again changes nothing', async () => {
      const { a, b } = await couple();
      const date = addDays(today(), 12);
      const id = await plan(a, date, '제주 여행');
      const other = await plan(a, addDays(today(), 20), '시험');
      await a.post(`/calendar/events/${id}/dday`);
      await a.post(`/calendar/events/${id}/delete`);
      await a.post(`/calendar/events/${other}/dday`); // another plan became the D-day meanwhile
      expect(ddayIn((await b.get('/chat')).text)).toBe('D-20 시험');
      const res = await b.post(`/calendar/events/${id}/restore`);
      expect(res.status).toBe(303);
      expect(res.location).toBe(monthPath(date));
      const page = await a.get(monthPath(date));
      expect(titlesIn(dayList(page.text, date))).toEqual(['제주 여행']);
      expect(planIdsIn(dayList(page.text, date))).toEqual([id]);
      expect(ddayIn((await a.get('/chat')).text)).toBe('D-12 제주 여행');
      expect(Client.visible((await b.get(monthPath(date))).text)).toContain('일정을 되돌렸어요.');
      expect((await a.post(`/calendar/events/${id}/restore`)).status).toBe(303);
      expect(titlesIn(dayList((await b.get(monthPath(date))).text, date))).toEqual(['제주 여행']);
    });

    it('answers htmx with the calendar showing 되돌리기 in place, and the restore in place too', async () => {
      const { a } = await couple();
      const id = await plan(a, '2026-10-09', '한글날');
      const res = await a.post(`/calendar/events/${id}/delete`, {}, HX);
      expect(res.status).toBe(200);
      expect(Client.visible(res.text)).toContain('삭제했어요 · 되돌리기');
      expect(res.text).toContain(`hx-post="/calendar/events/${id}/restore" hx-target="#calendar" hx-swap="outerHTML"`);
      const back = await a.post(`/calendar/events/${id}/restore`, {}, HX);
      expect(back.status).toBe(200);
      expect(back.text).toMatch(/^<section id="calendar"/);
      expect(titlesIn(dayList(back.text, '2026-10-09'))).toEqual(['한글날']);
    });

    it('answers htmx with the month’s calendar', async () => {
      const { a } = await couple();
      const id = await plan(a, '2026-12-24', '크리스마스 이브');
      const res = await a.post(`/calendar/events/${id}/delete`, {}, HX);
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/^<section id="calendar"/);
      expect(dayList(res.text, '2026-12-24')).toMatch(/^<ul class="cal-plans" id="day-2026-12-24">\s*<\/ul>$/);
    });
  });

  describe('the D-day', () => {
    it('counts down in the chat header and on the calendar, is replaced by another, and can be cleared', async () => {
      const { a, b, coupleId } = await couple();
      const birthday = await plan(a, addDays(today(), 3), '생일');
      const trip = await plan(a, today(), '여행');
      const exam = await plan(b, addDays(today(), -2), '시험');
      expect(ddayIn((await a.get('/chat')).text)).toBe('');

      const set = await a.post(`/calendar/events/${birthday}/dday`);
      expect(set.status).toBe(303);
      expect(set.location).toBe(monthPath(addDays(today(), 3)));
      for (const client of [a, b]) {
        expect(ddayIn((await client.get('/chat')).text)).toBe('D-3 생일');
        expect(ddayIn((await client.get('/calendar')).text)).toBe('D-3 생일');
      }
      const chat = await b.get('/chat');
      expect(chat.text).toMatch(/<header class="chat-header">[\s\S]*<p id="dday" class="dday"><a href="\/calendar\?month=[\d-]+#day-[\d-]+" hx-disable>D-3 생일<\/a><\/p>[\s\S]*<\/header>/);
      expect(chat.text).toMatch(/sse-swap="[^"]*\bcalendar\b[^"]*"/);

      await b.post(`/calendar/events/${trip}/dday`);
      expect(ddayIn((await a.get('/chat')).text)).toBe('D-Day 여행');
      await a.post(`/calendar/events/${exam}/dday`);
      expect(ddayIn((await a.get('/chat')).text)).toBe('D+2 시험');
      const marked = (await rowsOf(coupleId)).filter((r) => Boolean(Number(r.dday)));
      expect(marked.map((r) => Number(r.id))).toEqual([exam]);
      const list = dayList((await a.get(monthPath(addDays(today(), -2)))).text, addDays(today(), -2));
      expect(list).toContain('<li class="cal-plan is-dday">');
      expect(list).toContain('action="/calendar/dday/clear"');

      const cleared = await a.post('/calendar/dday/clear');
      expect(cleared.status).toBe(303);
      expect(cleared.location).toBe(monthPath(addDays(today(), -2)));
      for (const client of [a, b]) expect(ddayIn((await client.get('/chat')).text)).toBe('');
      expect((await b.get('/chat')).text).toContain('<p id="dday" class="dday"></p>');
      expect((await rowsOf(coupleId)).every((r) => !Number(r.dday))).toBe(true);
      const again = await a.post('/calendar/dday/clear');
      expect(again.status).toBe(303);
      expect(again.location).toBe(monthPath(today()));
    });

    it('counts by the date in each viewer’s own zone', async () => {
      const { a, b } = await couple();
      await b.get('/account');
      await b.post('/account/settings', { language: 'ko', week_start: '0', time_zone: 'Pacific/Honolulu' });
      const id = await plan(a, addDays(today(), 1), '기념일');
      await a.post(`/calendar/events/${id}/dday`);
      const inHonolulu = dayOf(testClock.now(), 'Pacific/Honolulu'); // Seoul's date or the day before it
      const expected = inHonolulu === today() ? 'D-1 기념일' : 'D-2 기념일';
      expect(ddayIn((await a.get('/chat')).text)).toBe('D-1 기념일');
      expect(ddayIn((await b.get('/chat')).text)).toBe(expected);
    });

    it('goes with its plan when the plan is deleted', async () => {
      const { a } = await couple();
      const id = await plan(a, addDays(today(), 10), '콘서트');
      await a.post(`/calendar/events/${id}/dday`);
      expect(ddayIn((await a.get('/chat')).text)).toBe('D-10 콘서트');
      await a.post(`/calendar/events/${id}/delete`);
      expect(ddayIn((await a.get('/chat')).text)).toBe('');
    });
  });

  describe('between couples', () => {
    it('answers 404 for another couple’s plan, a missing one or a non-numeric id, and changes nothing', async () => {
      const one = await couple('cal1');
      const two = await couple('cal2');
      const theirs = await plan(one.a, '2026-06-06', '현충일 나들이');
      const before = await rowsOf(one.coupleId);
      for (const path of [`/calendar/events/${theirs}/delete`, `/calendar/events/${theirs}/dday`, `/calendar/events/${theirs}/restore`]) {
        expect((await two.a.post(path)).status).toBe(404);
        expect((await two.b.post(path, {}, HX)).status).toBe(404);
      }
      for (const id of ['abc', '0', '-1', '99999999', '1.5', '9'.repeat(30)]) {
        expect((await two.a.post(`/calendar/events/${id}/delete`)).status).toBe(404);
        expect((await two.a.post(`/calendar/events/${id}/dday`)).status).toBe(404);
        expect((await two.a.post(`/calendar/events/${id}/restore`)).status).toBe(404);
      }
      // deleted by its couple, still not the other couple's to bring back
      await one.a.post(`/calendar/events/${theirs}/delete`);
      expect((await two.a.post(`/calendar/events/${theirs}/restore`)).status).toBe(404);
      await one.a.post(`/calendar/events/${theirs}/restore`);
      expect((await two.a.post('/calendar/dday/clear')).status).toBe(303);
      expect(await rowsOf(one.coupleId)).toEqual(before);
      expect(titlesIn(dayList((await two.a.get('/calendar?month=2026-06')).text, '2026-06-06'))).toEqual([]);
      expect(titlesIn(dayList((await one.b.get('/calendar?month=2026-06')).text, '2026-06-06'))).toEqual(['현충일 나들이']);
    });

    it('keeps one couple’s D-day from the other', async () => {
      const one = await couple('cal3');
      const two = await couple('cal4');
      const id = await plan(one.a, addDays(today(), 5), '발표');
      await one.a.post(`/calendar/events/${id}/dday`);
      expect(ddayIn((await two.a.get('/chat')).text)).toBe('');
      expect(ddayIn((await one.b.get('/chat')).text)).toBe('D-5 발표');
    });
  });

  describe('live', () => {
    it('sends the partner the changed day and the D-day label, the same HTML for both partners', async () => {
      const { a, b, coupleId } = await couple();
      const streamA = await stream(a);
      const streamB = await stream(b);
      const date = addDays(today(), 7);
      const added = await add(a, date, '첫 데이트');
      expect(added.status).toBe(303);

      const event = await streamB.waitFor((e) => e.event === 'calendar');
      expect(event.data).toContain(`<ul class="cal-plans" id="day-${date}" data-oob-optional hx-swap-oob="true">`);
      expect(titlesIn(dayList(event.data, date))).toEqual(['첫 데이트']);
      expect(event.data).toContain('<p id="dday" class="dday" hx-swap-oob="true"></p>');
      expect(event.data).not.toContain('_csrf');
      const mine = await streamA.waitFor((e) => e.id === event.id);
      expect(mine.data).toBe(event.data);
      const logged = await app.db('events').where({ couple_id: coupleId, seq: Number(event.id) }).first('type', 'payload');
      expect(logged.type).toBe('calendar');
      expect(JSON.parse(logged.payload)).toEqual({ date });

      const [id] = planIdsIn(dayList(event.data, date));
      await b.post(`/calendar/events/${id}/dday`);
      const dday = await streamA.waitFor((e) => e.event === 'calendar' && e.data.includes('D-7 첫 데이트'));
      expect(dday.data).toContain('<li class="cal-plan is-dday">');
      expect(ddayIn(dday.data)).toBe('D-7 첫 데이트');

      await a.post(`/calendar/events/${id}/delete`);
      const deleted = await streamB.waitFor((e) => e.event === 'calendar' && Number(e.id) > Number(dday.id));
      expect(titlesIn(dayList(deleted.data, date))).toEqual([]);
      expect(ddayIn(deleted.data)).toBe('');

      await a.post(`/calendar/events/${id}/restore`);
      const restored = await streamB.waitFor((e) => e.event === 'calendar' && Number(e.id) > Number(deleted.id));
      expect(titlesIn(dayList(restored.data, date))).toEqual(['첫 데이트']);
      expect(ddayIn(restored.data)).toBe('D-7 첫 데이트');
    });

    it('redraws the day the D-day left when another plan takes it', async () => {
      const { a, b } = await couple();
      const first = await plan(a, '2026-02-14', '발렌타인');
      const second = await plan(a, '2026-03-14', '화이트데이');
      await a.post(`/calendar/events/${first}/dday`);
      const s = await stream(b);
      await a.post(`/calendar/events/${second}/dday`);
      const events = await s.waitForCount((e) => e.event === 'calendar', 2);
      const left = events.find((e) => e.data.includes('id="day-2026-02-14"'))!;
      expect(left.data).not.toContain('is-dday');
      const taken = events.find((e) => e.data.includes('id="day-2026-03-14"'))!;
      expect(taken.data).toContain('<li class="cal-plan is-dday">');
    });
  });
});
