import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { logIn, PASSWORD } from '../support/client';
import { newCouple, send } from '../support/chatHttp';
import { isMessage, SseStream } from '../support/sse';

describe.each(backends())('streams end with their sessions on $name', (backend) => {
  const { app } = httpSuite(backend);

  it('a password change closes the streams of every other device of that user', async () => {
    const couple = await newCouple(app.url, app.db, 'rev');
    const stolenPhone = await logIn(app.url, couple.aLogin);
    await stolenPhone.get('/chat');
    const stream = await SseStream.forClient(stolenPhone);
    expect(stream.status).toBe(200);
    await couple.a.get('/account');
    const next = 'another-Secret-2027';
    const changed = await couple.a.post('/account/password', { current_password: PASSWORD, new_password: next, new_password_confirm: next });
    expect(changed.status).toBe(303);
    await stream.waitForEnd();
    await send(couple.b, 'secret after the password change');
    expect(stream.events.filter(isMessage())).toEqual([]);
    // and it cannot come back with the old cookie
    const again = await SseStream.forClient(stolenPhone);
    expect(again.status).toBe(401);
  });

  it('a log-out closes that session’s stream and leaves the other device’s open', async () => {
    const couple = await newCouple(app.url, app.db, 'out');
    const laptop = await logIn(app.url, couple.bLogin);
    await laptop.get('/chat');
    const phoneStream = await SseStream.forClient(couple.b);
    const laptopStream = await SseStream.forClient(laptop);
    await couple.b.get('/chat');
    expect((await couple.b.post('/logout')).location).toBe('/login');
    await phoneStream.waitForEnd();
    const id = await send(couple.a, 'still here for the laptop');
    await laptopStream.waitFor(isMessage(id));
    expect(laptopStream.ended).toBe(false);
    laptopStream.close();
  });

  it('a session written back by a request in flight after a password change stays void', async () => {
    const couple = await newCouple(app.url, app.db, 'zom');
    const other = await logIn(app.url, couple.aLogin);
    const saved = await app.db('sessions').where({ user_id: couple.aId }).select();
    await couple.a.get('/account');
    const next = 'yet-another-Secret-9';
    await couple.a.post('/account/password', { current_password: PASSWORD, new_password: next, new_password_confirm: next });
    // the old rows reappear, as koa-session's renewal of an in-flight request would write them
    await app.db('sessions').insert(saved).onConflict('id').ignore();
    expect((await other.get('/chat')).location).toBe('/login');
    expect((await couple.a.get('/chat')).status).toBe(200);
  });
});
