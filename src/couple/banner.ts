import { translator, type Lang, type MessageKey, type Translate } from '../i18n/index';
import { formatDateTime } from '../time';
import type { PendingBreakup } from './breakups';

/** What the break-up banner shows: the same for both partners but for language and zone. */
export interface BreakupBanner {
  dueAt: number;
  dueIso: string;
  dueText: string;
  /** the countdown as of the render; static/breakup.js keeps it ticking */
  remaining: string;
  byLoginId: string;
  /** the user who started it: a page that knows its user (body[data-user-id]) says "I" for them */
  byUserId: number;
  /**
   * whether the viewer started it, when the render is for one viewer (a page); null for the
   * stream's one render for both partners, where both sentences go and the page picks
   */
  byMe: boolean | null;
  /** the countdown's words, for the script to tick in the page's language */
  units: string;
}

declare module 'koa' {
  interface DefaultState {
    /** the couple's pending break-up, for the banner every couple page shows; null when none */
    breakup: BreakupBanner | null;
  }
}

const UNITS = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
] as const;

const unitKey = (unit: string) => `breakup.unit.${unit}` as MessageKey;

function parts(ms: number): number[] {
  let rest = Math.max(0, Math.floor(ms / 1000) * 1000);
  return UNITS.map(([, size]) => {
    const n = Math.floor(rest / size);
    rest -= n * size;
    return n;
  });
}

/** "6일 23시간 남음", "4분 59초 남음": the two largest units from the first that is not zero. */
export function remainingText(ms: number, t: Translate): string {
  const n = parts(ms);
  const first = n.findIndex((v) => v > 0);
  if (first === -1) return t('breakup.countdown.now');
  const shown = UNITS.slice(first, first + 2).map(([unit], i) => t(unitKey(unit), { n: n[first + i] }));
  return t('breakup.countdown', { time: shown.join(' ') });
}

/** A duration in a sentence: "7일", "1시간 30분"; "7 days", "1 hour 30 minutes". Every unit that is not zero. */
export function durationText(ms: number, t: Translate): string {
  const n = parts(ms);
  const word = (unit: string, count: number) => t(`duration.${unit}${count === 1 ? '.one' : ''}` as MessageKey, { n: count });
  const shown = UNITS.flatMap(([unit], i) => (n[i] > 0 ? [word(unit, n[i])] : []));
  return shown.length ? shown.join(' ') : word('s', 0);
}

/** The banner for `viewerId`'s page, or (no viewer) for the stream, where both partners get one render. */
export function bannerView(breakup: PendingBreakup, lang: Lang, timeZone: string, now: number, viewerId: number | null = null): BreakupBanner {
  const t = translator(lang);
  const units = Object.fromEntries([
    ...UNITS.map(([unit]) => [unit, t(unitKey(unit))]),
    ['left', t('breakup.countdown')],
    ['now', t('breakup.countdown.now')],
  ]);
  return {
    dueAt: breakup.dueAt,
    dueIso: new Date(breakup.dueAt).toISOString(),
    dueText: formatDateTime(breakup.dueAt, lang, timeZone),
    remaining: remainingText(breakup.dueAt - now, t),
    byLoginId: breakup.byLoginId,
    byUserId: breakup.byUserId,
    byMe: viewerId === null ? null : viewerId === breakup.byUserId,
    units: JSON.stringify(units),
  };
}
