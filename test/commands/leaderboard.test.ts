import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevMessage } from '../../src/dev-discord/types.js';
import { shownName } from '../../src/discord/format/player-stats.js';
import { referenceFigures } from '../helpers/fixtures.js';
import type { Counted, CountedRows } from './count-rows.js';
import { answered, startPlayerWorld, type PlayerWorld } from './player-setup.js';

const MEDALS = ['🥇', '🥈', '🥉'];
const rank = (i: number): string => MEDALS[i] ?? `\`${String(i + 1).padStart(2)}.\``;
const plural = (n: number, one: string): string => `${n} ${n === 1 ? one : `${one}s`}`;

/** The top 10 by a figure counted from the rows, ties in EOS id order, as the board writes each line. */
function expectedLines(counted: CountedRows, figure: (c: Counted) => number, words: (n: number) => string): string[] {
  return [...counted.players.values()].filter((c) => figure(c) > 0)
    .sort((a, b) => figure(b) - figure(a) || (a.id < b.id ? -1 : 1)).slice(0, 10)
    .map((c, i) => `${rank(i)} **${shownName(c.name)}** · ${words(figure(c))}`);
}

describe('/leaderboard through Discord, after history runs of the real fixtures and of odd names', () => {
  let w: PlayerWorld;
  const board = (options: Record<string, string | number | boolean>, user: 'admin' | 'member' = 'member') =>
    w.h.dev.command({ guildId: w.h.guild.id, user, name: 'leaderboard', options }).waitForOriginal(answered, 30_000);
  const lines = (m: DevMessage): string[] => String(m.embeds[0]?.description ?? '').split('\n');
  const general = () => w.h.guild.channels.find((c) => c.name === 'general')!.id;

  beforeAll(async () => { w = await startPlayerWorld(); });
  afterAll(() => w?.stop());

  it('GIVEN the four real death logs THEN the kills board is the top 10 counted from the rows, and the kills add up to SOURCES.md\'s 1,549', async () => {
    expect(w.real.kills).toBe(1_549);
    expect(referenceFigures().kills).toBe(1_549);
    expect((await w.guild.stats.totals(w.fixtures.id)).kills).toBe(1_549);
    const answer = await board({ board: 'kills', server: w.fixtures.id });
    expect(answer.embeds[0]).toMatchObject({ title: 'Most kills', footer: { text: 'Fixtures · all time' } });
    expect(lines(answer)).toEqual(expectedLines(w.real, (c) => c.kills, (n) => plural(n, 'kill')));
    expect(lines(answer)[0]).toBe('🥇 **Njshh** · 60 kills');
  });

  it('GIVEN the real death logs THEN the longest-kill board is the top 10 counted from the rows', async () => {
    const answer = await board({ board: 'longest', server: w.fixtures.id, period: 'all' });
    expect(lines(answer)).toEqual(expectedLines(w.real, (c) => c.longest, (n) => `${n.toLocaleString('en-US')} m`));
  });

  it('GIVEN the deaths, best-streak and weapon boards THEN each equals the count from the rows; the weapon option lists the weapons seen', async () => {
    expect(lines(await board({ board: 'deaths', server: w.fixtures.id }))).toEqual(expectedLines(w.real, (c) => c.deaths, (n) => plural(n, 'death')));
    expect(lines(await board({ board: 'streak', server: w.fixtures.id }))).toEqual(expectedLines(w.real, (c) => c.best, (n) => `${n} in a row`));
    const uag = await board({ board: 'weapon', server: w.fixtures.id, weapon: 'UAG' });
    expect(uag.embeds[0]?.title).toBe('Most kills with UAG');
    expect(lines(uag)).toEqual(expectedLines(w.real, (c) => c.weapons.get('UAG') ?? 0, (n) => plural(n, 'kill')));
    const typed = await w.h.dev.autocomplete({ guildId: w.h.guild.id, user: 'member', name: 'leaderboard', options: { board: 'weapon', weapon: 'ua' }, focused: 'weapon' }).acknowledged;
    const choices = (typed.data as { choices: { name: string; value: string }[] }).choices;
    const uagKills = [...w.real.players.values()].reduce((n, c) => n + (c.weapons.get('UAG') ?? 0), 0);
    expect(choices).toContainEqual({ name: `UAG (${uagKills} kills)`, value: 'UAG' });
    expect(choices.every((c) => c.value.toLowerCase().includes('ua'))).toBe(true);
  });

  it('GIVEN the KD and current-streak boards THEN each equals the count from the rows', async () => {
    const kd = (c: Counted) => c.kills / Math.max(c.deaths, 1);
    const kdLines = [...w.real.players.values()].filter((c) => c.kills > 0).sort((a, b) => kd(b) - kd(a) || (a.id < b.id ? -1 : 1)).slice(0, 10)
      .map((c, i) => `${rank(i)} **${shownName(c.name)}** · KD ${kd(c).toFixed(2)} (${c.kills}/${c.deaths})`);
    expect(lines(await board({ board: 'kd', server: w.fixtures.id }))).toEqual(kdLines);
    expect(lines(await board({ board: 'current-streak', server: w.fixtures.id }))).toEqual(expectedLines(w.real, (c) => c.current, (n) => `${n} in a row`));
  });

  it('GIVEN no server named THEN the board takes every game server of the Discord server', async () => {
    const both: CountedRows = { ...w.real, players: new Map([...w.real.players, ...w.oddCounts.players]) };
    const answer = await board({ board: 'longest' });
    expect(answer.embeds[0]?.footer).toMatchObject({ text: 'All game servers · all time' });
    expect(lines(answer)).toEqual(expectedLines(both, (c) => c.longest, (n) => `${n.toLocaleString('en-US')} m`));
  });

  it('GIVEN names with spaces, emoji, markdown and other scripts THEN today\'s board shows them as written, escaped, within the limits', async () => {
    const answer = await board({ board: 'kills', server: w.odd.id, period: 'day' });
    expect(lines(answer)).toEqual(expectedLines(w.oddCounts, (c) => c.kills, (n) => plural(n, 'kill')));
    expect(lines(answer)[0]).toBe('🥇 **Big Dad 🐻** · 3 kills');
    expect(answer.embeds[0]?.description).toContain('**\\_Under\\_Score\\_**');
  });

  it('GIVEN a board that cannot be shown THEN the answer says why and what to pick', async () => {
    expect((await board({ board: 'streak', period: 'day' })).content).toBe('Streaks are counted over all time only (a streak runs across days and wipes), so there is no best streak for today (UTC). Pick the period "all time", or the kills board for today (UTC).');
    expect((await board({ board: 'weapon' })).content).toBe('The weapon board needs a weapon: fill in the `weapon` option (it lists the weapons seen).');
    expect((await board({ board: 'weapon', weapon: 'Banana' })).content).toMatch(/^Nobody is on the "Most kills with Banana" board for All game servers · all time yet/);
    expect((await board({ board: 'kills', every: 5 })).content).toBe('`every` sets how often a pinned board is refreshed: use it with `pin:True`.');
    expect((await board({ board: 'kills', season: 'previous' })).content).toMatch(/^There is no previous season for All game servers yet: a season ends when an admin wipes the server with \/server wipe\./);
  });

  it('GIVEN an admin pins a board THEN it is posted, edited in place when due (also after a restart), and stops when its message is deleted, which admins are told', async () => {
    expect((await board({ board: 'kills', pin: true }, 'member')).content).toBe('Only admins (Manage Server) can pin a leaderboard. Leave out `pin` to see the board.');
    const locked = w.h.guild.channels.find((c) => c.name === 'locked')!.id;
    const refused = await w.h.dev.command({ guildId: w.h.guild.id, channelId: locked, user: 'admin', name: 'leaderboard', options: { board: 'kills', pin: true } }).waitForOriginal(answered, 30_000);
    expect(refused.content).toBe('The bot may not post in this channel (it needs View Channel, Send Messages and Embed Links here): give it those, or pin the board in another channel.');
    const before = w.h.dev.messages(general()).length;
    const pinned = await board({ board: 'kills', server: w.fixtures.id, pin: true, every: 5 }, 'admin');
    expect(pinned.content).toBe('Pinned: the board posted in this channel is refreshed in place every 5 minutes.');
    const posted = w.h.dev.messages(general());
    expect(posted).toHaveLength(before + 1);
    const message = posted.at(-1)!;
    expect(message.embeds[0]).toMatchObject({ title: 'Most kills', description: expectedLines(w.real, (c) => c.kills, (n) => plural(n, 'kill')).join('\n') });
    expect(await w.h.app.boards.refreshDue(Date.now() + 60_000)).toBe(0);
    expect(await w.h.app.boards.refreshDue(Date.now() + 5 * 60_000)).toBe(1);
    await w.h.restartApp();
    expect(await w.h.app.boards.refreshDue(Date.now() + 11 * 60_000)).toBe(1);
    const after = w.h.dev.messages(general());
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ id: message.id, edits: 2 });
    const edits = w.h.dev.requests().filter((r) => r.method === 'PATCH' && r.path.endsWith(`/channels/${general()}/messages/${message.id}`));
    expect(edits).toHaveLength(2);

    const deleted = await fetch(`${w.h.dev.apiUrl}/v10/channels/${general()}/messages/${message.id}`, { method: 'DELETE', headers: { authorization: `Bot ${w.h.dev.token}` } });
    expect(deleted.status).toBe(204);
    expect(await w.h.app.boards.refreshDue(Date.now() + 30 * 60_000)).toBe(0);
    expect(await w.h.app.boards.refreshDue(Date.now() + 60 * 60_000)).toBe(0);
    const notice = 'The pinned leaderboard stopped: its message was deleted. Pin it again with /leaderboard pin:True in a channel the bot can post in.';
    expect((await board({ board: 'kills' }, 'admin')).content).toBe(`⚠️ ${notice}`);
    expect((await board({ board: 'kills' }, 'member')).content).toBe('');
    await board({ board: 'kills', pin: true }, 'admin');
    expect((await board({ board: 'kills' }, 'admin')).content).toBe('');
  });
});
