import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shownName } from '../../src/discord/format/player-stats.js';
import { referenceFigures } from '../helpers/fixtures.js';
import { most, type Counted, type CountedRows } from './count-rows.js';
import { answered, fieldsOf, ODD, startPlayerWorld, type PlayerWorld } from './player-setup.js';

const NJSHH = '0002e69a65204b669c20238266782d7b';
const kills = (n: number) => `${n} ${n === 1 ? 'kill' : 'kills'}`;

/** What /stats must show for a player, from the rows counted in the test. */
function expected(c: Counted, all: CountedRows): Record<string, string> {
  const named = (p: [string, number] | null) => (p ? `${shownName(all.players.get(p[0])?.name ?? p[0])} (${kills(p[1])})` : 'none');
  const weapon = most(c.weapons);
  return {
    'Kills': String(c.kills), 'Deaths': String(c.deaths), 'KD': (c.kills / Math.max(c.deaths, 1)).toFixed(2),
    'Suicides': String(c.suicides), 'Longest kill': `${c.longest} m`,
    'Favourite weapon': weapon ? `${shownName(weapon[0])} (${kills(weapon[1])})` : 'none',
    'Best streak': String(c.best), 'Current streak': String(c.current),
    'Nemesis (killed them most)': named(most(c.killers)), 'Prey (they killed most)': named(most(c.victims)),
  };
}

