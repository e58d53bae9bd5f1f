import { summarizeError } from './errors.js';
import { snapshotOf, type TaskFacts, type TaskRecord } from './task-record.js';
import type { HistoryQuery, StepRecord, TaskErrorSummary, TaskKind, TaskProgress, TaskSnapshot, TaskState } from './types.js';

const KINDS: readonly TaskKind[] = ['cpu', 'io'];
const STATES: readonly TaskState[] = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];
/** Distinct result summaries kept as one string each (see {@link History.add}). */
const MAX_INTERNED = 1_000;

/**
 * The last `capacity` finished tasks, oldest overwritten first. Adding is O(1) and memory is bounded
 * however long the bot runs.
 *
 * Why columns instead of the task records themselves: a record kept for 10,000 more tasks survives
 * the young generation and is copied into the old one, and on tiny tasks that copying was most of the
 * pool's garbage-collection time (profiled under bench/pool-overhead). What a
 * finished task is remembered by goes into typed arrays and a few arrays of shared values; the
 * record dies young. Result summaries are interned for the same reason: tasks of one shape share one
 * string. Look-ups rebuild a snapshot; they are rare admin actions.
 */
export class History {
  private readonly ids: Float64Array;
  private readonly times: Float64Array;
  private readonly small: Uint8Array;
  private readonly workerIds: Int32Array;
  private readonly texts: (string | null)[];
  private readonly extras: (Extras | null)[];
  private readonly interned = new Map<string, string>();
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.ids = new Float64Array(capacity);
    this.times = new Float64Array(3 * capacity);
    this.small = new Uint8Array(3 * capacity);
    this.workerIds = new Int32Array(capacity);
    this.texts = new Array<string | null>(4 * capacity).fill(null);
    this.extras = new Array<Extras | null>(capacity).fill(null);
  }

  get size(): number {
    return this.count;
  }

  add(record: TaskRecord): void {
    if (this.capacity === 0) return;
    const i = this.next;
    this.ids[i] = record.id;
    this.times[3 * i] = record.submittedAt;
    this.times[3 * i + 1] = record.startedAt;
    this.times[3 * i + 2] = record.endedAt;
    this.small[3 * i] = KINDS.indexOf(record.kind);
    this.small[3 * i + 1] = STATES.indexOf(record.state);
    this.small[3 * i + 2] = record.rank;
    this.workerIds[i] = record.workerId ?? -1;
    this.texts[4 * i] = record.task;
    this.texts[4 * i + 1] = record.label;
    this.texts[4 * i + 2] = record.key;
    this.texts[4 * i + 3] = record.resultSummary === null ? null : this.intern(record.resultSummary);
    const { meta, progress, steps } = record;
    const error = record.error === null ? null : summarizeError(record.error);
    this.extras[i] = meta === null && error === null && progress === null && steps === null ? null : { meta, error, progress, steps };
    this.next = i + 1 === this.capacity ? 0 : i + 1;
    if (this.count < this.capacity) this.count += 1;
  }

  /** Forgets every finished task (an admin's clear); returns how many were kept. */
  clear(): number {
    const cleared = this.count;
    this.texts.fill(null);
    this.extras.fill(null);
    this.interned.clear();
    this.next = 0;
    this.count = 0;
    return cleared;
  }

  /** A linear scan: lookups are rare admin actions, while an id index would cost every task (measured). */
  get(id: number): TaskSnapshot | undefined {
    for (let n = 0; n < this.count; n += 1) if (this.ids[n] === id) return this.snapshot(n);
    return undefined;
  }

  /** Newest first, filtered. */
  query(query: HistoryQuery = {}): TaskSnapshot[] {
    const limit = query.limit ?? 100;
    const state = query.state === undefined ? -1 : STATES.indexOf(query.state);
    const found: TaskSnapshot[] = [];
    // A state no task can be in matches none (not all).
    if (query.state !== undefined && state < 0) return found;
    for (let n = 1; n <= this.count && found.length < limit; n += 1) {
      const i = (this.next - n + this.capacity) % this.capacity;
      if (state >= 0 && this.small[3 * i + 1] !== state) continue;
      if (query.key !== undefined && this.texts[4 * i + 2] !== query.key) continue;
      if (query.label !== undefined && this.texts[4 * i + 1] !== query.label) continue;
      if (query.meta !== undefined && !holds(this.extras[i]?.meta ?? null, query.meta)) continue;
      found.push(this.snapshot(i));
    }
    return found;
  }

  private snapshot(i: number): TaskSnapshot {
    return snapshotOf(this.facts(i), this.extras[i]?.error ?? null);
  }

  private facts(i: number): TaskFacts {
    const extra = this.extras[i] ?? null;
    const worker = this.workerIds[i] as number;
    return {
      id: this.ids[i] as number, kind: KINDS[this.small[3 * i] as number] as TaskKind, state: STATES[this.small[3 * i + 1] as number] as TaskState,
      rank: this.small[3 * i + 2] as number, submittedAt: this.times[3 * i] as number, startedAt: this.times[3 * i + 1] as number,
      endedAt: this.times[3 * i + 2] as number, workerId: worker < 0 ? null : worker,
      task: this.texts[4 * i] as string, label: this.texts[4 * i + 1] as string, key: this.texts[4 * i + 2] ?? null,
      resultSummary: this.texts[4 * i + 3] ?? null,
      meta: extra?.meta ?? null, progress: extra?.progress ?? null, steps: extra?.steps ?? null,
    };
  }

  private intern(text: string): string {
    const known = this.interned.get(text);
    if (known !== undefined) return known;
    // Bounded: results of ever-new shapes must not grow it without end.
    if (this.interned.size >= MAX_INTERNED) this.interned.clear();
    this.interned.set(text, text);
    return text;
  }
}

function holds(meta: Record<string, unknown> | null, wanted: Readonly<Record<string, unknown>>): boolean {
  for (const key in wanted) if (meta?.[key] !== wanted[key]) return false;
  return true;
}

/** The rarely present parts of a finished task. The error as strings only: its `cause` chain could hold anything alive. */
interface Extras {
  meta: Record<string, unknown> | null;
  error: TaskErrorSummary | null;
  progress: TaskProgress | null;
  steps: StepRecord[] | null;
}
