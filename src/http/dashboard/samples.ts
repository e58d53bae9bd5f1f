import { EventLoopMonitor } from '../../pool/event-loop.js';

/** One point of the dashboard's charts. */
export interface Sample {
  /** When it was taken, ms since the epoch. */
  at: number;
  queueDepth: number;
  /** Tasks that ended per second since the previous sample. */
  finishedPerSecond: number;
  /** The main event loop's p99 delay since the previous sample, in ms. */
  eventLoopP99Ms: number;
}

/** What a sample reads from the pool. */
export interface SampleSource {
  queueDepth: number;
  /** Tasks ended since start (all final states). */
  finished: number;
}

/**
 * The last minutes of queue depth, throughput and event-loop delay for the dashboard's charts: one
 * sample every `intervalMs` in a fixed ring (`capacity` of them, 10 minutes by default). The
 * event-loop delay is its own histogram, so reading it never resets the pool's figures.
 */
export class Samples {
  private readonly ring: Sample[] = [];
  // Made on start: Node counts a histogram as a live handle from its creation until it is enabled.
  private loop: EventLoopMonitor | null = null;
  private timer: NodeJS.Timeout | null = null;
  private last: { at: number; finished: number } | null = null;

  constructor(private readonly read: () => SampleSource, private readonly intervalMs = 2_000, private readonly capacity = 300) {}

  start(): void {
    if (this.timer !== null) return;
    this.loop = new EventLoopMonitor(10);
    this.take();
    this.timer = setInterval(() => this.take(), this.intervalMs);
    // The dashboard alone must never keep the process alive.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.loop?.stop();
    this.loop = null;
  }

  /** Oldest first. */
  list(): readonly Sample[] {
    return this.ring;
  }

  /** Takes a sample now (the timer's job; tests call it to avoid waiting). */
  take(): void {
    const now = Date.now();
    const { queueDepth, finished } = this.read();
    const seconds = this.last === null ? 0 : (now - this.last.at) / 1000;
    const finishedPerSecond = seconds <= 0 || this.last === null ? 0 : Math.max(0, finished - this.last.finished) / seconds;
    const eventLoopP99Ms = this.loop?.read().p99Ms ?? 0;
    this.loop?.reset();
    this.last = { at: now, finished };
    this.ring.push({ at: now, queueDepth, finishedPerSecond: round(finishedPerSecond), eventLoopP99Ms });
    if (this.ring.length > this.capacity) this.ring.shift();
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