describe('/stats through Discord, after history runs of the real fixtures and of odd names', () => {
  let w: PlayerWorld;
  const stats = (options: Record<string, string>, user: 'admin' | 'member' = 'member', guildId?: string) =>
    w.h.dev.command({ guildId: guildId ?? w.h.guild.id, user, name: 'stats', options }).waitForOriginal(answered);
  const shown = async (options: Record<string, string>) => Object.fromEntries(fieldsOf(await stats(options)));

  beforeAll(async () => { w = await startPlayerWorld(); });
  afterAll(() => w?.stop());

  it('GIVEN the four real death logs THEN the rows counted here and the players\' kills in the store both give SOURCES.md\'s figures', async () => {
    const ref = referenceFigures();
    expect({ rows: w.real.rows, kills: w.real.kills, suicides: w.real.suicides, environment: w.real.environment, players: w.real.players.size })
      .toEqual({ rows: ref.rows, kills: ref.kills, suicides: ref.suicides, environment: ref.environment, players: ref.players });
    const players = await w.guild.stats.players({ serverId: w.fixtures.id });
    expect(players.reduce((n, p) => n + p.kills, 0)).toBe(1_549);
    expect(players).toHaveLength(ref.players);
  });

  it('GIVEN Njshh, checked by hand from the rows THEN /stats shows his figures, streaks, favourite weapon, nemesis and prey', async () => {
    const answer = await stats({ player: NJSHH });
    expect(answer.embeds[0]?.title).toBe('Njshh');
    expect(answer.embeds[0]?.description).toBe(`All game servers · all time\nEOS id \`${NJSHH}\``);
    // 60 kills (42 with the UAG), killed 3 times by Knight JFS, once by Serial Nince and TOPSHOTTOM88; 8 relocations
    // and a fall; his first 42 kills came before his first death (a relocation at 01:32 on 05.15); his last row is a relocation.
    const want = {
      'Kills': '60', 'Deaths': '5', 'KD': '12.00', 'Suicides': '9', 'Longest kill': '108 m', 'Favourite weapon': 'UAG (42 kills)',
      'Best streak': '42', 'Current streak': '0', 'Nemesis (killed them most)': 'Knight JFS (3 kills)', 'Prey (they killed most)': 'KT93141 (11 kills)',
    };
    expect(Object.fromEntries(fieldsOf(answer))).toMatchObject(want);
    expect(want).toEqual(expected(w.real.players.get(NJSHH)!, w.real));
  });

  it('GIVEN every one of the 557 players THEN their /stats equals the count from the rows, and the kills shown add up to SOURCES.md\'s 1,549', async () => {
    const shownTotals = { kills: 0, deaths: 0, suicides: 0 };
    for (const c of w.real.players.values()) {
      const answer = await stats({ player: c.id });
      expect(answer.embeds[0]?.title, c.name).toBe(shownName(c.name));
      const fields = fieldsOf(answer);
      expect(Object.fromEntries(fields), c.name).toMatchObject(expected(c, w.real));
      shownTotals.kills += Number(fields.get('Kills'));
      shownTotals.deaths += Number(fields.get('Deaths'));
      shownTotals.suicides += Number(fields.get('Suicides'));
    }
    const ref = referenceFigures();
    // Every PvP kill is one kill and one death; an environment death is a death only.
    expect(shownTotals).toEqual({ kills: ref.kills, deaths: ref.kills + ref.environment, suicides: ref.suicides });
    expect(ref.kills).toBe(1_549);
  });

  it('GIVEN names with spaces, emoji, markdown, other scripts and 300 characters THEN they are found by typed name and shown as written, within Discord\'s limits', async () => {
    const choices = await w.h.dev.autocomplete({ guildId: w.h.guild.id, user: 'member', name: 'stats', focused: 'player', options: { player: 'Big D' } }).acknowledged;
    expect(choices.data?.choices).toEqual([{ name: `Big Dad 🐻 (${ODD.bear.id.slice(0, 8)})`, value: ODD.bear.id }]);
    for (const p of [ODD.bear, ODD.under, ODD.star, ODD.wide, ODD.everyone, ODD.long]) {
      // Typed in full without picking from the list: the name alone finds them.
      const answer = await stats({ player: p.name });
      expect(answer.embeds[0]?.title, p.name).toBe(shownName(p.name));
      expect(Object.fromEntries(fieldsOf(answer)), p.name).toMatchObject(expected(w.oddCounts.players.get(p.id)!, w.oddCounts));
    }
    expect(shownName(ODD.under.name)).toBe('\\_Under\\_Score\\_');
    expect(fieldsOf(await stats({ player: ODD.bear.id })).get('Prey (they killed most)')).toBe('\\_Under\\_Score\\_ (2 kills)');
  });

  it('GIVEN a member with no link THEN /stats alone tells them to /link or name a player; naming a member without a link says so', async () => {
    expect((await stats({})).content).toBe('You have not linked your in-game player here yet. Link it with /link player:<your name>, or name a player in the command.');
    const admin = w.h.guild.admin;
    expect((await stats({ member: admin.id })).content).toBe(`${admin.username} has not linked an in-game player here. They can with /link, or name the player instead.`);
    expect((await stats({ player: NJSHH, member: admin.id })).content).toBe('Give either player or member, not both.');
  });

  it('GIVEN a server or a period THEN only its figures count; another guild\'s server is unknown here', async () => {
    expect((await shown({ player: ODD.bear.id, server: w.odd.id }))['Kills']).toBe('3');
    expect((await stats({ player: NJSHH, server: w.odd.id })).content).toBe('Njshh has no figures for Odd Names · all time. Try another period or server.');
    expect((await stats({ player: NJSHH, server: w.elsewhere.id })).content).toBe(`No game server called "${w.elsewhere.id}" in this Discord server. Pick one from the list, or see them all with /server list.`);
    const today = await stats({ player: ODD.bear.name, period: 'day' });
    expect(today.embeds[0]?.description).toBe(`All game servers · today (UTC)\nEOS id \`${ODD.bear.id}\``);
    expect(Object.fromEntries(fieldsOf(today))).toMatchObject({ 'Kills': '3', 'Deaths': '2', 'Best streak (all time)': '2', 'Current streak (all time)': '0' });
    expect((await stats({ player: 'Njshh', period: 'week' })).content).toBe('Njshh has no figures for All game servers · last 7 days. Try another period or server.');
  });

  it('GIVEN a name no player has, or one two players share THEN the answer says so and how to pick', async () => {
    expect((await stats({ player: 'Nobody Here' })).content).toBe('No player called "Nobody Here" has figures on this Discord server\'s game servers. Pick a player from the list as you type.');
    expect((await stats({ player: 'Njsh' })).content).toBe('No player called "Njsh" has figures on this Discord server\'s game servers. Did you mean Njshh (0002e69a)? Pick a player from the list as you type.');
    expect((await stats({ player: 'twin' })).content).toBe('2 players are called "twin": Twin (00021111), Twin (00022222). Pick the one you mean from the list as you type (it shows the start of each EOS id).');
  });
});
