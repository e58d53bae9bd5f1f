/**
 * The product's worker side as the main thread sees it: where the worker entry is, and the types of
 * its tasks. The composition root hands both to the (generic) task pool.
 */
export type { ProductionTasks } from './task-table.js';
export type { ParseDeathLogInput, ParseDeathLogOutput } from './parse-death-log.js';
export type { ParseServerLogInput, ParseServerLogOutput } from './parse-server-log.js';

/** The worker entry beside this file: `.ts` from source (tests, benchmarks), `.js` when compiled. */
export function productionWorkerFile(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './entry.ts' : './entry.js', import.meta.url);
}
