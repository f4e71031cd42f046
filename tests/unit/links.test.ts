// Links in messages (src/chat/links.ts): what becomes a link, where it ends in Korean text
// and before punctuation, and what never becomes one.
import { describe, expect, it } from 'vitest';
import { linkParts, type TextPart } from '../../src/chat/links';

/** The links a text has, as [text shown, href]. */
const links = (text: string) => linkParts(text).filter((p) => p.href).map((p) => [p.text, p.href]);
/** The parts put back together: nothing of the text is lost or doubled. */
const joined = (parts: TextPart[]) => parts.map((p) => p.text).join('');

describe('links in a message', () => {
  it('leaves text without links as one plain part', () => {
    expect(linkParts('안녕 뭐 해?')).toEqual([{ text: '안녕 뭐 해?' }]);
    expect(linkParts('')).toEqual([{ text: '' }]);
  });

  it('finds http and https links among words, in any case of the scheme', () => {
    expect(linkParts('이거 봐 https://example.com/a?b=1&c=2#x 재밌어')).toEqual([
      { text: '이거 봐 ' },
      { text: 'https://example.com/a?b=1&c=2#x', href: 'https://example.com/a?b=1&c=2#x' },
      { text: ' 재밌어' },
    ]);
    expect(links('HTTP://Example.COM/Path')).toEqual([['HTTP://Example.COM/Path', 'http://example.com/Path']]);
    expect(links('http://localhost:3000/chat 와 https://a.kr')).toEqual([
      ['http://localhost:3000/chat', 'http://localhost:3000/chat'],
      ['https://a.kr', 'https://a.kr/'],
    ]);
  });

  it('ends a link where Korean follows it with no space: after the host, and a particle after the path', () => {
    expect(links('https://naver.com에서 봤어')).toEqual([['https://naver.com', 'https://naver.com/']]);
    expect(links('여기https://youtu.be/abc를 봐')).toEqual([['https://youtu.be/abc', 'https://youtu.be/abc']]);
    expect(links('https://m.blog.naver.com/x/123이야')).toEqual([['https://m.blog.naver.com/x/123', 'https://m.blog.naver.com/x/123']]);
  });

  it('keeps Korean that is a part of the address: a path segment or a query value', () => {
    expect(links('https://ko.wikipedia.org/wiki/서울특별시 가 보자')).toEqual([
      ['https://ko.wikipedia.org/wiki/서울특별시', 'https://ko.wikipedia.org/wiki/%EC%84%9C%EC%9A%B8%ED%8A%B9%EB%B3%84%EC%8B%9C'],
    ]);
    expect(links('https://search.naver.com/search?query=떡볶이')).toEqual([
      ['https://search.naver.com/search?query=떡볶이', 'https://search.naver.com/search?query=%EB%96%A1%EB%B3%B6%EC%9D%B4'],
    ]);
  });

  it('leaves the sentence’s punctuation out of the link', () => {
    expect(links('https://example.com.')).toEqual([['https://example.com', 'https://example.com/']]);
    expect(links('https://example.com/a, https://example.com/b!')).toEqual([
      ['https://example.com/a', 'https://example.com/a'],
      ['https://example.com/b', 'https://example.com/b'],
    ]);
    expect(links('봤어? https://example.com/x?!')).toEqual([['https://example.com/x', 'https://example.com/x']]);
    expect(links('여기 https://example.com~~ ㅋㅋ')).toEqual([['https://example.com', 'https://example.com/']]);
    expect(links('“https://example.com/…”')).toEqual([['https://example.com/', 'https://example.com/']]);
    expect(links('「https://example.com/서울」에서')).toEqual([['https://example.com/서울', 'https://example.com/%EC%84%9C%EC%9A%B8']]);
  });

  it('leaves a closing bracket out unless the link opened it', () => {
    expect(links('(https://example.com)')).toEqual([['https://example.com', 'https://example.com/']]);
    expect(links('(https://example.com/a).')).toEqual([['https://example.com/a', 'https://example.com/a']]);
    expect(links('https://en.wikipedia.org/wiki/Seoul_(city) 참고')).toEqual([['https://en.wikipedia.org/wiki/Seoul_(city)', 'https://en.wikipedia.org/wiki/Seoul_(city)']]);
    expect(links('[https://example.com/x]')).toEqual([['https://example.com/x', 'https://example.com/x']]);
  });

  it('never links another scheme, a bare domain, a scheme glued to a word, or a scheme with no host', () => {
    for (const text of ['javascript:alert(1)', 'JaVaScRiPt:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>', 'naver.com', 'www.naver.com', 'ㅋㅋ.com', '사진.jpg', 'xhttps://example.com', 'https://', 'https:// example.com', 'ftp://example.com', 'mailto:a@b.kr']) {
      expect(links(text), text).toEqual([]);
      expect(joined(linkParts(text)), text).toBe(text);
    }
  });

  it('keeps markup out of the address: it ends at a quote or an angle bracket, and the href is percent-encoded', () => {
    const hostile = 'https://example.com/"><script>alert(1)</script>';
    expect(linkParts(hostile)).toEqual([{ text: 'https://example.com/', href: 'https://example.com/' }, { text: '"><script>alert(1)</script>' }]);
    // an apostrophe may stay: the template escapes the attribute (tests/http/chat-links.test.ts)
    expect(links("https://example.com/it's ok")).toEqual([["https://example.com/it's", "https://example.com/it's"]]);
    expect(links('https://example.com/a`b')).toEqual([['https://example.com/a', 'https://example.com/a']]);
    for (const [, href] of links("https://example.com/?q='x'&y=<b>")) expect(href).not.toMatch(/["<>]/);
  });

  it('loses nothing of the text and keeps lines as they were', () => {
    const text = '첫 줄 https://a.kr/x\nhttps://b.kr/y. 끝 (https://c.kr) https://naver.com에서';
    expect(joined(linkParts(text))).toBe(text);
    expect(links(text).map(([shown]) => shown)).toEqual(['https://a.kr/x', 'https://b.kr/y', 'https://c.kr', 'https://naver.com']);
  });
});
