/**
 * Resolves on the first SIGINT or SIGTERM (or when `signal` aborts), for tools that serve in the
 * foreground until Ctrl-C. Its listeners are removed again, so a second Ctrl-C gets Node's default.
 */
export function untilStopped(signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop);
  });
}
