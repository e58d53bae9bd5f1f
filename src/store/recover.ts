import type { Logger } from '../logging/logger.js';
import { PendingUnreadableError } from './errors.js';
import { advance, applyPending } from './ingest-state.js';
import { contextOf, type Store } from './store.js';

/**
 * Finishes every batch a crashed run left pending (all servers of all guilds), so that stats and
 * cursors agree before anything reads them. Run once at start-up, before the pollers.
 * Returns how many batches it finished.
 */
export async function recoverPending(store: Store, logger: Logger): Promise<number> {
  const ctx = contextOf(store);
  const log = logger.child({ module: 'store-recovery' });
  const docs = await ctx.collections.ingest.find({ pending: { $exists: true } }, { projection: { guildId: 1, pending: 1 } }).toArray();
  let finished = 0;
  for (const doc of docs) {
    if (!doc.pending) continue;
    const key = { guildId: doc.guildId, serverId: doc._id };
    try {
      await applyPending(ctx, key, doc.pending);
    } catch (error) {
      // That server's problem, said plainly when its ingest starts; the other servers' batches are finished.
      if (!(error instanceof PendingUnreadableError)) throw error;
      log.error({ serverId: doc._id, seq: doc.pending.seq, err: error }, 'a batch left pending cannot be read back');
      continue;
    }
    await advance(ctx, key, doc.pending);
    finished += 1;
    log.info({ serverId: doc._id, seq: doc.pending.seq }, 'finished a batch left pending by an earlier run');
  }
  return finished;
}
