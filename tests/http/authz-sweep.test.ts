// Authorization sweep. For every couple-owned id type (message, file, question, calendar
// event) and for pair requests, a member of another couple, a third person and a visitor
// get 404 or the log-in page, never 403 and never the thing; ids that do not exist are 404.
// Routes without an id send a visitor to log-in and a single user to /pair. The route
// table (tests/support/routeTable.ts) is checked against the routers first, so a new route
// cannot be left out of the sweep.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { HX, newCouple, send, shownMessageIds, type Couple } from '../support/chatHttp';
import { Client, signUp, type Reply } from '../support/client';
import { changes, snapshot } from '../support/dbSnapshot';
import { questionIdIn } from '../support/questions';
import { anonymousGets, fill, fillFields, routeKey, routerRoutes, ROUTES, type IdType, type RouteSpec } from '../support/routeTable';
import { startTestApp, type TestApp } from '../support/testApp';
import { filePart, jpeg, upload } from '../support/uploads';

const ID_TYPES: IdType[] = ['message', 'file', 'question', 'event', 'pair-request'];

describe('the route table', () => {
  it('lists every route of the routers, and no route they no longer have', () => {
    const actual = routerRoutes().map(routeKey);
    const listed = ROUTES.map(routeKey);
    expect(actual.filter((r) => !listed.includes(r)), 'routes missing from tests/support/routeTable.ts: add them with their role').toEqual([]);
    expect(listed.filter((r) => !actual.includes(r)), 'routes in the table that the routers no longer have').toEqual([]);
    expect(new Set(listed).size, 'a route listed twice').toBe(listed.length);
  });

  it('names the id type of every route with an :id, and of no other', () => {
    for (const r of ROUTES) {
      if (r.path.includes(':')) {
        expect(r.id, `${routeKey(r)} takes an id: which thing does it name?`).toBeDefined();
        expect(ID_TYPES).toContain(r.id);
        expect(r.path.match(/:\w+/g), `${routeKey(r)}: the sweep fills in one :id`).toEqual([':id']);
      } else {
        expect(r.id, `${routeKey(r)} has no :id`).toBeUndefined();
      }
      if (r.id === 'pair-request') expect(r.actor, `${routeKey(r)}: sender's or recipient's?`).toBeDefined();
    }
    // every id type the table knows is swept below
    expect([...new Set(ROUTES.flatMap((r) => (r.id ? [r.id] : [])))].sort()).toEqual([...ID_TYPES].sort());
  });
});

let counter = 0;
const loginFor = (tag: string) => `${tag.slice(0, 8)}${++counter}_${randomBytes(2).toString('hex')}`;

/** What the sweep made: its id, who may use it, and how it stands (to show nothing changed). */
interface Thing {
  id: number;
  /** the one the route is for: a member of the couple, or the request's sender or recipient */
  owner: Client;
  /** someone who is close but not entitled: the other party of a pair request */
  otherParty?: Client;
  state(): Promise<unknown>;
}

