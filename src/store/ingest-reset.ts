import type { StoreContext } from './context.js';
import { StoreInputError } from './errors.js';

/**
 * Deletes one server's figures, then its ingest state (sequence, cursors, recent events), in that
 * order: a crash between the two leaves cursors with no figures, and the rebuild that follows a
 * reset starts from nothing anyway. The server itself, its settings and online list stay.
 */
export async function resetServer(ctx: StoreContext, guildId: string, serverId: string): Promise<void> {
  const { servers, stats, ingest, pendingParts } = ctx.collections;
  if (!(await servers.findOne({ _id: serverId, guildId }, { projection: { _id: 1 } }))) {
    throw new StoreInputError('No game server with that id in this Discord server.');
  }
  await stats.deleteMany({ guildId, serverId });
  await ingest.deleteOne({ _id: serverId, guildId });
  await pendingParts.deleteMany({ guildId, serverId });
}
