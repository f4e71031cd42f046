// The weekly word ranking (GET /rank) over HTTP: my words and my partner's side by side with
// their counts, the rolling week in the viewer's zone, counts kept up to date on send and on
// delete, what is and is not a word, and the couple's excluded words (POST /rank/excluded,
// POST /rank/excluded/delete).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '../support/clock';
import { questionBank, triggeredQuestions, type Bank } from '../../src/questions/bank';
import { backends } from '../support/backends';
import { Client, signUp, type Fields, type Reply } from '../support/client';
import { HX, newClientId, send, sendHx, type Couple } from '../support/chatHttp';
import { httpSuite } from '../support/httpSuite';
import { filePart, upload } from '../support/uploads';

type Ranked = Array<[word: string, count: number]>;

interface RankPage {
  mine: Ranked;
  theirs: Ranked;
  excluded: string[];
  html: string;
}

const NONE = '최근 7일 동안 쓴 단어가 없어요.';
const NONE_EXCLUDED = '제외한 단어가 없어요.';
const INVALID = '띄어쓰기 없는 한 단어를 입력해 주세요.';
const DAY = 86_400_000;

const unescape = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** The HTML from an opening tag's marker to the first `</section>` after it. */
function section(html: string, marker: string): string {
  const start = html.indexOf(marker);
  if (start === -1) throw new Error(`no ${marker} on the page: ${Client.visible(html).slice(0, 300)}`);
  return html.slice(start, html.indexOf('</section>', start));
}

/** A column as the user reads it: word and count, top to bottom. */
function column(html: string, who: 'mine' | 'theirs'): Ranked {
  const part = section(html, `<section class="rank-column ${who}"`);
  return [...part.matchAll(/<span class="rank-word"[^>]*>([^<]*)<\/span>\s*<span class="rank-count">([^<]*)<\/span>/g)].map((m) => {
    const count = /^(\d+)번$/.exec(m[2].trim());
    if (!count) throw new Error(`a count that does not read “N번”: ${m[2]}`);
    return [unescape(m[1]), Number(count[1])];
  });
}

/** The excluded words listed, each checked to come with its restore button. */
function excludedList(html: string): string[] {
  const part = section(html, '<section class="rank-excluded"');
  const list = /<ul class="excluded-list">([\s\S]*?)<\/ul>/.exec(part)?.[1] ?? '';
  return list
    .split('<li>')
    .slice(1)
    .map((item) => {
      const word = unescape(/<span[^>]*>([^<]*)<\/span>/.exec(item)?.[1] ?? '');
      const form = /<form method="post" action="\/rank\/excluded\/delete"[^>]*>([\s\S]*?)<\/form>/.exec(item)?.[1] ?? '';
      expect(unescape(/<input type="hidden" name="word" value="([^"]*)">/.exec(form)?.[1] ?? '<none>'), `the restore button of ${word}`).toBe(word);
      expect(Client.visible(form)).toContain('복구');
      return word;
    });
}

const parse = (html: string): RankPage => ({ mine: column(html, 'mine'), theirs: column(html, 'theirs'), excluded: excludedList(html), html });

/** The fields of a word's own exclude button in a column, as the page would post them. */
function excludeButton(html: string, who: 'mine' | 'theirs', word: string): Fields {
  const part = section(html, `<section class="rank-column ${who}"`);
  for (const m of part.matchAll(/<form method="post" action="\/rank\/excluded" class="inline">([\s\S]*?)<\/form>/g)) {
    const fields = Object.fromEntries([...m[1].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((f) => [f[1], unescape(f[2])]));
    if (fields.word === word) return { n: fields.n, word: fields.word };
  }
  throw new Error(`no exclude button for ${word} in ${who}`);
}

/** What the exclusion form's text box holds after a refused submit. */
const typedWord = (html: string) => unescape(/<input id="exclude-word" name="word" value="([^"]*)"/.exec(html)?.[1] ?? '<no input>');

/** Instants as "YYYY-MM-DDTHH:MM:SS" in Seoul (UTC+9, no daylight saving). */
const seoul = (local: string) => Date.parse(`${local}+09:00`);

