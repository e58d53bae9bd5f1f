import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shownName } from '../../src/discord/format/player-stats.js';
import { most, type Counted } from './count-rows.js';
import { answered, fieldsOf, ODD, startPlayerWorld, type PlayerWorld } from './player-setup.js';

const NJSHH = '0002e69a65204b669c20238266782d7b';
const KNIGHT = '0002dc7ffa78409aaf2eab0cd40609f8';
const times = (n: number) => `${n} ${n === 1 ? 'time' : 'times'}`;

/** One side of /compare as the rows say it must read (all time). */
function sideOf(c: Counted): string {
  const weapon = most(c.weapons);
  return [
    `Kills **${c.kills}**`, `Deaths **${c.deaths}**`, `KD **${(c.kills / Math.max(c.deaths, 1)).toFixed(2)}**`,
    `Longest kill **${c.longest} m**`, `Best streak **${c.best}**`,
    `Favourite weapon **${weapon ? `${shownName(weapon[0])} (${weapon[1]} ${weapon[1] === 1 ? 'kill' : 'kills'})` : 'none'}**`,
  ].join('\n');
}

const headToHead = (a: Counted, b: Counted) => {
  const [an, bn] = [shownName(a.name), shownName(b.name)];
  return `${an} killed ${bn} ${times(a.victims.get(b.id) ?? 0)}\n${bn} killed ${an} ${times(b.victims.get(a.id) ?? 0)}`;
};

describe('/compare through Discord, after history runs of the real fixtures and of odd names', () => {
  let w: PlayerWorld;
  const compare = (options: Record<string, string>, user: 'admin' | 'member' = 'member') =>
    w.h.dev.command({ guildId: w.h.guild.id, user, name: 'compare', options }).waitForOriginal(answered);
  const command = (name: string, options: Record<string, string>, user: 'admin' | 'member') =>
    w.h.dev.command({ guildId: w.h.guild.id, user, name, options }).waitForOriginal(answered);

  beforeAll(async () => { w = await startPlayerWorld(); });
  afterAll(() => w?.stop());

  it('GIVEN Njshh and Knight JFS THEN side by side with their head-to-head: Njshh killed Knight JFS 4 times, Knight JFS killed him 3 times', async () => {
    const answer = await compare({ a: NJSHH, b: KNIGHT });
    const [njshh, knight] = [w.real.players.get(NJSHH)!, w.real.players.get(KNIGHT)!];
    expect(answer.embeds[0]?.title).toBe('Njshh vs Knight JFS');
    expect(answer.embeds[0]?.description).toBe('All game servers · all time');
    expect([...fieldsOf(answer)]).toEqual([['Njshh', sideOf(njshh)], ['Knight JFS', sideOf(knight)], ['Head to head', headToHead(njshh, knight)]]);
    // Counted by hand from the rows of 2025.05.15: 16:11, 17:06, 17:53, 18:04 one way; 17:13, 17:22, 18:18 the other.
    expect(fieldsOf(answer).get('Head to head')).toBe('Njshh killed Knight JFS 4 times\nKnight JFS killed Njshh 3 times');
  });

  it('GIVEN every pair of players who killed each other THEN the head-to-head equals the count from the rows, either way round', async () => {
    const pairs = [...w.real.players.values()].flatMap((a) => [...a.victims.keys()]
      .filter((id) => id > a.id && (w.real.players.get(id)?.victims.get(a.id) ?? 0) > 0).map((id) => [a, w.real.players.get(id)!] as const));
    expect(pairs.length).toBeGreaterThan(20);
    for (const [i, [a, b]] of pairs.entries()) {
      const [x, y] = i % 2 === 0 ? [a, b] : [b, a];
      expect(fieldsOf(await compare({ a: x.id, b: y.id })).get('Head to head'), `${x.name} / ${y.name}`).toBe(headToHead(x, y));
    }
  });

  it('GIVEN names with emoji and markdown typed in full THEN they are compared and shown as written', async () => {
    const answer = await compare({ a: ODD.bear.name, b: ODD.under.name });
    expect(answer.embeds[0]?.title).toBe('Big Dad 🐻 vs \\_Under\\_Score\\_');
    expect(fieldsOf(answer).get('Head to head')).toBe('Big Dad 🐻 killed \\_Under\\_Score\\_ 2 times\n\\_Under\\_Score\\_ killed Big Dad 🐻 1 time');
    const long = await compare({ a: ODD.long.id, b: ODD.wide.id, period: 'day' });
    expect(long.embeds[0]?.description).toBe('All game servers · today (UTC)');
    expect(fieldsOf(long).get('Head to head')).toContain('killed ｗｉｄｅ　名前 #1 1 time\nｗｉｄｅ　名前 #1 killed Long');
  });

  it('GIVEN linked members THEN they stand for their players, and a missing a is the asking member\'s own link', async () => {
    expect((await compare({ b: KNIGHT }, 'admin')).content).toBe('You have not linked your in-game player here yet. Link it with /link player:<your name>, or name a player in the command.');
    await command('link', { player: NJSHH }, 'admin');
    await command('link', { player: KNIGHT }, 'member');
    const mine = await compare({ b: KNIGHT }, 'admin');
    expect(fieldsOf(mine).get('Head to head')).toBe('Njshh killed Knight JFS 4 times\nKnight JFS killed Njshh 3 times');
    const members = await compare({ 'a-member': w.h.guild.member.id, 'b-member': w.h.guild.admin.id });
    expect(fieldsOf(members).get('Head to head')).toBe('Knight JFS killed Njshh 3 times\nNjshh killed Knight JFS 4 times');
    expect((await compare({ a: `<@${w.h.guild.admin.id}>`, b: ODD.bear.id })).embeds[0]?.title).toBe('Njshh vs Big Dad 🐻');
  });

  it('GIVEN the same player twice, no second player, or a period without their figures THEN the answer says what to change', async () => {
    expect((await compare({ a: NJSHH, b: 'njshh' })).content).toBe('Both sides are Njshh: name two different players to compare.');
    expect((await compare({ a: NJSHH })).content).toBe('Name a player (b) or a member (b-member).');
    expect((await compare({ a: NJSHH, b: KNIGHT, period: 'month' })).content).toBe('Njshh has no figures for All game servers · last 30 days. Try another period or server.');
    expect((await compare({ a: NJSHH, 'a-member': w.h.guild.admin.id, b: KNIGHT })).content).toBe('Give either a or a-member, not both.');
  });
});
