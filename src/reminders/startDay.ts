import { dayOf } from '../time';

// TO SWAP AT MERGE: the couple profile puts "the day they started" in one function of
// src/couple/; this reads the same columns until then.

/**
 * 사귄 날 as a partner in `timeZone` counts from it: the day the couple set
 * (couples.started_on), else the pairing day in that zone, as the calendar counts it.
 */
export function coupleStartDay(startedOn: string | null, startedAt: number, timeZone: string): string {
  return startedOn ?? dayOf(startedAt, timeZone);
}
