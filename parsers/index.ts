/** The pure parsers: bytes in, typed events and counts out. No I/O here, by lint rule. */
export * from './death-log/types.js';
export { createDeathLogParser, parseDeathLog } from './death-log/parse.js';
export type { DeathLogBatch, DeathLogParser, DeathLogParserOptions } from './death-log/parse.js';
export { parseDeathLogTime, classifyRow } from './death-log/row.js';
export * from './stats/types.js';
export { emptySummary, emptyTotals, sumTotals, summarize, addEvents, addMalformed, mergeSummaries, mergeInto, dayPairs, daySpan } from './stats/reduce.js';
export { emptyStreak, joinStreak } from './stats/streak.js';
export { DAY_PLAYER, PLAYER, packSummary, weaponsOf, type PackedSummary } from './stats/packed-summary.js';
export { MAX_LINE_BYTES } from './shared/line-splitter.js';
export * from './server-log/index.js';
