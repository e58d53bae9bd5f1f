/** Discord's epoch (2015-01-01): snowflakes count milliseconds from it. */
const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * Snowflake ids as Discord makes them (time in the top bits, then worker and increment), so they
 * have 18-19 digits: discord.js skips per-route rate-limit buckets for ids that do not look real.
 */
export class Snowflakes {
  private increment = 0n;

  /** A new id stamped with `atMs` (the stand-in's clock). */
  next(atMs: number): string {
    this.increment = (this.increment + 1n) & 0xfffn;
    return (((BigInt(Math.floor(atMs)) - DISCORD_EPOCH) << 22n) | (1n << 17n) | this.increment).toString();
  }
}
