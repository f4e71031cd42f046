import type { Eta } from 'eta';
import type { Db } from '../db';
import { filesOfMessages } from '../files/files';
import { translator, type Lang } from '../i18n/index';
import type { EventRow } from '../realtime/eventLog';
import type { Viewer } from '../realtime/hub';
import { messagesOf, messagesWithPrevious } from './messages';
import { messageView, viewContext } from './views';

const MAX_READ_MARKS = 500;

/**
 * The chat's events as htmx out-of-band swaps: a new message is appended to the list,
 * a deletion replaces the message with its tombstone, a read mark removes the "1"s.
 * The HTML depends only on the event and the viewer's language and zone, never on who
 * the viewer is, so both partners usually share one render. A page may not have loaded
 * the message a deletion or a "1" is about: those parts are `data-oob-optional`, dropped
 * there by static/optional-oob.js.
 */
export function chatEventRenderer(db: Db, eta: Eta) {
  return async (coupleId: number, events: EventRow[], viewer: Viewer): Promise<Map<number, string>> => {
    const out = new Map<number, string>();
    const chatEvents = events.filter((e) => ['message', 'deleted', 'read'].includes(e.type));
    if (chatEvents.length === 0) return out;
    const vc = await viewContext(db, coupleId, viewer.lang, viewer.timeZone, false);
    const t = translator(viewer.lang as Lang);
    const ids = chatEvents.filter((e) => e.type !== 'read').map((e) => Number(e.payload.id));
    const messages = await messagesWithPrevious(db, coupleId, ids);
    // a text message's event says it has no file; uploads' (and older events) don't
    const mayHaveFiles = chatEvents.filter((e) => e.type !== 'read' && e.payload.file !== false).map((e) => Number(e.payload.id));
    const files = await filesOfMessages(db, coupleId, mayHaveFiles);

    for (const event of chatEvents) {
      if (event.type === 'read') {
        const { reader, from, to } = event.payload as { reader: number; from: number; to: number };
        const read = await messagesOf(db, coupleId)
          .whereNot({ sender_id: reader })
          .whereNull('deleted_at') // a deleted message shows no "1"
          .andWhere('id', '>', from)
          .andWhere('id', '<=', to)
          .orderBy('id', 'desc')
          .limit(MAX_READ_MARKS)
          .pluck('id');
        out.set(event.seq, read.map((id) => `<span id="u-${Number(id)}" data-oob-optional hx-swap-oob="delete"></span>`).join(''));
        continue;
      }
      const found = messages.get(Number(event.payload.id));
      if (!found) {
        out.set(event.seq, '');
        continue;
      }
      const { row, previous } = found;
      const m = messageView(row, event.type === 'message' ? previous : null, vc, files.get(row.id) ?? null);
      const view = event.type === 'message' ? 'chat/_message_event' : 'chat/_message';
      out.set(event.seq, eta.render(view, { m, t, csrf: null, oob: event.type === 'deleted' }));
    }
    return out;
  };
}
