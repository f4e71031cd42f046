// `npm run demo`: two demo accounts, already paired, with the original walk-through's
// conversation (/work/shared/seed/original-project.md, "대화내용"), its photos and files,
// the questions it asks answered by both, and calendar plans with a D-day. Everything
// goes through the app's own modules, as the routes would do it, on the database that
// `npm start` uses (DATABASE_URL, by default the SQLite file in ./data).
//
// Run it again and nothing is duplicated: a demo that is complete is left as it is;
// one that was cut short (an error halfway) is finished, each step skipping what is there
// (messages and files by their client ids, plans by their titles, answers once each).
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { hashPassword } from '../src/accounts/passwords';
import { loginIdError, passwordError } from '../src/accounts/rules';
import { createUser, findUserById, findUserByLoginId, type UserRow } from '../src/accounts/users';
import { addCalendarEvent, calendarEventsBetween, currentDday, markDday, type CalendarEventRow } from '../src/calendar/events';
import { addDays } from '../src/calendar/dates';
import { createMessage, messagesOf, type WordContext } from '../src/chat/messages';
import { systemClock, type Clock } from '../src/clock';
import { ConfigError, EVERY_TRIGGER_ASKS, loadConfig, type Config } from '../src/config';
import { createDb, migrate, type Db } from '../src/db';
import { CoupleChanges } from '../src/realtime/coupleChanges';
import { createStorage } from '../src/files/storage';
import { sendFiles, storeFile } from '../src/chat/attachments';
import { acceptPairRequest, listPairRequests, sendPairRequest } from '../src/pairing/pairRequests';
import { answerQuestion, openQuestion } from '../src/questions/asked';
import { questionBank } from '../src/questions/bank';
import { questionBank as bankData } from '../migrations/data/questionBank';
import { dayOf } from '../src/time';

export const DEMO_PASSWORD = 'sarang-demo-2580';
export const DEMO_USERS = { yoonseok: 'demo_yoonseok', seoyeon: 'demo_seoyeon' } as const;
type Who = keyof typeof DEMO_USERS;

/** One step of the walk-through: a line of chat, or a photo or file sent. */
type Step =
  | { who: Who; say: string }
  | { who: Who; photo: 'cat' | 'dog' | 'heart' | 'sunset'; name: string }
  | { who: Who; file: string; text: string };

const GO_CODE = `package main

import "fmt"

// 과제 3: 1부터 n까지의 합
func sum(n int) int {
	total := 0
	for i := 1; i <= n; i++ {
		total += i
	}
	return total
}

func main() {
	fmt.Println(sum(100)) // 5050
}
`;

const ASSIGNMENT_TEXT = `자료구조 과제 3
- 1부터 n까지의 합을 구하는 함수 작성
- 반복문 버전과 공식 버전 비교
- 금요일 자정까지 제출!
`;

/** "대화내용" of the original walk-through, in order, with its photo and file sends. */
export const CONVERSATION: Step[] = [
  { who: 'yoonseok', say: '안녕 내 이름은 최윤석이야' },
  { who: 'yoonseok', say: '나는 컴퓨터공학과에 재학 중이야' },
  { who: 'seoyeon', say: '안녕 반가워!!' },
  { who: 'yoonseok', say: '오늘 뭐 할 예정이야?' },
  { who: 'seoyeon', say: '나는 운동갔다가 저녁 먹고 쉬려고!' }, // Q: 운동하는 거 좋아해?
  { who: 'yoonseok', say: '대단하다 운동하는 거 너무 귀찮아' },
  { who: 'yoonseok', say: '어떤 운동 하러가?' },
  { who: 'seoyeon', say: '나는 헬스하는데 그래도 일주일에 네다섯번은 가는 것 같아' },
  { who: 'seoyeon', say: '어제 운동 가는 길에 길고양이 봤는데 너무 귀엽더라' }, // Q: 고양이랑 강아지 중에 누굴 더 좋아해?
  { who: 'seoyeon', say: '사진 보여줄게!' },
  { who: 'seoyeon', photo: 'cat', name: '길고양이.jpg' },
  { who: 'yoonseok', say: '너무 귀엽다 나도 사진 보내줄게!!' },
  { who: 'yoonseok', photo: 'dog', name: '우리집 강아지.jpg' },
  { who: 'yoonseok', photo: 'sunset', name: '산책길.jpg' },
  { who: 'seoyeon', say: '너무 귀엽다 ㅠㅠ' },
  { who: 'seoyeon', photo: 'heart', name: '하트.jpg' },
  { who: 'yoonseok', say: '그러니까 ㅠㅜ' },
  { who: 'yoonseok', say: '아 나는 밥 먹으러 갔다 와야겠다!' }, // Q: 한식 / 중식 / 양식 / 일식 중에 뭘 제일 좋아해?
  { who: 'seoyeon', say: '응응 맛있게 먹고 와!!' },
  { who: 'yoonseok', say: '아 근데 혹시 과제 코드 보내줄 수 있어?' }, // Q: 과제는 미리미리 하는 편이야…?
  { who: 'seoyeon', say: '응 그럼!! 잠깐만!' },
  { who: 'seoyeon', file: 'main.go', text: GO_CODE },
  { who: 'seoyeon', say: '텍스트 파일도 같이 보내줄게!!' },
  { who: 'seoyeon', file: '과제 설명.txt', text: ASSIGNMENT_TEXT },
  { who: 'yoonseok', say: '고마워 ㅎㅎㅎ' },
];

