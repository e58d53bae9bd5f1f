/** The product's worker task table, and the input/output types the main thread calls them with. */
import type { WorkerTaskTable } from '../pool/types.js';
import { parseDeathLogTask, type ParseDeathLogInput, type ParseDeathLogOutput } from './parse-death-log.js';
import { parseServerLogTask, type ParseServerLogInput, type ParseServerLogOutput } from './parse-server-log.js';

/** Name to handler, as the worker entry dispatches them. */
export const productionTasks = {
  'parse-death-log': parseDeathLogTask,
  'parse-server-log': parseServerLogTask,
} satisfies WorkerTaskTable;

/** Input and output of each production task, for `pool.run(name, input)` and `ctx.cpu(name, input)` typing. */
// A type alias, not an interface: only aliases satisfy `CpuTaskTypes`' index signature.
export type ProductionTasks = {
  'parse-death-log': { input: ParseDeathLogInput; output: ParseDeathLogOutput };
  'parse-server-log': { input: ParseServerLogInput; output: ParseServerLogOutput };
};
