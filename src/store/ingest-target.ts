import type { StoreContext } from './context.js';
import type { CursorDoc, RecentEventDoc, ServerKey } from './documents.js';
import { StoreInputError } from './errors.js';
import { Binary } from 'mongodb';

/**
 * A game server the ingest writer may write for. Only a guild scope issues one, after checking the
 * server is that guild's, so the writer has no path to another guild's figures.
 */
export interface IngestTarget extends ServerKey {
  readonly guildId: string;
  readonly serverId: string;
}

/** Where reading one death-log file got to; persisted with the batch that covers its rows. */
export interface FileCursor {
  file: string;
  offset: number;
  size: number;
  head: string;
  carry: Uint8Array;
  nextLine: number;
}

/** One recent death event, as kept for the killfeed history (keyed by file and line). */
export type RecentEvent = RecentEventDoc;

const issued = new WeakMap<IngestTarget, StoreContext>();

export async function issueTarget(ctx: StoreContext, guildId: string, serverId: string): Promise<IngestTarget> {
  const found = await ctx.collections.servers.findOne({ _id: serverId, guildId }, { projection: { _id: 1 } });
  if (!found) throw new StoreInputError('No game server with that id in this Discord server.');
  const target: IngestTarget = Object.freeze({ guildId, serverId });
  issued.set(target, ctx);
  return target;
}

/** Throws unless `target` was issued by a guild scope of this very store. */
export function checkTarget(ctx: StoreContext, target: IngestTarget): void {
  if (issued.get(target) !== ctx) throw new Error('Ingest targets come from store.guild(id).ingest.target(serverId) of the same store.');
}

export function toCursorDoc(c: FileCursor): CursorDoc {
  return { file: c.file, offset: c.offset, size: c.size, head: c.head, carry: Buffer.from(c.carry), nextLine: c.nextLine };
}

export function fromCursorDoc(c: CursorDoc): FileCursor {
  const carry = c.carry instanceof Binary ? c.carry.value() : new Uint8Array(c.carry);
  return { file: c.file, offset: c.offset, size: c.size, head: c.head, carry: Uint8Array.from(carry), nextLine: c.nextLine };
}
