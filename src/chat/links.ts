/**
 * Links in a message: the text cut into plain parts and http(s) links, for the templates
 * to render as <a> with every part escaped (no raw HTML is ever built). Only what starts
 * with http:// or https:// is a link: no bare domains (ㅋㅋ.com, a file name like 사진.jpg)
 * and no other scheme, so javascript: and data: stay text whatever they look like.
 *
 * A small function rather than linkify-it or linkifyjs: both find bare domains and e-mail
 * addresses too (to be switched off), and both take any letter as part of a host name, so
 * "https://naver.com에서 봤어" would link "naver.com에서" — in Korean a particle often
 * follows a link with no space. The rules here are the few a chat needs, with unit tests.
 */
export interface TextPart {
  text: string;
  /** the link's address, normalized by the URL parser (quotes and spaces percent-encoded) */
  href?: string;
}

// a scheme not glued to a word before it (xhttp://); the host part is ASCII only
const START = /(?<![A-Za-z0-9+.-])https?:\/\//gi;
const HOST_CHAR = /[A-Za-z0-9.\-:@[\]_~%!$&'()*+,;=]/;
/** never in a link: they end it wherever they are (quotes and brackets of Korean and CJK text too) */
const STOP = /[\s<>"`\u3000“”‘’「」『』《》〈〉【】（）]/;
/** after these a run of Hangul (or other non-ASCII) belongs to the address: /wiki/서울, ?q=떡볶이 */
const OPENS_WORD = '/?#=&+-_~';
/** at the end of a link these are the sentence's, not the address's */
const TRAILING = /[.,:;!?'*~…。、，！？]$/;
const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Where the link that starts at `from` (its scheme) ends, before any trimming. */
function rawEnd(text: string, from: number, schemeLength: number): number {
  let i = from + schemeLength;
  while (i < text.length && HOST_CHAR.test(text[i])) i++;
  if (i < text.length && !'/?#'.includes(text[i])) return i; // naver.com에서: the host ends the link
  for (; i < text.length; i++) {
    const c = text[i];
    if (STOP.test(c)) break;
    // a particle glued to the address (…/b를 봐) is not part of it; a segment of Hangul is
    if (c.charCodeAt(0) > 0x7f && text.charCodeAt(i - 1) <= 0x7f && !OPENS_WORD.includes(text[i - 1])) break;
  }
  return i;
}

/** Trailing punctuation off, and a closing bracket that has no opening one inside the link. */
function trimEnd(candidate: string): string {
  let link = candidate;
  for (;;) {
    const last = link.at(-1) ?? '';
    if (TRAILING.test(last)) link = link.slice(0, -1);
    else if (last in PAIRS && count(link, PAIRS[last]) < count(link, last)) link = link.slice(0, -1);
    else return link;
  }
}

const count = (s: string, c: string) => s.split(c).length - 1;

/** The address a candidate names, or null when it is not a usable http(s) URL. */
function hrefOf(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return null;
    return url.href;
  } catch {
    return null;
  }
}

export function linkParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let plainFrom = 0;
  for (const match of text.matchAll(START)) {
    const at = match.index;
    if (at < plainFrom) continue; // inside the previous link
    const candidate = trimEnd(text.slice(at, rawEnd(text, at, match[0].length)));
    const href = hrefOf(candidate);
    if (!href) continue;
    if (at > plainFrom) parts.push({ text: text.slice(plainFrom, at) });
    parts.push({ text: candidate, href });
    plainFrom = at + candidate.length;
  }
  if (plainFrom < text.length || parts.length === 0) parts.push({ text: text.slice(plainFrom) });
  return parts;
}
