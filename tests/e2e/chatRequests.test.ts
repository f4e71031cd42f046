// The chat page's requests, as its script makes them in real Chromium: htmx makes every
// one (never a hand-written request that poses as htmx's), with the page's CSRF token;
// messages sent while another is on its way each arrive once; a refused message comes
// back into the box; an upload's bar follows the bytes on the wire.
import type { Page, Request, Route } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, logIn } from '../support/browser';
import { composer, expectConversation, phoneContext, shownMessages, shownTexts, typeAndSend } from '../support/chatPages';
import { pairUp } from '../support/client';

const POSTS = /^\/chat\/(messages|read|typing|uploads)$/;

describeBrowser('the chat page’s requests', () => {
  const suite = browserSuite();
  let sora: Page;
  let minho: Page;
  const expected: string[] = [];

  beforeAll(async () => {
    await pairUp(suite.app.url, 'req_sora', 'req_minho');
    ({ page: sora } = await suite.open(phoneContext));
    ({ page: minho } = await suite.open(phoneContext));
    await logIn(sora, 'req_sora', undefined, '/chat');
    await logIn(minho, 'req_minho', undefined, '/chat');
  });

  it('are htmx’s own, with the page’s CSRF token: a message, a read report, an upload, and the typing signal without the draft', async () => {
    const seen: Request[] = [];
    const record = (request: Request) => {
      if (request.method() === 'POST' && POSTS.test(new URL(request.url()).pathname)) seen.push(request);
    };
    sora.on('request', record);
    minho.on('request', record);
    await typeAndSend(sora, '오늘 저녁 뭐 먹을까?');
    expected.push('오늘 저녁 뭐 먹을까?');
    await expectConversation(minho, expected); // minho's page sees it and reports it read
    await sora.locator('#file').setInputFiles([{ name: '메뉴.txt', mimeType: 'text/plain', buffer: Buffer.from('떡볶이, 김밥') }]);
    await expect.poll(() => [...new Set(seen.map((r) => new URL(r.url()).pathname))].sort()).toEqual(['/chat/messages', '/chat/read', '/chat/typing', '/chat/uploads']);
    await expect.poll(() => minho.locator('#messages a.file').count()).toBe(1);
    expected.push(''); // the file: a message without text

    for (const request of seen) {
      const page = request.frame().page();
      const token = await page.evaluate(() => JSON.parse(document.body.getAttribute('hx-headers')!)['X-CSRF-Token']);
      const headers = await request.allHeaders();
      const path = new URL(request.url()).pathname;
      expect(headers['hx-request'], path).toBe('true');
      expect(headers['hx-current-url'], `${path}: htmx names the page it came from`).toBe(page.url());
      expect(headers['x-csrf-token'], path).toBe(token);
    }
    expect((await seen.find((r) => r.url().endsWith('/chat/uploads'))!.allHeaders())['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    // "입력 중…" tells the partner that I type, never what
    const typing = seen.filter((r) => r.url().endsWith('/chat/typing'));
    expect(typing.map((r) => r.postData() ?? '').filter((body) => /body=|%EC%98%A4/.test(body))).toEqual([]);
  });

  it('sends each message typed while the first is still on its way: all arrive, each once', async () => {
    const held: Route[] = [];
    await sora.route('**/chat/messages', (route) => (held.length ? route.continue() : void held.push(route)));
    const texts = ['잠깐만', '거의 다 왔어', '곧 도착해']; // no trigger word: a question would hold the chat
    for (const text of texts) await typeAndSend(sora, text);
    await expect.poll(() => held.length).toBe(1);
    // the second and third went on their own; the first is still pending on its way
    await expect.poll(async () => (await shownMessages(minho)).slice(-2).map((m) => m.text)).toEqual(texts.slice(1));
    expect((await shownMessages(sora)).filter((m) => m.pending).map((m) => m.text)).toEqual([texts[0]]);
    await held[0].continue();
    await sora.unroute('**/chat/messages');
    // stored in the order they reached the server; the sender's page keeps its own where it typed them
    expected.push(texts[1], texts[2], texts[0]);
    await expectConversation(minho, expected);
    await expect.poll(async () => (await shownTexts(sora)).sort()).toEqual([...expected].sort());
    expect((await shownMessages(sora)).filter((m) => m.pending || m.failed)).toEqual([]);
    for (const text of texts) expect(await suite.app.db('messages').where({ body: text }).count({ n: '*' }).first(), text).toMatchObject({ n: 1 });
  });

  it('puts a message the server refuses back into the box, with the reason under it, and sends nothing', async () => {
    const tooLong = '가'.repeat(4001);
    await composer(sora).fill(tooLong);
    await composer(sora).press('Enter');
    await expect.poll(() => sora.locator('#body-error').innerText()).toBe('메시지는 4,000자까지 보낼 수 있어요.');
    expect(await composer(sora).inputValue()).toBe(tooLong);
    expect((await shownMessages(sora)).filter((m) => m.pending || m.failed)).toEqual([]);
    expect((await shownTexts(sora)).sort()).toEqual([...expected].sort());
    await composer(sora).fill('');
  });

  it('moves an upload’s progress bar with the bytes sent, and takes it away once the file is in the chat', async () => {
    const cdp = await sora.context().newCDPSession(sora);
    await cdp.send('Network.enable');
    // a slow phone network: 1 MB goes in about four seconds
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
    try {
      await sora.locator('#file').setInputFiles([{ name: 'slow.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(1024 * 1024, 1) }]);
      const bar = sora.locator('#upload-progress li progress');
      await expect
        .poll(() => bar.evaluate((p: HTMLProgressElement) => p.value > 0 && p.value < p.max), { timeout: 10_000 })
        .toBe(true);
    } finally {
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    }
    await expect.poll(() => sora.locator('#upload-progress li').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => minho.locator('#messages a.file', { hasText: 'slow.bin' }).count()).toBe(1);
  });
});
