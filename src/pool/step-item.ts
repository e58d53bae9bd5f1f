import type { TaskError } from './errors.js';
import type { Queueable } from './priority-queue.js';
import type { StepRecord, TaskRecord } from './task-record.js';

/** A CPU step of an I/O task waiting in, or taken from, the CPU queue. Runs at its task's priority. */
export class StepItem implements Queueable {
  settled = false;
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
}
