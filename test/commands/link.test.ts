import { escapeMarkdown } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevMessage } from '../../src/dev-discord/types.js';
import { answered, ODD, startPlayerWorld, type PlayerWorld } from './player-setup.js';

const NJSHH = '0002e69a65204b669c20238266782d7b';
const KNIGHT = '0002dc7ffa78409aaf2eab0cd40609f8';
const EPHEMERAL = 64;

describe('/link and /unlink through Discord', () => {
  let w: PlayerWorld;
  const run = async (name: string, options: Record<string, string>, user: 'admin' | 'member'): Promise<DevMessage> => {
    const r = w.h.dev.command({ guildId: w.h.guild.id, user, name, options });
    return r.waitForOriginal(answered);
  };
  const link = (player: string, user: 'admin' | 'member') => run('link', { player }, user);
  const unlink = (user: 'admin' | 'member', member?: string) => run('unlink', member ? { member } : {}, user);
  const statsTitle = async (user: 'admin' | 'member') => (await run('stats', {}, user)).embeds[0]?.title;
  const linkedTo = async (userId: string) => (await w.guild.links.byUser(userId))?.eosId ?? null;

  beforeAll(async () => { w = await startPlayerWorld(); });
  afterAll(() => w?.stop());

  it('GIVEN a member links a player by typed name THEN the answer is private and /stats with no player shows that player', async () => {
    const answer = await link('Njshh', 'member');
    expect(answer.flags).toBe(EPHEMERAL);
    expect(answer.content).toBe(`Linked you to **Njshh** (\`${NJSHH}\`): /stats and /compare now use it when you name no one.`);
    expect(await statsTitle('member')).toBe('Njshh');
    expect((await link(NJSHH, 'member')).content).toBe(`You are already linked to **Njshh** (\`${NJSHH}\`).`);
  });

  it('GIVEN a player linked to one member THEN another member is told who holds it and whom to ask, and nothing changes', async () => {
    const answer = await link(NJSHH, 'admin');
    expect(answer.content).toBe(`Njshh is already linked to <@${w.h.guild.member.id}>. If that is not them, ask them to run /unlink, `
      + 'or ask an admin (Manage Server) to run /unlink with their name.');
    expect(await linkedTo(w.h.guild.admin.id)).toBeNull();
    expect(await linkedTo(w.h.guild.member.id)).toBe(NJSHH);
  });

  it('GIVEN a member links another player THEN it replaces their link and frees the first for someone else', async () => {
    expect((await link(KNIGHT, 'member')).content).toBe(`Linked you to **Knight JFS** (\`${KNIGHT}\`): /stats and /compare now use it when you name no one. It replaces your link to **Njshh**.`);
    expect(await statsTitle('member')).toBe('Knight JFS');
    expect((await link(NJSHH, 'admin')).content).toContain('Linked you to **Njshh**');
    expect(await statsTitle('admin')).toBe('Njshh');
  });

  it('GIVEN a name two players share, or one nobody has THEN the member is asked to pick from the list; the EOS id autocomplete gives links', async () => {
    const twins = await link('Twin', 'member');
    expect(twins.content).toBe('2 players are called "Twin": Twin (00021111), Twin (00022222). Pick the one you mean from the list as you type (it shows the start of each EOS id).');
    expect(await linkedTo(w.h.guild.member.id)).toBe(KNIGHT);
    const choices = await w.h.dev.autocomplete({ guildId: w.h.guild.id, user: 'member', name: 'link', focused: 'player', options: { player: 'Tw' } }).acknowledged;
    expect(choices.data?.choices).toEqual(expect.arrayContaining([
      { name: 'Twin (00021111)', value: ODD.twinA.id }, { name: 'Twin (00022222)', value: ODD.twinB.id },
    ]));
    expect((await link(ODD.twinB.id, 'member')).content).toContain(`Linked you to **Twin** (\`${ODD.twinB.id}\`)`);
    expect((await link('Nobody Here', 'member')).content).toBe('No player called "Nobody Here" has figures on this Discord server\'s game servers. Pick a player from the list as you type.');
    expect((await link(`0002${'9'.repeat(28)}`, 'member')).content).toBe(`No player with the EOS id \`0002${'9'.repeat(28)}\` has figures on this Discord server's game servers.`);
  });

  it('GIVEN two members linking the same player at once THEN exactly one gets it and the other is told who did', async () => {
    await unlink('admin');
    await unlink('member');
    const answers = await Promise.all([link(ODD.star.id, 'admin'), link(ODD.star.id, 'member')]);
    const winners = answers.filter((a) => a.content.startsWith('Linked you to'));
    expect(winners).toHaveLength(1);
    const holder = (await w.guild.links.byEosId(ODD.star.id))?.discordUserId;
    expect(answers.find((a) => !winners.includes(a))?.content).toBe(`${escapeMarkdown(ODD.star.name)} is already linked to <@${holder}>. If that is not them, ask them to run /unlink, `
      + 'or ask an admin (Manage Server) to run /unlink with their name.');
    await link(NJSHH, 'admin');
    await link(ODD.twinB.id, 'member');
  });

  it('GIVEN /unlink THEN a member unlinks only themself, an admin unlinks anyone, and a member without a link is told how to link', async () => {
    expect((await unlink('member', w.h.guild.admin.id)).content).toBe('Only members with the Manage Server permission can unlink someone else. To unlink yourself, run /unlink without a member.');
    expect(await linkedTo(w.h.guild.admin.id)).toBe(NJSHH);
    const byAdmin = await unlink('admin', w.h.guild.member.id);
    expect(byAdmin.flags).toBe(EPHEMERAL);
    expect(byAdmin.content).toBe(`<@${w.h.guild.member.id}> is no longer linked to **Twin**.`);
    expect(await linkedTo(w.h.guild.member.id)).toBeNull();
    expect((await run('stats', {}, 'member')).content).toBe('You have not linked your in-game player here yet. Link it with /link player:<your name>, or name a player in the command.');
    expect((await unlink('member')).content).toBe('You have no linked player here: nothing to unlink.');
    expect((await unlink('admin')).content).toBe('You are no longer linked to **Njshh**. Link again with /link.');
    expect(await linkedTo(w.h.guild.admin.id)).toBeNull();
  });
});