describe.each(backends())('the weekly word ranking on $name', (backend) => {
  const { app, couple } = httpSuite(backend, { tag: 'rank' });
  let bank: Bank;
  beforeAll(async () => {
    bank = await questionBank(app.db);
  });

  afterEach(() => testClock.reset());

  /** Runs `step` with the app's clock standing at `ms`. */
  const at = <T>(ms: number, step: () => Promise<T>): Promise<T> => testClock.at(ms, step);

  /** Sends a chat message that asks no question (a question would block the next sends). */
  async function say(client: Client, text: string, clientId = newClientId()): Promise<number> {
    const asked = triggeredQuestions(text, bank);
    if (asked.length) throw new Error(`test text ${JSON.stringify(text)} would ask a question (${asked.map((q) => q.word).join(', ')})`);
    return send(client, text, clientId);
  }

  const sayAt = (ms: number, client: Client, text: string) => at(ms, () => say(client, text));

  async function rankReply(client: Client, query = '', headers: Record<string, string> = {}): Promise<Reply> {
    const res = await client.get(`/rank${query}`, headers);
    expect(res.status, `GET /rank${query}`).toBe(200);
    return res;
  }

  const rank = async (client: Client, query = '', headers: Record<string, string> = {}): Promise<RankPage> =>
    parse((await rankReply(client, query, headers)).text);

  const rankAt = (ms: number, client: Client, query = '') => at(ms, () => rank(client, query));

  async function setZone(client: Client, timeZone: string) {
    await client.get('/account');
    const res = await client.post('/account/settings', { language: 'ko', week_start: '0', time_zone: timeZone });
    expect(res.status).toBe(303);
  }

  const deleteMessage = async (client: Client, id: number) => expect((await client.post(`/chat/messages/${id}/delete`)).status).toBe(303);

  const exclusionRows = async (coupleId: number) =>
    (await app.db('rank_exclusions').where({ couple_id: coupleId }).orderBy('word').pluck('word')).map(String);

  describe('me and my partner side by side', () => {
    it('shows my words and my partner’s in two columns, most used first, with their counts', async () => {
      const c = await couple();
      await say(c.a, '구름 구름 모자');
      await say(c.a, '구름 양말 모자');
      await say(c.b, '장갑 거울 장갑');
      const forA = await rank(c.a);
      expect(forA.mine).toEqual([['구름', 3], ['모자', 2], ['양말', 1]]);
      expect(forA.theirs).toEqual([['장갑', 2], ['거울', 1]]);
      expect(Client.visible(section(forA.html, '<section class="rank-column mine"'))).toContain('구름 3번');
      expect(forA.html).toContain(`<h2 id="rank-theirs" hx-disable>${c.bLogin}</h2>`);
      expect(forA.html).toContain('<h2 id="rank-mine" hx-disable>나</h2>');
      const forB = await rank(c.b);
      expect(forB.mine).toEqual(forA.theirs);
      expect(forB.theirs).toEqual(forA.mine);
      expect(forB.html).toContain(`<h2 id="rank-theirs" hx-disable>${c.aLogin}</h2>`);
    });

    it('says there are no words yet, in each column, for a new couple', async () => {
      const c = await couple();
      const page = await rank(c.a);
      expect(page.mine).toEqual([]);
      expect(page.theirs).toEqual([]);
      expect(page.excluded).toEqual([]);
      expect(Client.visible(section(page.html, '<section class="rank-column mine"'))).toContain(NONE);
      expect(Client.visible(section(page.html, '<section class="rank-column theirs"'))).toContain(NONE);
      expect(Client.visible(section(page.html, '<section class="rank-excluded"'))).toContain(NONE_EXCLUDED);
      await say(c.b, '구름');
      const after = await rank(c.a);
      expect(Client.visible(section(after.html, '<section class="rank-column mine"'))).toContain(NONE);
      expect(after.theirs).toEqual([['구름', 1]]);
    });

    it('breaks ties alphabetically, and the cut at n keeps that order', async () => {
      const c = await couple();
      // sent in the reverse order, so neither the order of sending nor of storing can pass for it
      await say(c.a, '다리 나무 가방');
      await say(c.a, '사과 사과 사과');
      await say(c.a, '다리 나무 가방');
      await say(c.a, 'cherry banana apple');
      await say(c.b, '바위 모래 조개 바위 모래 조개');
      expect((await rank(c.a, '?n=3')).mine).toEqual([['사과', 3], ['가방', 2], ['나무', 2]]);
      expect((await rank(c.a, '?n=5')).mine).toEqual([['사과', 3], ['가방', 2], ['나무', 2], ['다리', 2], ['apple', 1]]);
      expect((await rank(c.a, '?n=10')).mine).toEqual([
        ['사과', 3], ['가방', 2], ['나무', 2], ['다리', 2], ['apple', 1], ['banana', 1], ['cherry', 1],
      ]);
      expect((await rank(c.a, '?n=3')).theirs).toEqual([['모래', 2], ['바위', 2], ['조개', 2]]);
    });

    describe('how many: ?n=3, 5 or 10', () => {
      const WORDS = ['연필', '지우개', '공책', '필통', '의자', '책상', '창문', '시계', '거울', '가위', '구름', '단어'];
      /** word i used 12 - i times: 연필 12, 지우개 11, … 단어 1 */
      const expected = WORDS.map((w, i): [string, number] => [w, WORDS.length - i]);
      let c: Couple;
      beforeAll(async () => {
        c = await couple('rankn');
        await say(c.a, WORDS.flatMap((w, i) => Array(WORDS.length - i).fill(w)).join(' '));
        await say(c.b, [...WORDS].reverse().flatMap((w, i) => Array(WORDS.length - i).fill(w)).join(' '));
      });

      it.each([3, 5, 10])('shows %i words in each column, and marks that choice', async (n) => {
        const page = await rank(c.a, `?n=${n}`);
        expect(page.mine).toEqual(expected.slice(0, n));
        expect(page.theirs).toEqual([...WORDS].reverse().map((w, i) => [w, WORDS.length - i]).slice(0, n));
        expect(page.html).toContain(`<a class="button primary" href="/rank?n=${n}" aria-current="page">`);
        for (const other of [3, 5, 10].filter((x) => x !== n)) expect(page.html).toContain(`<a class="button" href="/rank?n=${other}">`);
        // each word's own exclude button brings me back to the same size
        expect(excludeButton(page.html, 'mine', '연필')).toEqual({ n: String(n), word: '연필' });
      });

      it.each([
        ['missing', ''],
        ['7', '?n=7'],
        ['abc', '?n=abc'],
        ['-1', '?n=-1'],
        ['3.0', '?n=3.0'],
        ['1e1', '?n=1e1'],
        [' 3', '?n=%203'],
        ['0', '?n=0'],
        ['empty', '?n='],
        ['an array', '?n[]=3'],
        ['twice', '?n=3&n=10'],
        ['huge', `?n=${'9'.repeat(400)}`],
      ])('falls back to 5 for n %s', async (_name, query) => {
        const page = await rank(c.a, query);
        expect(page.mine).toEqual(expected.slice(0, 5));
        expect(page.theirs).toHaveLength(5);
        expect(page.html).toContain('<a class="button primary" href="/rank?n=5" aria-current="page">');
      });
    });
  });

  describe('what counts as a word', () => {
    it('takes particles off and lower-cases, so 사과를 and 사과는 are one word', async () => {
      const c = await couple();
      await say(c.a, '사과를 샀어');
      await say(c.a, '사과는 달아');
      await say(c.a, '구름을 봤어 구름이 예뻐 구름');
      await say(c.a, 'Apples apple APPLE');
      await say(c.a, '가방이랑 가방을 가방');
      await say(c.a, '모래'.normalize('NFD')); // decomposed Hangul, as some phones send it
      const mine = new Map((await rank(c.a, '?n=10')).mine);
      expect(mine.get('구름')).toBe(3);
      expect(mine.get('apple')).toBe(3);
      expect(mine.get('가방')).toBe(3);
      expect(mine.get('사과')).toBe(2);
      expect(mine.get('모래')).toBe(1);
      for (const typed of ['사과를', '사과는', '구름을', '구름이', 'apples', 'Apples', 'APPLE', '가방이랑', '가방을']) expect(mine.has(typed), typed).toBe(false);
    });

    // Same root cause as the failing cases in tests/unit/words.test.ts; here as the ranking shows it.
    it('ranks 사랑해, 원숭이랑 and 아이랑 as 사랑, 원숭이 and 아이, not as 사, 원숭 and 아', async () => {
      const c = await couple();
      await say(c.a, '사랑해 사랑해요');
      await say(c.a, '원숭이랑 원숭이');
      await say(c.a, '아이랑 아이');
      const mine = (await rank(c.a, '?n=10')).mine;
      expect(mine).toEqual([['사랑', 2], ['아이', 2], ['원숭이', 2]]);
    });

    it('never ranks ㅋㅋ, ㅠㅠ, numbers, punctuation or emoji', async () => {
      const c = await couple();
      await say(c.a, 'ㅋㅋ ㅠㅠ ㅎㅎㅎ 123 2024 4,000 3.14 !! ?? ... ~~ ^^ :) 😀 🎉 ❤️ 👍🏻 구름');
      await say(c.a, 'ㅋㅋㅋㅋㅋㅋ');
      await say(c.a, '😀😀😀');
      await say(c.a, '!!!');
      await say(c.a, '2024');
      await say(c.a, 'ㅋㅋㅋ진짜');
      expect((await rank(c.a, '?n=10')).mine).toEqual([['구름', 1], ['진짜', 1]]);
    });

    it('ranks a word of 40 letters, and sending a longer one still works', async () => {
      const c = await couple();
      const forty = '콩'.repeat(40);
      await say(c.a, `${forty} ${'나'.repeat(41)}`);
      expect((await rank(c.a)).mine).toEqual([[forty, 1]]);
    });

    it('shows a word as text, never as markup', async () => {
      const c = await couple();
      await say(c.a, "don't <b>bold</b> & <script>x</script>");
      const res = await rankReply(c.a, '?n=10');
      expect(res.text).not.toContain('<b>');
      expect(res.text).not.toContain('<script>x');
      expect(new Map(column(res.text, 'mine')).get("don't")).toBe(1);
    });

    it('counts a question’s trigger word like any word; a message held back by the question is not counted', async () => {
      const c = await couple();
      // the one message that opens the question goes through
      expect(triggeredQuestions('운동을 운동하는 운동했어', bank).length).toBeGreaterThan(0);
      await send(c.a, '운동을 운동하는 운동했어');
      expect((await rank(c.b)).theirs).toEqual([['운동', 3]]);
      // until both answer, a send is refused (409) and counts nothing
      const held = await sendHx(c.a, '구름 구름');
      expect(held.status).toBe(409);
      const questionId = /data-question="(\d+)"/.exec(held.text)?.[1];
      expect(questionId).toBeDefined();
      expect((await rank(c.a)).mine).toEqual([['운동', 3]]);
      for (const client of [c.a, c.b]) {
        await client.get('/answers');
        expect((await client.post(`/questions/${questionId}/answer`, { answer: '응 좋아해' })).status).toBe(303);
      }
      await send(c.a, '구름 운동'); // 운동 was asked about already: no new question
      expect((await rank(c.a)).mine).toEqual([['운동', 4], ['구름', 1]]);
    });
  });

  describe('the rolling week in the viewer’s zone', () => {
    // Sunday 29 November 2026, noon in Seoul: the week runs from Monday the 23rd, 00:00
    const NOW = seoul('2026-11-29T12:00:00');

    it('counts today and the six days before, not the seventh or eighth day back', async () => {
      const c = await couple();
      await sayAt(NOW - 8 * DAY, c.a, '구름 모자');
      await sayAt(NOW - 7 * DAY, c.a, '구름 양말');
      await sayAt(NOW - 6 * DAY, c.a, '모자 거울');
      await sayAt(NOW - 2 * DAY, c.a, '모자');
      await sayAt(NOW - 1000, c.a, '장갑 모자');
      await sayAt(NOW - 6 * DAY, c.b, '바위');
      await sayAt(NOW - 8 * DAY, c.b, '조개');
      const page = await rankAt(NOW, c.a, '?n=10');
      expect(page.mine).toEqual([['모자', 3], ['거울', 1], ['장갑', 1]]);
      expect(page.theirs).toEqual([['바위', 1]]);
      // a day later the oldest day has left the week
      expect((await rankAt(NOW + DAY, c.a, '?n=10')).mine).toEqual([['모자', 2], ['장갑', 1]]);
      expect((await rankAt(NOW + DAY, c.b, '?n=10')).mine).toEqual([]);
      // and after a week of silence, nothing is left
      expect((await rankAt(NOW + 7 * DAY, c.a)).mine).toEqual([]);
    });

    it('starts the week at 00:00 in Seoul six days back: a message then counts, one a second earlier does not', async () => {
      const c = await couple();
      await sayAt(seoul('2026-11-22T23:59:59'), c.a, '양말');
      await sayAt(seoul('2026-11-22T23:59:59') + 999, c.a, '장갑');
      await sayAt(seoul('2026-11-23T00:00:00'), c.a, '모자');
      expect((await rankAt(seoul('2026-11-29T00:00:00'), c.a)).mine).toEqual([['모자', 1]]);
      await sayAt(seoul('2026-11-29T23:59:59') + 999, c.a, '거울');
      expect((await rankAt(seoul('2026-11-29T23:59:59') + 999, c.a)).mine).toEqual([['거울', 1], ['모자', 1]]);
      // at midnight the week moves on by a day
      expect((await rankAt(seoul('2026-11-30T00:00:00'), c.a)).mine).toEqual([['거울', 1]]);
    });

    // 2026-11-23 09:00 UTC is 18:00 on the 23rd in Seoul but 01:00 on the 23rd in Los Angeles;
    // 2026-11-29 20:00 UTC is 05:00 on the 30th in Seoul but 12:00 on the 29th in Los Angeles.
    // So that message was 7 days ago in Seoul (out of the week) but 6 days ago in LA (in it).
    const SENT = Date.parse('2026-11-23T09:00:00Z');
    const VIEWED = Date.parse('2026-11-29T20:00:00Z');

    it('follows the zone in the account settings, for sending and for viewing', async () => {
      const inSeoul = await couple();
      await sayAt(SENT, inSeoul.a, '모래');
      await sayAt(VIEWED - 1000, inSeoul.a, '바위');
      expect((await rankAt(VIEWED, inSeoul.a)).mine).toEqual([['바위', 1]]);
      expect((await rankAt(VIEWED, inSeoul.b)).theirs).toEqual([['바위', 1]]);

      const inLa = await couple();
      await setZone(inLa.a, 'America/Los_Angeles');
      await setZone(inLa.b, 'America/Los_Angeles');
      await sayAt(SENT, inLa.a, '모래');
      await sayAt(VIEWED - 1000, inLa.a, '바위');
      expect((await rankAt(VIEWED, inLa.a)).mine).toEqual([['모래', 1], ['바위', 1]]);
      expect((await rankAt(VIEWED, inLa.b)).theirs).toEqual([['모래', 1], ['바위', 1]]);
      // a day later in LA the message has left their week too
      expect((await rankAt(VIEWED + DAY, inLa.a)).mine).toEqual([['바위', 1]]);
    });

    it('follows the zone the browser reported (cc.tz) when the account has none', async () => {
      const c = await couple();
      const la = () => ({ cookie: `${c.a.cookieHeader()}; cc.tz=America/Los_Angeles` });
      const sent = await at(SENT, () => c.a.post('/chat/messages', { body: '모래', client_id: newClientId() }, { ...HX, ...la() }));
      expect(sent.status).toBe(200);
      expect((await at(VIEWED, () => rank(c.a, '', la()))).mine).toEqual([['모래', 1]]);
      const bogus = { cookie: `${c.a.cookieHeader()}; cc.tz=Mars/Olympus_Mons` };
      expect((await at(VIEWED, () => rank(c.a, '', bogus))).mine).toEqual([]); // an unknown zone is Seoul's week
    });

    it('keeps the week to whole days across a daylight-saving change', async () => {
      const c = await couple();
      await setZone(c.a, 'America/Los_Angeles');
      // clocks went forward on Sunday 8 March 2026; on Tuesday 10 March the week starts Wednesday 4 March, 00:00 PST
      const now = Date.parse('2026-03-10T19:00:00Z'); // 12:00 PDT
      await sayAt(Date.parse('2026-03-04T07:59:59Z'), c.a, '양말'); // 23:59:59 PST on the 3rd
      await sayAt(Date.parse('2026-03-04T08:00:00Z'), c.a, '모자'); // 00:00 PST on the 4th
      expect((await rankAt(now, c.a)).mine).toEqual([['모자', 1]]);
    });
  });

  describe('kept up to date when a message is deleted', () => {
    it('takes a deleted message’s words off: a word used twice drops to once, then is gone', async () => {
      const c = await couple();
      const first = await say(c.a, '연필 지우개');
      const second = await say(c.a, '연필');
      expect((await rank(c.a)).mine).toEqual([['연필', 2], ['지우개', 1]]);
      await deleteMessage(c.a, first);
      expect((await rank(c.a)).mine).toEqual([['연필', 1]]);
      expect((await rank(c.b)).theirs).toEqual([['연필', 1]]);
      await deleteMessage(c.a, first); // twice is harmless: nothing is taken off again
      expect((await rank(c.a)).mine).toEqual([['연필', 1]]);
      const hx = await c.a.post(`/chat/messages/${second}/delete`, {}, HX);
      expect(hx.status).toBe(200);
      const page = await rank(c.a);
      expect(page.mine).toEqual([]);
      expect(Client.visible(section(page.html, '<section class="rank-column mine"'))).toContain(NONE);
    });

    it('takes words off the day they were counted on, whenever the message is deleted', async () => {
      const c = await couple();
      const NOW = seoul('2026-11-29T12:00:00');
      const old = await sayAt(NOW - 8 * DAY, c.a, '연필');
      const lastWeek = await sayAt(NOW - 5 * DAY, c.a, '연필 공책');
      await sayAt(NOW, c.a, '연필');
      expect((await rankAt(NOW, c.a)).mine).toEqual([['연필', 2], ['공책', 1]]);
      await at(NOW, () => deleteMessage(c.a, old)); // from outside the week: this week's count stays
      expect((await rankAt(NOW, c.a)).mine).toEqual([['연필', 2], ['공책', 1]]);
      await at(NOW, () => deleteMessage(c.a, lastWeek));
      expect((await rankAt(NOW, c.a)).mine).toEqual([['연필', 1]]);
    });

    it('takes words off the right day even after the sender changed time zone', async () => {
      const c = await couple();
      const NOW = Date.parse('2026-11-29T20:00:00Z'); // the 30th in Seoul, the 29th in Los Angeles
      const inSeoul = await sayAt(NOW, c.a, '연필');
      await setZone(c.a, 'America/Los_Angeles');
      const inLa = await sayAt(NOW, c.a, '연필');
      expect((await rankAt(NOW, c.b)).theirs).toEqual([['연필', 2]]);
      await at(NOW, () => deleteMessage(c.a, inSeoul));
      expect((await rankAt(NOW, c.b)).theirs).toEqual([['연필', 1]]);
      await at(NOW, () => deleteMessage(c.a, inLa));
      expect((await rankAt(NOW, c.b)).theirs).toEqual([]);
    });

    it('counts a message once when it is sent twice (a retry), and every message sent at the same time', async () => {
      const c = await couple();
      const clientId = newClientId();
      await say(c.a, '필통', clientId);
      await say(c.a, '필통', clientId);
      await Promise.all(Array.from({ length: 5 }, () => say(c.a, '의자 책상')));
      await Promise.all([say(c.a, '의자'), say(c.b, '의자'), say(c.a, '책상')]);
      expect((await rank(c.a)).mine).toEqual([['의자', 6], ['책상', 6], ['필통', 1]]);
      expect((await rank(c.a)).theirs).toEqual([['의자', 1]]);
    });
  });

  describe('uploads', () => {
    it('counts the caption of an upload (once, with the first file), and takes it off when the upload is deleted', async () => {
      const c = await couple();
      const text = Buffer.from('파일 안의 글자는 세지 않아요 비밀');
      const res = await upload(
        c.a,
        [
          { name: 'client_id', value: newClientId() },
          { name: 'body', value: '조개 사진 모래 모래' },
          filePart('one.txt', text, 'text/plain'),
          filePart('two.txt', text, 'text/plain'),
        ],
        { htmx: true },
      );
      expect(res.status).toBe(200);
      await upload(c.a, [{ name: 'client_id', value: newClientId() }, filePart('plain.txt', text, 'text/plain')], { htmx: true });
      expect((await rank(c.a, '?n=10')).mine).toEqual([['모래', 2], ['사진', 1], ['조개', 1]]);
      expect((await rank(c.b, '?n=10')).theirs).toEqual([['모래', 2], ['사진', 1], ['조개', 1]]);
      const captioned = await app.db('messages').where({ couple_id: c.coupleId, body: '조개 사진 모래 모래' }).first('id');
      await deleteMessage(c.a, Number(captioned.id));
      expect((await rank(c.a, '?n=10')).mine).toEqual([]);
    });
  });

  describe('excluded words', () => {
    it('excludes a word for the couple: gone from both columns, listed with a restore button, for both partners', async () => {
      const c = await couple();
      const other = await couple();
      await say(c.a, '음 음 음 구름');
      await say(c.b, '음 모래');
      await say(other.a, '음 바위');
      const before = await rank(c.a, '?n=3');
      expect(before.mine).toEqual([['음', 3], ['구름', 1]]);
      // the word's own button in my column, on the top-3 page
      const res = await c.a.post('/rank/excluded', excludeButton(before.html, 'mine', '음'));
      expect(res.status).toBe(303);
      expect(res.location).toBe('/rank?n=3');
      const after = await rank(c.a, '?n=3');
      expect(after.mine).toEqual([['구름', 1]]);
      expect(after.theirs).toEqual([['모래', 1]]);
      expect(after.excluded).toEqual(['음']);
      expect(Client.visible(after.html)).toContain('순위에서 제외했어요');
      expect(Client.visible((await rank(c.a, '?n=3')).html)).not.toContain('순위에서 제외했어요'); // the notice shows once
      const partner = await rank(c.b);
      expect(partner.mine).toEqual([['모래', 1]]);
      expect(partner.theirs).toEqual([['구름', 1]]);
      expect(partner.excluded).toEqual(['음']);
      const elsewhere = await rank(other.a);
      expect(elsewhere.mine).toEqual([['바위', 1], ['음', 1]]);
      expect(elsewhere.excluded).toEqual([]);
    });

    it('excludes from my partner’s column too, and makes room for the next word at the cut', async () => {
      const c = await couple();
      await say(c.b, '아 아 아 아 바위 바위 바위 모래 모래 조개');
      expect((await rank(c.a, '?n=3')).theirs).toEqual([['아', 4], ['바위', 3], ['모래', 2]]);
      const page = await rank(c.a, '?n=3');
      expect((await c.a.post('/rank/excluded', excludeButton(page.html, 'theirs', '아'))).location).toBe('/rank?n=3');
      expect((await rank(c.a, '?n=3')).theirs).toEqual([['바위', 3], ['모래', 2], ['조개', 1]]);
      expect((await rank(c.b, '?n=3')).mine).toEqual([['바위', 3], ['모래', 2], ['조개', 1]]);
    });

    it('restores a word with its restore button, with every use counted, also those made while it was excluded', async () => {
      const c = await couple();
      await say(c.a, '앗 구름');
      expect((await c.a.post('/rank/excluded', { word: '앗', n: '10' })).location).toBe('/rank?n=10');
      await say(c.a, '앗 앗');
      await say(c.b, '앗');
      const excluded = await rank(c.b, '?n=10');
      expect(excluded.mine).toEqual([]);
      expect(excluded.excluded).toEqual(['앗']);
      // my partner restores it, from the form on the page
      const restore = /<form method="post" action="\/rank\/excluded\/delete" class="inline">([\s\S]*?)<\/form>/.exec(excluded.html)![1];
      const fields = Object.fromEntries([...restore.matchAll(/<input type="hidden" name="(n|word)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
      expect(fields).toEqual({ n: '10', word: '앗' });
      const res = await c.b.post('/rank/excluded/delete', fields);
      expect(res.status).toBe(303);
      expect(res.location).toBe('/rank?n=10');
      const back = await rank(c.b, '?n=10');
      expect(Client.visible(back.html)).toContain('다시 순위에 넣었어요');
      expect(back.mine).toEqual([['앗', 1]]);
      expect(back.theirs).toEqual([['앗', 3], ['구름', 1]]);
      expect(back.excluded).toEqual([]);
      expect(Client.visible(section(back.html, '<section class="rank-excluded"'))).toContain(NONE_EXCLUDED);
      expect((await rank(c.a, '?n=10')).excluded).toEqual([]);
    });

    it('takes a restore back with 되돌리기: the word is excluded again, for both partners', async () => {
      const c = await couple();
      await say(c.a, '구름 구름 앗');
      await c.a.post('/rank/excluded', { word: '구름', n: '3' });
      await c.a.post('/rank/excluded/delete', { word: '구름', n: '3' });
      const back = await rank(c.a, '?n=3');
      expect(Client.visible(back.html)).toContain('다시 순위에 넣었어요. · 되돌리기');
      expect(back.mine).toEqual([['구름', 2], ['앗', 1]]);
      const undo = /<form method="post" action="\/rank\/excluded" class="inline">([\s\S]*?)<\/form>/.exec(section(back.html, '<div class="flash'))![1];
      const fields = Object.fromEntries([...undo.matchAll(/<input type="hidden" name="(n|word|_csrf)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
      expect(fields).toMatchObject({ n: '3', word: '구름' });
      expect(fields._csrf).toBeTruthy();
      const res = await c.a.post('/rank/excluded', { word: fields.word, n: fields.n });
      expect(res.location).toBe('/rank?n=3');
      expect((await rank(c.a, '?n=3')).excluded).toEqual(['구름']);
      expect((await rank(c.b, '?n=3')).theirs).toEqual([['앗', 1]]);
      expect(await exclusionRows(c.coupleId)).toEqual(['구름']);
    });

    it('excludes a word that was never said (filler words up front), twice is once, and lists them in order', async () => {
      const c = await couple();
      for (const word of ['음', '아', '음', '앗', '아']) {
        const res = await c.a.post('/rank/excluded', { word, n: '5' });
        expect(res.status, word).toBe(303);
        expect(res.location).toBe('/rank?n=5');
      }
      // both partners at the same instant
      const both = await Promise.all([c.a.post('/rank/excluded', { word: '음', n: '5' }), c.b.post('/rank/excluded', { word: '음', n: '5' })]);
      expect(both.map((r) => r.status)).toEqual([303, 303]);
      expect((await rank(c.a)).excluded).toEqual(['아', '앗', '음']);
      await say(c.a, '음 아 앗 구름');
      expect((await rank(c.a)).mine).toEqual([['구름', 1]]);
      // restoring one that is not excluded changes nothing
      expect((await c.a.post('/rank/excluded/delete', { word: '구름', n: '5' })).status).toBe(303);
      expect((await rank(c.b)).excluded).toEqual(['아', '앗', '음']);
    });

    it('reads a typed word as the ranking does: spaces around it trimmed, any case', async () => {
      const c = await couple();
      await say(c.a, 'Hello hello 구름 모래');
      expect((await c.a.post('/rank/excluded', { word: '  HeLLo ', n: '5' })).status).toBe(303);
      expect((await c.a.post('/rank/excluded', { word: '구름'.normalize('NFD'), n: '5' })).status).toBe(303);
      const page = await rank(c.a);
      expect(page.mine).toEqual([['모래', 1]]);
      expect(page.excluded).toEqual(['hello', '구름']);
    });

    it('excludes the word as ranked when it is typed as written in chat (사과를 → 사과, Apples → apple)', async () => {
      const c = await couple();
      await say(c.a, '사과를 샀어 Apples 구름');
      const mine = new Map((await rank(c.a, '?n=10')).mine);
      expect(mine.get('사과')).toBe(1);
      expect(mine.get('apple')).toBe(1);
      expect((await c.a.post('/rank/excluded', { word: '사과를', n: '10' })).status).toBe(303);
      expect((await c.a.post('/rank/excluded', { word: 'Apples', n: '10' })).status).toBe(303);
      const page = await rank(c.a, '?n=10');
      expect(page.mine.map(([w]) => w)).not.toContain('사과');
      expect(page.mine.map(([w]) => w)).not.toContain('apple');
      expect(page.excluded).toEqual(['apple', '사과']);
    });

    it('takes a word of 40 letters', async () => {
      const c = await couple();
      const forty = 'a'.repeat(40);
      const fortyKo = '콩'.repeat(40);
      await say(c.a, `${fortyKo} 구름`);
      expect((await c.a.post('/rank/excluded', { word: forty, n: '5' })).status).toBe(303);
      expect((await c.a.post('/rank/excluded', { word: fortyKo, n: '5' })).status).toBe(303);
      const page = await rank(c.a);
      expect(page.excluded).toEqual([forty, fortyKo]);
      expect(page.mine).toEqual([['구름', 1]]);
    });

    it.each([
      ['blank', ''],
      ['spaces', '   '],
      ['two words', '두 단어'],
      ['two words without a space', '운동,헬스'],
      ['41 letters', 'a'.repeat(41)],
      ['41 Hangul syllables', '가'.repeat(41)],
      ['symbols only', '!!!'],
      ['a number', '123'],
      ['ㅋㅋ', 'ㅋㅋ'],
      ['an emoji', '😀'],
      ['markup', '<b>음</b>'],
      ['a word and a dot', '음.'],
    ])('refuses %s with 422, the form shown again with what was typed, nothing changed', async (_name, word) => {
      const c = await couple();
      await say(c.a, '음 구름');
      await c.a.post('/rank/excluded', { word: '앗', n: '3' });
      await rank(c.a);
      const res = await c.a.post('/rank/excluded', { word, n: '3' });
      expect(res.status).toBe(422);
      expect(res.text).toContain(`<p class="field-error" id="exclude-error" role="alert">${INVALID}</p>`);
      expect(res.text).toMatch(/<input id="exclude-word" name="word" value="[^"]*" maxlength="40" autocomplete="off"\s+aria-invalid="true"/);
      expect(typedWord(res.text)).toBe(word);
      const shown = parse(res.text); // the ranking is shown around the form, at the size it was on
      expect(shown.mine).toEqual([['구름', 1], ['음', 1]]);
      expect(shown.excluded).toEqual(['앗']);
      expect(res.text).toContain('<a class="button primary" href="/rank?n=3" aria-current="page">');
      expect(await exclusionRows(c.coupleId)).toEqual(['앗']);
    });

    it('refuses a word sent as an array or an object (422), nothing changed', async () => {
      const c = await couple();
      for (const fields of [{ 'word[]': '음' }, { word: ['음', '아'] }, { 'word[x]': '음' }] as Fields[]) {
        const res = await c.a.post('/rank/excluded', { ...fields, n: '5' });
        expect(res.status, JSON.stringify(fields)).toBe(422);
        expect(res.text).toContain(INVALID);
        const restore = await c.a.post('/rank/excluded/delete', { ...fields, n: '5' });
        expect(restore.status, JSON.stringify(fields)).toBe(422);
      }
      expect(await exclusionRows(c.coupleId)).toEqual([]);
    });

    it('refuses to restore a blank or odd word (422), nothing changed', async () => {
      const c = await couple();
      await c.a.post('/rank/excluded', { word: '음', n: '5' });
      for (const word of ['', '   ', '두 단어', '!!!', 'a'.repeat(41)]) {
        const res = await c.a.post('/rank/excluded/delete', { word, n: '5' });
        expect(res.status, JSON.stringify(word)).toBe(422);
        expect(res.text).toContain(INVALID);
        expect(parse(res.text).excluded).toEqual(['음']);
      }
      expect(await exclusionRows(c.coupleId)).toEqual(['음']);
    });

    it.each([
      ['missing', undefined, '/rank?n=5'],
      ['7', '7', '/rank?n=5'],
      ['abc', 'abc', '/rank?n=5'],
      ['10', '10', '/rank?n=10'],
      ['an array', ['3', '10'], '/rank?n=5'],
    ])('goes back to a ranking size that exists (n %s)', async (_name, n, location) => {
      const c = await couple();
      const fields: Fields = { word: '음' };
      if (n !== undefined) fields.n = n;
      const res = await c.a.post('/rank/excluded', fields);
      expect(res.status).toBe(303);
      expect(res.location).toBe(location);
      const restored = await c.a.post('/rank/excluded/delete', fields);
      expect(restored.location).toBe(location);
    });

    it('refuses a post without the CSRF token (403), nothing changed', async () => {
      const c = await couple();
      await c.a.post('/rank/excluded', { word: '음' });
      const forged = 'forged-token-forged-token-forged-';
      expect((await c.a.post('/rank/excluded', { word: '아', _csrf: forged })).status).toBe(403);
      expect((await c.a.post('/rank/excluded/delete', { word: '음', _csrf: forged })).status).toBe(403);
      expect(await exclusionRows(c.coupleId)).toEqual(['음']);
    });
  });

  describe('who sees what', () => {
    it('never shows another couple’s words, nor theirs mine', async () => {
      const c = await couple();
      const other = await couple();
      await say(c.a, '구름');
      await say(c.b, '모래');
      await say(other.a, '비밀단어 비밀단어');
      await say(other.b, '바위');
      for (const client of [c.a, c.b]) {
        const page = await rank(client);
        expect([...page.mine, ...page.theirs].map(([w]) => w).sort()).toEqual(['구름', '모래']);
        expect(page.html).not.toContain('비밀단어');
      }
      const theirs = await rank(other.a);
      expect(theirs.mine).toEqual([['비밀단어', 2]]);
      expect(theirs.theirs).toEqual([['바위', 1]]);
    });

    it('sends a visitor to /login (htmx: 401 with HX-Redirect), and stores nothing for one', async () => {
      const visitor = new Client(app.url);
      const page = await visitor.get('/rank?n=3');
      expect(page.status).toBe(303);
      expect(page.location).toBe('/login');
      const hx = await visitor.get('/rank', HX);
      expect(hx.status).toBe(401);
      expect(hx.headers.get('hx-redirect')).toBe('/login');
      const exclusions = Number((await app.db('rank_exclusions').count({ n: '*' }))[0].n);
      await visitor.get('/login');
      for (const path of ['/rank/excluded', '/rank/excluded/delete']) {
        const res = await visitor.post(path, { word: '음', n: '5' });
        expect(res.status, path).toBe(303);
        expect(res.location).toBe('/login');
      }
      expect(Number((await app.db('rank_exclusions').count({ n: '*' }))[0].n)).toBe(exclusions);
    });

    it('sends someone without a partner to /pair', async () => {
      const single = await signUp(app.url, `rsingle_${Date.now() % 1_000_000}`);
      expect((await single.get('/rank')).location).toBe('/pair');
      await single.get('/pair');
      expect((await single.post('/rank/excluded', { word: '음' })).location).toBe('/pair');
    });

    it('works with htmx: the page, 200 with HX-Redirect after excluding or restoring, 422 for a bad word', async () => {
      const c = await couple();
      await say(c.a, '음 구름');
      const page = await c.a.get('/rank?n=3', HX);
      expect(page.status).toBe(200);
      expect(column(page.text, 'mine')).toEqual([['구름', 1], ['음', 1]]);
      const excluded = await c.a.post('/rank/excluded', { word: '음', n: '3' }, HX);
      expect(excluded.status).toBe(200);
      expect(excluded.headers.get('hx-redirect')).toBe('/rank?n=3');
      expect((await rank(c.a, '?n=3', HX)).mine).toEqual([['구름', 1]]);
      const restored = await c.a.post('/rank/excluded/delete', { word: '음', n: '10' }, HX);
      expect(restored.status).toBe(200);
      expect(restored.headers.get('hx-redirect')).toBe('/rank?n=10');
      expect((await rank(c.a)).mine).toEqual([['구름', 1], ['음', 1]]);
      const bad = await c.a.post('/rank/excluded', { word: '두 단어', n: '3' }, HX);
      expect(bad.status).toBe(422);
      expect(bad.text).toContain(INVALID);
      expect(typedWord(bad.text)).toBe('두 단어');
      expect(await exclusionRows(c.coupleId)).toEqual([]);
    });

    it('is never a 500, whatever the query string or form', async () => {
      const c = await couple();
      await say(c.a, '구름');
      for (const query of ['n[x]=3', 'n=%00', 'n=%ZZ', 'n=%ED%A0%80', `n=${'a'.repeat(5000)}`, 'x=1&n=3&n[]=5']) {
        for (const headers of [{}, HX]) {
          const res = await c.a.get(`/rank?${query}`, headers);
          expect(res.status, query).toBeLessThan(500);
        }
      }
      for (const body of [`_csrf=${c.a.csrf}&word=%E0%A4%A`, `_csrf=${c.a.csrf}&word=%ED%A0%80`, `_csrf=${c.a.csrf}&word=${'가'.repeat(20_000)}`, `_csrf=${c.a.csrf}&word=%00`]) {
        for (const path of ['/rank/excluded', '/rank/excluded/delete']) {
          const res = await c.a.request('POST', path, { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
          expect(res.status, `${path} ${body.slice(0, 60)}`).toBeLessThan(500);
        }
      }
    });
  });
});
