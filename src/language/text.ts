// What people type, as it is kept and judged: one place for "clean" and "blank".

/** Text as stored: lone surrogates mended, control characters (but new lines and tabs) taken out, the ends trimmed. */
export function cleanText(raw: string): string {
  return raw
    .toWellFormed()
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '')
    .trim();
}

// spaces, invisible format characters (zero-width space and joiners, BOM, bidi marks, tags),
// Hangul fillers, the blank Braille pattern and variation selectors: a reader sees nothing
const UNSEEN = /^[\s\p{Z}\p{Cf}\u115F\u1160\u3164\uFFA0\u2800\uFE00-\uFE0F\u{E0100}-\u{E01EF}]*$/u;

/** Nothing a reader would see: empty, or only spaces and invisible characters. */
export const looksBlank = (text: string): boolean => UNSEEN.test(text);
