/**
 * Public types of the background task pool. Shared by the main-thread pool and, for the task table
 * shape only, by the worker side (which must stay free of I/O imports).
 */

/** Priority levels, most urgent first. CRITICAL and HIGH are interactive (a user is waiting). */
export type PriorityName = 'CRITICAL' | 'HIGH' | 'NORMAL' | 'LOW';

/** Lower runs first. */
export const PRIORITY_RANK: Readonly<Record<PriorityName, number>> = { CRITICAL: 0, HIGH: 1, NORMAL: 2, LOW: 3 };
export const PRIORITY_NAMES: readonly PriorityName[] = ['CRITICAL', 'HIGH', 'NORMAL', 'LOW'];
/** Ranks below this are interactive and may use the reserved capacity. */
export const FIRST_BULK_RANK = 2;

/** QUEUED -> RUNNING -> one of the four final states. */
export type TaskState = 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
export type FinalState = Exclude<TaskState, 'QUEUED' | 'RUNNING'>;

/** `cpu`: runs in a worker thread. `io`: an async function on the main thread (it may call CPU steps). */
export type TaskKind = 'cpu' | 'io';

/** Progress a long task reports: any of these counters, plus a free note. */
export interface TaskProgress {
  rowsDone?: number;
  rowsTotal?: number;
  filesDone?: number;
  filesTotal?: number;
  bytesDone?: number;
  bytesTotal?: number;
  note?: string;
}

/** Input and output types of a CPU task table: `{ '<task name>': { input: ...; output: ... } }`. */
export type CpuTaskTypes = Record<string, { input: unknown; output: unknown }>;

/** Options every task accepts. */
export interface TaskOptions {
  /** What an admin sees; defaults to the task name (CPU) or `io`. */
  label?: string;
  /** The caller's key (what the work is about), for history queries, exclusion and de-duplication. */
  key?: string;
  /** Defaults to NORMAL. */
  priority?: PriorityName;
  /** Free-form metadata kept with the task (must be plain JSON: it is shown in stats and history). */
  meta?: Record<string, unknown>;
  /** Run-time limit counted from the start, not from submission; 0 means none. Defaults to the pool's. */
  timeoutMs?: number;
  /** Never run at the same time as another exclusive task with the same `key`. */
  exclusive?: boolean;
  /**
   * While a task with the same label and key is queued or running: `join` returns that task instead of
   * starting another, `skip` does the same and says so (`disposition: 'skipped'`, counted apart).
   */
  dedupe?: 'join' | 'skip';
  /** Called on the main thread, in order, before the result is reported. */
  onProgress?: (progress: TaskProgress) => void;
}

/** Extra options for a CPU task. */
export interface CpuTaskOptions extends TaskOptions {
  /** ArrayBuffers (or views' buffers) to move to the worker instead of copying. */
  transfer?: readonly (ArrayBuffer | ArrayBufferView)[];
}

/** What an I/O task (or a chained job) receives. */
export interface IoTaskContext<M extends CpuTaskTypes> {
  /** The task's id. */
  readonly id: number;
  /** Aborted when the task is cancelled, times out or the pool is forced to stop. */
  readonly signal: AbortSignal;
  /** Reports progress (delivered in order, before the result). */
  progress(progress: TaskProgress): void;
  /** Runs one CPU step of this task in a worker thread (recorded as a step, not as a new task). */
  cpu<N extends keyof M & string>(task: N, input: M[N]['input'], options?: { transfer?: readonly (ArrayBuffer | ArrayBufferView)[] }): Promise<M[N]['output']>;
}

/** How a submission was taken. */
export type Disposition = 'started' | 'joined' | 'skipped';

/** What `submit` returns: the task's id now, its result later. */
export interface TaskHandle<T> {
  id: number;
  disposition: Disposition;
  /** Settles with the task's result or its {@link TaskError}. Never an unhandled rejection if ignored. */
  result: Promise<T>;
}

/** A CPU step of an I/O task, while it exists; times are `performance.now()` values, 0 for "not yet". */
export interface StepRecord {
  task: string;
  state: TaskState;
  workerId: number | null;
  startedAt: number;
  endedAt: number;
}

/** One CPU step of an I/O task. */
export interface StepSnapshot {
  task: string;
  state: TaskState;
  workerId: number | null;
  /** Milliseconds after the task started. */
  startOffsetMs: number;
  runMs: number | null;
}

/** A task as plain JSON (what history, `get` and stats return). Times are ISO strings, durations ms. */
export interface TaskSnapshot {
  id: number;
  kind: TaskKind;
  task: string;
  label: string;
  key: string | null;
  priority: PriorityName;
  meta: Record<string, unknown> | null;
  state: TaskState;
  submittedAt: string;
  startedAt: string | null;
  endedAt: string | null;
  waitMs: number | null;
  runMs: number | null;
  /** Thread id of the worker that ran it (CPU tasks), or null. */
  workerId: number | null;
  error: TaskErrorSummary | null;
  /** A short description of the result, never the result itself. */
  resultSummary: string | null;
  progress: TaskProgress | null;
  steps: StepSnapshot[];
}

/**
 * What is kept of a task's error: plain strings, never the error itself, whose `cause` chain could
 * hold a whole response or buffer alive for as long as the task stays in history.
 */
export interface TaskErrorSummary {
  message: string;
  /** Stable and machine-readable: the pool's kinds (`timed-out`, ...) or the thrower's own `kind`, else its name. */
  kind: string;
  /** The `cause` chain in one short line (`Name [code]: message <- ...`), or null. */
  cause: string | null;
}

/** What a worker-side task handler receives besides its input. */
export interface WorkerTaskContext {
  /** Posts progress to the main thread; a no-op when nobody asked for progress. */
  progress(progress: TaskProgress): void;
}

/** A worker-side task: input in, output out (plain data that structured clone can copy). */
export type WorkerTaskHandler = (input: never, ctx: WorkerTaskContext) => unknown;

/** Task name to handler: what a worker entry hands to `createDispatcher`. */
export type WorkerTaskTable = Readonly<Record<string, WorkerTaskHandler>>;

/** A task as it ends, for metrics: what a counter or histogram needs, nothing kept alive. */
export interface FinishedTask {
  kind: TaskKind;
  priority: PriorityName;
  state: FinalState;
  /** From submission to start, or null when it never started. */
  waitMs: number | null;
  runMs: number | null;
}

/** Filters for history queries; all given ones must match. */
export interface HistoryQuery {
  state?: TaskState;
  key?: string;
  label?: string;
  /** Only tasks whose meta holds each of these values (compared with ===), read without building a snapshot per task. */
  meta?: Readonly<Record<string, string | number | boolean>>;
  /** Newest first; defaults to 100. */
  limit?: number;
}
