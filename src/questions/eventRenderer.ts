import type { Eta } from 'eta';
import type { Db } from '../db';
import { translator } from '../i18n/index';
import { ofType } from '../realtime/events';
import type { EventRenderer } from '../realtime/hub';
import { findAskedMany } from './asked';
import { coupleMembers } from '../couple/couples';
import { coupleNames } from '../couple/names';
import { questionView } from './views';

/**
 * A question asked or answered by one: the question's card as it is now, swapped into the
 * chat's question slot. The card says which sides have answered and the page's side
 * decides by CSS what each partner sees, so both share one render. Revealed: the slot
 * empties and the pair of answers joins the conversation (an earlier event of a question
 * revealed since leaves the slot to that reveal, which follows it).
 */
export function questionEventRenderer(db: Db, eta: Eta): EventRenderer {
  return async (coupleId, events) => {
    const mine = ofType(events, 'question', 'answered', 'revealed');
    const [members, asked] = await Promise.all([coupleMembers(db, coupleId), findAskedMany(db, coupleId, mine.map((e) => e.payload.id))]);
    const names = mine.some((e) => e.type === 'revealed') ? await coupleNames(db, coupleId) : undefined;
    return (viewer) => {
      const t = translator(viewer.lang);
      const out = new Map<number, string>();
      for (const event of mine) {
        const found = asked.get(event.payload.id);
        const q = found ? questionView(found, members, viewer.lang, viewer.timeZone, names) : null;
        if (!q) out.set(event.seq, '');
        else if (event.type === 'revealed') out.set(event.seq, eta.render('questions/_revealed_event', { q, t }));
        else out.set(event.seq, q.revealed ? '' : eta.render('questions/_card', { q, t, csrf: null, oob: true }));
      }
      return out;
    };
  };
}
