import { appendFileSync } from 'node:fs';
import type { DevDiscord } from '../../src/dev-discord/types.js';

/** Polls an async condition (what the bot does crosses processes and the database): never a fixed wait. */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every embed posted in a channel, oldest first, as JSON text (tests look for names in it, whatever the wording). */
export function postedEmbeds(dev: DevDiscord, channelId: string): string[] {
  return dev.messages(channelId).flatMap((m) => m.embeds.map((e) => JSON.stringify(e)));
}

/** The victim named in each posted embed, in posting order (victims are `V` and four digits, so none is part of another). */
export function victimsInOrder(embeds: readonly string[]): string[] {
  return embeds.flatMap((e) => e.match(/V\d{4}/g)?.slice(0, 1) ?? []);
}

export const victim = (n: number): string => `V${String(n).padStart(4, '0')}`;

export function appendRows(file: string, rows: readonly string[]): void {
  appendFileSync(file, rows.map((r) => `${r}\n`).join(''));
}

/** A row of the death log: `killer` empty for an environment death, equal to `victim` for a suicide. */
export function deathRow(time: string, killer: string, victim: string, weapon: string, distance = 10): string {
  const eos = (name: string): string => `0002${Buffer.from(name).toString('hex').padEnd(28, '0').slice(0, 28)}`;
  return `2025.05.15-${time};${killer};${killer === '' ? '' : eos(killer)};${victim};${eos(victim)};${weapon};${distance};PS5;PS5;`;
}

/** `HH.MM.SS` for the n-th second after 12:00:00. */
export function clock(n: number): string {
  const s = 12 * 3600 + n;
  const two = (v: number): string => String(v).padStart(2, '0');
  return `${two(Math.floor(s / 3600))}.${two(Math.floor(s / 60) % 60)}.${two(s % 60)}`;
}
