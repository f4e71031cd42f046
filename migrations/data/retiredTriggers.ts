// Trigger words taken out of the bank (migration 012): words of every conversation that
// name no topic — a one-syllable noun that doubles as a common word (일 "work/day/thing",
// 비 "rain/ratio", 술, 잠, 꿈) and what couples say all day (연락, 엄마, 아빠). With them a
// couple's chat was a string of questions (5 in about 22 messages). Each question keeps its
// other, more specific words. 밥 stays: the original's walk-through asks with it.
export const retiredTriggers: readonly string[] = [
  '일', '비', '술', '잠', '꿈', '연락', '엄마', '아빠',
  'work', 'rain', 'sleep', 'dream', 'call', 'message', 'reply', 'mom', 'dad',
];
