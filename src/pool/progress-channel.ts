import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { ProgressMessage } from './protocol.js';
import type { TaskProgress } from './types.js';

/**
 * Carries one task's progress from its worker. Only made when someone listens, since a channel per
 * task would cost the common case. Messages on this port and the result on piscina's port are not
 * ordered with each other, so the worker ends with an `end` message and the pool waits for it before
 * reporting the result: the final progress always arrives first.
 */
export class ProgressChannel {
  readonly workerPort: MessagePort;
  private readonly port: MessagePort;
  private ended = false;
  private onEnd: (() => void) | null = null;

  constructor(deliver: (progress: TaskProgress) => void) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.workerPort = port2;
    port1.on('message', (message: ProgressMessage) => {
      if (message.type === 'progress') {
        if (!this.ended) deliver(message.progress);
        return;
      }
      this.finish();
    });
  }

  /** Resolves once the worker's `end` marker has arrived (or the channel was closed). */
  whenEnded(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      this.onEnd = resolve;
    });
  }

  /** Stops delivering (the task failed or was stopped; a dead worker never sends `end`). */
  close(): void {
    this.finish();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.port.close();
    this.onEnd?.();
  }
}
