/**
 * Worker side: turns `{ task, input }` into a call to a handler from a table, and every outcome into
 * a {@link WorkerReply}. Errors are caught here rather than left to piscina because structured clone
 * drops an error's custom fields (our `kind`) and non-standard names.
 * Imports only types and pure modules: this runs inside every worker thread.
 */
import { findUncloneable } from './clone-check.js';
import type { SerializedError } from './errors.js';
import type { ProgressPort, WorkerReply, WorkerRequest } from './protocol.js';
import type { WorkerTaskContext, WorkerTaskTable } from './types.js';

const silent: WorkerTaskContext = { progress: () => undefined };

/** Builds the function piscina calls for each task. `threadId` tags replies with the thread that ran them. */
export function createDispatcher(table: WorkerTaskTable, threadId: number): (request: WorkerRequest) => Promise<WorkerReply> {
  const known = Object.keys(table);
  return async function dispatch(request: WorkerRequest): Promise<WorkerReply> {
    const port = request.progressPort;
    try {
      const handler = Object.hasOwn(table, request.task) ? table[request.task] : undefined;
      if (handler === undefined) {
        return { ok: false, threadId, error: { kind: 'unknown-task', name: 'TaskError', message: `No worker task is named "${request.task}". Known tasks: ${known.join(', ')}.` } };
      }
      const value: unknown = await handler(request.input as never, port === undefined ? silent : progressTo(port));
      const problem = typeof value === 'object' && value !== null ? findUncloneable(value) : typeof value === 'function' || typeof value === 'symbol' ? `a ${typeof value}` : null;
      if (problem !== null) {
        return { ok: false, threadId, error: { kind: 'malformed-result', name: 'TaskError', message: `The worker task "${request.task}" returned ${problem}, which cannot be copied between threads.` } };
      }
      return { ok: true, value, threadId };
    } catch (error) {
      return { ok: false, threadId, error: serializeError(error) };
    } finally {
      // The end marker tells the main thread no progress message is still on its way.
      if (port !== undefined) {
        port.postMessage({ type: 'end' });
        port.close();
      }
    }
  };
}

function progressTo(port: ProgressPort): WorkerTaskContext {
  return { progress: (progress) => port.postMessage({ type: 'progress', progress }) };
}

/** Keeps message, kind (an own `kind` field, else the error's name) and stack. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const own = (error as { kind?: unknown }).kind;
    const kind = typeof own === 'string' && own.length > 0 ? own : error.name;
    return error.stack === undefined ? { message: error.message, kind, name: error.name } : { message: error.message, kind, name: error.name, stack: error.stack };
  }
  return { message: String(error), kind: 'non-error-thrown', name: 'Error' };
}
