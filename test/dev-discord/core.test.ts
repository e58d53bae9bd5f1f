import { Events, MessageFlags, Routes, type Interaction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { devDiscordSetup, serverCommand } from './connect.js';

const { start, connect, rest } = devDiscordSetup();

describe('dev-discord core', () => {
  it('GIVEN the real discord.js client THEN it logs in and sees each guild with its channels and roles', async () => {
    const { dev, client } = await connect({ guilds: 2 });
    expect(client.guilds.cache.size).toBe(2);
    const guild = client.guilds.cache.get(dev.guilds[0]!.id)!;
    expect(guild.channels.cache.map((c) => c.name).sort()).toEqual(['general', 'killfeed', 'locked', 'players']);
    expect(guild.roles.cache.map((r) => r.name).sort()).toEqual(['@everyone', 'Admin', 'Killfeed Dev']);
    const locked = guild.channels.cache.find((c) => c.name === 'locked')!;
    expect(guild.members.me?.permissionsIn(locked).has('SendMessages')).toBe(false);
    expect(guild.members.me?.permissionsIn(guild.channels.cache.find((c) => c.name === 'killfeed')!).has('SendMessages')).toBe(true);
  });

  it('GIVEN a registered command THEN a member invokes it with typed options and the deferred reply is edited', async () => {
    const { dev, client } = await connect();
    const registered = (await rest(dev).put(Routes.applicationCommands(dev.applicationId), { body: [serverCommand] })) as { id: string; default_member_permissions: string }[];
    expect(registered[0]?.id).toMatch(/^\d{17,19}$/);
    expect(registered[0]?.default_member_permissions).toBe('32');
    const seen: { limit: number | null; server: string; admin: boolean }[] = [];
    client.on(Events.InteractionCreate, (i: Interaction) => {
      if (!i.isChatInputCommand()) return;
      seen.push({ limit: i.options.getInteger('limit'), server: i.options.getString('server', true), admin: i.memberPermissions?.has('ManageGuild') ?? false });
      void i.deferReply({ flags: MessageFlags.Ephemeral }).then(() => i.editReply({ content: 'done', embeds: [{ title: 'Status' }] }));
    });
    const run = dev.command({ guildId: dev.guilds[0]!.id, user: 'admin', name: 'server', subcommand: 'status', options: { server: 'EU 1', limit: 5 } });
    expect((await run.acknowledged).type).toBe(5);
    const reply = await run.waitForOriginal((m) => m.content === 'done');
    expect(reply.flags & 64).toBe(64);
    expect(reply.embeds[0]?.title).toBe('Status');
    expect(seen).toEqual([{ limit: 5, server: 'EU 1', admin: true }]);
  });

  it('GIVEN the guild routes THEN the bot reads its guild, channels and members, and an unknown member is 10007', async () => {
    const { dev } = await connect();
    const guild = dev.guilds[0]!;
    const api = rest(dev);
    expect(await api.get(Routes.guild(guild.id))).toMatchObject({ id: guild.id, name: 'Dev Guild 1', owner_id: guild.admin.id });
    expect(((await api.get(Routes.guildChannels(guild.id))) as { name: string }[]).map((c) => c.name)).toEqual(['general', 'killfeed', 'locked', 'players']);
    expect(await api.get(Routes.guildMember(guild.id, guild.member.id))).toMatchObject({ user: { username: 'dev-member-1' }, roles: [] });
    await expect(api.get(Routes.guildMember(guild.id, '1234567890123456789'))).rejects.toMatchObject({ status: 404, code: 10007 });
  });

  it('GIVEN no bot has logged in THEN sending an interaction says to log the client in first', async () => {
    const dev = await start();
    await rest(dev).put(Routes.applicationCommands(dev.applicationId), { body: [serverCommand] });
    expect(() => dev.command({ guildId: dev.guilds[0]!.id, user: 'admin', name: 'server', subcommand: 'add' })).toThrow(/no bot has identified on the gateway/);
  });
});
