import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';

// Cost 10 takes about 55 ms of one core here: cheap for a log-in, dear for a guesser.
const COST = 10;

/**
 * bcrypt reads at most 72 bytes, 24 Korean characters. A SHA-256 pre-hash in base64
 * (44 ASCII bytes) lets every character of a long password count.
 */
function prehash(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('base64');
}

// bcryptjs's async API works in slices between event-loop turns, so a log-in never
// holds up the delivery of chat messages for its whole hashing time.
export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(prehash(password), COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(prehash(password), hash);
}

// Compared against when the ID does not exist, so a wrong ID costs the same time as a
// wrong password and the answer's timing does not reveal which IDs exist.
const DUMMY_HASH = bcrypt.hashSync(prehash('no such user'), COST);
export async function verifyNothing(password: string): Promise<false> {
  await bcrypt.compare(prehash(password), DUMMY_HASH);
  return false;
}
