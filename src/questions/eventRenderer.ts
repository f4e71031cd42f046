import type { Eta } from 'eta';
import type { Db } from '../db';
import { translator } from '../i18n/index';
import type { EventRow } from '../realtime/eventLog';
import type { Viewer } from '../realtime/hub';
import { findAsked } from './asked';
import { coupleMembers } from '../chat/views';
import { questionView } from './views';

const TYPES = ['question', 'answered', 'revealed'];

/**
 * A question asked, answered by one, or revealed: the question's card as it is now,
 * swapped into the chat's question slot. The card says which sides have answered and
 * the page's side decides by CSS what each partner sees, so both share one render; an
 * answer's text is in it only once both have answered.
 */
export function questionEventRenderer(db: Db, eta: Eta) {
  return async (coupleId: number, events: EventRow[], viewer: Viewer): Promise<Map<number, string>> => {
    const out = new Map<number, string>();
    const mine = events.filter((e) => TYPES.includes(e.type));
    if (mine.length === 0) return out;
    const members = await coupleMembers(db, coupleId);
    const t = translator(viewer.lang);
    for (const event of mine) {
      const asked = await findAsked(db, coupleId, Number(event.payload.id));
      const q = asked ? questionView(asked, members, viewer.lang, viewer.timeZone) : null;
      out.set(event.seq, q ? eta.render('questions/_card', { q, t, csrf: null, oob: true }) : '');
    }
    return out;
  };
}
