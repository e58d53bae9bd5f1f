/**
 * mongod's size limits and the checks a write goes through. mongod stores no document over 16 MiB
 * (`maxBsonObjectSize`) and builds no BSON object over 16 MiB + 16 KiB (room for a command's own
 * fields); which limit a write hits decides the error it gets:
 * - a message section over 16 MiB + 16 KiB: 10334 before the command runs (op_msg.cpp);
 * - an inserted document over 16 MiB: BadValue "object to insert too large" (ops/insert.cpp);
 * - an updated document over 16 MiB: 17419, an upserted one 17420 (update_stage.cpp,
 *   upsert_stage.cpp), or 10334 when it is past 16 MiB + 16 KiB too (building it fails first).
 */
import { BSON, type Document } from 'bson';
import { errors, type CommandError } from './errors.js';
import { formatValue } from './value-format.js';

/** The largest document mongod stores (its `maxBsonObjectSize`). */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
/** The largest BSON object mongod builds at all (BSONObjMaxInternalSize). */
export const MAX_OBJECT_BYTES = MAX_DOCUMENT_BYTES + 16 * 1024;

/** How a document came to be written: the error for an oversized one depends on it. */
export type WriteKind = 'insert' | 'upsert' | 'update';

/** Throws what mongod answers when `doc` is too large to store. */
export function assertStorableSize(doc: Document, kind: WriteKind): void {
  const size = BSON.calculateObjectSize(doc);
  if (size <= MAX_DOCUMENT_BYTES) return;
  if (kind === 'insert') throw errors.insertTooLarge(size);
  if (size > MAX_OBJECT_BYTES) throw objectTooLarge(doc, size);
  throw kind === 'update' ? errors.updateResultTooLarge() : errors.upsertTooLarge();
}

/** mongod's 10334 for an object past what it can build, naming the object's first field. */
export function objectTooLarge(doc: Document, size: number): CommandError {
  const [first] = Object.keys(doc);
  return errors.bsonObjectTooLarge(size, first === undefined ? 'EOO' : `${first}: ${formatValue(doc[first])}`);
}
