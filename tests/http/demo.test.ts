// `npm run demo` (scripts/demo.ts): on a fresh database, two paired demo accounts with the
// walk-through's conversation, photos with thumbnails, the questions answered by both,
// plans and a D-day; what each partner then sees over HTTP; and a second run adds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONVERSATION, createDemo, DEMO_PASSWORD, DEMO_USERS, PLANS, type DemoResult } from '../../scripts/demo';
import { addDays } from '../../src/calendar/dates';
import { dayOf } from '../../src/time';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { Client, logIn, pairUp } from '../support/client';
import { startTestApp, testConfig, type TestApp } from '../support/testApp';
import { testClock } from '../support/clock';

const SAID = CONVERSATION.flatMap((step) => ('say' in step ? [step] : []));
const SENT_FILES = CONVERSATION.flatMap((step) => ('say' in step ? [] : [step]));

/** Row counts of everything the demo writes. */
async function counts(app: TestApp) {
  const tables = ['users', 'couples', 'messages', 'files', 'blobs', 'couple_questions', 'answers', 'calendar_events', 'pair_requests', 'events'];
  const out: Record<string, number> = {};
  for (const table of tables) out[table] = Number((await app.db(table).count({ n: '*' }))[0].n);
  return out;
}

describe.each(backends())('the demo on $name', (backend) => {
  let app: TestApp;
  let first: DemoResult;
  const config = () => testConfig('sqlite::memory:');
  const today = () => dayOf(testClock.now(), config().timeZone);

  beforeAll(async () => {
    app = await startTestApp(backend);
    first = await createDemo(app.db, config(), testClock);
  });
  afterAll(() => app.close());

  const coupleId = () => (first.status === 'conflict' ? NaN : first.coupleId);

  it('creates both accounts, paired with each other', async () => {
    expect(first.status).toBe('created');
    const users = await app.db('users').whereIn('login_id', Object.values(DEMO_USERS)).select('login_id', 'couple_id');
    expect(users).toHaveLength(2);
    expect(users[0].couple_id).not.toBeNull();
    expect(Number(users[0].couple_id)).toBe(Number(users[1].couple_id));
    expect(Number(users[0].couple_id)).toBe(coupleId());
  });

  it('stores the walk-through conversation in order, each line from its speaker', async () => {
    const rows = await app.db('messages as m').join('users as u', 'u.id', 'm.sender_id').where('m.couple_id', coupleId()).orderBy('m.id').select('m.body', 'u.login_id');
    expect(rows).toHaveLength(CONVERSATION.length);
    const lines = rows.filter((r) => r.body !== '').map((r) => [r.login_id, r.body]);
    expect(lines).toEqual(SAID.map((s) => [DEMO_USERS[s.who], s.say]));
    expect(lines[0]).toEqual([DEMO_USERS.yoonseok, '안녕 내 이름은 최윤석이야']);
  });

  it('asks the walk-through’s questions at their lines, each answered by both', async () => {
    const asked = await app.db('couple_questions as cq').join('questions as q', 'q.id', 'cq.question_id').where('cq.couple_id', coupleId()).orderBy('cq.id').select('cq.id', 'q.key', 'cq.trigger_word', 'cq.revealed_at');
    expect(asked.map((q) => [q.key, q.trigger_word])).toEqual([
      ['exercise', '운동'],
      ['cats_or_dogs', '길고양이'],
      ['favorite_cuisine', '밥'],
      ['assignments', '과제'],
    ]);
    for (const q of asked) {
      expect(q.revealed_at).not.toBeNull();
      const answers = await app.db('answers').where({ couple_question_id: q.id }).select('user_id', 'body');
      expect(answers).toHaveLength(2);
      expect(new Set(answers.map((a) => Number(a.user_id))).size).toBe(2);
    }
  });

  it('sends the photos (with thumbnails) and the files', async () => {
    const files = await app.db('files').where({ couple_id: coupleId() }).orderBy('id').select('name', 'kind', 'mime', 'thumb_key', 'width', 'height');
    expect(files.map((f) => f.name)).toEqual(SENT_FILES.map((f) => ('photo' in f ? f.name : f.file)));
    const photos = files.filter((f) => f.kind === 'image');
    expect(photos).toHaveLength(4);
    for (const photo of photos) {
      expect(photo.mime).toBe('image/jpeg');
      expect(photo.thumb_key).toBeTruthy();
      expect([Number(photo.width), Number(photo.height)]).toEqual([640, 480]);
    }
    expect(files.filter((f) => f.kind === 'file').map((f) => f.name)).toEqual(['main.go', '과제 설명.txt']);
  });

  it('adds the plans from today, with 생일 in 10 days as the D-day', async () => {
    const plans = await app.db('calendar_events').where({ couple_id: coupleId() }).orderBy('id').select('title', 'date', 'dday');
    expect(plans.map((p) => p.title)).toEqual(['첫만남', '데이트', '알바', '생일', '수강신청']);
    expect(plans.filter((p) => Boolean(Number(p.dday))).map((p) => [p.title, String(p.date)])).toEqual([['생일', addDays(today(), 10)]]);
    expect(plans.map((p) => String(p.date))).toEqual(PLANS.map((p) => p.date(today())));
  });

  it('lets each partner log in with the printed password and see the chat, the answers and the calendar', async () => {
    for (const loginId of Object.values(DEMO_USERS)) {
      const client = await logIn(app.url, loginId, DEMO_PASSWORD);
      const headers = { 'Accept-Language': 'ko' };
      const chatHtml = (await client.get('/chat', headers)).text;
      const chat = Client.visible(chatHtml);
      for (const line of ['안녕 내 이름은 최윤석이야', '고마워 ㅎㅎㅎ', 'main.go', '과제 설명.txt', 'D-10 생일']) expect(chat).toContain(line);
      const thumbs = [...chatHtml.matchAll(/<img src="(\/files\/\d+\/thumb)"/g)].map((m) => m[1]);
      expect(thumbs).toHaveLength(4);
      const thumb = thumbs[0];
      const image = await client.get(thumb);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/webp');
      const answers = Client.visible((await client.get('/answers', headers)).text);
      for (const text of ['운동하는 거 좋아해?', '국밥이면 다 돼', '초밥이랑 우동 좋아해']) expect(answers).toContain(text);
      const calendar = Client.visible((await client.get('/calendar', headers)).text);
      expect(calendar).toContain('D-10 생일');
    }
  });

  it('adds nothing when run again', async () => {
    const before = await counts(app);
    const again = await createDemo(app.db, config(), testClock);
    expect(again).toEqual({ ...first, status: 'exists' });
    expect(await counts(app)).toEqual(before);
  });

  it('finishes a demo cut short, without duplicating what is there', async () => {
    // as if the first run had stopped after the messages: the plans are not there yet
    await app.db('calendar_events').where({ couple_id: coupleId() }).delete();
    const before = await counts(app);
    const again = await createDemo(app.db, config(), testClock);
    expect(again.status).toBe('completed');
    const after = await counts(app);
    expect({ ...after, events: 0 }).toEqual({ ...before, calendar_events: PLANS.length, events: 0 }); // events: the plans announced
    expect((await app.db('calendar_events').where({ couple_id: coupleId(), dday: true }).pluck('title'))).toEqual(['생일']);
  });
});

describe('the demo next to an account that is taken', () => {
  const { app } = httpSuite(backends()[0]);

  it('changes nothing when a demo ID is paired with someone else', async () => {
    await pairUp(app.url, DEMO_USERS.seoyeon, 'someone_else');
    const result = await createDemo(app.db, testConfig('sqlite::memory:'), testClock);
    expect(result).toEqual({ status: 'conflict', reason: `${DEMO_USERS.seoyeon} is already paired with another account` });
    expect(await app.db('users').where({ login_id: DEMO_USERS.yoonseok }).first()).toBeUndefined();
    expect(Number((await app.db('messages').count({ n: '*' }))[0].n)).toBe(0);
  });
});
