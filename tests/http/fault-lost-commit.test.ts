// The database commits a write, and its answer is lost on the way back (the server went away
// at that moment, or the connection broke): the app cannot know the write happened, so the
// sender is told to try again (503). The write is stored all the same, and the partner's
// open stream must show its event by itself, not only once something else happens in the
// chat; the sender's retry with the same client_id adds nothing. A proxy in front of the
// shared MariaDB loses the answer to one COMMIT on purpose (tests/support/mysqlProxy.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mysqlBackend } from '../support/backends';
import { newClientId, newCouple, send, sendHx } from '../support/chatHttp';
import { startMysqlProxy, type MysqlProxy } from '../support/mysqlProxy';
import { isDeleted, isMessage, suiteStreams } from '../support/sse';
import { startTestApp, type TestApp } from '../support/testApp';

const serverUrl = process.env.TEST_MYSQL_URL;

describe.runIf(serverUrl)('when the answer to a COMMIT is lost (MariaDB through a proxy)', () => {
  let proxy: MysqlProxy;
  let app: TestApp;
  const { stream } = suiteStreams();

  beforeAll(async () => {
    proxy = await startMysqlProxy(serverUrl!);
    app = await startTestApp(mysqlBackend(proxy.url));
  });
  afterAll(async () => {
    await app?.close();
    await proxy?.close();
  });

  it("a send: the sender is asked to retry, the partner's open stream shows it anyway, and the retry is the same message", async () => {
    const c = await newCouple(app.url, app.db, 'lostc');
    const live = await stream(c.b);
    const first = await send(c.a, '답이 오기 전');
    await live.waitFor(isMessage(first));

    const clientId = newClientId();
    const lost = proxy.loseNextCommitReply();
    const res = await sendHx(c.a, '답을 못 들은 메시지', clientId);
    await lost;
    expect(res.status).toBe(503);
    const stored = await app.db('messages').where({ couple_id: c.coupleId, client_id: clientId }).pluck('id');
    expect(stored, 'the server committed it').toHaveLength(1);
    const id = Number(stored[0]);

    // nothing else happens in the chat: the stream gets it by itself
    await live.waitFor(isMessage(id));

    expect(await send(c.a, '답을 못 들은 메시지', clientId)).toBe(id);
    const next = await send(c.a, '그다음 메시지');
    await live.waitFor(isMessage(next)); // events come in order: a second copy would be in by now
    expect(live.events.filter(isMessage(id))).toHaveLength(1);
  });

  it("a deletion: the partner's open stream shows the message gone", async () => {
    const c = await newCouple(app.url, app.db, 'lostd');
    const live = await stream(c.b);
    const id = await send(c.a, '지울 메시지');
    await live.waitFor(isMessage(id));

    const lost = proxy.loseNextCommitReply();
    const res = await c.a.post(`/chat/messages/${id}/delete`, {}, { 'HX-Request': 'true' });
    await lost;
    expect(res.status).toBe(503);
    expect((await app.db('messages').where({ id }).first('deleted_at')).deleted_at, 'the server committed it').not.toBeNull();

    await live.waitFor(isDeleted(id));
  });
});
