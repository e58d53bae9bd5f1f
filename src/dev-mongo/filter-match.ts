/**
 * Query filters. The shapes writes use (field equality and simple comparisons) are matched by
 * fast-filter.ts; anything richer goes to mingo, whose `Query` is too costly to build per write
 * to be the default path. Also reads the equality terms that index lookups use.
 */
import type { Document } from 'bson';
import { Query } from 'mingo';
import { errors } from './errors.js';
import { compileFastFilter } from './fast-filter.js';

export type DocMatcher = (doc: Document) => boolean;

/** Field paths a filter pins to one scalar value, and whether that is all the filter says. */
export interface Equalities {
  values: Map<string, unknown>;
  onlyEqualities: boolean;
}

const SCALAR_BSON = new Set(['ObjectId', 'Long', 'Int32', 'Double', 'Decimal128', 'Binary', 'UUID']);

/** Values whose equality is exactly "same canonical key" and which no element of an array mimics wrongly. */
function isScalar(value: unknown): boolean {
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'bigint':
      return true;
    case 'object':
      if (value === null) return false;
      if (value instanceof Date) return true;
      return SCALAR_BSON.has((value as { _bsontype?: string })._bsontype ?? '');
    default:
      return false;
  }
}

/** Reads the `{path: scalar}` and `{path: {$eq: scalar}}` terms of a filter. */
export function equalitiesOf(filter: Document): Equalities {
  const values = new Map<string, unknown>();
  let onlyEqualities = true;
  for (const [path, cond] of Object.entries(filter)) {
    if (path.startsWith('$')) {
      onlyEqualities = false;
    } else if (isScalar(cond)) {
      values.set(path, cond);
    } else if (isEqOperator(cond)) {
      values.set(path, (cond as Document).$eq);
    } else {
      onlyEqualities = false;
    }
  }
  return { values, onlyEqualities };
}

function isEqOperator(cond: unknown): boolean {
  if (cond === null || typeof cond !== 'object' || Array.isArray(cond)) return false;
  const keys = Object.keys(cond);
  return keys.length === 1 && keys[0] === '$eq' && isScalar((cond as Document).$eq);
}

/** A predicate for `filter`; throws BadValue for a filter mingo cannot parse. */
export function compileFilter(filter: Document | undefined): DocMatcher {
  if (!filter || Object.keys(filter).length === 0) return () => true;
  const fast = compileFastFilter(filter);
  if (fast) return fast;
  try {
    const query = new Query(filter);
    return (doc) => query.test(doc);
  } catch (err) {
    throw errors.badValue(err instanceof Error ? err.message : String(err));
  }
}
