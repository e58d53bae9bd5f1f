/** Worker task `ping`: answers at once. A health check of the pool, and the tiny task of the overhead benchmark. */
export interface PingOutput {
  pong: number;
}

/** Echoes the number it was given. */
export function pingTask(input: number): PingOutput {
  return { pong: input };
}
