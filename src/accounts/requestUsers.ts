import type { Knex } from 'knex';
import type { Db } from '../db';
import type { RequestUser, UserDirectory } from '../web/context';
import { toCurrentUser, type UserRow } from './users';

/** The user's row and, in the same query, what every request of a couple needs to know of its couple. */
function withUser(query: Knex.QueryBuilder, userIdColumn: string): Knex.QueryBuilder {
  return query
    .leftJoin('users as u', 'u.id', userIdColumn)
    .leftJoin('couples as c', 'c.id', 'u.couple_id')
    .select('u.*', 'c.id as couple_found', 'c.breakup_due_at as couple_breakup_due_at');
}

function userOf(row: Record<string, unknown>): RequestUser | null {
  if (row.id === null || row.id === undefined) return null;
  const user = toCurrentUser(row as unknown as UserRow);
  return {
    user,
    sessionsValidAfter: Number(row.sessions_valid_after ?? 0),
    couple: user.coupleId === null ? null : { found: row.couple_found !== null, breakupDueAt: row.couple_breakup_due_at === null ? null : Number(row.couple_breakup_due_at) },
  };
}

/** Who is asking, for the web layer (see UserDirectory): the users of this database. */
export function userDirectory(db: Db): UserDirectory {
  return {
    withUser,
    userOf,
    async find(id) {
      const row = await withUser(db.queryBuilder().from('users as x').where('x.id', id), 'x.id').first();
      return row ? userOf(row) : null;
    },
  };
}
