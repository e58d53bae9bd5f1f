import type { TaskProgress } from '../pool/index.js';

/** A history run's progress: the pool's fields, with a rate and an estimate of the time left. */
export interface HistoryProgress extends TaskProgress {
  rowsPerSecond: number;
  etaSeconds: number | null;
}

export interface ClockOptions {
  now(): number;
  /** When the run started, by `now`. */
  started: number;
  /** Least time between two reports but the last. */
  everyMs: number;
  report(progress: HistoryProgress): void;
}

/** Progress at most every few seconds, and once at the end; rate and ETA from bytes. */
export class ProgressClock {
  filesDone = 0;
  rowsDone = 0;
  bytesDone = 0;
  #lastAt = 0;

  constructor(private readonly clock: ClockOptions, private readonly filesTotal: number, private readonly bytesTotal: number) {}

  advance(rows: number, bytes: number): void {
    this.rowsDone += rows;
    this.bytesDone += bytes;
    this.emit(false);
  }

  fileDone(): void {
    this.filesDone += 1;
  }

  emit(force: boolean): void {
    const now = this.clock.now();
    if (!force && now - this.#lastAt < this.clock.everyMs) return;
    this.#lastAt = now;
    const seconds = Math.max(0.001, (now - this.clock.started) / 1000);
    const bytesPerSecond = this.bytesDone / seconds;
    const progress: HistoryProgress = {
      filesDone: this.filesDone, filesTotal: this.filesTotal, rowsDone: this.rowsDone, bytesDone: this.bytesDone, bytesTotal: this.bytesTotal,
      rowsPerSecond: Math.round(this.rowsDone / seconds),
      etaSeconds: bytesPerSecond > 0 ? Math.round(Math.max(0, this.bytesTotal - this.bytesDone) / bytesPerSecond) : null,
    };
    this.clock.report(progress);
  }
}
