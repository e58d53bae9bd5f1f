import type { CommandContext } from '../../src/discord/context.js';
import { UserError } from '../../src/discord/user-error.js';
import { StoreInputError, type GameServer, type GuildStore } from '../../src/store/index.js';

/**
 * The game server an option names: the id autocomplete put there, or a name typed without picking.
 * Only this guild's servers are found, so another guild's id is as unknown as a made-up one.
 */
export async function findServer(guild: GuildStore, value: string): Promise<GameServer> {
  const server = (await guild.servers.get(value)) ?? (await guild.servers.findByName(value));
  if (!server) throw new UserError(`No game server called "${value}" in this Discord server. Pick one from the list, or see them all with /server list.`);
  return server;
}

/** The store's refusals of bad input (a taken name, a bad interval) are the member's to read. */
export async function storeInput<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof StoreInputError) throw new UserError(error.message);
    throw error;
  }
}

/** The guild and the server an option names, for the handlers that start from one. */
export async function guildAndServer(ctx: CommandContext, guildId: string, value: string): Promise<{ guild: GuildStore; server: GameServer }> {
  const guild = ctx.store.guild(guildId);
  return { guild, server: await findServer(guild, value) };
}

/** What the pool shows for a task about this server (`/admin tasks`). */
export function serverMeta(server: GameServer): Record<string, string> {
  return { guildId: server.guildId, serverId: server.id, server: server.name };
}

/**
 * Runs `change` (store a server's settings, then watch it with them) alone among that server's
 * changes, under a keyed lock of the pool. Two edits sent together (a pause and a port change)
 * could otherwise store in one order and watch in the other, leaving a paused server read.
 * Its own key, not the ticks' one: a long history run of the server does not hold up an edit.
 */
export async function underSettingsLock<T>(ctx: CommandContext, server: GameServer, label: string, change: () => Promise<T>): Promise<T> {
  // Carried out as a value: the pool wraps what a task throws, and a UserError must reach the boundary as it is.
  const outcome = await ctx.pool.runIo(() => change().then((value) => ({ value }), (error: unknown) => ({ error })), {
    label, key: `settings:${server.id}`, exclusive: true, priority: 'HIGH', meta: serverMeta(server),
  });
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}
