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
