// The floor the bench compares the app with: a bare node:http chat relay over the same
// database (a better-sqlite3 file or mysql2) that does per message one insert into a table
// and one SSE write to each of the couple's open streams, nothing else (no templates, no
// events table, no questions, no compression, no limits). It answers the requests the
// bench's browser-like client makes: /healthz, GET /chat (the couple's newest 50 messages
// of the app's own history), GET /chat/stream (with Last-Event-ID replay), POST /chat/messages,
// POST /chat/read (204, nothing stored). Who is asking comes from the session cookie, against
// the sessions read once at start.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

export const RELAY_TABLE = 'bench_relay_messages';

/** The relay's one table, made by the relay at start or by the bench before seeding it. */
export const relayTableSql = (sqlite: boolean): string[] =>
  sqlite
    ? [
        `create table if not exists ${RELAY_TABLE} (id integer primary key autoincrement, couple_id integer not null, sender_id integer not null, body text not null, client_id varchar(64) not null, created_at bigint not null)`,
        `create index if not exists ${RELAY_TABLE}_couple on ${RELAY_TABLE} (couple_id, id)`,
      ]
    : [
        `create table if not exists ${RELAY_TABLE} (id bigint unsigned auto_increment primary key, couple_id int unsigned not null, sender_id int unsigned not null, body text not null, client_id varchar(64) not null, created_at bigint not null, index (couple_id, id)) engine=InnoDB default charset=utf8mb4`,
      ];

type Row = { id: number; body: string; client_id: string };

interface Store {
  insert(coupleId: number, senderId: number, body: string, clientId: string): Promise<number>;
  since(coupleId: number, afterId: number): Promise<Row[]>;
  latest(coupleId: number): Promise<Row[]>;
  sessions(): Promise<{ id: string; user_id: number; couple_id: number | null }[]>;
}

/** What the relay uses of better-sqlite3 (which ships no types). */
interface SqliteDb {
  pragma(statement: string): unknown;
  exec(sql: string): void;
  prepare(sql: string): { run(...args: unknown[]): { lastInsertRowid: number | bigint }; all(...args: unknown[]): unknown[] };
}

async function sqliteStore(file: string): Promise<Store> {
  const sqlite = 'better-sqlite3';
  const { default: Database } = (await import(sqlite)) as { default: new (file: string) => SqliteDb };
  const db = new Database(file);
  for (const p of ['journal_mode = WAL', 'busy_timeout = 5000', 'synchronous = NORMAL']) db.pragma(p);
  for (const sql of relayTableSql(true)) db.exec(sql);
  const insert = db.prepare(`insert into ${RELAY_TABLE} (couple_id, sender_id, body, client_id, created_at) values (?, ?, ?, ?, ?)`);
  const since = db.prepare(`select id, body, client_id from ${RELAY_TABLE} where couple_id = ? and id > ? order by id limit 200`);
  const latest = db.prepare('select id, body, client_id from messages where couple_id = ? order by id desc limit 50');
  return {
    insert: async (c, s, b, id) => Number(insert.run(c, s, b, id, Date.now()).lastInsertRowid),
    since: async (c, after) => since.all(c, after) as Row[],
    latest: async (c) => (latest.all(c) as Row[]).reverse(),
    sessions: async () => db.prepare('select s.id, u.id as user_id, u.couple_id from sessions s join users u on u.id = s.user_id').all() as never,
  };
}

async function mysqlStore(uri: string): Promise<Store> {
  const { createPool } = await import('mysql2/promise');
  const pool = createPool({ uri, connectionLimit: 10, charset: 'utf8mb4' });
  for (const sql of relayTableSql(false)) await pool.query(sql);
  const rows = async <T>(sql: string, args: unknown[]) => (await pool.execute(sql, args as never[]))[0] as T;
  return {
    insert: async (c, s, b, id) =>
      (await rows<{ insertId: number }>(`insert into ${RELAY_TABLE} (couple_id, sender_id, body, client_id, created_at) values (?, ?, ?, ?, ?)`, [c, s, b, id, Date.now()])).insertId,
    since: (c, after) => rows<Row[]>(`select id, body, client_id from ${RELAY_TABLE} where couple_id = ? and id > ? order by id limit 200`, [c, after]),
    latest: async (c) => (await rows<Row[]>('select id, body, client_id from messages where couple_id = ? order by id desc limit 50', [c])).reverse(),
    sessions: () => rows('select s.id, u.id as user_id, u.couple_id from sessions s join users u on u.id = s.user_id', []),
  };
}

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const li = (r: Row) => `<li class="msg" id="m-${r.id}" data-id="${r.id}" data-client-id="${escape(r.client_id)}"><p class="text">${escape(r.body)}</p></li>`;
const event = (r: Row) => `id: ${r.id}\nevent: message\ndata: ${li(r)}\n\n`;

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL ?? '';
  const store = url.startsWith('sqlite:') ? await sqliteStore(url.slice('sqlite:'.length)) : await mysqlStore(url);
  const users = new Map((await store.sessions()).map((s) => [s.id, { id: Number(s.user_id), couple: Number(s.couple_id) }]));
  const streams = new Map<number, Set<ServerResponse>>();

  const whoIs = (req: IncomingMessage) => {
    const key = /(?:^|;\s*)(?:__Host-)?cc\.sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    return key ? users.get(createHash('sha256').update(key).digest('hex')) : undefined;
  };
  const form = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return res.end('ok');
    const user = whoIs(req);
    if (!user) return res.writeHead(401).end();
    if (req.method === 'GET' && path === '/chat') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(`<!doctype html><ol id="messages">${(await store.latest(user.couple)).map(li).join('')}</ol>`);
    }
    if (req.method === 'GET' && path === '/chat/stream') {
      const query = /[?&]lastEventId=(\d+)/.exec(req.url ?? '')?.[1];
      const after = Math.max(Number(req.headers['last-event-id'] ?? 0) || 0, Number(query ?? 0));
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }).flushHeaders();
      if (after) for (const r of await store.since(user.couple, after)) res.write(event(r));
      const open = streams.get(user.couple) ?? new Set();
      streams.set(user.couple, open.add(res));
      res.on('close', () => open.delete(res));
      return;
    }
    if (req.method === 'POST' && path === '/chat/messages') {
      const fields = await form(req);
      const row = { id: 0, body: fields.get('body') ?? '', client_id: fields.get('client_id') ?? '' };
      row.id = await store.insert(user.couple, user.id, row.body, row.client_id);
      for (const stream of streams.get(user.couple) ?? []) stream.write(event(row));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(li(row));
    }
    if (req.method === 'POST' && path === '/chat/read') {
      await form(req);
      return res.writeHead(204).end();
    }
    res.writeHead(404).end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err.message));
    });
  });
  server.listen(Number(process.env.PORT), '127.0.0.1');
  process.on('SIGTERM', () => {
    for (const open of streams.values()) for (const stream of open) stream.end();
    server.close(() => process.exit(0));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
