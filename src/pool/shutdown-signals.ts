import type { ShutdownReport } from './shutdown.js';

/** What the signal handlers drive: the pool, or anything that shuts down the same way. */
export interface ShutsDown {
  shutdown(options: { deadlineMs?: number }): Promise<ShutdownReport>;
  forceShutdown(): Promise<ShutdownReport>;
}

export interface ShutdownSignalOptions {
  /** Default SIGINT and SIGTERM. */
  signals?: readonly NodeJS.Signals[];
  /** How long the first signal lets work drain. */
  deadlineMs: number;
  /** Called once with the report (the composition root then closes the rest and exits). */
  onStopped: (report: ShutdownReport) => void;
  /** Called on the second signal, before forcing. */
  onForce?: () => void;
}

/**
 * First signal: graceful shutdown with a deadline. Second signal: force it (cancel what still runs).
 * Returns a function that removes the handlers.
 */
export function installShutdownSignals(target: ShutsDown, options: ShutdownSignalOptions): () => void {
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  let received = 0;
  const onSignal = () => {
    received += 1;
    if (received === 1) {
      void target.shutdown({ deadlineMs: options.deadlineMs }).then(options.onStopped);
      return;
    }
    options.onForce?.();
    void target.forceShutdown();
  };
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
