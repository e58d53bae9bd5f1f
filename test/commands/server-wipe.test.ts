import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevMessage } from '../../src/dev-discord/types.js';
import type { GameServer, GuildStore } from '../../src/store/index.js';
import { startBotHarness, type BotHarness } from '../discord/harness.js';

const EPHEMERAL = 64;
const eos = (name: string): string => `0002${Buffer.from(name).toString('hex').padEnd(28, '0').slice(0, 28)}`;
/** A death-log timestamp (UTC): `YYYY.MM.DD-HH.MM.SS`. */
function stamp(ms: number): string {
  const t = new Date(ms).toISOString();
  return `${t.slice(0, 4)}.${t.slice(5, 7)}.${t.slice(8, 10)}-${t.slice(11, 13)}.${t.slice(14, 16)}.${t.slice(17, 19)}`;
}
const kill = (ms: number, killer: string, victim: string, metres = 50): string =>
  `${stamp(ms)};${killer};${eos(killer)};${victim};${eos(victim)};AK-mod;${metres};PS5;PS5;\n`;
const answered = (m: DevMessage): boolean => m.content !== '' || m.embeds.length > 0;

describe('/server wipe through Discord: a new season counts only the kills from its start', () => {
  let h: BotHarness;
  let guild: GuildStore;
  let server: GameServer;
  let root: string;
  let deathLog: string;
  const board = async (options: Record<string, string>): Promise<DevMessage> =>
    h.dev.command({ guildId: h.guild.id, user: 'member', name: 'leaderboard', options: { server: server.id, ...options } }).waitForOriginal(answered, 30_000);
  const lines = (m: DevMessage): string[] => String(m.embeds[0]?.description ?? '').split('\n');

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'killfeed-wipe-'));
    const folder = join(root, 'Deadside', 'Saved', 'actual1', 'deathlogs', 'world_0');
    mkdirSync(folder, { recursive: true });
    mkdirSync(join(root, 'Deadside', 'Saved', 'Logs'), { recursive: true });
    writeFileSync(join(root, 'Deadside', 'Saved', 'Logs', 'Deadside.log'), 'Log file open, 05/15/25 09:00:00\n');
    // Today's file, so the season boundary falls inside a day document's day.
    const midnight = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    deathLog = join(folder, `${stamp(midnight)}.csv`);
    writeFileSync(deathLog, [
      kill(midnight + 1_000, 'Alpha', 'Bravo', 120), kill(midnight + 2_000, 'Alpha', 'Charlie', 90),
      kill(midnight + 3_000, 'Bravo', 'Charlie', 300), kill(midnight + 4_000, 'Delta', 'Alpha', 10),
    ].join(''));
    h = await startBotHarness();
    guild = h.app.store.guild(h.guild.id);
    server = await guild.servers.add({ name: 'Wiped', localPath: root, enabled: true });
    await h.app.watcher.watch(guild, server);
    await h.app.scheduler.tickNow(server.id);
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('GIVEN a plain member THEN /server wipe is refused in plain words and no season starts', async () => {
    const ack = await h.dev.command({ guildId: h.guild.id, user: 'member', name: 'server', subcommand: 'wipe', options: { server: server.id } }).acknowledged;
    expect(ack).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: 'You need the Manage Server permission to use /server.' } });
    expect(await guild.seasons.list(server.id)).toEqual([]);
  });

  it('GIVEN a start in the past or not a time THEN the admin is told what to write', async () => {
    const ask = (at: string) => h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'server', subcommand: 'wipe', options: { server: server.id, at } }).waitForOriginal(answered);
    expect((await ask('2020-01-01 10:00')).content).toMatch(/^2020-01-01 10:00 \(UTC\) has passed: a season starts now or later/);
    expect((await ask('tomorrow')).content).toBe('"tomorrow" is not a time the bot reads: write it in UTC as YYYY-MM-DD HH:MM, e.g. 2026-12-24 18:00, or leave `at` out for now.');
  });

  it('GIVEN a confirmed wipe and then kills from before and after it read in one tick THEN the season board counts only the later ones, all time counts all, and last season keeps its top 3', async () => {
    expect(lines(await board({ board: 'kills', period: 'season' }))).toEqual(['🥇 **Alpha** · 2 kills', '🥈 **Bravo** · 1 kill', '🥉 **Delta** · 1 kill']);
    const ask = await h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'server', subcommand: 'wipe', options: { server: server.id } }).waitForOriginal((m) => m.components.length > 0);
    expect(ask.content).toMatch(/^Start season 2 of \*\*Wiped\*\* now\? Season leaderboards then count only kills from that moment on/);
    // Clicked twice before the first click's answer came back: one season only, and no error id for the second click.
    const logged = h.logs.lines.length;
    const confirm = h.dev.button({ guildId: h.guild.id, user: 'admin', customId: `server:wipe:${server.id}:now:2`, messageId: ask.id });
    const twice = h.dev.button({ guildId: h.guild.id, user: 'admin', customId: `server:wipe:${server.id}:now:2`, messageId: ask.id });
    await Promise.all([confirm.acknowledged, twice.acknowledged]);
    const done = await confirm.waitForOriginal((m) => m.content.startsWith('Season') && m.components.length === 0);
    expect(done.content).toMatch(/^Season 2 of \*\*Wiped\*\* (starts <t:\d+:f>|was started already)/);
    expect((await guild.seasons.list(server.id)).map((x) => x.no)).toEqual([2]);
    await twice.waitForOriginal((m) => m.components.length === 0);
    expect(h.logs.lines.slice(logged).filter((l) => Number(l.level) >= 50)).toEqual([]);
    const [season] = await guild.seasons.list(server.id);
    const start = season!.startsAt;
    // "Now" is the next whole second: the boards ask for the season running at the moment they are asked.
    while (Date.now() < start) await new Promise((resolve) => setTimeout(resolve, 50));
    // Read after the wipe: a kill from 5 s before it (the game wrote it, the bot had not read it yet), then two after.
    appendFileSync(deathLog, [kill(start - 5_000, 'Echo', 'Alpha', 700), kill(start, 'Foxtrot', 'Echo', 40), kill(start + 1_000, 'Foxtrot', 'Bravo', 60)].join(''));
    await h.app.scheduler.tickNow(server.id);
    expect(lines(await board({ board: 'kills', period: 'season' }))).toEqual(['🥇 **Foxtrot** · 2 kills']);
    expect(lines(await board({ board: 'longest', period: 'season' }))).toEqual(['🥇 **Foxtrot** · 60 m']);
    // All time keeps both seasons; ties in EOS id order.
    expect(lines(await board({ board: 'kills' }))).toEqual([
      '🥇 **Alpha** · 2 kills', '🥈 **Foxtrot** · 2 kills', '🥉 **Bravo** · 1 kill', '` 4.` **Delta** · 1 kill', '` 5.` **Echo** · 1 kill',
    ]);
    expect((await guild.stats.totals(server.id)).kills).toBe(7);
    // /stats of Echo: his kill was from before the wipe, his death after it.
    const echo = async (period: string) => {
      const m = await h.dev.command({ guildId: h.guild.id, user: 'member', name: 'stats', options: { player: eos('Echo'), server: server.id, period } }).waitForOriginal(answered, 30_000);
      return Object.fromEntries((m.embeds[0]?.fields as { name: string; value: string }[]).map((f) => [f.name, f.value]));
    };
    expect(await echo('season')).toMatchObject({ Kills: '0', Deaths: '1', 'Longest kill': '0 m' });
    expect(await echo('all')).toMatchObject({ Kills: '1', Deaths: '1', 'Longest kill': '700 m' });
    const previous = await board({ board: 'kills', season: 'previous' });
    const fields = new Map((previous.embeds[0]?.fields as { name: string; value: string }[]).map((f) => [f.name, f.value]));
    // Last season: everything before the wipe, the kill read late included (Echo's 700 m).
    expect(fields.get('Most kills')).toBe('🥇 **Alpha** · 2 kills\n🥈 **Bravo** · 1 kill\n🥉 **Delta** · 1 kill');
    expect(fields.get('Longest kill')).toBe('🥇 **Echo** · 700 m\n🥈 **Bravo** · 300 m\n🥉 **Alpha** · 120 m');
    expect(fields.get('Most deaths')).toBe('🥇 **Alpha** · 2 deaths\n🥈 **Charlie** · 2 deaths\n🥉 **Bravo** · 1 death');
    expect(previous.embeds[0]?.footer).toMatchObject({ text: 'Wiped · last season · streaks are all time only' });
  });

  it('GIVEN the figures rebuilt by a fresh history run after the wipe THEN the season and last season are the same', async () => {
    await h.app.history.start(guild, server, { fresh: true }).run.result;
    expect((await guild.stats.totals(server.id)).kills).toBe(7);
    expect(lines(await board({ board: 'kills', period: 'season' }))).toEqual(['🥇 **Foxtrot** · 2 kills']);
    const previous = await board({ board: 'longest', season: 'previous' });
    const fields = new Map((previous.embeds[0]?.fields as { name: string; value: string }[]).map((f) => [f.name, f.value]));
    expect(fields.get('Longest kill')).toBe('🥇 **Echo** · 700 m\n🥈 **Bravo** · 300 m\n🥉 **Alpha** · 120 m');
  });

  it('GIVEN a best-streak board for the season THEN the answer says why not and what to pick', async () => {
    const m = await board({ board: 'streak', period: 'season' });
    expect(m.content).toBe('Streaks are counted over all time only (a streak runs across days and wipes), so there is no best streak for this season. Pick the period "all time", or the kills board for this season.');
  });
  it('GIVEN a wipe set for a later time THEN it is asked, confirmed for that minute, and another wipe before it is refused in plain words', async () => {
    const later = Math.floor(Date.now() / 60_000) * 60_000 + 2 * 86_400_000;
    const text = new Date(later).toISOString().slice(0, 16).replace('T', ' ');
    const run = (options: Record<string, string>) => h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'server', subcommand: 'wipe', options: { server: server.id, ...options } });
    const ask = await run({ at: text }).waitForOriginal((m) => m.components.length > 0);
    expect(ask.content).toMatch(new RegExp(`^Start season 3 of \\*\\*Wiped\\*\\* at <t:${later / 1000}:f> \\(<t:${later / 1000}:R>\\)\\?`));
    const done = await h.dev.button({ guildId: h.guild.id, user: 'admin', customId: `server:wipe:${server.id}:${later / 1000}:3`, messageId: ask.id }).waitForOriginal((m) => m.content.startsWith('Season'));
    expect(done.content).toMatch(new RegExp(`^Season 3 of \\*\\*Wiped\\*\\* starts <t:${later / 1000}:f>`));
    expect((await guild.seasons.starts(server.id)).at(-1)).toBe(later);
    const again = await run({}).waitForOriginal(answered);
    expect(again.content).toBe(`A new season of **Wiped** is already set to start <t:${later / 1000}:f>: wipe again after it has started.`);
    // Until then the season running is season 2.
    expect(lines(await board({ board: 'kills', period: 'season' }))).toEqual(['🥇 **Foxtrot** · 2 kills']);
  });
});
