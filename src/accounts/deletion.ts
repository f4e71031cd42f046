import { forUpdate, transaction, type Db } from '../db';

/**
 * Deletes a user who is not paired, with their pairing requests and sessions, in one
 * transaction. Resolves to false (and changes nothing) if the user is paired, which can
 * have happened between the page's check and this call.
 */
export async function deleteUnpairedUser(db: Db, userId: number): Promise<boolean> {
  return transaction(db, async (trx) => {
    const user = await forUpdate(db, trx('users').where({ id: userId }).first('couple_id'));
    if (!user || user.couple_id !== null) return false;
    await trx('pair_requests').where({ from_user_id: userId }).orWhere({ to_user_id: userId }).delete();
    await trx('sessions').where({ user_id: userId }).delete();
    await trx('users').where({ id: userId }).delete();
    return true;
  });
}
