// The question gate holds files back as it holds texts: a question asked while a photo is
// on its way (the partner's message brought it up) stops the photo at the end, under the
// couple's lock, with the question (409), and nothing of the photo is kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadTurns } from '../../src/chat/uploadRoutes';
import { backends } from '../support/backends';
import { newCouple, send } from '../support/chatHttp';
import { SlowUpload } from '../support/slowUpload';
import { startTestApp, type TestApp } from '../support/testApp';
import { filePart, jpeg } from '../support/uploads';

describe.each(backends())('a photo under way when a question comes up, on $name', (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(backend);
  });
  afterAll(() => app.close());

  it('is held back by the question at the end (409, the question), and nothing of it is stored', async () => {
    const c = await newCouple(app.url, app.db, 'ugate');
    const photo = await jpeg(640, 480);
    const upload = await SlowUpload.start(c.a, [{ name: 'client_id', value: 'held-photo' }, filePart('held.jpg', photo, 'image/jpeg')], 2_000);
    // past the gate at the door: the photo is being read
    await expect.poll(() => uploadTurns(app.app).counts.running).toBe(1);
    await send(c.b, '나 요즘 운동 시작했어'); // asks a question both must answer
    const reply = await upload.finish();
    expect(reply.status).toBe(409);
    expect(reply.text).toContain('question-card');
    expect(await app.db('messages').where({ couple_id: c.coupleId, client_id: 'held-photo' }).count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(await app.db('files').where({ couple_id: c.coupleId }).count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(await app.db('blobs').where({ couple_id: c.coupleId }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});
