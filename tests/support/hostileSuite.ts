// One file's share of the hostile-input suite (tests/http/hostile/*.test.ts): its own app
// over a fresh database, the world its cases act on (hostileWorld.ts), the requests they
// send, and the running of a group of cases. For each case: never a 5xx; a refusal is a 4xx
// with a human message and changes nothing; what is accepted is stored exactly as the
// rules say (and shown escaped, never as markup). Each file prints its count for CI
// ("hostile-input suite, <part>: N cases on sqlite") and ends with finish(): every route
// is some file's to sweep, this file's are tried, the process is healthy and the other
// couple untouched. HOSTILE_LOG=path writes every case's status there (one line each).
import { appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { questionBank, triggeredQuestions } from '../../src/questions/bank';
import type { Backend } from './backends';
import { send as sendMessage } from './chatHttp';
import type { Client } from './client';
import { changes, formSees, HOSTILE, messageOf, pool, send, snapshot, urlencoded, type Hostile, type Snapshot } from './hostile';
import { FORM, FORM_LIMIT, HX, judge, SWEEPS, triesRoute, UPLOAD_MAX, type Actor, type Case, type FormRoute, type Group, type Outcome, type Verdict } from './hostileCases';
import { newWorld, populate } from './hostileWorld';
import { httpSuite } from './httpSuite';
import { answerOk } from './questions';
import { routerRoutes } from './routeTable';

const CONCURRENCY = 8;
const GROUP_TIMEOUT = 180_000;

export function hostileSuite(backend: Backend, part: keyof typeof SWEEPS) {
  const { app, couple } = httpSuite(backend, { config: { uploadMaxBytes: UPLOAD_MAX } });
  const world = newWorld();
  const { M, X, triggers } = world;
  let initial: Snapshot;
  let bank: Awaited<ReturnType<typeof questionBank>>;
  const stats = { total: 0, groups: [] as [string, number][], labels: new Set<string>() };
  const appErrors: string[] = [];
  let seq = 0;
  const nextSeq = () => ++seq;
  const uniq = () => `${nextSeq()}${randomBytes(2).toString('hex')}`;
  const nextTriggerWord = () => triggers.words[triggers.next++];

  /** A group of cases: one test, with room for all of them on a slow machine. */
  const slow = (name: string, fn: () => Promise<void>) => it(name, fn, GROUP_TIMEOUT);

  // ---- actors and requests ------------------------------------------------------------------

  const actor = (c: Client): Actor => ({ cookie: () => c.cookieHeader(), csrf: () => c.csrf });
  const nobody: Actor = { cookie: () => '', csrf: () => '' };

  const baseHeaders = (who: Actor, extra: Record<string, string> = {}): Record<string, string> => ({
    'accept-language': 'en',
    ...(who.cookie() ? { cookie: who.cookie() } : {}),
    ...extra,
  });

  /** A form as the page sends it: token in the body (htmx: in the header too). */
  function postForm(who: Actor | (() => Promise<Actor>), path: string | (() => string), pairs: [string, string][], opts: { htmx?: boolean; headers?: Record<string, string> } = {}) {
    return async (): Promise<Outcome> => {
      const w = typeof who === 'function' ? await who() : who;
      const body = urlencoded([['_csrf', w.csrf()], ...pairs]);
      const headers = baseHeaders(w, { 'content-type': FORM, ...(opts.htmx ? { ...HX, 'X-CSRF-Token': w.csrf() } : {}), ...opts.headers });
      return send(app.url + (typeof path === 'function' ? path() : path), 'POST', headers, body);
    };
  }
  const formSize = (pairs: [string, string][]) => Buffer.byteLength(urlencoded([['_csrf', 'x'.repeat(32)], ...pairs]));

  const get = (who: Actor, path: string, headers: Record<string, string> = {}) => () => send(app.url + path, 'GET', baseHeaders(who, headers));
  const tooLongUrl = (path: string) => path.length > 15_000;

  // ---- state between groups -----------------------------------------------------------------

  async function openQuestion(coupleId: number) {
    return app.db('couple_questions').where({ couple_id: coupleId }).whereNull('revealed_at').orderBy('id', 'desc').first('id');
  }
  async function answeredBy(questionId: number): Promise<number[]> {
    return (await app.db('answers').where({ couple_question_id: questionId }).pluck('user_id')).map(Number);
  }

  /** Both partners answer whatever question is open (so chatting is not held up). */
  async function settleQuestions() {
    for (let round = 0; round < 5; round++) {
      const open = await openQuestion(M.coupleId);
      if (!open) return;
      const who = await answeredBy(Number(open.id));
      for (const [client, id] of [
        [M.a, M.aId],
        [M.b, M.bId],
      ] as const) {
        if (!who.includes(id)) await answerOk(client, Number(open.id), 'fine');
      }
    }
    throw new Error('questions keep opening');
  }

  /** Questions answered, no break-up pending, both read marks current: the state every group starts from. */
  async function settle() {
    await settleQuestions();
    const couple = await app.db('couples').where({ id: M.coupleId }).first('breakup_due_at');
    if (couple?.breakup_due_at != null) {
      await M.a.get('/account');
      await M.a.post('/couple/breakup/cancel');
    }
    await M.a.get('/chat');
    await M.b.get('/chat');
  }

  /** An open question that M.b has answered and M.a has not (opening one with a trigger word from M.b if need be). */
  async function questionForA(): Promise<number> {
    for (;;) {
      const open = await openQuestion(M.coupleId);
      if (open) {
        const who = await answeredBy(Number(open.id));
        if (!who.includes(M.bId)) await answerOk(M.b, Number(open.id), 'ok');
        if (!who.includes(M.aId)) return Number(open.id);
        continue;
      }
      const word = nextTriggerWord();
      if (!word) throw new Error('the bank ran out of questions for this suite');
      await sendMessage(M.b, word);
    }
  }

  const opensQuestion = (text: string) => triggeredQuestions(text, bank).length > 0;

  // ---- running a group ----------------------------------------------------------------------

  async function runGroup(g: Group): Promise<string[]> {
    const problems: string[] = [];
    await settle();
    const cases = await g.build();
    const before = await snapshot(app.db);
    const adds: Record<string, number> = {};
    let accepted = 0;
    const allowed = new Set([...(g.tracked ?? []), ...(g.side ?? [])]);

    const one = async (c: Case) => {
      stats.total++;
      stats.labels.add(c.label);
      if (c.prepare) await c.prepare();
      const caseBefore = g.perCase ? await snapshot(app.db) : null;
      const r = await c.send();
      const found = judge(c, r);
      if (process.env.HOSTILE_LOG) appendFileSync(process.env.HOSTILE_LOG, `${backend.name}\t${g.name}\t${r.status}\t${c.label}\t${messageOf(r).slice(0, 60).replace(/\s+/g, ' ')}\n`);
      const ok = r.status > 0 && r.status < 400;
      if (ok) {
        accepted++;
        for (const [table, n] of Object.entries(c.adds ?? {})) adds[table] = (adds[table] ?? 0) + n;
      }
      if (c.verify && r.status > 0 && r.status < 500) {
        const v = await c.verify(r);
        if (v) found.push(v);
      }
      if (caseBefore) {
        const d = changes(caseBefore, await snapshot(app.db));
        for (const [table, ch] of Object.entries(d)) {
          if (!ok) found.push(`refused (${r.status}) yet ${table} changed: +${ch.added.length} −${ch.removed.length}`);
          else if (!allowed.has(table)) found.push(`${table} changed: +${ch.added.length} −${ch.removed.length} ${JSON.stringify(ch.added[0] ?? ch.removed[0]).slice(0, 200)}`);
        }
      }
      if (c.serial) await settleQuestions();
      for (const f of found) problems.push(`${c.label} → ${f}`);
    };

    await pool(
      cases.filter((c) => !c.serial && !g.perCase),
      CONCURRENCY,
      one,
    );
    for (const c of cases.filter((c) => c.serial || g.perCase)) await one(c);

    const d = changes(before, await snapshot(app.db));
    for (const [table, ch] of Object.entries(d)) {
      const touchesX = [...ch.added, ...ch.removed].some(
        (row) => String(row.couple_id) === String(X.coupleId) || ([X.aId, X.bId].map(String).includes(String(row.id)) && table === 'users') || [X.aId, X.bId].map(String).includes(String(row.user_id)),
      );
      if (touchesX) problems.push(`${g.name}: the other couple's ${table} changed`);
      if (g.perCase) continue;
      if (g.tracked?.includes(table)) {
        if (ch.added.length !== (adds[table] ?? 0)) problems.push(`${g.name}: ${table} gained ${ch.added.length} rows; the accepted requests account for ${adds[table] ?? 0}`);
        if (ch.removed.length) problems.push(`${g.name}: ${table} lost or changed ${ch.removed.length} rows: ${JSON.stringify(ch.removed[0]).slice(0, 200)}`);
      } else if (!(g.side?.includes(table) && accepted > 0)) {
        problems.push(`${g.name}: ${table} changed (+${ch.added.length} −${ch.removed.length}): ${JSON.stringify(ch.added[0] ?? ch.removed[0]).slice(0, 240)}`);
      }
    }
    if (g.announces) {
      const rows = d[g.announces.table]?.added.length ?? 0;
      const events = (d.events?.added ?? []).filter((e) => e.type === g.announces!.type && String(e.couple_id) === String(M.coupleId)).length;
      if (rows !== events) problems.push(`${g.name}: ${rows} new ${g.announces.table} rows but ${events} '${g.announces.type}' events`);
    }
    if (g.after) problems.push(...(await g.after(accepted)));
    stats.groups.push([g.name, cases.length]);
    return problems;
  }

  function check(problems: string[]) {
    if (problems.length) console.log(`[${backend.name}] ${problems.length} problems:\n  ${problems.slice(0, 80).join('\n  ')}`);
    expect(problems).toEqual([]);
  }

  // ---- field fuzzing ------------------------------------------------------------------------

  function formCases(r: FormRoute, values: readonly Hostile[] = HOSTILE): Case[] {
    const out: Case[] = [];
    for (const [field, oracle] of Object.entries(r.fields)) {
      for (const h of values) {
        for (const htmx of r.htmx?.includes(field) ? [false, true] : [false]) {
          const fields = { ...r.base(), [field]: h.value };
          const twin = r.twins?.[field];
          if (twin) fields[twin] = h.value;
          const pairs = Object.entries(fields) as [string, string][];
          const seen = Object.fromEntries(pairs.map(([k, v]) => [k, formSees(v)]));
          const v: Verdict = formSize(pairs) > FORM_LIMIT ? { expect: [413] } : oracle(seen[field], seen);
          out.push({
            label: `${r.route} ${field}=<${h.label}>${htmx ? ' [htmx]' : ''}`,
            expect: v.expect,
            hostile: h.value,
            verify: v.verify,
            adds: v.adds,
            serial: v.serial,
            send: postForm(r.who(), r.path(), pairs, { htmx }),
          });
        }
      }
    }
    return out;
  }


  // ---- set-up -------------------------------------------------------------------------------

  beforeAll(async () => {
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      const [first, err] = args;
      const e = err as Error | undefined;
      appErrors.push(`${String(first)} ${e?.stack ?? String(err ?? '')}`.slice(0, 1500));
    });
    bank = await questionBank(app.db);
    await populate(app, world, couple);
    for (const text of ['hostile base text', 'hostile caption']) {
      if (opensQuestion(text)) throw new Error(`the base text "${text}" opens a question: pick another`);
    }
    await settle();
    initial = await snapshot(app.db);
  });

  afterAll(() => {
    vi.restoreAllMocks();
    if (appErrors.length) {
      const unique = [...new Set(appErrors.map((e) => e.split('\n').slice(0, 6).join('\n')))];
      console.log(`[${backend.name}] the app logged ${appErrors.length} errors (${unique.length} distinct):\n${unique.slice(0, 20).join('\n---\n')}`);
    }
    console.log(`hostile-input suite, ${part}: ${stats.total} cases on ${backend.name}`);
    console.log(`  by group: ${stats.groups.map(([g, n]) => `${g} ${n}`).join(', ')}`);
  });

  // ---- afterwards ---------------------------------------------------------------------------

  /** The file's last tests: the routes it sweeps were tried, every route is some file's, and the app came through whole. */
  function finish() {
    it('has tried every route it sweeps; every route the routers serve is some file’s to sweep (a new route needs its cases)', () => {
      const swept: string[] = Object.values(SWEEPS).flat();
      expect(routerRoutes().map(({ method, path }) => `${method} ${path}`).filter((route) => !swept.includes(route))).toEqual([]);
      const tried = [...stats.labels];
      expect(SWEEPS[part].filter((route: string) => !tried.some((label) => triesRoute(label, route)))).toEqual([]);
    });

    slow('afterwards: the process is healthy, the other couple untouched, no 5xx logged', async () => {
      const health = await send(app.url + '/healthz', 'GET', {});
      expect(health.status).toBe(200);
      expect(JSON.parse(health.text)).toMatchObject({ status: 'ok', db: 'ok' });
      expect(process.pid).toBeGreaterThan(0);
      const now = await snapshot(app.db);
      // still serving pages as before
      expect((await M.a.get('/chat')).status).toBe(200);
      expect((await X.b.get('/chat')).status).toBe(200);
      const theirs = (s: Snapshot) =>
        Object.fromEntries(
          Object.entries(s).map(([table, rows]) => [
            table,
            [...rows.keys()].filter((row) => {
              const r = JSON.parse(row);
              return String(r.couple_id) === String(X.coupleId) || (table === 'users' && [X.aId, X.bId].includes(Number(r.id))) || [X.aId, X.bId].includes(Number(r.user_id));
            }).sort(),
          ]),
        );
      expect(theirs(now)).toEqual(theirs(initial));
      const serverErrors = appErrors.filter((e) => e.startsWith('error on'));
      expect(serverErrors.map((e) => e.split('\n')[0])).toEqual([]);
    });
  }

  return { app, ...world, stats, nextSeq, uniq, nextTriggerWord, slow, actor, nobody, baseHeaders, postForm, formSize, get, tooLongUrl, questionForA, opensQuestion, runGroup, check, formCases, finish };
}
