/** Deadside.log: an incremental line parser and the per-server state machine fed by it. */
export {
  createServerLogParser, parseServerLog, mergeInto as mergeServerLogBatch,
  type ServerLogParser, type ServerLogParserOptions, type ServerLogParseResult,
} from './parser.js';
export { readServerLogLine, serverLogRules } from './read-line.js';
export type { LineRule } from './line-rule.js';
export {
  applyServerEvents, createServerState, resetServerState,
} from './server-state.js';
export {
  compileMissionLevels, DEFAULT_MISSION_LEVELS, type MissionLevelTable, type MissionLevelLookup,
} from './mission-levels.js';
export type * from './server-state-types.js';
export type * from './types.js';
