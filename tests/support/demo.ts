// A couple with a life together, for the pages a person would look at: three days of
// chat (photos, a file, read marks), a question both answered, a week of words, a month of
// plans with a D-day, and single people with pairing requests out and in. Used by the
// accessibility sweep and the README's screenshots; the content is what a Korean couple
// might really write, so the pages are judged as they will be used.
import sharp from 'sharp';
import { testClock } from './clock';
import type { Db } from '../../src/db';
import { Client, pairUp, signUp } from './client';
import { filePart, upload } from './uploads';

const DAY = 86_400_000;

/** The two people of the demo couple: haeun is side a (she asked), jiho side b. */
export const DEMO = { a: 'haeun', b: 'jiho' } as const;

export interface Demo {
  haeun: Client;
  jiho: Client;
  coupleId: number;
  /** the question both have answered */
  revealedQuestion: string;
  /** a message with a photo, for previews */
  photoName: string;
}

// ---- pictures ------------------------------------------------------------------------------

/** An evening over the river: sky, sun, water and a bridge, drawn, no text. */
function sunsetSvg(width: number, height: number): string {
  const water = Math.round(height * 0.62);
  const piers = Array.from({ length: 7 }, (_, i) => {
    const x = Math.round((width / 7) * i + width / 14);
    return `<rect x="${x - 6}" y="${water - 70}" width="12" height="70" fill="#3b2340"/>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs>
      <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
        <stop offset="0" stop-color="#5a4b9c"/><stop offset=".45" stop-color="#e8789a"/><stop offset="1" stop-color="#ffc58a"/>
      </linearGradient>
      <linearGradient id="river" x1="0" y1="0" x2="0" y2="1">
        <stop offset="0" stop-color="#f3a08f"/><stop offset="1" stop-color="#473a6e"/>
      </linearGradient>
    </defs>
    <rect width="${width}" height="${water}" fill="url(#sky)"/>
    <circle cx="${width * 0.62}" cy="${water - 30}" r="${height * 0.11}" fill="#fff1c9" opacity=".95"/>
    <rect y="${water}" width="${width}" height="${height - water}" fill="url(#river)"/>
    <rect y="${water - 82}" width="${width}" height="16" fill="#3b2340"/>
    ${piers}
    <path d="M0 ${water - 140} Q ${width * 0.15} ${water - 190} ${width * 0.3} ${water - 150} T ${width * 0.55} ${water - 160} L ${width * 0.55} ${water} L 0 ${water} Z" fill="#2f2a4f" opacity=".55"/>
    <rect x="${width * 0.56}" y="${water + 8}" width="${width * 0.12}" height="6" fill="#fff1c9" opacity=".7"/>
    <rect x="${width * 0.58}" y="${water + 26}" width="${width * 0.08}" height="5" fill="#fff1c9" opacity=".5"/>
  </svg>`;
}

/** Two cups of latte seen from above, on a wooden table. */
function latteSvg(width: number, height: number): string {
  const cup = (cx: number, cy: number, r: number) => `
    <circle cx="${cx}" cy="${cy}" r="${r + 26}" fill="#f7f2ec"/>
    <circle cx="${cx}" cy="${cy}" r="${r}" fill="#c98d5a"/>
    <path d="M ${cx} ${cy + r * 0.55} C ${cx - r * 0.9} ${cy - r * 0.1} ${cx - r * 0.35} ${cy - r * 0.75} ${cx} ${cy - r * 0.3} C ${cx + r * 0.35} ${cy - r * 0.75} ${cx + r * 0.9} ${cy - r * 0.1} ${cx} ${cy + r * 0.55} Z" fill="#fbeee0"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="${width}" height="${height}" fill="#a8744f"/>
    ${Array.from({ length: 9 }, (_, i) => `<rect y="${i * (height / 9)}" width="${width}" height="2" fill="#8f5f3e" opacity=".5"/>`).join('')}
    ${cup(width * 0.33, height * 0.45, height * 0.2)}
    ${cup(width * 0.7, height * 0.58, height * 0.17)}
  </svg>`;
}

export const sunsetJpeg = () => sharp(Buffer.from(sunsetSvg(1200, 900))).jpeg({ quality: 82 }).toBuffer();
export const latteJpeg = () => sharp(Buffer.from(latteSvg(900, 1200))).jpeg({ quality: 82 }).toBuffer();

/** A small PDF: enough for the file to be a PDF by its first bytes. */
const planPdf = () => Buffer.from('%PDF-1.4\n% Couple Chat demo: a weekend plan\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

// ---- steps -------------------------------------------------------------------------------

const clientId = () => `demo-${Math.random().toString(36).slice(2, 14)}`;

/**
 * What each of the demo couple answers when their talk brings a question up: [haeun, jiho].
 * A line that brings up a question not listed here fails the seeding, so the demo never
 * shows a question without answers by accident.
 */
const ANSWERS: Record<string, [string, string]> = {
  weekend: ['늦잠 자고 브런치 먹고, 저녁엔 같이 산책하기!', '너랑 하루 종일 붙어 있는 주말이면 다 완벽해'],
  movie_genre: ['스릴러 좋아해. 너무 무서운 건 말고…', '로맨틱 코미디! 같이 보면 더 좋고'],
  walk_spot: ['벚꽃 필 때 석촌호수!', '한강 따라 노을 질 때 걷고 싶어'],
  sunrise_sunset: ['노을! 일출은 너무 일찍 일어나야 해 ㅋㅋ', '둘 다 좋은데 너랑 보는 노을이 최고'],
};

let people: { a: Client; b: Client; db: Db; coupleId: number } | null = null;

/** Sends as the page's plain form does, at the given instant; fails loudly if refused. */
async function say(client: Client, body: string, at: number): Promise<void> {
  await testClock.at(at, async () => {
    const res = await client.post('/chat/messages', { body, client_id: clientId() });
    if (res.status !== 303) throw new Error(`demo message "${body}" refused: ${res.status} ${Client.visible(res.text).slice(0, 200)}`);
  });
  await answerOpenQuestion(at + 60_000);
}

/** Both answer the question a line brought up (a minute later), so the chat goes on. */
async function answerOpenQuestion(at: number): Promise<void> {
  if (!people) return;
  const { a, b, db, coupleId } = people;
  const open = await db('couple_questions as cq')
    .join('questions as q', 'q.id', 'cq.question_id')
    .where({ 'cq.couple_id': coupleId })
    .whereNull('cq.revealed_at')
    .first('cq.id', 'q.key');
  if (!open) return;
  const answers = ANSWERS[String(open.key)];
  if (!answers) throw new Error(`demo: a line brought up the question "${open.key}", which has no demo answers`);
  await testClock.at(at, async () => {
    for (const [client, answer] of [[a, answers[0]], [b, answers[1]]] as const) {
      await client.get('/answers');
      const res = await client.post(`/questions/${open.id}/answer`, { answer, back: '/answers' });
      if (res.status !== 303) throw new Error(`demo answer refused: ${res.status}`);
    }
  });
}

async function sendFile(client: Client, name: string, data: Buffer, type: string, at: number): Promise<void> {
  await testClock.at(at, async () => {
    const res = await upload(client, [{ name: 'client_id', value: clientId() }, filePart(name, data, type)]);
    if (res.status !== 303) throw new Error(`demo upload ${name} refused: ${res.status}`);
  });
}

/** Seoul's calendar date of an instant, 'YYYY-MM-DD'. */
export const seoulDate = (ms: number): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));

/** The instant of a Seoul wall-clock time `daysAgo` days before today. */
export function seoulTime(daysAgo: number, hour: number, minute: number): number {
  const day = seoulDate(testClock.now() - daysAgo * DAY);
  return Date.parse(`${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+09:00`);
}

/**
 * The demo couple and their last three days. Today's last lines are the only ones jiho has
 * not read yet, so haeun's page shows the little "1" beside them.
 */
export async function seedDemo(base: string, db: Db): Promise<Demo> {
  const [haeun, jiho] = await pairUp(base, DEMO.a, DEMO.b);
  const couple = await db('users').where({ login_id: DEMO.a }).first('couple_id');
  const coupleId = Number(couple.couple_id);
  // together since 189 days ago: the 200th day is ten days away
  await db('couples').where({ id: coupleId }).update({ started_at: seoulTime(189, 20, 0) });
  await Promise.all([haeun.get('/chat'), jiho.get('/chat')]);
  people = { a: haeun, b: jiho, db, coupleId };

  // two days ago, in the evening
  await say(jiho, '오늘 하루 어땠어?', seoulTime(2, 21, 4));
  await say(haeun, '완전 바빴어 회의만 세 번 했어', seoulTime(2, 21, 6));
  await say(jiho, '고생했다 ㅠㅠ 주말에 맛있는 거 먹으러 가자', seoulTime(2, 21, 7));
  await say(haeun, '좋아 좋아! 나 파스타 먹고 싶어', seoulTime(2, 21, 9));
  // a question comes up, and both answer it
  await say(jiho, '그럼 파스타 먹고 영화 볼까?', seoulTime(2, 21, 10));
  await say(haeun, '응 보자! 예매는 내가 할게', seoulTime(2, 21, 14));

  // yesterday
  await say(haeun, '내일 한강 갈래? 날씨 좋대', seoulTime(1, 18, 30));
  await say(jiho, '좋아! 내가 데리러 갈게', seoulTime(1, 18, 32));
  await sendFile(haeun, '한강 노을.jpg', await sunsetJpeg(), 'image/jpeg', seoulTime(1, 19, 12));
  await say(jiho, '와 노을 진짜 예쁘다', seoulTime(1, 19, 15));
  await say(haeun, '다음엔 같이 보자', seoulTime(1, 19, 16));

  // today
  await say(jiho, '주말 계획 짜봤어!', seoulTime(0, 9, 40));
  await sendFile(jiho, '주말 계획.pdf', planPdf(), 'application/pdf', seoulTime(0, 9, 41));
  await sendFile(haeun, '카페 라떼.jpg', await latteJpeg(), 'image/jpeg', seoulTime(0, 10, 2));
  await say(haeun, '오 꼼꼼하다 ㅋㅋ 고마워', seoulTime(0, 10, 3));
  // jiho has read up to here; the last two are still unread on haeun's screen
  const seen = await db('messages').where({ couple_id: coupleId }).max({ id: 'id' }).first();
  await jiho.post('/chat/read', { up_to: String(seen!.id) });
  await haeun.get('/chat');
  await say(haeun, '이번 주말 진짜 기대된다', seoulTime(0, 10, 5));
  await say(haeun, '점심 맛있게 먹어!', seoulTime(0, 10, 6));
  // haeun has seen all of jiho's messages (her page marked them read when it opened)

  people = null;

  await seedCalendar(jiho, db, coupleId);
  return { haeun, jiho, coupleId, revealedQuestion: '영화 볼 때 어떤 장르가 제일 좋아?', photoName: '한강 노을.jpg' };
}

/** Plans in this month (and the 200th day's dinner as the D-day). */
async function seedCalendar(client: Client, db: Db, coupleId: number): Promise<void> {
  await client.get('/calendar');
  const today = seoulDate(testClock.now());
  const month = today.slice(0, 7);
  const inMonth = (day: number) => `${month}-${String(day).padStart(2, '0')}`;
  const plans: Array<[string, string]> = [
    [inMonth(3), '영화 예매'],
    [inMonth(14), '지호 생일'],
    [inMonth(21), '한강 피크닉'],
    [inMonth(27), '전시회'],
    [seoulDate(seoulTime(-10, 12, 0)), '200일 저녁'],
  ];
  for (const [date, title] of plans) {
    const res = await client.post('/calendar/events', { date, title, month });
    if (res.status !== 303) throw new Error(`demo plan ${title} refused: ${res.status}`);
  }
  const dinner = await db('calendar_events').where({ couple_id: coupleId, title: '200일 저녁' }).first('id');
  const marked = await client.post(`/calendar/events/${dinner.id}/dday`, { month });
  if (marked.status !== 303) throw new Error(`demo D-day refused: ${marked.status}`);
}

/**
 * A new open question for the demo couple (jiho's message brings it up): haeun's chat page
 * then opens it as a modal. Returns the question's text as the Korean page shows it.
 */
export async function askDemoQuestion(jiho: Client): Promise<string> {
  await jiho.get('/chat');
  const res = await jiho.post('/chat/messages', { body: '요즘 고양이 영상만 보고 있어 ㅋㅋ', client_id: clientId() });
  if (res.status !== 303) throw new Error(`demo question line refused: ${res.status}`);
  return '고양이랑 강아지 중에 누굴 더 좋아해?';
}

/** Single people for /pair: sora has sent a request to minho and received one from dahye. */
export async function seedSingles(base: string): Promise<{ sora: Client }> {
  const sora = await signUp(base, 'sora');
  await signUp(base, 'minho');
  const dahye = await signUp(base, 'dahye');
  await dahye.get('/pair');
  const asked = await dahye.post('/pair/requests', { login_id: 'sora' });
  if (asked.status !== 303) throw new Error(`demo pair request refused: ${asked.status}`);
  await sora.get('/pair');
  const sent = await sora.post('/pair/requests', { login_id: 'minho' });
  if (sent.status !== 303) throw new Error(`demo pair request refused: ${sent.status}`);
  return { sora };
}
