// Exporting the conversation (GET /chat/export): the whole chat as a readable UTF-8 text
// file, in the viewer's zone, only this couple's, streamed however long it is.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db';
import { formatDay, formatTime } from '../../src/time';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { bannerOf } from '../support/breakup';
import { HX, newCouple, send } from '../support/chatHttp';
import { Client, PASSWORD, signUp } from '../support/client';
import { filePart, upload } from '../support/uploads';
import { testClock } from '../support/clock';

const ZONE = 'Asia/Seoul';

async function createdAt(db: Db, messageId: number): Promise<number> {
  return Number((await db('messages').where({ id: messageId }).first('created_at')).created_at);
}

describe.each(backends())('conversation export on $name', (backend) => {
  const { app } = httpSuite(backend);

  it('sends a visitor to /login and a single user to /pair', async () => {
    const visitor = await new Client(app.url).get('/chat/export');
    expect(visitor.status).toBe(303);
    expect(visitor.location).toBe('/login');
    const single = await signUp(app.url, 'export_single');
    const res = await single.get('/chat/export');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/pair');
  });

  it('is a UTF-8 text attachment with dates, senders, texts, deleted messages marked and files named with sizes; nothing of another couple', async () => {
    const c = await newCouple(app.url, app.db, 'exp');
    const other = await newCouple(app.url, app.db, 'oth');
    await send(other.a, '다른 커플의 비밀 이야기');

    const hello = await send(c.a, '안녕 내 이름은 최윤석이야');
    const multi = await send(c.b, '안녕 반가워!!\n두 번째 줄');
    const gone = await send(c.a, '지울 말');
    await c.a.post(`/chat/messages/${gone}/delete`, {}, HX);
    const uploaded = await upload(c.b, [filePart('과제 코드.go', Buffer.alloc(2048, 'x'), 'text/plain')], { htmx: true });
    expect(uploaded.status).toBe(200);

    const res = await c.a.get('/chat/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(testClock.now());
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="couple-chat-${today}.txt"`);
    expect(res.headers.get('cache-control')).toBe('no-store');

    const text = res.text;
    expect(text.startsWith(`커플챗 대화 기록\n${c.aLogin} · ${c.bLogin}\n내보낸 때: `)).toBe(true);
    expect(text).toContain(`(${ZONE})`);
    const at = await createdAt(app.db, hello);
    expect(text).toContain(`\n--- ${formatDay(at, 'ko', ZONE)} ---\n`);
    expect(text).toContain(`[${formatTime(at, 'ko', ZONE)}] ${c.aLogin}: 안녕 내 이름은 최윤석이야\n`);
    expect(text).toContain(`[${formatTime(await createdAt(app.db, multi), 'ko', ZONE)}] ${c.bLogin}: 안녕 반가워!!\n    두 번째 줄\n`);
    expect(text).toContain(`] ${c.aLogin}: (삭제된 메시지)\n`);
    expect(text).not.toContain('지울 말');
    expect(text).toContain(`] ${c.bLogin}: [파일] 과제 코드.go (2.0 KB)\n`);
    expect(text).not.toContain('다른 커플의 비밀 이야기');
    expect(text).not.toContain(other.aLogin);
    // in the order they were sent
    expect(text.indexOf('최윤석이야')).toBeLessThan(text.indexOf('반가워'));
    expect(text.indexOf('반가워')).toBeLessThan(text.indexOf('(삭제된 메시지)'));
    expect(text.indexOf('(삭제된 메시지)')).toBeLessThan(text.indexOf('과제 코드.go'));
  });

  it('shows what a reply answers, by the name its writer is called, and a deleted original as deleted', async () => {
    const c = await newCouple(app.url, app.db, 'exr');
    const original = await send(c.a, '가나다라마바사 아자차카타파하 가나다라마바사 아자차카타파하');
    const gone = await send(c.a, '지울 말이야');
    await c.b.get('/couple');
    expect((await c.b.post('/couple/profile', { partner_nickname: '자기' })).status).toBe(303);
    expect((await c.b.post('/chat/messages', { body: '응응 좋아', client_id: 'export-reply-01', reply_to: String(original) })).status).toBe(303);
    expect((await c.b.post('/chat/messages', { body: '뭐였지?', client_id: 'export-reply-02', reply_to: String(gone) })).status).toBe(303);
    await c.a.post(`/chat/messages/${gone}/delete`, {}, HX);

    const text = (await c.a.get('/chat/export')).text;
    expect(text).toContain(`] ${c.bLogin}: (↪ 자기: 가나다라마바사 아자차카타파하 가나다라마바사 아자차카타파…) 응응 좋아\n`);
    expect(text).toContain(`] ${c.bLogin}: (↪ 삭제된 메시지) 뭐였지?\n`);
  });

  it('speaks the viewer’s language and zone', async () => {
    const c = await newCouple(app.url, app.db, 'zone');
    const id = await send(c.a, 'hello from Seoul');
    await c.b.get('/account');
    await c.b.post('/account/settings', { language: 'en', week_start: '0', time_zone: 'America/New_York' });
    const text = (await c.b.get('/chat/export')).text;
    const at = await createdAt(app.db, id);
    expect(text.startsWith('Couple Chat conversation\n')).toBe(true);
    expect(text).toContain(`--- ${formatDay(at, 'en', 'America/New_York')} ---`);
    expect(text).toContain(`[${formatTime(at, 'en', 'America/New_York')}] ${c.aLogin}: hello from Seoul`);
    expect(text).toContain('(America/New_York)');
  });

  it('says so when there is nothing yet', async () => {
    const c = await newCouple(app.url, app.db, 'empty');
    const text = (await c.a.get('/chat/export')).text;
    expect(text.trimEnd().endsWith('(대화가 없어요)')).toBe(true);
  });

  it('streams a long conversation in pieces, every message once and in order', async () => {
    const c = await newCouple(app.url, app.db, 'long');
    const n = 3_200;
    const start = Date.UTC(2026, 0, 1);
    const rows = Array.from({ length: n }, (_, i) => ({
      couple_id: c.coupleId,
      sender_id: i % 2 === 0 ? c.aId : c.bId,
      body: `긴 대화 ${i}`,
      client_id: `bulk-${i}`,
      created_at: start + i * 60_000,
    }));
    for (let i = 0; i < rows.length; i += 400) await app.db('messages').insert(rows.slice(i, i + 400));
    const res = await c.a.get('/chat/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('transfer-encoding')).toBe('chunked'); // written as it is read, not measured first
    expect(res.headers.get('content-length')).toBeNull();
    const lines = res.text.split('\n').filter((line) => line.includes('긴 대화 '));
    expect(lines).toHaveLength(n);
    expect(lines.map((line) => Number(/긴 대화 (\d+)$/.exec(line)?.[1]))).toEqual(rows.map((_, i) => i));
    expect(lines[0]).toBe(`[${formatTime(start, 'ko', ZONE)}] ${c.aLogin}: 긴 대화 0`);
    // 3,200 minutes span three days: a heading for each
    expect(res.text.match(/\n--- .* ---\n/g)).toHaveLength(3);
  });

  it('is linked from the account page and from the break-up banner', async () => {
    const c = await newCouple(app.url, app.db, 'link');
    expect((await c.a.get('/account')).text).toContain('<a href="/chat/export" download>대화 내보내기</a>');
    await c.a.post('/couple/breakup', { password: PASSWORD });
    expect(bannerOf((await c.b.get('/chat')).text)).toContain('href="/chat/export"');
    expect((await c.b.get('/chat/export')).status).toBe(200); // and works while the break-up is pending
  });
});
