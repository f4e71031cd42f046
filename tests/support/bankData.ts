// The question bank as the app loads it (src/questions/bank.ts loadBank), built from the
// migration's data file without a database: migration 004 inserts the questions in file
// order (ids 1, 2, …) and their Korean, then English, trigger words, and migration 012
// takes the retired ones out again; loadBank maps each
// word to its question ids in id order.
import { questionBank as bankData } from '../../migrations/data/questionBank';
import { retiredTriggers } from '../../migrations/data/retiredTriggers';
import type { Bank } from '../../src/questions/bank';

export { bankData };

export function bankFromData(): Bank {
  const triggers = new Map<string, number[]>();
  bankData.forEach((q, i) => {
    for (const word of [...q.triggers.ko, ...q.triggers.en]) {
      if (!retiredTriggers.includes(word)) triggers.set(word, [...(triggers.get(word) ?? []), i + 1]);
    }
  });
  return { triggers, words: new Set(triggers.keys()) };
}
