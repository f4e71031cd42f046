import type { Eta } from 'eta';
import type { Clock } from '../clock';
import type { Db } from '../db';
import { translator } from '../i18n/index';
import type { EventRow } from '../realtime/eventLog';
import type { Viewer } from '../realtime/hub';
import { bannerView } from './banner';

/**
 * A break-up started or cancelled, as an out-of-band swap of the banner every couple
 * page has (#breakup-banner): the same HTML for both partners but for language and zone.
 * Rendered from the event itself, so a replay of start then cancel ends without a banner.
 */
export function breakupEventRenderer(db: Db, eta: Eta, clock: Clock) {
  return async (_coupleId: number, events: EventRow[], viewer: Viewer): Promise<Map<number, string>> => {
    const out = new Map<number, string>();
    const t = translator(viewer.lang);
    for (const event of events) {
      if (event.type !== 'breakup') continue;
      const { dueAt, by } = event.payload as { dueAt: number | null; by?: number };
      const starter = dueAt === null ? undefined : await db('users').where({ id: by }).first('login_id');
      const breakup = dueAt === null ? null : bannerView({ dueAt, byLoginId: String(starter?.login_id ?? '') }, viewer.lang, viewer.timeZone, clock.now());
      out.set(event.seq, eta.render('couple/_breakup_banner', { breakup, t, csrf: null, oob: true }));
    }
    return out;
  };
}
