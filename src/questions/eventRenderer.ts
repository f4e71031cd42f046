import type { Eta } from 'eta';
import type { Db } from '../db';
import { translator } from '../i18n/index';
import { ofType } from '../realtime/events';
import type { EventRenderer } from '../realtime/hub';
import { findAskedMany } from './asked';
import { coupleMembers } from '../couple/couples';
import { questionView } from './views';

/**
 * A question asked, answered by one, or revealed: the question's card as it is now,
 * swapped into the chat's question slot. The card says which sides have answered and
 * the page's side decides by CSS what each partner sees, so both share one render; an
 * answer's text is in it only once both have answered.
 */
export function questionEventRenderer(db: Db, eta: Eta): EventRenderer {
  return async (coupleId, events) => {
    const mine = ofType(events, 'question', 'answered', 'revealed');
    const [members, asked] = await Promise.all([coupleMembers(db, coupleId), findAskedMany(db, coupleId, mine.map((e) => e.payload.id))]);
    return (viewer) => {
      const t = translator(viewer.lang);
      const out = new Map<number, string>();
      for (const event of mine) {
        const found = asked.get(event.payload.id);
        const q = found ? questionView(found, members, viewer.lang, viewer.timeZone) : null;
        out.set(event.seq, q ? eta.render('questions/_card', { q, t, csrf: null, oob: true }) : '');
      }
      return out;
    };
  };
}
