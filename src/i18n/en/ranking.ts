import type { ranking as ko } from '../ko/ranking';

// The word ranking.
export const ranking: Record<keyof typeof ko, string> = {
  'rank.title': 'Top words',
  'rank.intro': 'The words each of you used most in the last 7 days.',
  'rank.sizes': 'How many',
  'rank.top': 'Top {n}',
  'rank.mine': 'Me',
  'rank.theirs': '{loginId}',
  'rank.none': 'No words in the last 7 days.',
  'rank.count': '{count}×',
  'rank.exclude': 'Exclude',
  'rank.excludeWord': 'Exclude “{word}” from the ranking',
  'rank.restore': 'Restore',
  'rank.restoreWord': 'Put “{word}” back in the ranking',
  'rank.excludedTitle': 'Excluded words',
  'rank.excludedNone': 'No excluded words. Leave out fillers like “um” or “ah”.',
  'rank.excludeLabel': 'Word to leave out',
  'rank.word.invalid': 'Please enter a single word without spaces.',
  'rank.excludedNotice': '“{word}” is no longer ranked.',
  'rank.restoredNotice': '“{word}” is ranked again.',
};
