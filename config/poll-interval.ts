/**
 * How often a game server's files may be read, in whole seconds: one rule for POLL_INTERVAL_SECONDS
 * and for a server's own interval. Ten seconds keeps the killfeed close to live while a game host
 * answers at most six listings a minute per server.
 */
export const POLL_SECONDS = { min: 10, max: 3600 } as const;

/** What a good interval looks like, for error messages. */
export const POLL_SECONDS_EXPECTED = `whole seconds from ${POLL_SECONDS.min} to ${POLL_SECONDS.max}`;

/** Whether `value` is an allowed interval. */
export function isPollSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= POLL_SECONDS.min && value <= POLL_SECONDS.max;
}
