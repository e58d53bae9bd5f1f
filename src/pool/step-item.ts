import type { TaskError } from './errors.js';
import type { Queueable } from './priority-queue.js';
import type { WorkerRequest } from './protocol.js';
import type { StepRecord, TaskRecord } from './task-record.js';

/** A CPU step of an I/O task, from its queueing to its end. Runs at its task's priority. */
export class StepItem implements Queueable {
  settled = false;
  /** Sitting in the CPU queue (pushed and not yet taken). */
  inQueue = true;
  /** While handed to piscina without a thread yet: the message the worker will get. */
  request: WorkerRequest | null = null;
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