/** What each of them answers, by the question's key; any other question gets a short answer. */
const ANSWERS: Record<string, Record<Who, string>> = {
  exercise: { yoonseok: '좋아하긴 하는데… 가기까지가 너무 귀찮아 ㅋㅋ', seoyeon: '응! 헬스 다녀오면 스트레스가 다 풀려' },
  cats_or_dogs: { yoonseok: '강아지! 우리집 강아지가 최고야', seoyeon: '고양이!! 길고양이 보면 그냥 못 지나가' },
  favorite_cuisine: { yoonseok: '한식! 국밥이면 다 돼', seoyeon: '일식! 초밥이랑 우동 좋아해' },
  assignments: { yoonseok: '마감 직전에 몰아서… 반성 중이야', seoyeon: '미리미리 하는 편! 그래야 마음이 편해' },
};
const FALLBACK_ANSWER: Record<Who, string> = { yoonseok: '음… 나중에 만나서 얘기해줄게!', seoyeon: '그건 비밀 ㅎㅎ 궁금하면 물어봐!' };

/** The fixed client id of the conversation's step i: createMessage and sendFiles store a client id once. */
const clientIdOf = (i: number) => `demo-walkthrough-${String(i + 1).padStart(2, '0')}`;

/** The walk-through's plans ("일정"), in days from today; 생일 becomes the D-day. */
export const PLANS: Array<{ title: string; date: (today: string) => string; dday?: boolean }> = [
  { title: '첫만남', date: (today) => addDays(today, -21) },
  { title: '데이트', date: (today) => addDays(today, 3) },
  { title: '알바', date: (today) => addDays(today, 3) }, // two plans on one day
  { title: '생일', date: (today) => addDays(today, 10), dday: true },
  { title: '수강신청', date: (today) => nextMonthDay(today, 10) },
];

/** The given day of the month after `today`'s. */
function nextMonthDay(today: string, day: number): string {
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  return new Date(Date.UTC(y, m, day)).toISOString().slice(0, 10);
}

