import type { Db } from '../db';

// Each partner may give the other a name (자기, 윤석…): users.partner_nickname is the name
// *I* call my partner. Every place that shows a partner goes through calledName, so the
// nickname shows wherever the login ID did, and a new place cannot forget it.

/** The one rule: a partner is shown by the nickname the other gave them, else by their login ID. */
export const calledName = (loginId: string, nicknameGivenByPartner: string | null | undefined): string => nicknameGivenByPartner || loginId;

/**
 * How each member of a couple is called by the other, by user id. Read fresh each time (not
 * cached like coupleMembers): a nickname changes, on any instance.
 */
export async function coupleNames(db: Db, coupleId: number): Promise<Map<number, string>> {
  const rows = await db('users').where({ couple_id: coupleId }).orderBy('id').select('id', 'login_id', 'partner_nickname');
  return new Map(rows.map((row, i) => [Number(row.id), calledName(String(row.login_id), rows[1 - i]?.partner_nickname ?? null)]));
}

/** The name the viewer's partner shows by, for the viewer. */
export function partnerName(names: ReadonlyMap<number, string>, viewerId: number): string {
  for (const [id, name] of names) if (id !== viewerId) return name;
  return '';
}
