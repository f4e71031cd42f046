// Who and what the hostile-input suite's cases act on (tests/http/hostile/*.test.ts): a
// couple whose requests are hostile (M), another couple (X) nothing of whose may change or
// show, singles for the pairing, account and Web Push routes, and the ids of things that
// are not M's. The objects are made at once and filled in by populate() in a beforeAll, so
// that a test file may take them apart when it is collected.
import { randomBytes } from 'node:crypto';
import { questionBank as bankQuestions } from '../../migrations/data/questionBank';
import { newClientId, send as sendMessage, type Couple } from './chatHttp';
import { Client, PASSWORD, signUp } from './client';
import { HX } from './hostileCases';
import { multipartBody, newPushKeys, send } from './hostile';
import type { TestApp } from './testApp';
import { jpeg } from './uploads';

export interface HostileWorld {
  M: Couple;
  X: Couple;
  ids: { xMessage: number; xFile: number; xEvent: number; xQuestion: number; mFile: number; foreignRequest: number; pushUser: number };
  logins: { s1: string; s2: string; acct: string; pw: string; del: string; loginTarget: string; logout: string; push: string };
  users: {
    /** single, for pairing */
    s1: Client;
    /** single, for account settings, deletion (wrong password) and the language switch */
    acct: Client;
    /** single, whose password the suite changes */
    pw: Client;
    /** not logged in, with a CSRF cookie and token */
    anon: Client;
    /**
     * single, for Web Push: a single user is never notified, so no subscription the suite stores is ever sent to;
     * its previews are off between the push groups (an unreadable form reads as an unticked box: off, a no-op then)
     */
    push: Client;
  };
  /** the other couple's subscription: nobody else may remove it */
  xEndpoint: string;
  /** pw's password as the suite last changed it */
  password: { pw: string };
  /** a word that opens a question, one per question, in bank order (the first goes to the other couple) */
  triggers: { words: string[]; next: number };
}

export function newWorld(): HostileWorld {
  const stem = randomBytes(2).toString('hex');
  return {
    M: {} as Couple,
    X: {} as Couple,
    ids: { xMessage: 0, xFile: 0, xEvent: 0, xQuestion: 0, mFile: 0, foreignRequest: 0, pushUser: 0 },
    logins: { s1: `hs1_${stem}`, s2: `hs2_${stem}`, acct: `hacct_${stem}`, pw: `hpw_${stem}`, del: `hdel_${stem}`, loginTarget: `hlog_${stem}`, logout: `hout_${stem}`, push: `hpush_${stem}` },
    users: {} as HostileWorld['users'],
    xEndpoint: `http://127.0.0.1:9/push/other-couple-${stem}`,
    password: { pw: PASSWORD },
    triggers: { words: bankQuestions.map((q) => q.triggers.en[0]).filter((w): w is string => Boolean(w)), next: 1 },
  };
}

async function sendPhoto(app: TestApp, from: Client, name: string, data: Buffer) {
  const photo = multipartBody([{ name: 'client_id', value: newClientId() }, { name: 'file', filename: name, contentType: 'image/jpeg', data }]);
  await send(app.url + '/chat/uploads', 'POST', { cookie: from.cookieHeader(), 'x-csrf-token': from.csrf, 'content-type': photo.contentType }, photo.body);
}

const firstId = async (app: TestApp, table: string, where: Record<string, unknown> = {}) => Number((await app.db(table).where(where).orderBy('id').first('id')).id);

/** The couples' things: a message, a photo, a plan each; the other couple's excluded word and open question. */
async function populateCouples(app: TestApp, w: HostileWorld, couple: (tag: string) => Promise<Couple>) {
  const { M, X, ids } = w;
  Object.assign(M, await couple('hm'));
  Object.assign(X, await couple('hx'));

  ids.xMessage = await sendMessage(X.a, 'other couple hello');
  await sendPhoto(app, X.a, 'x.jpg', await jpeg());
  ids.xFile = await firstId(app, 'files', { couple_id: X.coupleId });
  await X.a.get('/calendar');
  await X.a.post('/calendar/events', { date: '2026-05-01', title: 'their plan' });
  ids.xEvent = await firstId(app, 'calendar_events', { couple_id: X.coupleId });
  await X.a.get('/rank');
  await X.a.post('/rank/excluded', { word: 'theirword' });
  await sendMessage(X.a, w.triggers.words[0]);
  ids.xQuestion = await firstId(app, 'couple_questions', { couple_id: X.coupleId });

  await sendMessage(M.a, 'hello there');
  await sendMessage(M.b, 'hi back');
  await sendPhoto(app, M.a, 'photo.jpg', await jpeg(120, 90));
  ids.mFile = await firstId(app, 'files', { couple_id: M.coupleId });
  await M.a.get('/calendar');
  await M.a.post('/calendar/events', { date: '2026-03-01', title: 'our plan' });
}

/** The singles: s1 (pairing), acct (account pages), pw (password changes), del (deletion), and a request between two others. */
async function populateSingles(app: TestApp, w: HostileWorld) {
  const { logins, users, ids } = w;
  users.s1 = await signUp(app.url, logins.s1);
  await signUp(app.url, logins.s2);
  users.acct = await signUp(app.url, logins.acct);
  users.pw = await signUp(app.url, logins.pw);
  for (const login of [logins.del, logins.loginTarget, logins.logout]) await signUp(app.url, login);
  const stem = logins.s1.replace('hs1_', '');
  const [s3, s4] = [`hs3_${stem}`, `hs4_${stem}`];
  const third = await signUp(app.url, s3);
  await signUp(app.url, s4);
  await third.get('/pair');
  await third.post('/pair/requests', { login_id: s4 });
  ids.foreignRequest = Number((await app.db('pair_requests').orderBy('id', 'desc').first('id')).id);
  for (const c of [users.s1, users.acct, users.pw]) await c.get('/pair');
  await users.acct.get('/account');
  await users.pw.get('/account');
  users.anon = new Client(app.url);
  await users.anon.get('/login');
}

/**
 * Web Push: the push user with previews off; the other couple with a subscription (on a
 * loopback port nothing listens on), made once their own sends above have been notified.
 */
async function populatePush(app: TestApp, w: HostileWorld) {
  const { logins, users, ids, X } = w;
  users.push = await signUp(app.url, logins.push);
  await users.push.get('/account');
  ids.pushUser = await firstId(app, 'users', { login_id: logins.push });
  if ((await users.push.post('/account/push-previews', { previews: 'off' })).status !== 303) throw new Error('could not turn previews off');
  await app.app.context.push.idle();
  await X.b.get('/account');
  if ((await X.b.post('/push/subscriptions', { endpoint: w.xEndpoint, ...newPushKeys() }, HX)).status !== 204) throw new Error("could not subscribe the other couple's device");
}

export async function populate(app: TestApp, w: HostileWorld, couple: (tag: string) => Promise<Couple>): Promise<void> {
  await populateCouples(app, w, couple);
  await populateSingles(app, w);
  await populatePush(app, w);
}
