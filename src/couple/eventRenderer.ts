import type { Eta } from 'eta';
import { coupleMembers, findCouple } from './couples';
import { coupleNames } from './names';
import { sinceLine } from './profileView';
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
    const names = await coupleNames(db, coupleId);
    return (viewer) => {
      const t = translator(viewer.lang);
      const out = new Map<number, string>();
      for (const event of ours) {
        const { dueAt, by } = event.payload;
        const byLoginId = names.get(Number(by)) ?? '';
        const breakup = dueAt === null ? null : bannerView({ dueAt, byUserId: Number(by), byLoginId }, viewer.lang, viewer.timeZone, clock.now());
        out.set(event.seq, eta.render('couple/_breakup_banner', { breakup, t, csrf: null, oob: true }));
      }
      return out;
    };
  };
}

/**
 * A profile change (names, 사귄 날, the photo) as out-of-band swaps of the chat header's
 * photo, title and day line (the D-day beside them is the calendar's): one render for both partners but for language and zone, carrying each
 * side's view of the partner's name (the page hides the one of its own side). Rendered
 * from the profile as it is now, so a replay shows the latest.
 */
export function profileEventRenderer(db: Db, eta: Eta, clock: Clock): EventRenderer {
  return async (coupleId, events) => {
    const ours = ofType(events, 'profile');
    const [members, names] = await Promise.all([coupleMembers(db, coupleId), coupleNames(db, coupleId)]);
    const couple = await findCouple(db, coupleId, members.a);
    return (viewer) => {
      const t = translator(viewer.lang);
      const out = new Map<number, string>();
      if (!couple) return out;
      const head = eta.render('couple/_head', {
        t,
        names: { a: names.get(members.a) ?? '', b: names.get(members.b) ?? '' },
        photoFileId: couple.photoFileId,
        since: sinceLine(couple, clock.now(), viewer.timeZone, viewer.lang, t),
        oob: true,
      });
      for (const event of ours) out.set(event.seq, head);
      return out;
    };
  };
}
