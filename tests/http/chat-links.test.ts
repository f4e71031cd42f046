// Links in messages, as the pages render them: an http(s) address in a message is a link
// that opens in a new tab without telling the site where it came from, in the chat, the
// stream and the search results; anything else that looks like one stays text, escaped;
// and the server never visits the address (no previews).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { messageItem, send } from '../support/chatHttp';
import { httpSuite } from '../support/httpSuite';
import { isMessage, suiteStreams } from '../support/sse';

/** The <a> tags of a piece of HTML. */
const anchors = (html: string) => [...html.matchAll(/<a\b[^>]*>/g)].map((m) => m[0]);
/** The text of a message's bubble. */
const bubbleText = (item: string) => /<p class="text">([\s\S]*?)<\/p>/.exec(item)?.[1] ?? '';

describe.each(backends())('links in messages on $name', (backend) => {
  const { couple } = httpSuite(backend, { tag: 'lnk' });
  const { stream } = suiteStreams();

  // an address on this machine that counts every request made to it
  let visited = 0;
  let site: Server;
  let siteUrl = '';
  beforeAll(async () => {
    site = createServer((_req, res) => {
      visited++;
      res.end('<title>preview</title>');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => site.close(() => resolve())));

  it('renders an address as a link that opens in a new tab, with noopener noreferrer nofollow, everywhere the text shows', async () => {
    const { a, b } = await couple();
    const partner = await stream(b);
    const id = await send(a, `여기 봐 ${siteUrl}/place?x=1&y=2. 맛집이래`);
    const expected = `<a href="${siteUrl}/place?x=1&amp;y=2" rel="noopener noreferrer nofollow" target="_blank">`;

    const item = messageItem((await b.get('/chat')).text, id);
    expect(anchors(bubbleText(item))).toEqual([expected]);
    expect(bubbleText(item)).toBe(`여기 봐 ${expected}${siteUrl}/place?x=1&amp;y=2</a><wbr>. 맛집이래`);
    const live = await partner.waitFor(isMessage(id));
    expect(anchors(bubbleText(live.data))).toEqual([expected]);
    const found = await b.get(`/chat/search?q=${encodeURIComponent('맛집')}`);
    expect(anchors(/<li class="result"[\s\S]*?<\/li>/.exec(found.text)?.[0] ?? '')).toContain(expected);

    // rendering it (the page, the stream, the search) never visited the address
    expect(visited).toBe(0);
  });

  it('keeps Korean after the address out of it', async () => {
    const { a } = await couple();
    const id = await send(a, 'https://naver.com에서 봤어 (https://example.com/a)');
    const text = bubbleText(messageItem((await a.get('/chat')).text, id));
    expect(text).toBe(
      '<a href="https://naver.com/" rel="noopener noreferrer nofollow" target="_blank">https://naver.com</a><wbr>에서 봤어 (' +
        '<a href="https://example.com/a" rel="noopener noreferrer nofollow" target="_blank">https://example.com/a</a><wbr>)',
    );
  });

  it('never makes a link of javascript: or data:, and escapes markup in and around an address', async () => {
    const { a } = await couple();
    const hostile = [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      '"><script>alert(1)</script>',
      "https://example.com/\"><script>alert(1)</script>",
      "https://example.com/x'onmouseover='alert(1)",
      'https://example.com/<img src=x onerror=alert(1)>',
    ];
    for (const body of hostile) {
      const id = await send(a, body);
      const item = messageItem((await a.get('/chat')).text, id);
      const text = bubbleText(item);
      expect(text, body).not.toMatch(/<script|<img/i);
      // a link only to the https address, its href never left (no quote in it), no attribute of its own
      const links = anchors(text);
      expect(links.length, body).toBe(body.startsWith('https:') ? 1 : 0);
      for (const tag of links) expect(tag, body).toMatch(/^<a href="https:\/\/example\.com\/[^"<>]*" rel="noopener noreferrer nofollow" target="_blank">$/);
      // the text is all there, as text
      expect(text.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'), body).toBe(body);
    }
  });
});
