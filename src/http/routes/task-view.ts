import type { TaskSnapshot } from '../../pool/index.js';

/**
 * A task as a caller without the admin token sees it: a failure's words can name an SFTP host or
 * account (`Could not reach host:port`), so only its kind is shown; the admin sees everything.
 */
export function taskView(task: TaskSnapshot, admin: boolean): TaskSnapshot {
  if (admin || task.error === null) return task;
  return { ...task, error: { kind: task.error.kind, message: `failed (${task.error.kind}); the admin token shows the details`, cause: null } };
}
