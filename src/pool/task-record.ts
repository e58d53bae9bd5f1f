import type { Linkable } from './active-list.js';
import { summarizeError, type TaskError } from './errors.js';
import type { Queueable } from './priority-queue.js';
import type { ProgressChannel } from './progress-channel.js';
import type { HandOff } from './threads.js';
import { PRIORITY_NAMES } from './types.js';
import type { StepRecord, StepSnapshot, TaskErrorSummary, TaskKind, TaskProgress, TaskSnapshot, TaskState } from './types.js';

const noop = (): void => undefined;
const settledPlaceholder: Promise<unknown> = Promise.resolve();

/**
 * Everything the pool knows about one task. One mutable object per task, reused as the queue item,
 * the running entry and the history entry, so the hot path allocates little. Times are
 * `performance.now()` values; snapshots convert them to ISO dates.
 */
export class TaskRecord implements Queueable, Linkable {
  state: TaskState = 'QUEUED';
  settled = false;
  queuedAt: number;
  startedAt = 0;
  endedAt = 0;
  workerId: number | null = null;
  error: TaskError | null = null;
  resultSummary: string | null = null;
  progress: TaskProgress | null = null;
  steps: StepRecord[] | null = null;
  /** Waiting for its per-key lock before entering the queue. */
  waitingForLock = false;
  /** Set when a per-key lock is held; called once when the task ends. */
  releaseLock: (() => void) | null = null;
  /**
   * While an I/O task's own function is still running (it may outlive a timeout or a cancel: a
   * promise cannot be stopped), the settle of that function; the key lock is held until then.
   */
  ioRunning: Promise<void> | null = null;
  timer: NodeJS.Timeout | null = null;
  /** Sitting in the priority queue (pushed and not yet taken). */
  inQueue = false;
  /** A CPU task's hand-off to piscina: aborting it takes the task back or stops its thread. */
  handOff: HandOff | null = null;
  /** How a running I/O task is told to stop. */
  controller: AbortController | null = null;
  /** The promise every submitter of this task (joined duplicates included) awaits. */
  promise: Promise<unknown> = settledPlaceholder;
  resolve: (value: unknown) => void = noop;
  reject: (error: TaskError) => void = noop;
  /** What to run; dropped once the task ends so nothing keeps inputs alive. */
  input: unknown = undefined;
  fn: ((ctx: never) => unknown) | null = null;
  transfer: readonly (ArrayBuffer | ArrayBufferView)[] | undefined = undefined;
  onProgress: ((progress: TaskProgress) => void) | null = null;
  dedupeKey: string | null = null;
  channel: ProgressChannel | null = null;
  /** CPU steps of an I/O task that are queued or running. */
  liveSteps: Set<StepItem> | null = null;
  /** Neighbours in the scheduler's list of queued and running tasks. */
  prevActive: Linkable | null = null;
  nextActive: Linkable | null = null;

  constructor(
    readonly id: number,
    readonly kind: TaskKind,
    readonly task: string,
    readonly label: string,
    readonly key: string | null,
    readonly rank: number,
    readonly meta: Record<string, unknown> | null,
    readonly timeoutMs: number,
    readonly submittedAt: number,
  ) {
    this.queuedAt = submittedAt;
  }

  /** Drops the references to the result and callbacks once settled (joined submitters hold their own). */
  forgetOutcome(): void {
    this.promise = settledPlaceholder;
    this.resolve = noop;
    this.reject = noop;
    this.onProgress = null;
  }

  get waitMs(): number | null {
    return waitOf(this);
  }

  get runMs(): number | null {
    return runOf(this);
  }

  /** Plain JSON for stats, history and lookups. */
  snapshot(): TaskSnapshot {
    return snapshotOf(this, this.error === null ? null : summarizeError(this.error));
  }
}

