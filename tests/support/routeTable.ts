// Every route of the app's routers, listed by hand with who may use it and what its :id
// names. The authorization sweep and the CSRF / method sweeps walk this table, and both
// fail when the routers and the table disagree, so a new route cannot be forgotten.
import { routers } from '../../src/app';

/**
 * Who a route is for, as its guard decides:
 * - public: anyone, logged in or not (no guard)
 * - anonymous-only: log-in and sign-up; someone logged in goes home (303 /)
 * - user: any logged-in user (requireUser)
 * - single: a logged-in user without a partner (requireSingle: a paired user's GET goes to
 *   /chat, a paired user's action is a 409)
 * - couple: a paired user (requireCouple: a single user goes to /pair)
 */
export type Role = 'public' | 'anonymous-only' | 'user' | 'single' | 'couple';

/** What a route's :id names. All but the pair request belong to one couple. */
export type IdType = 'message' | 'file' | 'question' | 'event' | 'pair-request';

export interface RouteSpec {
  method: 'GET' | 'POST';
  path: string;
  role: Role;
  /** what the :id in the path names (every route with :id has one, no other route has one) */
  id?: IdType;
  /** for a pair request: the party the route is for (the recipient accepts and rejects, the sender cancels) */
  actor?: 'sender' | 'recipient';
  /**
   * What a visitor who is not logged in gets. By default a route of a user, a single or a
   * couple sends them to log-in (303 /login; htmx: 401 + HX-Redirect); public and
   * anonymous-only routes serve them.
   */
  anonymous?: 'login' | 'not-found' | 'served';
  /** the fields the page's form sends (values in {braces} are filled in by the sweep) */
  fields?: Record<string, string>;
  /** a query that makes a GET meaningful (values in {braces} are filled in by the sweep) */
  query?: string;
  note?: string;
}

