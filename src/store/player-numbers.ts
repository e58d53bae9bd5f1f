import type { StoreContext } from './context.js';
import type { ServerKey } from './documents.js';

/**
 * A game server's players by number (1, 2, 3 ... in order of first appearance), which killer-victim
 * counts refer to (pair-segment.ts). The number lives on the player's all-time document (`no`),
 * set by the batch that first counts the player; the writer keeps the table in memory for the
 * servers it ingests. Numbers are per server: one writer ingests a server at a time, so handing out
 * the next one needs no coordination.
 */
export class PlayerNumbers {
  readonly #byId = new Map<string, number>();
  #last: number;

  constructor(lastHandedOut = 0) {
    this.#last = lastHandedOut;
  }

  /** The player's number, handing out the next one to a player not seen before. */
  numberOf(id: string): number {
    let no = this.#byId.get(id);
    if (no === undefined) {
      no = ++this.#last;
      this.#byId.set(id, no);
    }
    return no;
  }

  /** Takes a stored number (loading). */
  remember(id: string, no: number): void {
    this.#byId.set(id, no);
    if (no > this.#last) this.#last = no;
  }

  /** The highest number handed out so far. */
  get last(): number {
    return this.#last;
  }
}

/**
 * Reads a server's table from its players' all-time documents. `lastHandedOut` (kept on the ingest
 * state) is where new numbers go on from, even if the player documents holding the highest ones
 * are gone, so a number still named in old segments is never handed to somebody else.
 */
export async function loadPlayerNumbers(ctx: StoreContext, key: ServerKey, lastHandedOut: number): Promise<PlayerNumbers> {
  const numbers = new PlayerNumbers(lastHandedOut);
  const cursor = ctx.collections.stats.find(
    { guildId: key.guildId, serverId: key.serverId, k: 'player' },
    { projection: { _id: 0, playerId: 1, no: 1 }, batchSize: 5_000 },
  );
  for await (const doc of cursor) {
    if (typeof doc.playerId === 'string' && typeof doc.no === 'number') numbers.remember(doc.playerId, doc.no);
  }
  return numbers;
}

/** EOS ids of numbered players of one server (readers resolving pair segments). */
export async function playerIdsByNumber(ctx: StoreContext, key: ServerKey, numbers: readonly number[]): Promise<Map<number, string>> {
  if (numbers.length === 0) return new Map();
  const docs = await ctx.collections.stats.find(
    { guildId: key.guildId, serverId: key.serverId, k: 'player', no: { $in: [...numbers] } },
    { projection: { _id: 0, playerId: 1, no: 1 }, batchSize: numbers.length },
  ).toArray();
  return new Map(docs.flatMap((d) => (typeof d.no === 'number' && typeof d.playerId === 'string' ? [[d.no, d.playerId] as const] : [])));
}