/** A CPU step of an I/O task, from its queueing to its end. Runs at its task's priority. */
export class StepItem implements Queueable {
  settled = false;
  /** Sitting in the CPU queue (pushed and not yet taken). */
  inQueue = true;
  /** Its hand-off to piscina: aborting it takes the step back or stops its thread. */
  handOff: HandOff | null = null;
  readonly rank: number;
  readonly step: StepRecord;

  constructor(
    readonly record: TaskRecord,
    readonly task: string,
    public input: unknown,
    readonly transfer: readonly (ArrayBuffer | ArrayBufferView)[] | undefined,
    public queuedAt: number,
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: TaskError) => void,
  ) {
    this.rank = record.rank;
    this.step = { task, state: 'QUEUED', workerId: null, startedAt: 0, endedAt: 0 };
  }

  /** When it got a thread (performance.now()), or 0. */
  get startedAt(): number {
    return this.step.startedAt;
  }
}

/** What a snapshot is made of: a live task's record, or what history kept of a finished one. */
export type TaskFacts = Pick<TaskRecord, 'id' | 'kind' | 'task' | 'label' | 'key' | 'rank' | 'meta' | 'state' | 'submittedAt' | 'startedAt'
  | 'endedAt' | 'workerId' | 'resultSummary' | 'progress' | 'steps'>;

/** Plain JSON of a task's facts; times are `performance.now()` values, 0 for "not yet". */
export function snapshotOf(t: TaskFacts, error: TaskErrorSummary | null): TaskSnapshot {
  const started = t.startedAt !== 0;
  return {
    id: t.id, kind: t.kind, task: t.task, label: t.label, key: t.key,
    priority: PRIORITY_NAMES[t.rank] ?? 'NORMAL', meta: t.meta, state: t.state,
    submittedAt: isoAt(t.submittedAt),
    startedAt: started ? isoAt(t.startedAt) : null,
    endedAt: t.endedAt === 0 ? null : isoAt(t.endedAt),
    waitMs: roundMs(waitOf(t)), runMs: roundMs(runOf(t)),
    workerId: t.workerId,
    error,
    resultSummary: t.resultSummary, progress: t.progress,
    steps: (t.steps ?? []).map((step) => stepSnapshot(step, t.startedAt)),
  };
}

function waitOf(t: Pick<TaskFacts, 'startedAt' | 'submittedAt'>): number | null {
  return t.startedAt === 0 ? null : t.startedAt - t.submittedAt;
}

function runOf(t: Pick<TaskFacts, 'startedAt' | 'endedAt'>): number | null {
  return t.startedAt === 0 || t.endedAt === 0 ? null : t.endedAt - t.startedAt;
}

function stepSnapshot(step: StepRecord, taskStart: number): StepSnapshot {
  return {
    task: step.task, state: step.state, workerId: step.workerId,
    startOffsetMs: roundMs(step.startedAt - taskStart) ?? 0,
    runMs: step.endedAt === 0 ? null : roundMs(step.endedAt - step.startedAt),
  };
}

/** A `performance.now()` value as an ISO date. */
export function isoAt(perfNow: number): string {
  return new Date(performance.timeOrigin + perfNow).toISOString();
}

export function roundMs(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 1000) / 1000;
}

/** A short description of a result for admins: never the result itself (it may be large). */
export function summarizeResult(value: unknown): string {
  switch (typeof value) {
    case 'undefined': return 'no value';
    case 'number': case 'boolean': case 'bigint': return String(value);
    case 'string': return value.length > 60 ? `text (${value.length} characters)` : JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `${value.length} items`;
      if (ArrayBuffer.isView(value)) return `${value.byteLength} bytes`;
      return keyList(value);
    }
    default: return typeof value;
  }
}

/** `{a, b, c}`, at most six own keys. Runs for every task, so no key array is built. */
function keyList(value: object): string {
  let out = '{';
  let count = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (count === 6) return `${out}, ...}`;
    out = count === 0 ? out + key : `${out}, ${key}`;
    count += 1;
  }
  return `${out}}`;
}
