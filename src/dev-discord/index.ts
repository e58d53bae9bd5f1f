/**
 * dev-discord: a local stand-in of Discord's HTTP API and gateway on one loopback port, for tests and
 * the offline demo. The real discord.js client talks to it; it refuses what Discord refuses, with
 * Discord's codes and shapes, and records what the bot did. See README.md here.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { commandData } from './command-options.js';
import { Gateway } from './gateway.js';
import { Interactions } from './interactions.js';
import { modalSubmitData } from './modal-submit.js';
import { RateLimits } from './rate-limits.js';
import { applicationRoutes } from './routes/application.js';
import { channelRoutes } from './routes/channels.js';
import { guildRoutes } from './routes/guilds.js';
import { webhookRoutes } from './routes/webhooks.js';
import { createDevServer } from './server.js';
import { guildCreateJson } from './shapes.js';
import { Clock, devMessage, usageError, World } from './state.js';
import type { DevDiscord, DevDiscordOptions, RecordedRequest } from './types.js';

export type * from './types.js';

/** Starts the stand-in and resolves once it listens. */
export async function startDevDiscord(o: DevDiscordOptions = {}): Promise<DevDiscord> {
  const host = o.host ?? '127.0.0.1';
  const clock = new Clock();
  const world = new World(clock, o.guilds ?? 1);
  const token = o.token ?? botToken(world.applicationId);
  let port = 0;
  const url = () => `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const gateway = new Gateway(world, { token, heartbeatIntervalMs: o.heartbeatIntervalMs ?? 41_250, url });
  const interactions = new Interactions(world, gateway, { ackDeadlineMs: o.ackDeadlineMs ?? 3000, interactionTokenMs: o.interactionTokenMs ?? 15 * 60_000 });
  const recorded: RecordedRequest[] = [];
  const routes = [...applicationRoutes(world, url), ...channelRoutes(world, (t, d) => gateway.dispatch(t, d)), ...guildRoutes(world), ...webhookRoutes(world, interactions)];
  const server = createDevServer({ token, routes, gateway, clock, limits: new RateLimits(clock, o.globalRequestsPerSecond ?? 50), record: (r) => recorded.push(r) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    apiUrl: `http://${host.includes(':') ? `[${host}]` : host}:${port}/api`,
    port, token, applicationId: world.applicationId, botUserId: world.botUser.id,
    guilds: [...world.guilds.values()].map((g) => world.devGuild(g)),
    ...interactionDrivers(world, interactions),
    ...guildHooks(world, gateway),
    requests: () => [...recorded],
    registeredCommands: (guildId) => [...(world.commands.get(guildId ?? '') ?? [])],
    messages: (channelId) => (world.channelMessages.get(channelId) ?? []).map(devMessage),
    channelName: (channelId) => world.channel(channelId).name,
    dropConnection: (code) => gateway.drop(code),
    invalidateSession: (resumable) => gateway.invalidate(resumable),
    waitForSession: (kind, count = 1) => gateway.waitFor(kind, count),
    heartbeats: () => gateway.heartbeats(),
    connected: () => gateway.connected(),
    advanceClock: (ms) => clock.advance(ms),
    close: async () => {
      gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The test-facing senders of interactions. */
function interactionDrivers(world: World, interactions: Interactions): Pick<DevDiscord, 'command' | 'autocomplete' | 'button' | 'modalSubmit'> {
  return {
    command: (c) => interactions.send(2, c, commandData(world, world.testGuild(c.guildId), c)),
    autocomplete: (c) => interactions.send(4, c, commandData(world, world.testGuild(c.guildId), c, c.focused)),
    button: (b) => interactions.send(3, b, { custom_id: b.customId, component_type: 2 }, interactions.buttonSource(b.messageId, b.customId)),
    modalSubmit: (m) => {
      const modal = interactions.modals.get(m.customId);
      if (!modal) throw usageError(`no modal with custom id "${m.customId}" was shown: the bot answers an interaction with a modal (callback type 9) first.`);
      return interactions.send(5, m, modalSubmitData(modal, m.fields));
    },
  };
}

/** The bot leaving, joining and a Discord outage of a guild, as gateway events. */
function guildHooks(world: World, gateway: Gateway): Pick<DevDiscord, 'removeBot' | 'addBot' | 'guildOutage'> {
  const event = (guildId: string, present: boolean, t: string, d: unknown) => {
    world.testGuild(guildId).botPresent = present;
    gateway.dispatch(t, d);
  };
  return {
    removeBot: (guildId) => event(guildId, false, 'GUILD_DELETE', { id: guildId }),
    addBot: (guildId) => event(guildId, true, 'GUILD_CREATE', guildCreateJson(world, world.testGuild(guildId))),
    guildOutage: (guildId) => event(guildId, true, 'GUILD_DELETE', { id: guildId, unavailable: true }),
  };
}

/** A token shaped like Discord's: base64 of the application id, a timestamp part and an HMAC part. */
function botToken(applicationId: string): string {
  return `${Buffer.from(applicationId).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(27).toString('base64url')}`;
}
