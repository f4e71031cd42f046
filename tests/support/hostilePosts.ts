// The POST routes as the bodies and requests parts of the hostile-input suite sweep them
// (tests/http/hostile/bodies.test.ts, requests.test.ts): each with who sends it, a valid
// form, and what a request whose fields cannot be read gets.
import { newClientId } from './chatHttp';
import { logIn, PASSWORD } from './client';
import { newPushKeys, send } from './hostile';
import { letters, type Actor, type Expect, type Outcome } from './hostileCases';
import type { hostileSuite } from './hostileSuite';

export interface PostRoute {
  route: string;
  path: string;
  who: () => Actor | Promise<Actor>;
  /** valid fields (for the cases that keep them) */
  base: () => Record<string, string>;
  /** what a request whose fields cannot be read gets */
  empty: Expect;
  /** a valid request would do something the suite cannot undo */
  destructive?: boolean;
}

export function postRoutesOf(h: ReturnType<typeof hostileSuite>) {
  const { app, M, users, logins, actor, baseHeaders, uniq, nextSeq } = h;
  /** A session of its own (log-in rotates the token: the account page shows the new one). */
  const freshSession = async (login: string) => {
    await app.db('rate_counts').delete(); // the other groups' failed log-ins from this address would throttle it
    const client = await logIn(app.url, login);
    await client.get('/account');
    return actor(client);
  };
  const freshLogout = () => freshSession(logins.logout);
  const postRoutes = (): PostRoute[] => [
    { route: 'POST /signup', path: '/signup', who: () => actor(users.anon), base: () => ({ login_id: `hse${uniq()}`, password: PASSWORD, password_confirm: PASSWORD }), empty: [422] },
    { route: 'POST /login', path: '/login', who: () => actor(users.anon), base: () => ({ login_id: logins.loginTarget, password: PASSWORD }), empty: [422, 429] },
    { route: 'POST /logout', path: '/logout', who: freshLogout, base: () => ({}), empty: [303], destructive: true },
    { route: 'POST /account/password', path: '/account/password', who: () => actor(users.acct), base: () => ({ current_password: PASSWORD, new_password: 'Fresh-Lantern-93', new_password_confirm: 'Fresh-Lantern-93' }), empty: [422], destructive: true },
    { route: 'POST /account/delete', path: '/account/delete', who: () => actor(users.acct), base: () => ({ password: PASSWORD }), empty: [422], destructive: true },
    { route: 'POST /account/settings', path: '/account/settings', who: () => actor(users.acct), base: () => ({ language: 'en', week_start: '1', time_zone: 'Asia/Seoul' }), empty: [422] },
    { route: 'POST /language', path: '/language', who: () => actor(users.acct), base: () => ({ language: 'en', back: '/account' }), empty: [303] },
    { route: 'POST /pair/requests', path: '/pair/requests', who: () => actor(users.s1), base: () => ({ login_id: logins.s2 }), empty: [422], destructive: true },
    { route: 'POST /pair/requests/:id/accept', path: '/pair/requests/999999/accept', who: () => actor(users.s1), base: () => ({}), empty: [404] },
    { route: 'POST /pair/requests/:id/reject', path: '/pair/requests/999999/reject', who: () => actor(users.s1), base: () => ({}), empty: [404] },
    { route: 'POST /pair/requests/:id/cancel', path: '/pair/requests/999999/cancel', who: () => actor(users.s1), base: () => ({}), empty: [404] },
    { route: 'POST /chat/messages', path: '/chat/messages', who: () => actor(M.a), base: () => ({ body: `hostile base text ${uniq()}`, client_id: newClientId() }), empty: [422] },
    { route: 'POST /chat/messages/:id/delete', path: '/chat/messages/999999/delete', who: () => actor(M.a), base: () => ({}), empty: [404] },
    { route: 'POST /chat/messages/:id/reactions', path: '/chat/messages/999999/reactions', who: () => actor(M.a), base: () => ({ emoji: '👍' }), empty: [422] },
    { route: 'POST /chat/read', path: '/chat/read', who: () => actor(M.a), base: () => ({ up_to: '1' }), empty: [422] },
    // no fields: whatever the body, "입력 중…" for the partner (or nothing, beyond the throttle), and 204
    { route: 'POST /chat/typing', path: '/chat/typing', who: () => actor(M.a), base: () => ({}), empty: [204] },
    { route: 'POST /questions/:id/answer', path: '/questions/999999/answer', who: () => actor(M.a), base: () => ({ answer: 'yes' }), empty: [404] },
    { route: 'POST /rank/excluded', path: '/rank/excluded', who: () => actor(M.a), base: () => ({ word: `hostile${letters(nextSeq())}`, n: '5' }), empty: [422] },
    { route: 'POST /rank/excluded/delete', path: '/rank/excluded/delete', who: () => actor(M.a), base: () => ({ word: `gone${letters(nextSeq())}` }), empty: [422] },
    { route: 'POST /calendar/events', path: '/calendar/events', who: () => actor(M.a), base: () => ({ date: '2026-03-15', title: `plan ${uniq()}` }), empty: [422] },
    { route: 'POST /calendar/events/:id/delete', path: '/calendar/events/999999/delete', who: () => actor(M.a), base: () => ({}), empty: [404] },
    { route: 'POST /calendar/events/:id/restore', path: '/calendar/events/999999/restore', who: () => actor(M.a), base: () => ({}), empty: [404] },
    { route: 'POST /calendar/events/:id/dday', path: '/calendar/events/999999/dday', who: () => actor(M.a), base: () => ({}), empty: [404] },
    { route: 'POST /calendar/dday/mark', path: '/calendar/dday/mark', who: () => actor(M.a), base: () => ({ date: '2026-03-14' }), empty: [422] },
    { route: 'POST /calendar/dday/clear', path: '/calendar/dday/clear', who: () => actor(M.a), base: () => ({}), empty: [303] },
    { route: 'POST /couple/breakup', path: '/couple/breakup', who: () => actor(M.a), base: () => ({ password: PASSWORD }), empty: [422], destructive: true },
    { route: 'POST /couple/breakup/cancel', path: '/couple/breakup/cancel', who: () => actor(M.a), base: () => ({}), empty: [409] },
    // an unreadable form reads as an empty one: no nickname, 사귄 날 the pairing day, no birthday
    { route: 'POST /couple/profile', path: '/couple/profile', who: () => actor(M.a), base: () => ({ partner_nickname: '자기', started_on: '2020-02-02', birthday: '1990-01-01' }), empty: [303] },
    { route: 'POST /push/subscriptions', path: '/push/subscriptions', who: () => actor(users.push), base: () => ({ endpoint: `https://push.example.com/send/${uniq()}`, ...newPushKeys() }), empty: [422] },
    { route: 'POST /push/subscriptions/delete', path: '/push/subscriptions/delete', who: () => actor(users.push), base: () => ({ endpoint: `https://push.example.com/send/${uniq()}` }), empty: [422] },
    // an unreadable form reads as an unticked box (off), which this user's previews already are: a no-op
    { route: 'POST /account/push-previews', path: '/account/push-previews', who: () => actor(users.push), base: () => ({ previews: 'on' }), empty: [303] },
  ];

  /** A raw POST: these headers and body, the token in the X-CSRF-Token header unless `token` says otherwise. */
  const rawPost = (r: PostRoute, contentType: string | null, body: (fields: Record<string, string>, csrf: string) => string | Buffer, extra: Record<string, string> = {}, token: 'header' | 'none' = 'header') => async (): Promise<Outcome> => {
    const who = await r.who();
    const headers = baseHeaders(who, { ...(contentType === null ? {} : { 'content-type': contentType }), ...(token === 'header' ? { 'X-CSRF-Token': who.csrf() } : {}), ...extra });
    return send(app.url + r.path, 'POST', headers, body(r.base(), who.csrf()));
  };
  const pairsOf = (fields: Record<string, string>) => Object.entries(fields);
  return { postRoutes, freshSession, rawPost, pairsOf };
}
