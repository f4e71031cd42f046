// The hostile-input suite (tests/support/hostileSuite.ts says how it judges), Web Push
// (src/push/routes.ts): subscribing, unsubscribing and the previews setting, each field
// filled with every hostile value, push endpoints and keys.
import { describe, vi } from 'vitest';
import { backends } from '../../support/backends';
import { authValues, formSees, headerSafe, HOSTILE, newPushKeys, p256dhValues, PREVIEWS, PUSH_ENDPOINTS, type Hostile } from '../../support/hostile';
import { endpointOk, keyBytes, onP256, short, type Case, type FormRoute, type Verdict } from '../../support/hostileCases';
import { hostileSuite } from '../../support/hostileSuite';

vi.mock('bcryptjs', async (original) => (await import('../../support/cheapBcrypt')).cheapBcrypt(await original()));

describe.each(backends())('hostile input (push forms) on $name', (backend) => {
  const h = hostileSuite(backend, 'push forms');
  const { app, ids, users, xEndpoint, uniq, slow, actor, postForm, runGroup, check, formCases } = h;

  describe('form fields', () => {
    // ---- Web Push: refusals run side by side and change nothing; each accepted case starts
    // from a push user without subscriptions, so that what it stored is exactly what it sent

    /** Only 4xx foreseen: the refusals (the rest are accepted, or may be). */
    const refused = (c: Case) => Array.isArray(c.expect) && c.expect.every((s) => s >= 400);
    const mySubscriptions = () => app.db('push_subscriptions').where({ user_id: ids.pushUser }).orderBy('id').select('endpoint', 'p256dh', 'auth', 'user_agent');
    const clearMySubscriptions = async () => {
      await app.db('push_subscriptions').where({ user_id: ids.pushUser }).delete();
    };
    const pushEndpoint = () => `https://push.example.com/send/${uniq()}`;

    /** What the rules say of a subscription (all three fields as the app sees them): stored as sent, keys in canonical base64url. */
    const subscriptionVerdict = (v: Record<string, string>, userAgent: string | null = null): Verdict => {
      const p256dh = keyBytes(v.p256dh);
      const auth = keyBytes(v.auth);
      if (!endpointOk(v.endpoint) || !onP256(p256dh) || auth?.length !== 16) return { expect: [422] };
      return {
        expect: 'accept',
        verify: async (reply) => {
          if (reply.status >= 400) return null;
          const rows = await mySubscriptions();
          if (rows.length !== 1) return `${rows.length} subscriptions stored for one accepted request`;
          const row = rows[0];
          if (row.endpoint !== v.endpoint) return `endpoint stored as ${short(String(row.endpoint))} instead of ${short(v.endpoint)}`;
          const canonical = (stored: unknown, bytes: Buffer) => String(stored) === bytes.toString('base64url');
          if (!canonical(row.p256dh, p256dh!) || !canonical(row.auth, auth)) return `keys stored as ${short(String(row.p256dh))} / ${short(String(row.auth))}`;
          if ((row.user_agent ?? null) !== userAgent) return `User-Agent stored as ${short(String(row.user_agent))} instead of ${short(String(userAgent))}`;
          return null;
        },
      };
    };
    const subscribeRoute = (values: 'endpoint' | 'p256dh' | 'auth' | 'all'): FormRoute => {
      const verdict = (_seen: string, v: Record<string, string>) => subscriptionVerdict(v);
      const all = { endpoint: verdict, p256dh: verdict, auth: verdict };
      return {
        route: 'POST /push/subscriptions',
        path: () => '/push/subscriptions',
        who: () => actor(users.push),
        base: () => ({ endpoint: pushEndpoint(), ...newPushKeys() }),
        fields: values === 'all' ? all : { [values]: all[values] },
        // push.js posts with HX-Request (204); a plain form goes back to the account page (303)
        htmx: ['endpoint', 'p256dh', 'auth'],
      };
    };

    slow('POST /push/subscriptions: endpoint, p256dh, auth, and the User-Agent header', async () => {
      const cases = [
        ...formCases(subscribeRoute('all')),
        ...formCases(subscribeRoute('endpoint'), PUSH_ENDPOINTS),
        ...formCases(subscribeRoute('p256dh'), p256dhValues()),
        ...formCases(subscribeRoute('auth'), authValues()),
      ];
      // the User-Agent is stored too (cut to 200 characters); a header's value arrives without its outer spaces
      const userAgents = HOSTILE.filter((h) => headerSafe(h.value) && h.value.length < 6000).map((h): Case => {
        const fields = { endpoint: pushEndpoint(), ...newPushKeys() };
        const stored = h.value.replace(/^[ \t]+|[ \t]+$/g, '').slice(0, 200) || null;
        return {
          label: `POST /push/subscriptions User-Agent: <${h.label}>`,
          ...subscriptionVerdict(fields, stored),
          hostile: h.value,
          send: postForm(actor(users.push), '/push/subscriptions', Object.entries(fields), { htmx: true, headers: { 'User-Agent': h.value } }),
        };
      });
      // the same browser again with new keys: still one subscription, with the new keys
      const again = [false, true].map((htmx): Case => {
        const fields = { endpoint: pushEndpoint(), ...newPushKeys() };
        return {
          label: `POST /push/subscriptions the same endpoint again, new keys${htmx ? ' [htmx]' : ''}`,
          ...subscriptionVerdict(fields),
          prepare: async () => {
            await clearMySubscriptions();
            const first = await postForm(actor(users.push), '/push/subscriptions', Object.entries({ ...fields, ...newPushKeys() }), { htmx: true })();
            if (first.status !== 204) throw new Error(`the first subscription got ${first.status}`);
          },
          send: postForm(actor(users.push), '/push/subscriptions', Object.entries(fields), { htmx }),
        };
      });
      check(await runGroup({ name: 'push subscriptions (refused)', build: () => cases.filter(refused) }));
      check(
        await runGroup({
          name: 'push subscriptions',
          build: () => [...[...cases.filter((c) => !refused(c)), ...userAgents].map((c): Case => ({ ...c, prepare: clearMySubscriptions })), ...again],
          perCase: true,
          side: ['push_subscriptions'],
        }),
      );
    });

    slow('POST /push/subscriptions/delete: endpoint (mine goes; unknown or another user\'s: 404 and it stays)', async () => {
      const mine = `https://push.example.com/send/mine-${uniq()}`;
      // an empty endpoint or one over 2 KB is no endpoint (422); any other that is not one of mine is not found
      const deleteVerdict = (seen: string): Verdict => {
        const endpoint = seen.replace(/\r\n?/g, '\n');
        return { expect: endpoint === '' || Buffer.byteLength(endpoint) > 2048 ? [422] : [404] };
      };
      const route = (oracle: FormRoute['fields'][string]): FormRoute => ({
        route: 'POST /push/subscriptions/delete',
        path: () => '/push/subscriptions/delete',
        who: () => actor(users.push),
        base: () => ({ endpoint: mine }),
        fields: { endpoint: oracle },
        htmx: ['endpoint'],
      });
      const near: Hostile[] = [
        { label: "the other couple's endpoint", value: xEndpoint },
        { label: 'mine in capitals', value: mine.toUpperCase() },
        { label: 'mine with a trailing slash', value: `${mine}/` },
        { label: 'mine with a space after it', value: `${mine} ` },
        { label: 'mine with its path percent-encoded', value: mine.replace('/send/', '/%73end/') },
      ];
      const unknown = [...formCases(route(deleteVerdict)), ...formCases(route(deleteVerdict), [...PUSH_ENDPOINTS, ...near])];
      // mine: each case subscribes the endpoint first (a snapshot is taken after that), then it goes
      const accepted = PUSH_ENDPOINTS.filter((h) => endpointOk(formSees(h.value)))
        .concat({ label: 'an ordinary endpoint', value: mine })
        .flatMap((h) =>
          [false, true].map((htmx): Case => ({
            label: `POST /push/subscriptions/delete endpoint=<${h.label}> (mine)${htmx ? ' [htmx]' : ''}`,
            expect: 'accept',
            hostile: h.value,
            prepare: async () => {
              await clearMySubscriptions();
              const r = await postForm(actor(users.push), '/push/subscriptions', [['endpoint', h.value], ...Object.entries(newPushKeys())], { htmx: true })();
              if (r.status !== 204) throw new Error(`subscribing ${h.label} got ${r.status}`);
            },
            send: postForm(actor(users.push), '/push/subscriptions/delete', [['endpoint', h.value]], { htmx }),
            verify: async () => {
              const left = await mySubscriptions();
              return left.length === 0 ? null : `${left.length} subscriptions left`;
            },
          })),
        );
      check(
        await runGroup({
          name: 'push unsubscribe (not found)',
          build: async () => {
            // one subscription of mine stays through the refusals: a near miss must not remove it
            await clearMySubscriptions();
            const r = await postForm(actor(users.push), '/push/subscriptions', [['endpoint', mine], ...Object.entries(newPushKeys())], { htmx: true })();
            if (r.status !== 204) throw new Error(`subscribing got ${r.status}`);
            return unknown;
          },
        }),
      );
      check(await runGroup({ name: 'push unsubscribe', build: () => accepted, perCase: true, side: ['push_subscriptions'] }));
    });

    slow('POST /account/push-previews: previews (on; off or nothing, as an unticked box sends)', async () => {
      const previewsOf = async () => Number((await app.db('users').where({ id: ids.pushUser }).first('push_previews')).push_previews) !== 0;
      const cases = formCases(
        {
          route: 'POST /account/push-previews',
          path: () => '/account/push-previews',
          who: () => actor(users.push),
          base: () => ({ previews: 'on' }),
          fields: {
            previews: (seen) => {
              const on = seen === 'on' ? true : seen === 'off' || seen === '' ? false : null;
              if (on === null) return { expect: [422] };
              return { expect: 'accept', verify: async (reply) => (reply.status >= 400 || (await previewsOf()) === on ? null : `previews left ${on ? 'off' : 'on'}`) };
            },
          },
          htmx: ['previews'],
        },
        [...HOSTILE, ...PREVIEWS],
      );
      check(await runGroup({ name: 'push previews (refused)', build: () => cases.filter(refused) }));
      check(
        await runGroup({
          name: 'push previews',
          build: () => cases.filter((c) => !refused(c)),
          perCase: true,
          side: ['users'],
          after: async () => {
            // back to off, as the unreadable-bodies group expects of this user
            const r = await users.push.post('/account/push-previews', { previews: 'off' });
            return r.status === 303 && !(await previewsOf()) ? [] : [`could not turn previews off again (${r.status})`];
          },
        }),
      );
    });
  });

  h.finish();
});
