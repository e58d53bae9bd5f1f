/**
 * A matcher for the filters writes use most: per-field equality, `$eq/$ne/$gt/$gte/$lt/$lte/$in/
 * $nin` against scalars. Building a mingo `Query` costs more than the rest of an upsert, this a small
 * part of it (figures in README.md). Returns undefined for anything else, and the caller uses mingo.
 * Semantics follow MongoDB: comparisons only match values of the same type bracket, an array field
 * matches when any element does, and `$ne`/`$nin` are the negation of `$eq`/`$in` (so they match
 * a missing field).
 */
import type { Document } from 'bson';
import { pathValues } from './doc-paths.js';
import { valueKey } from './value-key.js';

type Test = (doc: Document) => boolean;
type ValueTest = (value: unknown) => boolean;

/** A predicate for `filter`, or undefined when it uses anything this file does not handle. */
export function compileFastFilter(filter: Document): Test | undefined {
  const tests: Test[] = [];
  for (const [path, cond] of Object.entries(filter)) {
    if (path.startsWith('$')) return undefined;
    const test = fieldTest(path, cond);
    if (!test) return undefined;
    tests.push(test);
  }
  return (doc) => tests.every((t) => t(doc));
}

/**
 * Decides `filter` for one document without building a matcher: what a write by `_id` needs, where
 * the filter is seen once and building closures would cost more than matching. Same semantics as
 * {@link compileFastFilter}; undefined when the filter uses anything else.
 */
export function matchFastFilter(filter: Document, doc: Document): boolean | undefined {
  for (const path of Object.keys(filter)) {
    if (path.startsWith('$')) return undefined;
    const cond: unknown = filter[path];
    if (bracketOf(cond) !== undefined) {
      if (!someValue(doc, path, equals(cond))) return false;
      continue;
    }
    if (cond === null || typeof cond !== 'object' || Object.getPrototypeOf(cond) !== Object.prototype) return undefined;
    const ops = Object.keys(cond);
    if (ops.length === 0) return undefined;
    for (const op of ops) {
      const test = operatorTest(path, op, (cond as Document)[op]);
      if (!test) return undefined;
      if (!test(doc)) return false;
    }
  }
  return true;
}

/** True when any value at `path` passes; a top-level scalar field is read without allocating. */
function someValue(doc: Document, path: string, test: ValueTest): boolean {
  if (!path.includes('.')) {
    const value: unknown = doc[path];
    if (!Array.isArray(value)) return test(value);
  }
  return pathValues(doc, path).some(test);
}

function fieldTest(path: string, cond: unknown): Test | undefined {
  if (bracketOf(cond) !== undefined) return anyValue(path, equals(cond));
  if (cond === null || typeof cond !== 'object' || Object.getPrototypeOf(cond) !== Object.prototype) return undefined;
  const tests: Test[] = [];
  for (const [op, arg] of Object.entries(cond as Document)) {
    const test = operatorTest(path, op, arg);
    if (!test) return undefined;
    tests.push(test);
  }
  return tests.length === 0 ? undefined : (doc) => tests.every((t) => t(doc));
}

function operatorTest(path: string, op: string, arg: unknown): Test | undefined {
  if (op === '$in' || op === '$nin') {
    if (!Array.isArray(arg) || !arg.every((v) => bracketOf(v) !== undefined)) return undefined;
    const keys = new Set(arg.map(valueKey));
    const test = anyValue(path, (v) => keys.has(valueKey(v)));
    return op === '$in' ? test : (doc) => !test(doc);
  }
  const bracket = bracketOf(arg);
  if (bracket === undefined) return undefined;
  const sign = COMPARISONS[op];
  if (op === '$eq') return anyValue(path, equals(arg));
  if (op === '$ne') {
    const test = anyValue(path, equals(arg));
    return (doc) => !test(doc);
  }
  if (!sign) return undefined;
  const target = comparable(arg);
  return anyValue(path, (v) => bracketOf(v) === bracket && sign(compareScalars(comparable(v), target)));
}

const COMPARISONS: Record<string, (c: number) => boolean> = {
  $gt: (c) => c > 0,
  $gte: (c) => c >= 0,
  $lt: (c) => c < 0,
  $lte: (c) => c <= 0,
};

function anyValue(path: string, test: ValueTest): Test {
  return (doc) => someValue(doc, path, test);
}

function equals(target: unknown): ValueTest {
  const key = valueKey(target);
  return (v) => v !== undefined && valueKey(v) === key;
}

/** MongoDB's comparison type bracket of a scalar; undefined for anything not handled here. */
function bracketOf(value: unknown): string | undefined {
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'object': {
      if (value instanceof Date) return 'date';
      const type = (value as { _bsontype?: string } | null)?._bsontype;
      if (type === 'ObjectId') return 'objectId';
      if (type === 'Long' || type === 'Int32' || type === 'Double') return 'number';
      return undefined;
    }
    default:
      return undefined;
  }
}

function comparable(value: unknown): number | string | boolean | bigint {
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint') return value;
  if (value instanceof Date) return value.getTime();
  const type = (value as { _bsontype?: string })._bsontype;
  // Same-length lowercase hex sorts as the bytes do.
  if (type === 'ObjectId') return String(value);
  return Number(String(value));
}

function compareScalars(a: number | string | boolean | bigint, b: number | string | boolean | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