/** A small JPEG drawn here (no font needed): a cat's or a dog's face, a heart, or a sunset. */
export async function demoPhoto(kind: 'cat' | 'dog' | 'heart' | 'sunset'): Promise<Buffer> {
  const [w, h] = [640, 480];
  const backgrounds = { cat: ['#ffe3b3', '#ffb38a'], dog: ['#cde8ff', '#8fc1f0'], heart: ['#ffd1dc', '#ff8fab'], sunset: ['#ffcf70', '#ff6f61'] } as const;
  const [from, to] = backgrounds[kind];
  const drawings = {
    cat: `<polygon points="220,170 250,60 300,150" fill="#f4a259"/><polygon points="420,170 390,60 340,150" fill="#f4a259"/>
      <circle cx="320" cy="260" r="150" fill="#f4a259"/>
      <ellipse cx="265" cy="240" rx="18" ry="26" fill="#2d2d2d"/><ellipse cx="375" cy="240" rx="18" ry="26" fill="#2d2d2d"/>
      <polygon points="305,290 335,290 320,305" fill="#e56b6f"/>
      <path d="M320 305 q-20 25 -45 10 M320 305 q20 25 45 10" stroke="#2d2d2d" stroke-width="5" fill="none"/>
      <path d="M200 290 h-90 M200 305 l-85 15 M440 290 h90 M440 305 l85 15" stroke="#2d2d2d" stroke-width="4"/>`,
    dog: `<ellipse cx="195" cy="230" rx="55" ry="100" fill="#8d5524"/><ellipse cx="445" cy="230" rx="55" ry="100" fill="#8d5524"/>
      <circle cx="320" cy="250" r="150" fill="#c68642"/>
      <circle cx="265" cy="225" r="20" fill="#2d2d2d"/><circle cx="375" cy="225" r="20" fill="#2d2d2d"/>
      <ellipse cx="320" cy="310" rx="70" ry="50" fill="#f1d3a6"/><ellipse cx="320" cy="290" rx="26" ry="18" fill="#2d2d2d"/>
      <path d="M320 308 v20 q-18 18 -36 4 M320 328 q18 18 36 4" stroke="#2d2d2d" stroke-width="5" fill="none"/>`,
    heart: `<path d="M320 400 C 120 270 150 110 260 110 C 300 110 320 140 320 160 C 320 140 340 110 380 110 C 490 110 520 270 320 400 Z" fill="#e63946"/>`,
    sunset: `<circle cx="320" cy="330" r="110" fill="#fff3b0"/><rect y="330" width="${w}" height="${h - 330}" fill="#3d5a80"/>
      <path d="M0 360 q80 -20 160 0 t160 0 t160 0 t160 0" stroke="#98c1d9" stroke-width="6" fill="none"/>`,
  };
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>
    <rect width="${w}" height="${h}" fill="url(#g)"/>${drawings[kind]}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

export type DemoResult =
  | { status: 'created' | 'completed' | 'exists'; coupleId: number; userIds: Record<Who, number>; messages: number; questionsAnswered: number }
  | { status: 'conflict'; reason: string };

/** How the demo's couple stands: absent, ours (paired together), or in the way (taken by someone else). */
async function demoUsers(db: Db): Promise<Record<Who, UserRow | undefined>> {
  return { yoonseok: await findUserByLoginId(db, DEMO_USERS.yoonseok), seoyeon: await findUserByLoginId(db, DEMO_USERS.seoyeon) };
}

/** An account of the demo, created with the demo password if it is not there yet. */
async function ensureUser(db: Db, loginId: string, clock: Clock): Promise<UserRow> {
  const existing = await findUserByLoginId(db, loginId);
  if (existing) return existing;
  await createUser(db, loginId, await hashPassword(DEMO_PASSWORD), clock.now()); // null: made meanwhile, found below
  return (await findUserByLoginId(db, loginId))!;
}

/** 윤석 asks, 서연 accepts (as in the walk-through, where ID 1 and ID 3 connect). */
async function pair(db: Db, from: UserRow, to: UserRow, clock: Clock): Promise<number | string> {
  const error = await sendPairRequest(db, from.id, to.login_id, clock.now());
  if (error && error !== 'pair.error.duplicate') return error;
  const request = (await listPairRequests(db, to.id)).received.find((r) => r.loginId === from.login_id);
  if (!request) return 'pair.error.unknown';
  const accepted = await acceptPairRequest(db, to.id, request.id, clock.now());
  return accepted.ok ? accepted.coupleId : accepted.reason;
}

/** Both answer the couple's open question, if there is one (the chat's gate, passed in order). */
async function answerOpenQuestion(changes: CoupleChanges, coupleId: number, ids: Record<Who, number>): Promise<boolean> {
  const db = changes.db;
  const open = await openQuestion(db, coupleId);
  if (!open) return false;
  const key = bankData.find((q) => q.ko === open.textKo)?.key ?? '';
  const answers = ANSWERS[key] ?? FALLBACK_ANSWER;
  for (const who of ['seoyeon', 'yoonseok'] as const) await answerQuestion(changes, coupleId, ids[who], open.id, answers[who]);
  return true;
}

/**
 * Makes the demo couple on a migrated database, or finishes one cut short; leaves a
 * complete one alone. Refuses (status 'conflict') when a demo ID is paired with someone else.
 */
export async function createDemo(db: Db, config: Config, clock: Clock): Promise<DemoResult> {
  for (const id of Object.values(DEMO_USERS)) if (loginIdError(id)) throw new Error(`demo ID ${id} breaks the ID rules`);
  if (passwordError(DEMO_PASSWORD)) throw new Error('the demo password breaks the password rules');

  const before = await demoUsers(db);
  const together = before.yoonseok?.couple_id != null && before.yoonseok.couple_id === before.seoyeon?.couple_id;
  for (const who of ['yoonseok', 'seoyeon'] as const) {
    if (before[who]?.couple_id != null && !together) {
      return { status: 'conflict', reason: `${DEMO_USERS[who]} is already paired with another account` };
    }
  }
  if (together) {
    const ids = { yoonseok: before.yoonseok!.id, seoyeon: before.seoyeon!.id };
    if (await isComplete(db, before.yoonseok!.couple_id!, ids)) return { status: 'exists', ...(await summary(db, before.yoonseok!.couple_id!, ids)) };
  }

  const yoonseok = await ensureUser(db, DEMO_USERS.yoonseok, clock);
  const seoyeon = await ensureUser(db, DEMO_USERS.seoyeon, clock);
  const ids: Record<Who, number> = { yoonseok: yoonseok.id, seoyeon: seoyeon.id };
  let coupleId = (await findUserById(db, yoonseok.id))!.couple_id;
  if (coupleId === null) {
    const paired = await pair(db, yoonseok, seoyeon, clock);
    if (typeof paired !== 'number') return { status: 'conflict', reason: `could not pair the demo accounts: ${paired}` };
    coupleId = paired;
  }

  // the conversation, as the chat route sends it (the gate: both answer an open question before going on)
  // the demo tells the original's walk-through, where each topic asks its question at once
  const context: WordContext = { bank: await questionBank(db), timeZone: config.timeZone, cadence: EVERY_TRIGGER_ASKS };
  const storage = createStorage(config.storage, db, clock);
  // no server, so no open stream to tell: the events wait in the log for the first page
  const changes = new CoupleChanges(db, clock, { published: async () => {} });
  for (const [i, step] of CONVERSATION.entries()) {
    await answerOpenQuestion(changes, coupleId, ids);
    const clientId = clientIdOf(i); // fixed: a second run stores nothing twice
    if ('say' in step) {
      await createMessage(changes, coupleId, { senderId: ids[step.who], body: step.say, clientId, context });
    } else {
      const bytes = 'photo' in step ? await demoPhoto(step.photo) : Buffer.from(step.text, 'utf8');
      const name = 'photo' in step ? step.name : step.file;
      const file = await storeFile(storage, coupleId, { stream: Readable.from([bytes]), name }, config.uploadMaxBytes);
      await sendFiles(changes, storage, coupleId, { senderId: ids[step.who], clientId, caption: '', context, files: [file] });
    }
  }
  await answerOpenQuestion(changes, coupleId, ids);

  // the plans ("일정"), dated from today in the app's zone; 생일 is the D-day
  const today = dayOf(clock.now(), config.timeZone);
  const existing = [...(await calendarEventsBetween(db, coupleId, '1900-01-01', '2999-12-31')).values()].flat();
  for (const plan of PLANS) {
    let row: CalendarEventRow | undefined = existing.find((e) => e.title === plan.title);
    row ??= await addCalendarEvent(changes, coupleId, plan.title === '생일' ? ids.seoyeon : ids.yoonseok, plan.date(today), plan.title);
    if (plan.dday && !(await currentDday(db, coupleId))) await markDday(changes, coupleId, row.id);
  }

  const createdNow = !before.yoonseok && !before.seoyeon;
  return { status: createdNow ? 'created' : 'completed', ...(await summary(db, coupleId, ids)) };
}

/** The last line of the conversation is there, and so are plans (the step after it). */
async function isComplete(db: Db, coupleId: number, ids: Record<Who, number>): Promise<boolean> {
  const lastStep = CONVERSATION.length - 1;
  const last = await messagesOf(db, coupleId).andWhere({ sender_id: ids[CONVERSATION[lastStep].who], client_id: clientIdOf(lastStep) }).first('id');
  const plans = await calendarEventsBetween(db, coupleId, '1900-01-01', '2999-12-31');
  return last !== undefined && plans.size > 0;
}

async function summary(db: Db, coupleId: number, userIds: Record<Who, number>) {
  const [{ n: messages }] = await db('messages').where({ couple_id: coupleId }).count({ n: '*' });
  const [{ n: answered }] = await db('couple_questions').where({ couple_id: coupleId }).whereNotNull('revealed_at').count({ n: '*' });
  return { coupleId, userIds, messages: Number(messages), questionsAnswered: Number(answered) };
}

async function main(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`config: ${err.message}`);
      return 1;
    }
    throw err;
  }
  const db = createDb(config.databaseUrl);
  try {
    await migrate(db);
    const result = await createDemo(db, config, systemClock);
    if (result.status === 'conflict') {
      console.error(`demo: ${result.reason}; nothing was changed. Delete or unpair that account, or use another database (DATABASE_URL).`);
      return 1;
    }
    const where = config.databaseUrl.replace(/\/\/[^@]*@/, '//***@');
    console.log(
      {
        created: `Demo couple created in ${where}:`,
        completed: `The demo couple in ${where} was incomplete (an earlier run stopped); it is finished now:`,
        exists: `The demo accounts already exist in ${where}; nothing was added:`,
      }[result.status],
    );
    console.log(`  ${result.messages} messages (the walk-through conversation, 4 photos, 2 files), ${result.questionsAnswered} questions answered by both, 5 plans, D-day 생일.`);
    console.log('');
    console.log(`Start the app on the same database:  npm start${process.env.DATABASE_URL ? ` (with the same DATABASE_URL)` : ''}`);
    console.log(`Then open http://localhost:${config.port} and log in (a private window for the second):`);
    console.log(`  ${DEMO_USERS.yoonseok.padEnd(15)} password ${DEMO_PASSWORD}   (윤석)`);
    console.log(`  ${DEMO_USERS.seoyeon.padEnd(15)} password ${DEMO_PASSWORD}   (서연)`);
    if (result.status === 'exists') console.log('(the password is the demo one unless it was changed on the account page)');
    return 0;
  } finally {
    await db.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
