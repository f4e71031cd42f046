import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { Client, pairUp, signUp } from '../support/client';
import { testClock } from '../support/clock';

const requestId = (html: string, action: string) => Number(new RegExp(`/pair/requests/(\\d+)/${action}`).exec(html)?.[1]);

describe.each(backends())('pairing on $name', (backend) => {
  const { app } = httpSuite(backend);

  async function send(client: Client, loginId: string) {
    await client.get('/pair');
    return client.post('/pair/requests', { login_id: loginId });
  }

  it('sends a request that both sides see', async () => {
    const a = await signUp(app.url, 'p_sender');
    const b = await signUp(app.url, 'p_receiver');
    const res = await send(a, 'P_Receiver');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/pair');
    const mine = await a.get('/pair');
    expect(Client.visible(mine.text)).toContain('p_receiver 님의 수락을 기다리는 중');
    const theirs = await b.get('/pair');
    expect(Client.visible(theirs.text)).toContain('p_sender 님이 커플 신청을 보냈어요');
  });

  it.each([
    ['own ID', (self: string) => self, '내 아이디에는 신청할 수 없어요.'],
    ['unknown ID', () => 'nobody_404', '없는 아이디예요.'],
    ['malformed ID', () => '../../etc', '없는 아이디예요.'],
    ['empty ID', () => '   ', '아이디를 입력해 주세요.'],
  ])('refuses a request to an %s with 422 next to the field', async (_name, target, message) => {
    const self = `p_err_${Math.random().toString(36).slice(2, 8)}`;
    const a = await signUp(app.url, self);
    const res = await send(a, target(self));
    expect(res.status).toBe(422);
    expect(res.text).toContain(`<p class="field-error" id="login_id-error">${message}</p>`);
    expect(await app.db('pair_requests').count({ n: '*' }).where({ from_user_id: (await app.db('users').where({ login_id: self }).first()).id })).toEqual([{ n: 0 }]);
  });

  it('refuses a repeat request to the same person, and a second outstanding one', async () => {
    const a = await signUp(app.url, 'p_repeat');
    await signUp(app.url, 'p_repeat_to');
    await signUp(app.url, 'p_repeat_other');
    expect((await send(a, 'p_repeat_to')).status).toBe(303);
    const again = await send(a, 'p_repeat_to');
    expect(again.status).toBe(422);
    expect(again.text).toContain('이미 이 사람에게 신청을 보냈어요.');
    const second = await send(a, 'p_repeat_other');
    expect(second.status).toBe(422);
    expect(second.text).toContain('이미 보낸 신청이 있어요. 취소한 뒤에 다시 보내 주세요.');
    expect(second.text).toContain('value="p_repeat_other"');
  });

  it('refuses a request to someone already paired', async () => {
    await pairUp(app.url, 'p_taken_a', 'p_taken_b');
    const c = await signUp(app.url, 'p_hopeful');
    const res = await send(c, 'p_taken_a');
    expect(res.status).toBe(422);
    expect(res.text).toContain('이미 다른 사람과 연결된 사용자예요.');
  });

  it('cancels my request, after which I can send another', async () => {
    const a = await signUp(app.url, 'p_canceller');
    await signUp(app.url, 'p_cancel_1');
    await signUp(app.url, 'p_cancel_2');
    await send(a, 'p_cancel_1');
    const page = await a.get('/pair');
    const res = await a.post(`/pair/requests/${requestId(page.text, 'cancel')}/cancel`);
    expect(res.status).toBe(303);
    expect((await send(a, 'p_cancel_2')).status).toBe(303);
  });

  it('rejects a request sent to me; the sender sees it gone', async () => {
    const a = await signUp(app.url, 'p_rejected');
    const b = await signUp(app.url, 'p_rejecter');
    await send(a, 'p_rejecter');
    const page = await b.get('/pair');
    expect((await b.post(`/pair/requests/${requestId(page.text, 'reject')}/reject`)).status).toBe(303);
    expect(Client.visible((await b.get('/pair')).text)).toContain('받은 신청이 없어요.');
    expect(Client.visible((await a.get('/pair')).text)).toContain('보낸 신청이 없어요.');
  });

  it('accepts: both land on /chat and every other request of either is gone', async () => {
    const a = await signUp(app.url, 'p_acc_a');
    const b = await signUp(app.url, 'p_acc_b');
    const c = await signUp(app.url, 'p_acc_c');
    const d = await signUp(app.url, 'p_acc_d');
    await send(c, 'p_acc_b'); // to the accepter
    await send(b, 'p_acc_d'); // from the accepter
    await send(d, 'p_acc_a'); // to the requester
    await send(a, 'p_acc_b');
    const page = await b.get('/pair');
    const accept = await b.post(`/pair/requests/${requestIdFor(page.text, 'p_acc_a')}/accept`);
    expect(accept.status).toBe(303);
    expect(accept.location).toBe('/chat');
    const chatB = await b.get('/chat');
    expect(chatB.status).toBe(200);
    expect(Client.visible(chatB.text)).toContain('p_acc_a 님과의 대화');
    expect((await a.get('/')).location).toBe('/chat');
    expect((await a.get('/pair')).location).toBe('/chat');
    expect(Client.visible((await c.get('/pair')).text)).toContain('보낸 신청이 없어요.');
    expect(Client.visible((await d.get('/pair')).text)).toContain('받은 신청이 없어요.');
    const leftovers = await app
      .db('pair_requests as r')
      .join('users as u', (j) => j.on('u.id', 'r.from_user_id').orOn('u.id', 'r.to_user_id'))
      .whereIn('u.login_id', ['p_acc_a', 'p_acc_b']);
    expect(leftovers).toEqual([]);
  });

  it('lets the requester’s polling page learn of the acceptance (htmx gets HX-Redirect)', async () => {
    const a = await signUp(app.url, 'p_poll_a');
    const b = await signUp(app.url, 'p_poll_b');
    await send(a, 'p_poll_b');
    const before = await a.get('/pair', { 'HX-Request': 'true' });
    expect(before.status).toBe(200);
    expect(before.text).toContain('id="pair-live"');
    expect(before.text).not.toContain('<html');
    const page = await b.get('/pair');
    await b.post(`/pair/requests/${requestId(page.text, 'accept')}/accept`);
    const after = await a.get('/pair', { 'HX-Request': 'true' });
    expect(after.headers.get('hx-redirect')).toBe('/chat');
  });

  it('answers htmx actions with the updated fragment instead of a redirect', async () => {
    const a = await signUp(app.url, 'p_hx_a');
    await signUp(app.url, 'p_hx_b');
    await send(a, 'p_hx_b');
    const page = await a.get('/pair');
    const res = await a.post(`/pair/requests/${requestId(page.text, 'cancel')}/cancel`, {}, { 'HX-Request': 'true' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('id="pair-live"');
    expect(res.text).toContain('신청을 취소했어요.');
    expect(res.text).toContain('보낸 신청이 없어요.');
  });

  it('answers 404 for a request that is not mine to accept, reject or cancel', async () => {
    const a = await signUp(app.url, 'p_owner_a');
    const b = await signUp(app.url, 'p_owner_b');
    const stranger = await signUp(app.url, 'p_stranger');
    await send(a, 'p_owner_b');
    const id = requestId((await a.get('/pair')).text, 'cancel');
    await stranger.get('/pair');
    for (const action of ['accept', 'reject', 'cancel']) {
      expect((await stranger.post(`/pair/requests/${id}/${action}`)).status).toBe(404);
    }
    await b.get('/pair');
    expect((await b.post(`/pair/requests/${id}/cancel`)).status).toBe(404); // the receiver cannot cancel
    await a.get('/pair');
    expect((await a.post(`/pair/requests/${id}/accept`)).status).toBe(404); // the sender cannot accept
    for (const bad of ['0', '-1', 'abc', '99999999999999999999', '1e3']) {
      expect((await a.post(`/pair/requests/${bad}/accept`)).status).toBe(404);
    }
    expect(Client.visible((await b.get('/pair')).text)).toContain('p_owner_a 님이 커플 신청을 보냈어요');
  });

  it('answers 409 when a paired user tries to pair again', async () => {
    const [a] = await pairUp(app.url, 'p_twice_a', 'p_twice_b');
    await signUp(app.url, 'p_twice_c');
    await a.get('/chat');
    const res = await a.post('/pair/requests', { login_id: 'p_twice_c' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('이미 커플이 연결되어 있어요.');
  });

  it('answers 409 on accepting a request from someone who paired meanwhile', async () => {
    const a = await signUp(app.url, 'p_late_a');
    const b = await signUp(app.url, 'p_late_b');
    await signUp(app.url, 'p_late_c');
    await send(a, 'p_late_b');
    const page = await b.get('/pair');
    // a pairs with c through a request c sent (accepting deletes a's own request too)
    const c = new Client(app.url);
    await c.get('/login');
    await c.post('/login', { login_id: 'p_late_c', password: 'violet-Harbor-42' });
    await a.get('/pair');
    await app.db('pair_requests').insert({
      from_user_id: (await app.db('users').where({ login_id: 'p_late_c' }).first()).id,
      to_user_id: (await app.db('users').where({ login_id: 'p_late_a' }).first()).id,
      created_at: testClock.now(),
    });
    const aPage = await a.get('/pair');
    expect((await a.post(`/pair/requests/${requestId(aPage.text, 'accept')}/accept`)).status).toBe(303);
    const late = await b.post(`/pair/requests/${requestId(page.text, 'accept')}/accept`);
    expect(late.status).toBe(404); // a's request disappeared when a paired
    const [{ n }] = await app.db('couples').count({ n: '*' }).whereIn('id', app.db('users').select('couple_id').where({ login_id: 'p_late_b' }));
    expect(Number(n)).toBe(0);
  });

  it('pairs exactly once when two people accept each other at the same instant', async () => {
    const a = await signUp(app.url, 'p_race_a');
    const b = await signUp(app.url, 'p_race_b');
    const c = await signUp(app.url, 'p_race_c');
    await send(b, 'p_race_a');
    await send(c, 'p_race_a');
    const page = await a.get('/pair');
    const ids = [...new Set([...page.text.matchAll(/action="\/pair\/requests\/(\d+)\/accept/g)].map((m) => m[1]))];
    expect(ids).toHaveLength(2);
    const results = await Promise.all(ids.map((id) => a.post(`/pair/requests/${id}/accept`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0]).toBe(303);
    expect([404, 409]).toContain(statuses[1]);
    const coupled = await app.db('users').whereIn('login_id', ['p_race_a', 'p_race_b', 'p_race_c']).whereNotNull('couple_id');
    expect(coupled).toHaveLength(2);
    const orphans = await app.db('couples').whereNotIn('id', app.db('users').whereNotNull('couple_id').select('couple_id'));
    expect(orphans).toEqual([]);
  });

  it('shows no request from or to a deleted account', async () => {
    const a = await signUp(app.url, 'p_gone_a');
    const b = await signUp(app.url, 'p_gone_b');
    await send(a, 'p_gone_b');
    await a.get('/account');
    await a.post('/account/delete', { password: 'violet-Harbor-42' });
    expect(Client.visible((await b.get('/pair')).text)).toContain('받은 신청이 없어요.');
  });

  it('refuses account deletion with 409 while paired', async () => {
    const [a] = await pairUp(app.url, 'p_del_a', 'p_del_b');
    await a.get('/account');
    const res = await a.post('/account/delete', { password: 'violet-Harbor-42' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('커플이 연결된 동안에는 탈퇴할 수 없어요. 먼저 연결을 끊어 주세요.');
    expect(await app.db('users').where({ login_id: 'p_del_a' })).toHaveLength(1);
  });
});

function requestIdFor(html: string, loginId: string): number {
  const block = html.split(`${loginId} 님이 커플 신청을 보냈어요`)[1] ?? '';
  return Number(/\/pair\/requests\/(\d+)\/accept/.exec(block)?.[1]);
}