describe.each(backends())('authorization sweep on $name', (backend) => {
  let app: TestApp;
  /** the couple that owns things; the couple that tries to reach them */
  let x: Couple;
  let y: Couple;
  /** a single user who is neither sender nor recipient of any request */
  let third: Client;
  let thirdLogin: string;
  /** one of x's messages, for the routes that take a message id in a query or a field */
  let xMessage: number;

  beforeAll(async () => {
    app = await startTestApp(backend);
    x = await newCouple(app.url, app.db, 'zx');
    y = await newCouple(app.url, app.db, 'zy');
    thirdLogin = loginFor('third');
    third = await signUp(app.url, thirdLogin);
    await third.get('/pair');
    xMessage = await send(x.a, 'x의 메시지');
    await send(y.a, 'y의 메시지');
  });
  afterAll(() => app.close());

  const rows = (table: string, where: Record<string, unknown>) => app.db(table).where(where).orderBy('id').select();
  const userId = async (login: string) => Number((await app.db('users').where({ login_id: login }).first('id')).id);

  /** A visitor with a CSRF token (so a POST reaches the route's own guard). */
  async function visitor(): Promise<Client> {
    const c = new Client(app.url);
    await c.get('/login');
    return c;
  }

  const makers: Record<IdType, () => Promise<Thing>> = {
    async message() {
      const id = await send(x.a, `비밀 메시지 ${randomBytes(3).toString('hex')}`);
      return { id, owner: x.a, state: () => rows('messages', { id }) };
    },
    async file() {
      // one photo of an album (two photos sent together, one message): each is scoped like a lone one
      const photos = [filePart('비밀.jpg', await jpeg(), 'image/jpeg'), filePart('비밀2.jpg', await jpeg(32, 32), 'image/jpeg')];
      const res = await upload(x.a, [{ name: 'client_id', value: randomBytes(9).toString('base64url') }, ...photos]);
      expect(res.status).toBe(303);
      const file = await app.db('files').where({ couple_id: x.coupleId }).orderBy('id', 'desc').first();
      expect(await app.db('files').where({ message_id: file.message_id }).count({ n: '*' }).then((r) => Number(r[0].n)), 'an album of two').toBe(2);
      expect(file.thumb_key, 'a photo has a thumbnail').toBeTruthy();
      const id = Number(file.id);
      return { id, owner: x.a, state: async () => [await rows('files', { id }), await rows('messages', { id: file.message_id })] };
    },
    async question() {
      // its own couple: a question waits for both answers and holds the chat until then
      const c = await newCouple(app.url, app.db, 'zq');
      await send(c.a, '나는 운동갔다가 저녁 먹고 쉬려고!');
      const id = questionIdIn((await c.a.get('/chat')).text);
      expect(id, 'the trigger word asked a question').not.toBeNull();
      return {
        id: id!,
        owner: c.a,
        state: async () => [await rows('couple_questions', { id }), await rows('answers', { couple_question_id: id })],
      };
    },
    async event() {
      await x.a.get('/calendar');
      const res = await x.a.post('/calendar/events', { date: '2026-03-14', title: '비밀 일정' });
      expect(res.status).toBe(303);
      const id = Number((await app.db('calendar_events').where({ couple_id: x.coupleId }).orderBy('id', 'desc').first('id')).id);
      return { id, owner: x.a, state: () => rows('calendar_events', { id }) };
    },
    async 'pair-request'() {
      throw new Error('made by pairRequest(spec)');
    },
  };

  /** Two new single users, one asking the other; the owner is the party the route is for. */
  async function pairRequest(spec: RouteSpec): Promise<Thing> {
    const [fromLogin, toLogin] = [loginFor('from'), loginFor('to')];
    const sender = await signUp(app.url, fromLogin);
    const recipient = await signUp(app.url, toLogin);
    await sender.get('/pair');
    expect((await sender.post('/pair/requests', { login_id: toLogin })).status).toBe(303);
    await recipient.get('/pair');
    const id = Number((await app.db('pair_requests').where({ from_user_id: await userId(fromLogin) }).first('id')).id);
    const [owner, otherParty] = spec.actor === 'sender' ? [sender, recipient] : [recipient, sender];
    return { id, owner, otherParty, state: () => rows('pair_requests', { id }) };
  }

  const make = (spec: RouteSpec) => (spec.id === 'pair-request' ? pairRequest(spec) : makers[spec.id!]());

  /** The route's request for this id, as its page would send it. */
  function call(spec: RouteSpec, client: Client, id: string | number, headers: Record<string, string> = {}): Promise<Reply> {
    const path = fill(spec.path, {}, id);
    if (spec.method === 'GET') return client.get(path, headers);
    return client.post(path, fillFields(spec.fields, { message: xMessage, single: thirdLogin, self: thirdLogin }), headers);
  }

  const expectLogin = (res: Reply, what: string) => {
    expect(res.status, `${what}: 303 to log-in`).toBe(303);
    expect(res.location, what).toBe('/login');
  };
  const expectHxLogin = (res: Reply, what: string) => {
    expect(res.status, `${what} (htmx): 401`).toBe(401);
    expect(res.headers.get('hx-redirect'), what).toBe('/login');
  };

  /** Ids that name nothing: too high, zero, negative, not a number, too long for an integer. */
  async function unknownIds(spec: RouteSpec): Promise<string[]> {
    const table = { message: 'messages', file: 'files', question: 'couple_questions', event: 'calendar_events', 'pair-request': 'pair_requests' }[spec.id!];
    const max = Number((await app.db(table).max({ n: 'id' }))[0].n ?? 0);
    return [String(max + 1000), '0', '-1', 'abc', '1.5', '0x10', '99999999999999999999', encodeURIComponent('1 or 1=1')];
  }

  describe('routes with the id of a couple’s thing', () => {
    const coupleIdRoutes = ROUTES.filter((r) => r.id && r.id !== 'pair-request');

    it.each(coupleIdRoutes)('$method $path ($id): another couple 404, a visitor to log-in (a file: 404), unknown ids 404, the owner served', async (spec) => {
      const thing = await make(spec);
      const before = await thing.state();

      // (a) a member of another couple: 404, never 403, and x's thing as it was
      for (const member of [y.a, y.b]) {
        for (const headers of [{}, HX]) {
          const res = await call(spec, member, thing.id, headers);
          expect(res.status, `${routeKey(spec)} as another couple ${JSON.stringify(headers)}`).toBe(404);
        }
      }
      expect(await thing.state(), 'the thing is unchanged after another couple tried').toEqual(before);
      // and the answer is the one for an id that names nothing: it does not tell that the thing exists
      const theirs = await call(spec, y.a, thing.id);
      const nothing = await call(spec, y.a, 987654321);
      expect(Client.visible(theirs.text)).toBe(Client.visible(nothing.text));

      // (b) a visitor: log-in (files: 404, they are private to the couple)
      const anon = await visitor();
      if (anonymousGets(spec) === 'not-found') {
        expect((await call(spec, anon, thing.id)).status, `${routeKey(spec)} as a visitor`).toBe(404);
        expect((await call(spec, anon, thing.id, HX)).status, `${routeKey(spec)} as a visitor (htmx)`).toBe(404);
      } else {
        expectLogin(await call(spec, anon, thing.id), `${routeKey(spec)} as a visitor`);
        expectHxLogin(await call(spec, anon, thing.id, HX), `${routeKey(spec)} as a visitor`);
      }
      expect(await thing.state(), 'the thing is unchanged after a visitor tried').toEqual(before);

      // (c) ids that name nothing, even for the owner: 404
      for (const id of await unknownIds(spec)) {
        const res = await call(spec, thing.owner, id);
        expect(res.status, `${fill(spec.path, {}, id)} as the owner`).toBe(404);
      }
      expect(await thing.state()).toEqual(before);

      // and the owner is served: the 404s above were about who asked
      const ok = await call(spec, thing.owner, thing.id);
      expect(ok.status, `${routeKey(spec)} as the owner`).toBe(spec.method === 'GET' ? 200 : 303);
    });

    it('files: both partners get each file of an album and its thumbnail, nobody else does', async () => {
      const last = await makers.file();
      const album = await app.db('files').where({ message_id: (await app.db('files').where({ id: last.id }).first()).message_id }).pluck('id');
      for (const path of album.flatMap((id) => [`/files/${id}`, `/files/${id}/thumb`])) {
        expect((await x.a.get(path)).status).toBe(200);
        expect((await x.b.get(path)).status).toBe(200);
        expect((await y.a.get(path)).status).toBe(404);
        expect((await y.a.get(path, { Range: 'bytes=0-10' })).status).toBe(404);
        expect((await y.a.request('HEAD', path)).status).toBe(404);
        expect((await third.get(path)).status).toBe(404);
        expect((await new Client(app.url).get(path)).status).toBe(404);
      }
    });
  });

  describe('pair requests', () => {
    const pairRoutes = ROUTES.filter((r) => r.id === 'pair-request');

    it.each(pairRoutes)('$method $path: a third person and the other party 404, a paired user 409, a visitor to log-in, unknown ids 404, the $actor served', async (spec) => {
      const request = await pairRequest(spec);
      const before = await request.state();

      // a single user who is neither sender nor recipient, and the party the route is not for
      for (const [who, client] of [
        ['a third user', third],
        ['the other party', request.otherParty!],
      ] as const) {
        for (const headers of [{}, HX]) {
          const res = await call(spec, client, request.id, headers);
          expect(res.status, `${routeKey(spec)} as ${who} ${JSON.stringify(headers)}`).toBe(404);
        }
        expect(await request.state(), `the request is unchanged after ${who} tried`).toEqual(before);
        const unknown = await call(spec, client, 987654321);
        expect(Client.visible((await call(spec, client, request.id)).text), 'the same page as for an id that names nothing').toBe(Client.visible(unknown.text));
      }

      // a member of a couple: pairing actions are not theirs at all (409, whatever the id)
      for (const headers of [{}, HX]) {
        const res = await call(spec, y.a, request.id, headers);
        expect(res.status, `${routeKey(spec)} as a paired user`).toBe(409);
        const unknown = await call(spec, y.a, 987654321, headers);
        expect(unknown.status, 'the same answer for an id that names nothing: nothing is revealed').toBe(409);
      }
      expect(await request.state()).toEqual(before);

      const anon = await visitor();
      expectLogin(await call(spec, anon, request.id), `${routeKey(spec)} as a visitor`);
      expectHxLogin(await call(spec, anon, request.id, HX), `${routeKey(spec)} as a visitor`);
      expect(await request.state()).toEqual(before);

      for (const id of await unknownIds(spec)) {
        expect((await call(spec, request.owner, id)).status, `${fill(spec.path, {}, id)} as the ${spec.actor}`).toBe(404);
      }
      expect(await request.state()).toEqual(before);

      const ok = await call(spec, request.owner, request.id);
      expect(ok.status, `${routeKey(spec)} as the ${spec.actor}`).toBe(303);
      expect(await request.state(), 'the request is gone once acted on').toEqual([]);
    });

    it('the sender cannot accept (or reject) their own request', async () => {
      const request = await pairRequest({ method: 'POST', path: '', role: 'single', actor: 'sender' });
      const sender = request.owner;
      const before = await request.state();
      expect((await sender.post(`/pair/requests/${request.id}/accept`)).status).toBe(404);
      expect((await sender.post(`/pair/requests/${request.id}/reject`)).status).toBe(404);
      expect(await request.state()).toEqual(before);
      const row = await app.db('pair_requests').where({ id: request.id }).first('from_user_id', 'to_user_id');
      const users = await app.db('users').whereIn('id', [row.from_user_id, row.to_user_id]).pluck('couple_id');
      expect(users, 'nobody was paired').toEqual([null, null]);
    });
  });

  describe('ids in queries and fields', () => {
    it('another couple’s message id in ?around= is 404, in ?before= shows only their own messages', async () => {
      expect((await y.a.get(`/chat?around=${xMessage}`)).status).toBe(404);
      const older = await y.a.get(`/chat/messages?before=${xMessage + 1000}`, HX);
      expect(older.status).toBe(200);
      const yIds = (await app.db('messages').where({ couple_id: y.coupleId }).pluck('id')).map(Number);
      expect(shownMessageIds(older.text).every((id) => yIds.includes(id)), 'only their own messages').toBe(true);
      expect(shownMessageIds(older.text)).not.toContain(xMessage);
      const page = await y.a.get(`/chat/messages?after=0`, HX);
      expect(shownMessageIds(page.text).every((id) => yIds.includes(id))).toBe(true);
    });

    it('another couple’s file is 404 in the album (?at=, ?before=), never one of its tiles, and never in their ZIP export', async () => {
      const file = await makers.file();
      expect((await y.a.get(`/album?at=${file.id}`)).status).toBe(404);
      expect((await y.a.get(`/album?before=${file.id}`)).status).toBe(404);
      expect((await y.a.get(`/album?before=${file.id}`, HX)).status).toBe(404);
      expect((await y.a.get('/album')).text).not.toContain(`/files/${file.id}`);
      expect((await x.a.get('/album')).text).toContain(`/files/${file.id}/thumb`);
      const zip = await y.a.get('/chat/export?format=zip');
      expect(zip.status).toBe(200);
      expect(zip.bytes.includes(Buffer.from('비밀'))).toBe(false); // no entry named after x's photos
      expect((await x.a.get('/chat/export?format=zip')).bytes.includes(Buffer.from('비밀'))).toBe(true);
    });

    it('another couple’s message id as a read mark moves nothing of theirs', async () => {
      const before = await app.db('read_marks').where({ couple_id: x.coupleId }).orderBy('user_id').select();
      await y.a.get('/chat');
      const res = await y.a.post('/chat/read', { up_to: String(xMessage + 1000) });
      expect(res.status).toBe(303);
      expect(await app.db('read_marks').where({ couple_id: x.coupleId }).orderBy('user_id').select()).toEqual(before);
      const mark = await app.db('read_marks').where({ user_id: y.aId }).first();
      const yPartnerIds = (await app.db('messages').where({ couple_id: y.coupleId, sender_id: y.bId }).pluck('id')).map(Number);
      if (mark) expect([0, ...yPartnerIds]).toContain(Number(mark.up_to));
    });

    it('another couple’s message as reply_to is refused (422, the text kept) and never quoted; in ?reply_to= it is a 404', async () => {
      await y.a.get('/chat');
      const res = await y.a.post('/chat/messages', { body: '남의 메시지에 답장', client_id: 'authz-reply-0001', reply_to: String(xMessage) });
      expect(res.status).toBe(422);
      expect(res.text).toContain('>남의 메시지에 답장</textarea>');
      expect(res.text).not.toContain('x의 메시지');
      expect(await app.db('messages').where({ couple_id: y.coupleId, client_id: 'authz-reply-0001' }).first()).toBeUndefined();
      expect((await y.a.get(`/chat?reply_to=${xMessage}`)).status).toBe(404);
      const upload = await y.a.get('/chat'); // the uploader's form carries reply_to too
      expect(upload.text).toContain('<input type="hidden" name="reply_to" value="">');
    });
  });

  describe('routes without an id', () => {
    const values = () => ({ message: xMessage, single: thirdLogin, self: thirdLogin });
    const request = (spec: RouteSpec, client: Client, headers: Record<string, string> = {}) =>
      spec.method === 'GET' ? client.get(fill(spec.path, values()) + (spec.query ? `?${fill(spec.query, values())}` : ''), headers) : client.post(spec.path, fillFields(spec.fields, values()), headers);

    const withoutId = ROUTES.filter((r) => !r.id);

    it.each(withoutId.filter((r) => anonymousGets(r) === 'login'))('$method $path ($role): a visitor goes to log-in (htmx: 401 + HX-Redirect) and nothing changes', async (spec) => {
      const anon = await visitor();
      const before = await snapshot(app.db);
      expectLogin(await request(spec, anon), `${routeKey(spec)} as a visitor`);
      expectHxLogin(await request(spec, anon, HX), `${routeKey(spec)} as a visitor`);
      expect(changes(before, await snapshot(app.db))).toEqual([]);
    });

    it.each(withoutId.filter((r) => anonymousGets(r) === 'served'))('$method $path ($role): a visitor is served, never a 401, 403 or 5xx', async (spec) => {
      const anon = await visitor();
      const res = await request(spec, anon);
      expect(res.status, routeKey(spec)).toBeLessThan(400);
      if (spec.role === 'anonymous-only' && spec.method === 'GET') expect(res.status).toBe(200);
    });

    it.each(withoutId.filter((r) => r.role === 'couple'))('$method $path (couple): a single user goes to /pair and nothing changes', async (spec) => {
      const before = await snapshot(app.db);
      const res = await request(spec, third);
      expect(res.status, `${routeKey(spec)} as a single user`).toBe(303);
      expect(res.location).toBe('/pair');
      const hx = await request(spec, third, HX);
      expect(hx.headers.get('hx-redirect'), `${routeKey(spec)} as a single user (htmx)`).toBe('/pair');
      expect(changes(before, await snapshot(app.db))).toEqual([]);
      await third.get('/pair');
    });

    it.each(withoutId.filter((r) => r.role === 'single'))('$method $path (single): a paired user goes to /chat (an action is a 409) and nothing changes', async (spec) => {
      const before = await snapshot(app.db);
      const res = await request(spec, y.b);
      if (spec.method === 'GET') {
        expect(res.status).toBe(303);
        expect(res.location).toBe('/chat');
      } else {
        expect(res.status, `${routeKey(spec)} as a paired user`).toBe(409);
      }
      expect(changes(before, await snapshot(app.db))).toEqual([]);
      await y.b.get('/chat');
    });

    it.each(withoutId.filter((r) => r.role === 'anonymous-only'))('$method $path (anonymous-only): someone logged in goes home and nothing changes', async (spec) => {
      for (const client of [third, y.a]) {
        const before = await snapshot(app.db);
        const res = await request(spec, client);
        expect(res.status, `${routeKey(spec)} logged in`).toBe(303);
        expect(res.location).toBe('/');
        expect(changes(before, await snapshot(app.db))).toEqual([]);
      }
    });

    it.each(withoutId.filter((r) => r.role === 'user' && r.method === 'GET'))('$method $path (user): served to a single and a paired user', async (spec) => {
      expect((await request(spec, third)).status).toBe(200);
      expect((await request(spec, y.a)).status).toBe(200);
    });
  });
});
