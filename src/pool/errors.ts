import type { TaskErrorSummary } from './types.js';

/**
 * Why a task did not produce a result. `kind` is stable and machine-readable (metrics, tests, the
 * admin command); `message` is for people. Errors thrown inside a worker keep both across the
 * thread boundary (see `dispatch.ts`).
 */
export class TaskError extends Error {
  readonly kind: string;
  constructor(kind: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
  override get name(): string {
    return 'TaskError';
  }
}

/** The table of pool-made errors: one small factory per kind. */
export const PoolErrors = {
  cancelled: (reason: string) => new TaskError('cancelled', `The task was cancelled: ${reason}.`),
  timedOut: (ms: number) => new TaskError('timed-out', `The task ran longer than its ${ms} ms limit and was stopped. Raise timeoutMs if this job is expected to take longer.`),
  poolClosed: () => new TaskError('pool-closed', 'The task pool is shutting down and accepts no new tasks.'),
  workerExit: (detail: string) => new TaskError('worker-exit', `The worker thread running the task exited (${detail}); the pool replaced it.`),
  outOfMemory: (limitMb: number | undefined) => new TaskError('out-of-memory', `The worker thread ran out of memory${limitMb ? ` (limit ${limitMb} MB per worker)` : ''}; the pool replaced it. Split the job into smaller pieces or raise maxOldGenerationSizeMb.`),
  malformedResult: (detail: string) => new TaskError('malformed-result', `The worker returned a result the pool cannot accept: ${detail}.`),
  badOption: (detail: string) => new TaskError('bad-option', detail),
} as const;

/** Links of a `cause` chain summarized, and the summary's length cap: enough to tell an admin why. */
const CAUSE_LINKS = 3;
const CAUSE_CHARS = 300;

/** What history keeps of a task's error: its message, kind and causes as strings, nothing that holds the error alive. */
export function summarizeError(error: TaskError): TaskErrorSummary {
  const links: string[] = [];
  let cause: unknown = error.cause;
  // An error from a task function is wrapped to carry a kind: its own message is already the summary's.
  if (cause instanceof Error && cause.message === error.message) cause = cause.cause;
  for (let n = 0; n < CAUSE_LINKS && cause !== undefined && cause !== null; n += 1) {
    links.push(describeLink(cause));
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  if (cause !== undefined && cause !== null) links.push('...');
  const joined = links.join(' <- ');
  return { message: error.message, kind: error.kind, cause: links.length === 0 ? null : joined.length > CAUSE_CHARS ? `${joined.slice(0, CAUSE_CHARS - 3)}...` : joined };
}

function describeLink(cause: unknown): string {
  if (typeof cause === 'object') return cause instanceof Error ? describeError(cause) : `(a ${cause?.constructor?.name ?? 'value'})`;
  return String(cause).slice(0, CAUSE_CHARS);
}

function describeError(cause: Error): string {
  const code = (cause as { code?: unknown }).code;
  return `${cause.name}${typeof code === 'string' || typeof code === 'number' ? ` [${code}]` : ''}: ${cause.message.slice(0, CAUSE_CHARS)}`;
}

/** The error fields that cross the thread boundary. */
export interface SerializedError {
  message: string;
  kind: string;
  name: string;
  stack?: string;
}

/** Rebuilds a worker-side error on the main thread, message and kind intact. */
export function reviveError(serialized: SerializedError): TaskError {
  const error = new TaskError(serialized.kind, serialized.message);
  if (serialized.stack !== undefined) error.stack = serialized.stack;
  return error;
}

/** Turns what piscina rejected with (a dead thread, a bad result) into a TaskError with a kind. */
export function classifyWorkerFailure(error: unknown, memoryLimitMb: number | undefined): TaskError {
  if (error instanceof TaskError) return error;
  // A worker-side failure Node could not clone arrives as a plain object: say so rather than "[object Object]".
  const err = error instanceof Error ? error : new Error(`the worker thread failed with an error that could not be passed back (${safeJson(error)})`);
  const code = (err as { code?: unknown }).code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') return withCause(PoolErrors.outOfMemory(memoryLimitMb), err);
  if (err.name === 'DataCloneError') return withCause(PoolErrors.malformedResult(`it cannot be copied between threads (${err.message})`), err);
  if (/worker exited/i.test(err.message)) return withCause(PoolErrors.workerExit(err.message), err);
  return new TaskError('worker-error', err.message, { cause: err });
}

function withCause(target: TaskError, cause: Error): TaskError {
  Object.defineProperty(target, 'cause', { value: cause, enumerable: false });
  return target;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
