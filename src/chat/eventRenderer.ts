import type { Eta } from 'eta';
import { queryRows, type Db } from '../db';
import { filesOfMessages } from '../files/files';
import { translator } from '../i18n/index';
import { ofType, type EventRow } from '../realtime/events';
import type { EventRenderer } from '../realtime/hub';
import { messagesOf, messagesWithPreviousTime, storedMessageOf } from './messages';
import { extrasOf, messageView, quoteView, reactionViews } from './views';
import { reactionsOf } from './reactions';
import { coupleMembers } from '../couple/couples';

const MAX_READ_MARKS = 500;
/** Up to this many read events in a batch, their query is a prepared statement (one per count, kept by the database). */
const FEW_READS = 4;

interface ReadEvent {
  seq: number;
  reader: number;
  from: number;
  to: number;
}

/**
 * The ids whose "1" each read event takes away (unread messages of the partner in its
 * range, not deleted, the newest MAX_READ_MARKS of each): one query for every read event
 * of the batch.
 */
async function readIds(db: Db, coupleId: number, reads: ReadEvent[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  if (reads.length === 0) return out;
  // one read (nearly always) or a few: a prepared statement for each count; a long replay's many through knex
  const rows =
    reads.length <= FEW_READS
      ? await queryRows(
          db,
          `select \`id\`, \`sender_id\` from \`messages\` where \`couple_id\` = ? and \`deleted_at\` is null and (${reads.map(() => '(`sender_id` <> ? and `id` > ? and `id` <= ?)').join(' or ')}) order by \`id\` desc limit ${MAX_READ_MARKS * reads.length}`,
          [coupleId, ...reads.flatMap((r) => [r.reader, r.from, r.to])],
        )
      : await messagesOf(db, coupleId)
          .whereNull('deleted_at') // a deleted message shows no "1"
          .andWhere((q) => {
            for (const r of reads) q.orWhere((range) => range.whereNot({ sender_id: r.reader }).andWhere('id', '>', r.from).andWhere('id', '<=', r.to));
          })
          .orderBy('id', 'desc')
          .limit(MAX_READ_MARKS * reads.length)
          .select('id', 'sender_id');
  for (const r of reads) {
    const ids = rows.filter((m) => Number(m.sender_id) !== r.reader && Number(m.id) > r.from && Number(m.id) <= r.to).map((m) => Number(m.id));
    out.set(r.seq, ids.slice(0, MAX_READ_MARKS));
  }
  return out;
}

/** Who read up to where, for the 채팅 tab's count on every page (static/unread.js); never swapped in. */
const readMark = (r: { reader: number; to: number }) => `<i hidden data-reader="${Number(r.reader)}" data-to="${Number(r.to)}"></i>`;

/**
 * The chat's events as htmx out-of-band swaps: a new message is appended to the list,
 * a deletion replaces the message with its tombstone, a read mark removes the "1"s.
 * The HTML depends only on the event and the viewer's language and zone, never on who
 * the viewer is, so both partners usually share one render. A page may not have loaded
 * the message a deletion or a "1" is about: those parts are `data-oob-optional`, dropped
 * there by static/optional-oob.js.
 */
export function chatEventRenderer(db: Db, eta: Eta): EventRenderer {
  return async (coupleId, events) => {
    const shown = ofType(events, 'message', 'deleted');
    const deletedIds = new Set(ofType(events, 'deleted').map((e) => e.payload.id));
    // a message this process just stored comes with its row, unless the batch deletes it again
    const stored = new Map(
      ofType(events, 'message')
        .map((e) => storedMessageOf(e.payload))
        .filter((known) => known !== null && !deletedIds.has(known.row.id))
        .map((known) => [known!.row.id, known!]),
    );
    const ids = shown.map((e) => e.payload.id).filter((id) => !stored.has(id));
    // a text message's event says it has no file; uploads' (and older events) don't
    const mayHaveFiles = shown.filter((e) => !('file' in e.payload && e.payload.file === false)).map((e) => e.payload.id);
    const reads = ofType(events, 'read').map((e): ReadEvent => ({ seq: e.seq, ...e.payload }));
    const reacted = ofType(events, 'reaction').map((e) => e.payload.id);
    const [members, fromLog, files, read, reactions] = await Promise.all([
      coupleMembers(db, coupleId),
      messagesWithPreviousTime(db, coupleId, ids),
      filesOfMessages(db, coupleId, mayHaveFiles),
      readIds(db, coupleId, reads),
      reactionsOf(db, coupleId, reacted), // as they are now: a replay shows the latest, whatever came between
    ]);
    const messages = new Map([...fromLog, ...stored]);
    // the quotes of replies, and the reactions, of the messages shown
    const extras = await extrasOf(db, coupleId, [...messages.values()].map((found) => found.row));
    return (viewer) => {
      const out = new Map<number, string>();
      // read marks only matter for a page: a message just sent is unread by definition, and
      // a replayed one is corrected by the read events that follow it
      const vc = { members, readMarks: new Map<number, number>(), lang: viewer.lang, timeZone: viewer.timeZone };
      const t = translator(viewer.lang);
      for (const event of events) out.set(event.seq, renderOne(event));
      return out;

      function renderOne(event: EventRow): string {
        if (event.type === 'read') return readMark(event.payload) + (read.get(event.seq) ?? []).map((id) => `<span id="u-${id}" data-oob-optional hx-swap-oob="delete"></span>`).join('');
        if (event.type === 'reaction') {
          const m = { id: event.payload.id, reactions: reactionViews(reactions.get(event.payload.id) ?? [], members) };
          return eta.render('chat/_reactions', { m, t, oob: true });
        }
        if (event.type !== 'message' && event.type !== 'deleted') return '';
        const found = messages.get(event.payload.id);
        if (!found) return '';
        const { row, previousAt } = found;
        const m = messageView(row, event.type === 'message' ? previousAt : null, vc, files.get(row.id) ?? [], extras);
        if (event.type === 'message') return eta.render('chat/_message_event', { m, t, csrf: null, oob: false });
        // a deleted message: its tombstone, and every reply's quote of it on the page
        return eta.render('chat/_message', { m, t, csrf: null, oob: true }) + eta.render('chat/_quote', { q: quoteView(row.id, undefined, members), t, oob: true });
      }
    };
  };
}
