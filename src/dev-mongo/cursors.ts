/**
 * Open cursors: results are computed whole when the query runs and handed out in batches by
 * `getMore`. Batches stop at mongod's limits (101 documents in a first batch unless asked
 * otherwise, 16 MiB of BSON per batch), so drivers page the way they do against the real server.
 */
import { BSON, Long, type Document } from 'bson';
import { errors } from './errors.js';

const DEFAULT_FIRST_BATCH = 101;
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
/** mongod's cursorTimeoutMillis default. */
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface OpenCursor {
  ns: string;
  docs: Document[];
  position: number;
  lastUsed: number;
}

export class CursorStore {
  private readonly open = new Map<bigint, OpenCursor>();
  private nextId = BigInt(Date.now()) * 1000n;

  /** Reply body for a query: the first batch, plus a cursor when more remain. */
  firstBatch(ns: string, docs: Document[], batchSize: number | undefined, singleBatch = false): Document {
    const cursor: OpenCursor = { ns, docs, position: 0, lastUsed: Date.now() };
    // batchSize 0 asks for an open cursor and an empty first batch.
    const batch = batchSize === 0 ? [] : takeBatch(cursor, batchSize ?? DEFAULT_FIRST_BATCH);
    let id = 0n;
    if (!singleBatch && cursor.position < docs.length) {
      this.nextId += 1n;
      id = this.nextId;
      this.open.set(id, cursor);
    }
    return { cursor: { firstBatch: batch, id: Long.fromBigInt(id), ns }, ok: 1 };
  }

  getMore(id: bigint, ns: string, batchSize: number | undefined): Document {
    const cursor = this.open.get(id);
    if (!cursor) throw errors.cursorNotFound(id);
    if (cursor.ns !== ns) {
      throw errors.badValue(`Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`);
    }
    cursor.lastUsed = Date.now();
    const batch = takeBatch(cursor, batchSize ?? 0);
    const done = cursor.position >= cursor.docs.length;
    if (done) this.open.delete(id);
    return { cursor: { nextBatch: batch, id: Long.fromBigInt(done ? 0n : id), ns }, ok: 1 };
  }

  /** Reply body for `killCursors`. */
  kill(ids: bigint[]): Document {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.open.delete(id) ? killed : notFound).push(Long.fromBigInt(id));
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  /** Drops cursors idle longer than mongod would keep them. */
  sweepIdle(now = Date.now()): void {
    for (const [id, cursor] of this.open) if (now - cursor.lastUsed > IDLE_TIMEOUT_MS) this.open.delete(id);
  }

  get size(): number {
    return this.open.size;
  }
}

/** Up to `limit` documents (0 = no count limit), at least one, within the byte budget. */
function takeBatch(cursor: OpenCursor, limit: number): Document[] {
  const out: Document[] = [];
  let bytes = 0;
  while (cursor.position < cursor.docs.length && (limit <= 0 || out.length < limit)) {
    const doc = cursor.docs[cursor.position] as Document;
    bytes += BSON.calculateObjectSize(doc);
    if (out.length > 0 && bytes > MAX_BATCH_BYTES) break;
    out.push(doc);
    cursor.position += 1;
  }
  return out;
}

/** A cursor id as the driver sends it (Long, number or bigint). */
export function cursorIdOf(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  if (value instanceof Long) return value.toBigInt();
  throw errors.typeMismatch(`cursor id must be a 64-bit integer, got ${String(value)}`);
}
