/**
 * mongod's size limits and the checks a write goes through. mongod stores no document over 16 MiB
 * (`maxBsonObjectSize`) and builds no BSON object over 16 MiB + 16 KiB (room for a command's own
 * fields); which limit a write hits decides the error it gets:
 * - a message section over 16 MiB + 16 KiB: 10334 before the command runs (op_msg.cpp);
 * - an inserted document over 16 MiB: BadValue "object to insert too large" (ops/insert.cpp);
 * - an updated document over 16 MiB: 17419, an upserted one 17420 (update_stage.cpp,
 *   upsert_stage.cpp), or 10334 when it is past 16 MiB + 16 KiB too (building it fails first).
 */
import { Binary, BSON, type Document } from 'bson';
import { isPlainObject } from './doc-paths.js';
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
  const size = documentSize(doc);
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

/** BSON size of a whole document, as js-bson encodes it (fields holding `undefined` are left out). */
export function documentSize(doc: Document): number {
  let size = 5;
  for (const key of Object.keys(doc)) {
    const value: unknown = doc[key];
    if (value !== undefined) size += 2 + utf8Length(key) + valueSize(value);
  }
  return size;
}

/**
 * Bytes of one value as js-bson encodes it. The common types are counted here because js-bson's own
 * `calculateObjectSize` costs a good part of a counter update (README.md); rarer types ask it.
 */
function valueSize(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return 5 + utf8Length(value);
    case 'number':
      return Number.isInteger(value) && value >= -0x80000000 && value <= 0x7fffffff && !Object.is(value, -0) ? 4 : 8;
    case 'boolean':
      return 1;
    case 'undefined':
      return 0;
    default:
      if (value === null) return 0;
      if (Array.isArray(value)) return arraySize(value);
      if (isPlainObject(value)) return documentSize(value);
      if (value instanceof Date) return 8;
      if (value instanceof Binary) return 5 + value.position + (value.sub_type === Binary.SUBTYPE_BYTE_ARRAY ? 4 : 0);
      return BSON.calculateObjectSize({ v: value }) - 8;
  }
}

function arraySize(items: readonly unknown[]): number {
  let size = 5;
  for (let i = 0; i < items.length; i += 1) size += 2 + (i < 10 ? 1 : String(i).length) + valueSize(items[i]);
  return size;
}

/** UTF-8 length; plain ASCII (nearly every field name) is counted without leaving JavaScript. */
function utf8Length(text: string): number {
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) > 0x7f) return Buffer.byteLength(text);
  return text.length;
}
