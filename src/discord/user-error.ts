/**
 * An error meant for the member who ran the command: its message is shown to them as it is, in plain
 * words saying what was wrong and how to fix it. Anything else thrown from a handler is a bug: the
 * member gets a short answer with an error id, and the log line carries the same id.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** True for errors whose message may be shown to the member. */
export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
