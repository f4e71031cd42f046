// The hostile-input suite (tests/support/hostileSuite.ts says how it judges), chat forms: a
// message, a read mark, a plan, a ranking's excluded word, a break-up and an answer, each field
// filled with every hostile value.
import { describe, vi } from 'vitest';
import { backends } from '../../support/backends';
import { newClientId } from '../../support/chatHttp';
import { PASSWORD } from '../../support/client';
import { formSees, HOSTILE } from '../../support/hostile';
import { chars, isId, cleanText, cleanTitle, dateKind, escapeHtml, FORM_LIMIT, letters, looksBlank, short, type Case, type FormRoute, type Verdict } from '../../support/hostileCases';
import { hostileSuite } from '../../support/hostileSuite';
import { dayOf } from '../../../src/time';
import { addDays } from '../../../src/calendar/dates';

vi.mock('bcryptjs', async (original) => (await import('../../support/cheapBcrypt')).cheapBcrypt(await original()));

describe.each(backends())('hostile input (chat forms) on $name', (backend) => {
  const h = hostileSuite(backend, 'chat forms');
  const { app, M, nextSeq, uniq, slow, actor, postForm, formSize, questionForA, opensQuestion, runGroup, check, formCases } = h;

  const messageByClientId = (clientId: string) => app.db('messages').where({ couple_id: M.coupleId, client_id: clientId }).first('body', 'sender_id', 'id');
  const chatRoute = (): FormRoute => {
    return {
      route: 'POST /chat/messages',
      path: () => '/chat/messages',
      who: () => actor(M.a),
      base: () => ({ body: `hostile base text ${uniq()}`, client_id: `hs${uniq()}${newClientId()}`.slice(0, 40) }),
      fields: {
        body: (seen, values) => {
          const text = cleanText(seen);
          if (looksBlank(text) || chars(text) > 4000) return { expect: [422] };
          return {
            expect: 'accept',
            adds: { messages: 1 },
            serial: opensQuestion(text),
            verify: async (reply) => {
              if (reply.status >= 400) return null;
              const row = await messageByClientId(values.client_id);
              return row?.body === text ? null : `stored ${short(String(row?.body))} instead of ${short(text)}`;
            },
          };
        },
        client_id: (seen, values) => ({
          expect: 'accept',
          adds: { messages: 1 },
          verify: async () => {
            const rows = await app.db('messages').where({ couple_id: M.coupleId, body: values.body }).select('client_id');
            if (rows.length !== 1) return `${rows.length} messages with the base body`;
            const expected = /^[A-Za-z0-9_-]{8,64}$/.test(seen) ? seen : null;
            return expected === null || rows[0].client_id === expected ? null : `client_id stored as ${short(rows[0].client_id)}`;
          },
        }),
        // a reply: an id of one of the couple's messages still there (any id may be one), else refused
        reply_to: (seen) => (seen === '' ? { expect: 'accept', adds: { messages: 1 } } : isId(seen) ? { expect: 'either', adds: { messages: 1 } } : { expect: [422] }),
      },
      htmx: ['body', 'reply_to'],
    };
  };

  const eventByTitle = (title: string) => app.db('calendar_events').where({ couple_id: M.coupleId, title }).select('date', 'title');
  const calendarRoute = (): FormRoute => ({
    route: 'POST /calendar/events',
    path: () => '/calendar/events',
    who: () => actor(M.a),
    base: () => ({ date: '2026-03-14', title: `plan ${uniq()}`, month: '2026-03' }),
    fields: {
      date: (seen, values) => {
        const kind = dateKind(seen.trim());
        if (kind === 'invalid') return { expect: [422] };
        return {
          expect: kind === 'far' ? 'either' : 'accept',
          adds: { calendar_events: 1 },
          verify: async (reply) => {
            if (reply.status >= 400) return null;
            const rows = await eventByTitle(values.title);
            return rows.length === 1 && rows[0].date === seen.trim() ? null : `stored ${JSON.stringify(rows)}`;
          },
        };
      },
      title: (seen) => {
        const title = cleanTitle(seen);
        if (looksBlank(title) || chars(title) > 100) return { expect: [422] };
        return {
          expect: 'accept',
          adds: { calendar_events: 1 },
          verify: async () => ((await eventByTitle(title)).length >= 1 ? null : `no plan titled ${short(title)}`),
        };
      },
      month: () => ({ expect: 'accept', adds: { calendar_events: 1 } }),
    },
    htmx: ['date', 'title'],
  });

  /** A word for the ranking's exclusions: one word, no spaces, a letter in it, at most 40 characters (which words count is the tokenizer's business). */
  const rankWordVerdict = (seen: string): Verdict => {
    const word = seen.trim();
    if (word === '' || /\s/u.test(word) || chars(word) > 40 || !/\p{L}/u.test(word)) return { expect: [422] };
    return { expect: seen === '사과를' ? 'accept' : 'either' };
  };

  describe('form fields', () => {
    slow('POST /chat/messages: body, client_id and reply_to', async () => {
      check(
        await runGroup({
          name: 'chat messages',
          build: () => formCases(chatRoute()),
          announces: { table: 'messages', type: 'message' },
          tracked: ['messages'],
          side: ['events', 'couples', 'word_counts', 'couple_questions', 'answers'],
          after: async () => {
            // what was accepted shows escaped to the partner, in the page and in search
            const problems: string[] = [];
            const script = await app.db('messages').where({ couple_id: M.coupleId, body: '<script>alert("xss")</script>' }).first('id');
            if (!script) problems.push('the <script> message was not stored');
            for (const path of ['/chat', `/chat?around=${script?.id}`, '/chat/search?q=script', '/chat/search?q=img', '/answers', '/chat/export']) {
              const page = await M.b.get(path);
              if (page.status !== 200) problems.push(`GET ${path} after the sends: ${page.status}`);
              if (path.startsWith('/chat/export')) continue;
              for (const h of HOSTILE) if (/<[a-z%]/i.test(h.value) && page.text.includes(h.value)) problems.push(`GET ${path} shows <${h.label}> as markup`);
              if (path.includes('around') && !page.text.includes(escapeHtml('<script>alert("xss")</script>'))) problems.push('the partner does not see the <script> message as text');
            }
            return problems;
          },
        }),
      );
    });

    slow('POST /chat/messages/:id/reactions: emoji', async () => {
      const target = Number((await app.db('messages').where({ couple_id: M.coupleId, deleted_at: null }).orderBy('id', 'desc').first('id'))?.id ?? 0) || null;
      if (!target) throw new Error('no message of the couple to react to');
      check(
        await runGroup({
          name: 'reactions',
          build: () =>
            formCases({
              route: 'POST /chat/messages/:id/reactions',
              path: () => `/chat/messages/${target}/reactions`,
              who: () => actor(M.b),
              base: () => ({ emoji: '❤️' }),
              // one of the five (a lone ❤ is the heart too) toggles my reaction; anything else is refused
              fields: { emoji: (seen) => (['❤️', '❤', '😂', '😮', '😢', '👍'].includes(seen) ? { expect: 'accept' } : { expect: [422] }) },
              htmx: ['emoji'],
            }),
          side: ['message_reactions', 'events', 'couples'],
          after: async () => {
            const rows = await app.db('message_reactions').where({ couple_id: M.coupleId }).select('emoji', 'message_id');
            return rows.filter((r) => !['❤️', '😂', '😮', '😢', '👍'].includes(String(r.emoji)) || Number(r.message_id) !== target).map((r) => `a reaction ${short(String(r.emoji))} stored`);
          },
        }),
      );
    });

    slow('POST /chat/read: up_to', async () => {
      check(
        await runGroup({
          name: 'read mark',
          build: () =>
            formCases({
              route: 'POST /chat/read',
              path: () => '/chat/read',
              who: () => actor(M.a),
              base: () => ({ up_to: '1' }),
              // an up_to that is not one of ours is ignored (a report of what the page saw): no change either way
              fields: { up_to: () => ({ expect: 'either' }) },
              htmx: ['up_to'],
            }),
        }),
      );
    });

    slow('POST /calendar/events: date, title, month', async () => {
      const blankDateMonth = (): Case[] =>
        HOSTILE.filter((h) => h.value.length < 50_000).map((h) => ({
          label: `POST /calendar/events date=<empty> month=<${h.label}>`,
          expect: [422],
          hostile: h.value,
          send: postForm(actor(M.a), '/calendar/events', [
            ['date', ''],
            ['title', 'a plan'],
            ['month', h.value],
          ]),
        }));
      check(
        await runGroup({
          name: 'calendar events',
          build: () => [...formCases(calendarRoute()), ...blankDateMonth()],
          announces: { table: 'calendar_events', type: 'calendar' },
          tracked: ['calendar_events'],
          side: ['events', 'couples'],
        }),
      );
    });

    slow('POST /rank/excluded/delete and /rank/excluded: word, n', async () => {
      const rank = (path: string): FormRoute => ({
        route: `POST ${path}`,
        path: () => path,
        who: () => actor(M.a),
        base: () => ({ word: `hostile${letters(nextSeq())}`, n: '5' }),
        fields: { word: (seen) => rankWordVerdict(seen), n: () => ({ expect: 'accept' }) },
        htmx: ['word'],
      });
      check(await runGroup({ name: 'rank restore', build: () => formCases(rank('/rank/excluded/delete')) }));
      check(
        await runGroup({
          name: 'rank exclude',
          build: () => formCases(rank('/rank/excluded')),
          side: ['rank_exclusions'],
          after: async (accepted) => {
            const rows = await app.db('rank_exclusions').where({ couple_id: M.coupleId }).select('word');
            const bad = rows.filter((r) => chars(String(r.word)) > 40 || !String(r.word).isWellFormed() || /\s/u.test(String(r.word)));
            return [
              ...(rows.length > accepted ? [`${rows.length} exclusions for ${accepted} accepted requests`] : []),
              ...bad.map((r) => `an exclusion that is not one word: ${short(String(r.word))}`),
            ];
          },
        }),
      );
    });

    slow('POST /couple/breakup: password (and cancel with nothing pending)', async () => {
      check(
        await runGroup({
          name: 'break-up',
          build: () => [
            ...formCases({
              route: 'POST /couple/breakup',
              path: () => '/couple/breakup',
              who: () => actor(M.a),
              base: () => ({ password: PASSWORD }),
              fields: { password: () => ({ expect: 'refuse' }) },
              htmx: ['password'],
            }),
            ...formCases(
              {
                route: 'POST /couple/breakup/cancel',
                path: () => '/couple/breakup/cancel',
                who: () => actor(M.a),
                base: () => ({}),
                fields: { password: () => ({ expect: [409] }) },
                htmx: ['password'],
              },
              HOSTILE.filter((h) => h.value.length < 1000),
            ),
          ],
        }),
      );
    });

    slow('POST /couple/profile: partner_nickname, started_on, birthday', async () => {
      const today = dayOf(app.app.context.deps.clock.now(), 'Asia/Seoul');
      const dateVerdict = (seen: string): Verdict => {
        const date = seen.slice(0, 40).trim();
        if (date === '') return { expect: 'accept' }; // none: the pairing day, no birthday
        if (dateKind(date) !== 'valid') return { expect: [422] };
        return { expect: date > today ? [422] : 'accept' };
      };
      const profileRoute: FormRoute = {
        route: 'POST /couple/profile',
        path: () => '/couple/profile',
        who: () => actor(M.a),
        base: () => ({ partner_nickname: '자기', started_on: '2020-02-02', birthday: '1990-01-01' }),
        fields: {
          partner_nickname: (seen) => {
            const name = cleanText(seen.slice(0, 200)).replace(/\s+/g, ' ');
            if (chars(name) > 20) return { expect: [422] };
            return {
              expect: 'accept',
              serial: true, // one at a time, so the name read back is this case's
              verify: async (reply) => {
                if (reply.status >= 400) return null;
                const row = await app.db('users').where({ id: M.aId }).first('partner_nickname');
                const expected = looksBlank(name) ? null : name;
                return row?.partner_nickname === expected ? null : `nickname stored as ${short(String(row?.partner_nickname))} instead of ${short(String(expected))}`;
              },
            };
          },
          started_on: dateVerdict,
          birthday: dateVerdict,
        },
        htmx: ['partner_nickname', 'started_on'],
      };
      check(
        await runGroup({
          name: 'couple profile',
          build: () => formCases(profileRoute),
          side: ['events', 'couples', 'users'],
          after: async () => {
            // what was accepted shows escaped to the partner, where the name shows
            const problems: string[] = [];
            for (const path of ['/chat', '/couple', '/calendar', '/answers', '/rank']) {
              const page = await M.a.get(path);
              if (page.status !== 200) problems.push(`GET ${path} → ${page.status}`);
              if (/<script>alert/.test(page.text)) problems.push(`GET ${path} shows a name unescaped`);
            }
            await M.a.post('/couple/profile', { partner_nickname: '', started_on: '', birthday: '' });
            return problems;
          },
        }),
      );
    });

    slow('POST /calendar/dday/mark: date', async () => {
      // the couple's 100일, counted from 사귄 날 or else the pairing day
      const couple = await app.db('couples').where({ id: M.coupleId }).first('started_at', 'started_on');
      const hundred = addDays(couple.started_on ?? dayOf(Number(couple.started_at), 'Asia/Seoul'), 99);
      check(
        await runGroup({
          name: 'D-day of a day of our own',
          build: () =>
            formCases({
              route: 'POST /calendar/dday/mark',
              path: () => '/calendar/dday/mark',
              who: () => actor(M.a),
              base: () => ({ date: hundred }),
              fields: { date: (seen) => (seen.trim() === hundred ? { expect: 'accept' } : { expect: dateKind(seen.trim()) === 'invalid' ? [422] : 'either' }) },
              htmx: ['date'],
            }),
          side: ['events', 'couples', 'calendar_events'],
          after: async () => {
            await M.a.get('/couple');
            const marked = await M.a.post('/calendar/dday/mark', { date: hundred });
            if (marked.status !== 303) return [`the 100일 itself → ${marked.status}`];
            const plans = await app.db('calendar_events').where({ couple_id: M.coupleId, date: hundred }).whereNull('deleted_at').select('title', 'dday');
            return plans.length === 1 && Number(plans[0].dday) === 1 ? [] : [`the 100일 as plans: ${JSON.stringify(plans)}`];
          },
        }),
      );
    });

    slow('POST /questions/:id/answer: answer, back and the kept message, one open question at a time', async () => {
      let qid = 0;
      const cases: Case[] = [];
      const answerCase = (label: string, fields: Record<string, string>, verdict: (seen: Record<string, string>) => Verdict): Case => {
        const pairs = Object.entries(fields) as [string, string][];
        const seen = Object.fromEntries(pairs.map(([k, v]) => [k, formSees(v)]));
        const v: Verdict = formSize(pairs) > FORM_LIMIT ? { expect: [413] } : verdict(seen);
        return {
          label,
          expect: v.expect,
          hostile: Object.values(fields).find((x) => /</.test(x)),
          prepare: async () => {
            qid = await questionForA();
          },
          verify: v.verify,
          send: postForm(actor(M.a), () => `/questions/${qid}/answer`, pairs),
        };
      };
      const answerVerdict = (seen: Record<string, string>): Verdict => {
        const text = cleanText(seen.answer);
        if (looksBlank(text) || chars(text) > 500) return { expect: [422] };
        return {
          expect: 'accept',
          verify: async () => {
            const row = await app.db('answers').where({ couple_question_id: qid, user_id: M.aId }).first('body');
            return row?.body === text ? null : `answer stored as ${short(String(row?.body))} instead of ${short(text)}`;
          },
        };
      };
      for (const h of HOSTILE) cases.push(answerCase(`POST /questions/:id/answer answer=<${h.label}>`, { answer: h.value }, answerVerdict));
      for (const h of HOSTILE.filter((x) => x.value.length < 1000).slice(0, 30))
        cases.push(answerCase(`POST /questions/:id/answer back=<${h.label}>`, { answer: 'sure', back: h.value }, () => ({ expect: 'accept' })));
      for (const h of HOSTILE.filter((x) => x.value.length < 5000))
        cases.push(
          answerCase(`POST /questions/:id/answer body=<${h.label}> (the message kept back)`, { answer: 'sure', body: h.value, client_id: newClientId() }, (seen) => {
            const text = cleanText(seen.body);
            return {
              expect: 'accept',
              verify: async () => {
                if (looksBlank(text) || chars(text) > 4000) return null;
                const row = await messageByClientId(seen.client_id);
                return row?.body === text ? null : `kept message stored as ${short(String(row?.body))} instead of ${short(text)}`;
              },
            };
          }),
        );
      check(
        await runGroup({
          name: 'answers',
          build: () => cases,
          perCase: true,
          tracked: ['answers'],
          side: ['couple_questions', 'events', 'couples', 'messages', 'word_counts'],
        }),
      );
    });
  });

  h.finish();
});
