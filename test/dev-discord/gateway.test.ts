import { once } from 'node:events';
import { Events, Routes, type Guild, type Interaction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { devDiscordSetup } from './connect.js';

const { start, connect, rest } = devDiscordSetup();

describe('dev-discord gateway', () => {
  it('GIVEN a wrong token THEN IDENTIFY is closed with 4004 Authentication failed', async () => {
    const dev = await start();
    const socket = new WebSocket(`ws://127.0.0.1:${dev.port}/?v=10&encoding=json`);
    const [hello] = (await once(socket, 'message')) as [Buffer];
    expect(JSON.parse(String(hello))).toMatchObject({ op: 10, d: { heartbeat_interval: 41250 } });
    socket.send(JSON.stringify({ op: 2, d: { token: 'not-the-token', intents: 1, properties: {} } }));
    const [code] = (await once(socket, 'close')) as [number];
    expect(code).toBe(4004);
    expect(dev.connected()).toBe(false);
  });

  it('GIVEN a dropped connection THEN discord.js resumes without a new IDENTIFY and gets the interaction sent meanwhile', async () => {
    const { dev, client } = await connect();
    await rest(dev).put(Routes.applicationCommands(dev.applicationId), { body: [{ name: 'help', description: 'Help' }] });
    const readies: number[] = [];
    client.on(Events.ShardReady, (id) => readies.push(id));
    const received = new Promise<string>((resolve) => client.on(Events.InteractionCreate, (i: Interaction) => {
      if (i.isChatInputCommand()) resolve(i.commandName);
    }));
    dev.dropConnection();
    const run = dev.command({ guildId: dev.guilds[0]!.id, user: 'member', name: 'help' });
    await dev.waitForSession('resumed');
    expect(await received).toBe('help');
    expect(run.id).toMatch(/^\d{17,19}$/);
    expect(readies).toEqual([]);
    expect(dev.connected()).toBe(true);
  });

  it('GIVEN an invalid session that cannot be resumed THEN discord.js identifies again', async () => {
    const { dev, client } = await connect();
    const readies: number[] = [];
    client.on(Events.ShardReady, (id) => readies.push(id));
    dev.invalidateSession(false);
    await dev.waitForSession('ready', 2);
    await expect.poll(() => readies).toEqual([0]);
    expect(client.guilds.cache.size).toBe(1);
  });

  it('GIVEN a short heartbeat interval THEN the client heartbeats and each beat is recorded', async () => {
    const { dev } = await connect({ heartbeatIntervalMs: 100 });
    await expect.poll(() => dev.heartbeats().count, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    expect(dev.heartbeats().worstGapRatio).toBeGreaterThan(0);
  });

  it('GIVEN the bot removed, added back, and a guild outage THEN discord.js sees guildDelete, guildCreate, guildUnavailable and guildAvailable', async () => {
    const { dev, client } = await connect({ guilds: 2 });
    const guildId = dev.guilds[1]!.id;
    const next = (event: string) => new Promise<Guild>((resolve) => client.once(event, resolve));
    const deleted = next(Events.GuildDelete);
    dev.removeBot(guildId);
    expect((await deleted).id).toBe(guildId);
    expect(client.guilds.cache.has(guildId)).toBe(false);
    const created = next(Events.GuildCreate);
    dev.addBot(guildId);
    expect((await created).channels.cache.size).toBe(4);
    const unavailable = next(Events.GuildUnavailable);
    dev.guildOutage(guildId);
    expect((await unavailable).available).toBe(false);
    const available = next(Events.GuildAvailable);
    dev.addBot(guildId);
    expect((await available).available).toBe(true);
  });
});
