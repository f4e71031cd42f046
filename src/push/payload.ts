import { lazySegmenter } from '../lazyModules';
import { translator, type Lang, type MessageKey } from '../i18n/index';

/** What happened that the partner may be told about. */
export type Notice =
  | { kind: 'message'; text: string }
  | { kind: 'files'; kinds: Array<'image' | 'video' | 'file'>; caption: string }
  | { kind: 'question'; id: number; textKo: string; textEn: string };

/** The recipient as far as the notification's wording goes. */
export interface Recipient {
  lang: Lang;
  /** false: the notification says that something came, never what */
  previews: boolean;
}

/** What the service worker gets (JSON) and shows. */
export interface Payload {
  title: string;
  body: string;
  url: string;
  /** a notification with the same tag replaces the one before */
  tag: string;
}

export const MAX_BODY_CHARS = 120;

const graphemes = lazySegmenter(undefined, 'grapheme');

/** One line of at most `max` characters (whole emoji and syllables), with … when cut. */
export function shorten(text: string, max = MAX_BODY_CHARS): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const parts = [...graphemes().segment(line)].map((s) => s.segment);
  return parts.length <= max ? line : parts.slice(0, max - 1).join('').trimEnd() + '…';
}

function filesText(kinds: Array<'image' | 'video' | 'file'>, t: ReturnType<typeof translator>): string {
  const n = kinds.length;
  const all = (kind: string) => kinds.every((k) => k === kind);
  const [one, many]: [MessageKey, MessageKey] = all('image')
    ? ['push.notice.photo', 'push.notice.photos']
    : all('video')
      ? ['push.notice.video', 'push.notice.videos']
      : ['push.notice.file', 'push.notice.files'];
  return n === 1 ? t(one) : t(many, { n });
}

/** The notification for `notice`, in the recipient's language, with or without what was sent. */
export function payloadFor(notice: Notice, senderLoginId: string, recipient: Recipient): Payload {
  const t = translator(recipient.lang);
  if (notice.kind === 'question') {
    const text = recipient.lang === 'en' ? notice.textEn : notice.textKo;
    return {
      title: t('push.notice.question'),
      body: recipient.previews ? shorten(text) : t('push.notice.questionWaiting'),
      url: '/chat',
      tag: `question-${notice.id}`,
    };
  }
  let body = t('push.notice.message');
  if (recipient.previews && notice.kind === 'message') body = shorten(notice.text);
  if (recipient.previews && notice.kind === 'files') {
    body = shorten(notice.caption ? `${filesText(notice.kinds, t)} · ${notice.caption}` : filesText(notice.kinds, t));
  }
  return { title: senderLoginId, body, url: '/chat', tag: 'chat' };
}