export const ROUTES: RouteSpec[] = [
  // home and health
  { method: 'GET', path: '/', role: 'public', note: 'redirects by state: /login, /pair or /chat' },
  { method: 'GET', path: '/healthz', role: 'public' },
  // installable web app: the manifest and the offline page the service worker keeps
  { method: 'GET', path: '/manifest.webmanifest', role: 'public' },
  { method: 'GET', path: '/offline', role: 'public' },
  // sign-up, log-in, log-out
  { method: 'GET', path: '/signup', role: 'anonymous-only' },
  { method: 'GET', path: '/signup/check-id', role: 'public', query: 'login_id=someone_new' },
  { method: 'POST', path: '/signup', role: 'anonymous-only', fields: { login_id: 'forged_signup', password: 'violet-Harbor-42', password_confirm: 'violet-Harbor-42' } },
  { method: 'GET', path: '/login', role: 'anonymous-only' },
  { method: 'POST', path: '/login', role: 'anonymous-only', fields: { login_id: '{self}', password: 'violet-Harbor-42' } },
  { method: 'POST', path: '/logout', role: 'public', note: 'a visitor is already logged out: 303 /login' },
  // account
  { method: 'GET', path: '/account', role: 'user' },
  { method: 'POST', path: '/account/password', role: 'user', fields: { current_password: 'violet-Harbor-42', new_password: 'forged-Password-99', new_password_confirm: 'forged-Password-99' } },
  { method: 'POST', path: '/account/settings', role: 'user', fields: { language: 'en', week_start: '1', time_zone: 'Europe/Paris' } },
  { method: 'POST', path: '/account/delete', role: 'user', fields: { password: 'violet-Harbor-42' } },
  { method: 'POST', path: '/language', role: 'public', fields: { language: 'en', back: '/' }, note: 'the footer switch works before log-in too' },
  // pairing
  { method: 'GET', path: '/pair', role: 'single' },
  { method: 'POST', path: '/pair/requests', role: 'single', fields: { login_id: '{single}' } },
  { method: 'POST', path: '/pair/requests/:id/accept', role: 'single', id: 'pair-request', actor: 'recipient' },
  { method: 'POST', path: '/pair/requests/:id/reject', role: 'single', id: 'pair-request', actor: 'recipient' },
  { method: 'POST', path: '/pair/requests/:id/cancel', role: 'single', id: 'pair-request', actor: 'sender' },
  // chat
  { method: 'GET', path: '/chat', role: 'couple', query: 'around={message}' },
  { method: 'GET', path: '/chat/messages', role: 'couple', query: 'before={message}' },
  { method: 'POST', path: '/chat/messages', role: 'couple', fields: { body: '몰래 보낸 메시지', client_id: 'forged-client-id-0001' } },
  { method: 'GET', path: '/chat/messages/:id/delete', role: 'couple', id: 'message', note: 'without JavaScript, deleting asks on this page first' },
  { method: 'POST', path: '/chat/messages/:id/delete', role: 'couple', id: 'message' },
  { method: 'POST', path: '/chat/messages/:id/reactions', role: 'couple', id: 'message', fields: { emoji: '❤️' } },
  { method: 'POST', path: '/chat/read', role: 'couple', fields: { up_to: '{message}' } },
  { method: 'POST', path: '/chat/typing', role: 'couple', note: 'ephemeral "입력 중…" for the partner: 204, nothing stored' },
  { method: 'GET', path: '/chat/search', role: 'couple', query: 'q=%EC%82%AC%EA%B3%BC&from=' },
  { method: 'GET', path: '/chat/export', role: 'couple', note: 'also ?format=zip: the transcript and every file' },
  // the album: the couple's photos and videos (?before= the next page, ?at= one on its own page)
  { method: 'GET', path: '/album', role: 'couple' },
  // files: private to the couple, so anyone else (logged in or not) finds nothing
  { method: 'GET', path: '/files/:id', role: 'couple', id: 'file', anonymous: 'not-found', note: 'a visitor gets 404, not a log-in redirect (fileOf: "anyone else finds nothing")' },
  { method: 'GET', path: '/files/:id/thumb', role: 'couple', id: 'file', anonymous: 'not-found' },
  { method: 'POST', path: '/chat/uploads', role: 'couple', fields: { body: '몰래 올린 파일', client_id: 'forged-client-id-0002' }, note: 'multipart in real use' },
  // questions
  { method: 'POST', path: '/questions/:id/answer', role: 'couple', id: 'question', fields: { answer: '몰래 쓴 답' } },
  { method: 'GET', path: '/answers', role: 'couple' },
  // ranking
  { method: 'GET', path: '/rank', role: 'couple', query: 'n=5' },
  { method: 'POST', path: '/rank/excluded', role: 'couple', fields: { word: '사과', n: '3' } },
  { method: 'POST', path: '/rank/excluded/delete', role: 'couple', fields: { word: '사과', n: '3' } },
  // calendar
  { method: 'GET', path: '/calendar', role: 'couple', query: 'month=2026-03' },
  { method: 'POST', path: '/calendar/events', role: 'couple', fields: { date: '2026-03-14', title: '몰래 넣은 일정' } },
  { method: 'POST', path: '/calendar/events/:id/delete', role: 'couple', id: 'event' },
  { method: 'POST', path: '/calendar/events/:id/restore', role: 'couple', id: 'event', note: 'undoes a delete; a plan that is there stays as it is' },
  { method: 'POST', path: '/calendar/events/:id/dday', role: 'couple', id: 'event' },
  { method: 'POST', path: '/calendar/dday/clear', role: 'couple' },
  // break-up
  { method: 'POST', path: '/couple/breakup', role: 'couple', fields: { password: 'violet-Harbor-42' } },
  { method: 'POST', path: '/couple/breakup/cancel', role: 'couple' },
  // the couple profile
  { method: 'GET', path: '/couple', role: 'couple' },
  { method: 'POST', path: '/calendar/dday/mark', role: 'couple', fields: { date: '2026-03-14' }, note: 'this app’s addition: an anniversary or birthday as the D-day' },
  { method: 'POST', path: '/couple/profile', role: 'couple', fields: { partner_nickname: '몰래 바꾼 이름', started_on: '2020-01-01', birthday: '1990-01-01' } },
  { method: 'POST', path: '/couple/photo', role: 'couple', fields: { photo: 'not really a file' }, note: 'multipart in real use' },
  // notifications: a user's own devices
  { method: 'GET', path: '/push/key', role: 'user' },
  {
    method: 'POST',
    path: '/push/subscriptions',
    role: 'user',
    fields: { endpoint: 'https://push.example.com/forged', p256dh: 'BOr0lSfKXyB0ZJaMkzvUtn8hRJyUtp8tH7IgWr9ibEi4qaPI4Ee1jeGp5PpwUO4tnoaZw4lVHBYpcu8JxPkORa0', auth: 'c2VjcmV0LWF1dGgtMTIzNA' },
  },
  { method: 'POST', path: '/push/subscriptions/delete', role: 'user', fields: { endpoint: 'https://push.example.com/forged' } },
  { method: 'POST', path: '/account/push-previews', role: 'user', fields: { previews: 'on' } },
];

export const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

/**
 * The routes the app's routers really have, as "METHOD /path" (HEAD, which Koa's router
 * adds to every GET, is not listed separately). Middleware layers (no methods) are skipped.
 */
export function routerRoutes(): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  for (const router of routers) {
    for (const layer of router.stack) {
      const methods = layer.methods.filter((m) => m !== 'HEAD' || !layer.methods.includes('GET'));
      for (const method of methods) out.push({ method, path: String(layer.path) });
    }
  }
  return out;
}

/** The table's entry for a route, or a guess for one the table does not know yet (a couple's). */
export function specOf(route: { method: string; path: string }): RouteSpec {
  return ROUTES.find((r) => routeKey(r) === routeKey(route)) ?? { method: route.method as 'GET' | 'POST', path: route.path, role: 'couple' };
}

/** What a visitor who is not logged in gets on this route. */
export function anonymousGets(spec: RouteSpec): 'login' | 'not-found' | 'served' {
  if (spec.anonymous) return spec.anonymous;
  return spec.role === 'public' || spec.role === 'anonymous-only' ? 'served' : 'login';
}

/** `{name}` placeholders replaced (a missing value stays as it was); :id replaced by `id`. */
export function fill(template: string, values: Record<string, string | number>, id?: string | number): string {
  const filled = template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
  return id === undefined ? filled : filled.replace(':id', String(id));
}

export function fillFields(fields: Record<string, string> | undefined, values: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields ?? {}).map(([k, v]) => [k, fill(v, values)]));
}
