import type { Eta } from 'eta';
import { coupleMembers } from './couples';
import type { Clock } from '../clock';
import type { Db } from '../db';
import { translator } from '../i18n/index';
import { ofType } from '../realtime/events';
import type { EventRenderer } from '../realtime/hub';
import { bannerView } from './banner';

/**
 * A break-up started or cancelled, as an out-of-band swap of the banner every couple
 * page has (#breakup-banner): the same HTML for both partners but for language and zone
 * (both "I asked" and "{ID} asked" go; the page shows the one that is true for its user).
 * Rendered from the event itself, so a replay of start then cancel ends without a banner.
 */
export function breakupEventRenderer(db: Db, eta: Eta, clock: Clock): EventRenderer {
  return async (coupleId, events) => {
    const ours = ofType(events, 'breakup');
    const members = await coupleMembers(db, coupleId);
    return (viewer) => {
      const t = translator(viewer.lang);
      const out = new Map<number, string>();
      for (const event of ours) {
        const { dueAt, by } = event.payload;
        const byLoginId = members.logins.get(Number(by)) ?? '';
        const breakup = dueAt === null ? null : bannerView({ dueAt, byUserId: Number(by), byLoginId }, viewer.lang, viewer.timeZone, clock.now());
        out.set(event.seq, eta.render('couple/_breakup_banner', { breakup, t, csrf: null, oob: true }));
      }
      return out;
    };
  };
}
