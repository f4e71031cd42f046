// The hostile-input suite (tests/support/hostileSuite.ts says how it judges), account forms:
// pairing, settings and the language switch, deletion, password changes, sign-up, log-in and
// the "come back to" paths, each field filled with every hostile value.
import { describe, vi } from 'vitest';
import { backends } from '../../support/backends';
import { Client, logIn, PASSWORD } from '../../support/client';
import { formSees, HOSTILE, OFFSITE_PATHS, urlencoded } from '../../support/hostile';
import { FORM, FORM_LIMIT, loginIdOk, passwordOk, short, type Case } from '../../support/hostileCases';
import { hostileSuite } from '../../support/hostileSuite';

vi.mock('bcryptjs', async (original) => (await import('../../support/cheapBcrypt')).cheapBcrypt(await original()));

describe.each(backends())('hostile input (account forms) on $name', (backend) => {
  const h = hostileSuite(backend, 'account forms');
  const { app, M, logins, users, password, uniq, slow, actor, postForm, formSize, runGroup, check, formCases } = h;

  describe('form fields', () => {
    slow('POST /pair/requests: login_id', async () => {
      check(
        await runGroup({
          name: 'pair requests',
          build: () =>
            formCases({
              route: 'POST /pair/requests',
              path: () => '/pair/requests',
              who: () => actor(users.s1),
              base: () => ({ login_id: logins.s2 }),
              fields: { login_id: () => ({ expect: [422] }) },
              htmx: ['login_id'],
            }),
        }),
      );
    });

    slow('POST /account/settings and /language: language, week_start, time_zone, back', async () => {
      check(
        await runGroup({
          name: 'settings',
          build: () => [
            ...formCases({
              route: 'POST /account/settings',
              path: () => '/account/settings',
              who: () => actor(users.acct),
              base: () => ({ language: 'en', week_start: '1', time_zone: 'Asia/Seoul' }),
              fields: {
                language: (seen) => ({ expect: seen === 'en' || seen === 'ko' ? 'accept' : [422] }),
                week_start: (seen) => ({ expect: seen === '0' || seen === '1' ? 'accept' : [422] }),
                time_zone: (seen) => ({ expect: seen === '' ? 'accept' : [422] }),
              },
            }),
            ...formCases({
              route: 'POST /language',
              path: () => '/language',
              who: () => actor(users.acct),
              base: () => ({ language: 'en', back: '/account' }),
              fields: { language: () => ({ expect: [303] }), back: () => ({ expect: [303] }) },
            }),
          ],
          side: ['users'],
          after: async () => {
            const row = await app.db('users').where({ login_id: logins.acct }).first('language', 'week_start', 'time_zone');
            return ['en', 'ko'].includes(String(row.language)) && [0, 1].includes(Number(row.week_start)) ? [] : [`settings left as ${JSON.stringify(row)}`];
          },
        }),
      );
    });

    slow('POST /account/delete: password (single: wrong password; paired: not while paired)', async () => {
      check(
        await runGroup({
          name: 'account deletion',
          build: () => [
            ...formCases({
              route: 'POST /account/delete (single)',
              path: () => '/account/delete',
              who: () => actor(users.acct),
              base: () => ({ password: PASSWORD }),
              fields: { password: () => ({ expect: [422] }) },
            }),
            ...formCases(
              {
                route: 'POST /account/delete (paired)',
                path: () => '/account/delete',
                who: () => actor(M.a),
                base: () => ({ password: PASSWORD }),
                fields: { password: () => ({ expect: [409] }) },
              },
              HOSTILE.filter((h) => h.value.length < 1000),
            ),
          ],
        }),
      );
    });

    slow('POST /account/password: current_password and new_password_confirm (refused), then new_password (kept exactly)', async () => {
      const fresh = 'Fresh-Lantern-93';
      check(
        await runGroup({
          name: 'password change (refused)',
          build: () =>
            formCases({
              route: 'POST /account/password',
              path: () => '/account/password',
              who: () => actor(users.pw),
              base: () => ({ current_password: password.pw, new_password: fresh, new_password_confirm: fresh }),
              fields: {
                current_password: (seen) => ({ expect: seen === password.pw ? 'accept' : [422] }),
                new_password_confirm: (seen) => ({ expect: seen === fresh ? 'accept' : [422] }),
              },
            }),
        }),
      );
      // each accepted change revokes the other sessions: one at a time, through the client that keeps its cookies
      const cases: Case[] = HOSTILE.map((h) => {
        const pairs = (): [string, string][] => [
          ['current_password', password.pw],
          ['new_password', h.value],
          ['new_password_confirm', h.value],
        ];
        const seen = formSees(h.value);
        const big = formSize(pairs()) > FORM_LIMIT;
        const ok = !big && passwordOk(seen);
        return {
          label: `POST /account/password new_password=<${h.label}>`,
          expect: big ? [413] : ok ? 'accept' : [422],
          hostile: h.value,
          send: async () => {
            const token = users.pw.csrf;
            const reply = await users.pw.request('POST', '/account/password', {
              body: urlencoded([['_csrf', token], ...pairs()]),
              headers: { 'content-type': FORM, 'accept-language': 'en' },
            });
            // an error page from the body parser carries no token (see the test of that below): keep ours
            if (reply.status >= 400) users.pw.csrf = token;
            return reply;
          },
          verify: async (reply) => {
            if (reply.status >= 400) return null;
            password.pw = seen;
            const again = new Client(app.url);
            await again.get('/login');
            const res = await again.post('/login', { login_id: logins.pw, password: seen });
            if (res.status !== 303) return `cannot log in with the new password (${res.status})`;
            await users.pw.get('/account');
            return null;
          },
        };
      });
      check(await runGroup({ name: 'password change', build: () => cases, perCase: true, side: ['users'] }));
    });

    slow('POST /signup: login_id, password (with its confirmation), password_confirm', async () => {
      const userExists = async (loginId: string) => Boolean(await app.db('users').where({ login_id: loginId }).first('id'));
      check(
        await runGroup({
          name: 'sign-up',
          build: () =>
            formCases({
              route: 'POST /signup',
              path: () => '/signup',
              who: () => actor(users.anon),
              base: () => ({ login_id: `hsu${uniq()}`, password: PASSWORD, password_confirm: PASSWORD }),
              twins: { password: 'password_confirm' },
              fields: {
                login_id: (seen) => {
                  if (!loginIdOk(seen)) return { expect: [422] };
                  const id = seen.trim().toLowerCase();
                  return { expect: 'accept', adds: { users: 1 }, verify: async () => ((await userExists(id)) ? null : `no user ${short(id)}`) };
                },
                password: (seen, values) => {
                  if (!passwordOk(seen)) return { expect: [422] };
                  return {
                    expect: 'accept',
                    adds: { users: 1 },
                    verify: async () => {
                      try {
                        await logIn(app.url, values.login_id, seen);
                        return null;
                      } catch (err) {
                        return `signed up, but cannot log in with that password: ${(err as Error).message}`;
                      }
                    },
                  };
                },
                password_confirm: (seen) => (seen === PASSWORD ? { expect: 'accept', adds: { users: 1 } } : { expect: [422] }),
              },
            }),
          tracked: ['users'],
        }),
      );
    });

    slow('POST /login: login_id, password (the throttle reset between cases)', async () => {
      const clearThrottle = async () => {
        await app.db('rate_counts').delete();
      };
      const cases = formCases({
        route: 'POST /login',
        path: () => '/login',
        who: () => actor(users.anon),
        base: () => ({ login_id: logins.loginTarget, password: PASSWORD }),
        // an ID the sign-up group created may log in with the base password
        fields: { login_id: (seen) => ({ expect: loginIdOk(seen) ? 'either' : [422] }), password: () => ({ expect: [422] }) },
      }).map((c) => ({ ...c, prepare: clearThrottle }));
      check(await runGroup({ name: 'log-in', build: () => cases }));
    });


    slow('"come back to" paths (POST /language back=) that resolve to //host: back on this site', async () => {
      const cases: Case[] = OFFSITE_PATHS.flatMap((h) =>
        [false, true].map(
          (htmx): Case => ({
            label: `POST /language back=<${h.label}>${htmx ? ' [htmx]' : ''}`,
            expect: [htmx ? 200 : 303],
            send: postForm(actor(users.acct), '/language', [
              ['language', 'en'],
              ['back', h.value],
            ], { htmx }),
          }),
        ),
      );
      check(await runGroup({ name: 'come back to', build: () => cases, side: ['users'] }));
    });
  });

  h.finish();
});
