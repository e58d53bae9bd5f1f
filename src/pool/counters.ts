import type { Disposition, FinalState } from './types.js';

/** Pool totals since start. */
export class PoolCounters {
  submitted = 0;
  completed = 0;
  failed = 0;
  cancelled = 0;
  timedOut = 0;
  /** Duplicate requests that joined a queued or running task. */
  joined = 0;
  /** Duplicate requests told `skipped` (dedupe `skip`): the caller counts what that means to it. */
  skipped = 0;

  finished(state: FinalState): void {
    if (state === 'COMPLETED') this.completed += 1;
    else if (state === 'FAILED') this.failed += 1;
    else if (state === 'CANCELLED') this.cancelled += 1;
    else this.timedOut += 1;
  }

  duplicate(mode: 'join' | 'skip'): Disposition {
    if (mode === 'join') {
      this.joined += 1;
      return 'joined';
    }
    this.skipped += 1;
    return 'skipped';
  }
}
