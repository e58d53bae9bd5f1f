/** The production worker task table, and its input/output types for the main thread. */
import type { WorkerTaskTable } from '../dispatch.js';
import { parseDeathLogTask, type ParseDeathLogInput, type ParseDeathLogOutput } from './parse-death-log.js';
import { pingTask, type PingOutput } from './ping.js';
import { parseServerLogTask, type ParseServerLogInput, type ParseServerLogOutput } from './parse-server-log.js';

export type { ParseDeathLogInput, ParseDeathLogOutput } from './parse-death-log.js';
export type { PingOutput } from './ping.js';
export type { ParseServerLogInput, ParseServerLogOutput } from './parse-server-log.js';

/** Name to handler, as the worker entry dispatches them. */
export const productionTasks = {
  'parse-death-log': parseDeathLogTask,
  'parse-server-log': parseServerLogTask,
  ping: pingTask,
} satisfies WorkerTaskTable;

/** Input and output of each production task, for `pool.run(name, input)` typing. */
// A type alias, not an interface: only aliases satisfy `CpuTaskTypes`' index signature.
export type ProductionTasks = {
  'parse-death-log': { input: ParseDeathLogInput; output: ParseDeathLogOutput };
  'parse-server-log': { input: ParseServerLogInput; output: ParseServerLogOutput };
  ping: { input: number; output: PingOutput };
};
