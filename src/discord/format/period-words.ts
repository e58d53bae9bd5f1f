import type { BoardPeriod } from '../../store/index.js';

/** What a period covers, in the words /stats, /compare and /leaderboard show (`EU 1 · last 7 days`). */
export const PERIOD_WORDS: Readonly<Record<BoardPeriod, string>> = {
  day: 'today (UTC)', week: 'last 7 days', month: 'last 30 days', season: 'this season', 'previous-season': 'last season', all: 'all time',
};
