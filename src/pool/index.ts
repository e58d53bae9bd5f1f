/** The background task pool: the one import the rest of the bot needs. */
export { createTaskPool, TaskPool, type ResizeOptions } from './pool.js';
export type { PoolOptions } from './options.js';
export type { PoolStats } from './stats.js';
export type { ShutdownReport } from './shutdown.js';
export type { IoFunction } from './scheduler.js';
export { installShutdownSignals, type ShutsDown, type ShutdownSignalOptions } from './shutdown-signals.js';
export { TaskError, PoolErrors } from './errors.js';
export type { EventLoopDelay } from './event-loop.js';
export type { DurationSummary } from './samples.js';
export * from './types.js';
