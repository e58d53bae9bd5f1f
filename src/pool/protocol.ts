/**
 * The messages between the main thread and a worker. Type-only plus one pure check, so the worker
 * side can import it without pulling anything else in.
 */
import type { SerializedError } from './errors.js';
import type { TaskProgress } from './types.js';

/** What the main thread sends for one task. */
export interface WorkerRequest {
  task: string;
  input: unknown;
  /** Present when the caller wants progress: a MessagePort the worker posts {@link ProgressMessage}s on. */
  progressPort?: ProgressPort;
}

/** The subset of MessagePort the worker uses (kept structural so the worker needs no node import). */
export interface ProgressPort {
  postMessage(message: ProgressMessage): void;
  close(): void;
}

/** `progress` messages, then exactly one `end`, so the main thread knows none is still in flight. */
export type ProgressMessage = { type: 'progress'; progress: TaskProgress } | { type: 'end' };

/** What the worker returns for one task. */
export type WorkerReply =
  | { ok: true; value: unknown; threadId: number }
  | { ok: false; error: SerializedError; threadId: number };

/** Whether `value` has the reply shape: anything else is a malformed result. */
export function isWorkerReply(value: unknown): value is WorkerReply {
  if (typeof value !== 'object' || value === null) return false;
  const reply = value as Record<string, unknown>;
  if (typeof reply.threadId !== 'number') return false;
  if (reply.ok === true) return 'value' in reply;
  if (reply.ok !== false || typeof reply.error !== 'object' || reply.error === null) return false;
  const error = reply.error as Record<string, unknown>;
  return typeof error.message === 'string' && typeof error.kind === 'string';
}
