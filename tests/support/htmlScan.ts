// A small HTML reader for the app's own templates: which elements are open around each piece
// of text, so a test can tell whether user content sits inside an element with hx-disable
// (htmx then ignores any hx-* attributes in it, should escaping ever fail).

export interface Element {
  tag: string;
  attrs: Record<string, string>;
}

export interface TextSpot {
  /** the text as a browser reads it (entities decoded) */
  text: string;
  /** the open elements around it, outermost first */
  path: Element[];
}

export interface AttrSpot {
  element: Element;
  name: string;
  value: string;
  path: Element[];
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const RAW_TEXT = new Set(['script', 'style']);
const RCDATA = new Set(['textarea', 'title']);

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' } as Record<string, string>)[name.toLowerCase()] ?? whole;
  });
}

function parseAttrs(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  const re = /([^\s"'<>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  for (const m of source.matchAll(re)) {
    const name = m[1].toLowerCase();
    if (!(name in attrs)) attrs[name] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

/** Every text node and every attribute of a page or fragment, with the elements open around it. */
export function scan(html: string): { texts: TextSpot[]; attrs: AttrSpot[]; elements: AttrSpot['element'][] } {
  const texts: TextSpot[] = [];
  const attrs: AttrSpot[] = [];
  const elements: Element[] = [];
  const stack: Element[] = [];
  const token = /<!--[\s\S]*?-->|<![^>]*>|<\/([a-zA-Z][\w-]*)\s*>|<([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|[^<]+|</g;
  let m: RegExpExecArray | null;
  while ((m = token.exec(html))) {
    const [whole, closing, opening, rest] = m;
    if (whole.startsWith('<!')) continue;
    if (closing) {
      const tag = closing.toLowerCase();
      const at = stack.map((e) => e.tag).lastIndexOf(tag);
      if (at !== -1) stack.length = at;
      continue;
    }
    if (opening) {
      const tag = opening.toLowerCase();
      const element = { tag, attrs: parseAttrs(rest) };
      elements.push(element);
      for (const [name, value] of Object.entries(element.attrs)) attrs.push({ element, name, value, path: [...stack] });
      if (RAW_TEXT.has(tag) || RCDATA.has(tag)) {
        const end = html.toLowerCase().indexOf(`</${tag}`, token.lastIndex);
        const inner = html.slice(token.lastIndex, end === -1 ? html.length : end);
        if (RCDATA.has(tag) && inner) texts.push({ text: decodeEntities(inner), path: [...stack, element] });
        token.lastIndex = end === -1 ? html.length : end;
        continue;
      }
      if (!VOID.has(tag) && !/\/\s*$/.test(rest)) stack.push(element);
      continue;
    }
    texts.push({ text: decodeEntities(whole), path: [...stack] });
  }
  return { texts, attrs, elements };
}

const describeElement = (e: Element) => `<${e.tag}${Object.entries(e.attrs).map(([k, v]) => (v ? ` ${k}="${v}"` : ` ${k}`)).join('')}>`;

/** Where a text node sits, for a failure message: its tags from the nearest named ancestor inward. */
export function where(spot: { path: Element[] }): string {
  const path = spot.path;
  let from = path.length - 1;
  while (from > 0 && !path[from].attrs.id && !path[from].attrs.class) from--;
  return path.slice(Math.max(0, from - 1)).map(describeElement).join(' ');
}

export const insideHxDisable = (spot: { path: Element[] }) => spot.path.some((e) => 'hx-disable' in e.attrs || 'data-hx-disable' in e.attrs);

/** Text a browser never parses as markup: a textarea's value, the page title. */
const inert = (spot: { path: Element[] }) => RCDATA.has(spot.path.at(-1)?.tag ?? '');

/**
 * The text nodes that contain any of `needles` but sit outside every hx-disable element,
 * described as "what: where" for a readable failure.
 */
export function exposedText(html: string, needles: string[]): string[] {
  return scan(html)
    .texts.filter((t) => needles.some((n) => t.text.includes(n)) && !insideHxDisable(t) && !inert(t))
    .map((t) => `${JSON.stringify(t.text.trim().slice(0, 80))} in ${where(t)}`);
}

/** Text nodes that contain any of the needles (inside hx-disable or not). */
export const textsWith = (html: string, needles: string[]) => scan(html).texts.filter((t) => needles.some((n) => t.text.includes(n)));

/**
 * Elements that user content would have smuggled in had it not been escaped: the payload's
 * <button hx-get="/logout">, or any element with an on* handler (the app's markup has none).
 */
export function injectedElements(html: string): string[] {
  return scan(html)
    .elements.filter((e) => (e.tag === 'button' && (e.attrs['hx-get'] ?? '').startsWith('/logout')) || Object.keys(e.attrs).some((k) => k.startsWith('on')))
    .map(describeElement);
}
