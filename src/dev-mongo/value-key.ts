/**
 * Canonical string keys for BSON values, so `_id` and index lookups are plain `Map` hits.
 * Two values get the same key exactly when MongoDB's equality says they are equal for the types
 * kept here: numbers compare by value whatever their BSON width (1, 1.0 and Long(1) are one key),
 * null and a missing field share a key (as they do in a non-sparse index), documents compare
 * field by field in order.
 */
import type { Document } from 'bson';

interface BsonValue {
  _bsontype: string;
  toString(): string;
  toHexString?: () => string;
}

function isBson(value: object): value is BsonValue {
  return typeof (value as { _bsontype?: unknown })._bsontype === 'string';
}

/** The key for one value. */
export function valueKey(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'z';
    case 'number':
      return Object.is(value, -0) ? 'n0' : `n${value}`;
    case 'bigint':
      return `n${value}`;
    case 'string':
      return `s${value}`;
    case 'boolean':
      return value ? 'b1' : 'b0';
    case 'object':
      return value === null ? 'z' : objectKey(value);
    default:
      return `?${String(value)}`;
  }
}

function objectKey(value: object): string {
  if (value instanceof Date) return `d${value.getTime()}`;
  if (Array.isArray(value)) return `[${value.map((v) => JSON.stringify(valueKey(v))).join(',')}]`;
  if (value instanceof RegExp) return `r${String(value)}`;
  if (isBson(value)) return bsonKey(value);
  const parts = Object.entries(value as Document).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(valueKey(v))}`);
  return `{${parts.join(',')}}`;
}

function bsonKey(value: BsonValue): string {
  switch (value._bsontype) {
    case 'ObjectId':
      return `o${value.toHexString ? value.toHexString() : value.toString()}`;
    case 'Long':
    case 'Int32':
    case 'Double': {
      const n = Number(value.toString());
      return Number.isSafeInteger(n) || !Number.isInteger(n) ? `n${n}` : `n${value.toString()}`;
    }
    case 'Decimal128':
      return `n${Number(value.toString())}`;
    case 'Binary':
    case 'UUID':
      return `x${(value as unknown as { toString(enc: string): string }).toString('hex')}`;
    default:
      return `${value._bsontype}:${value.toString()}`;
  }
}

/** One key for a tuple of values (a compound index entry). */
export function tupleKey(values: readonly unknown[]): string {
  if (values.length === 1) return valueKey(values[0]);
  return JSON.stringify(values.map(valueKey));
}

/** Deep equality with the same meaning as comparing keys, without building them (hot on updates). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return valueKey(a) === valueKey(b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (Array.isArray(b)) return false;
  const protoA = Object.getPrototypeOf(a) as unknown;
  if (protoA !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) return valueKey(a) === valueKey(b);
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((k, i) => k === keysB[i] && sameValue((a as Document)[k], (b as Document)[k]));
}
