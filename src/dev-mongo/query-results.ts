/**
 * Filter, sort, skip, limit and projection over one collection, as `find` and `findAndModify`
 * apply them: filter (the collection's hash lookups), sort, skip and limit (mingo), then the projection
 * (mingo, with mongod's field order).
 */
import type { Document } from 'bson';
import { find as mingoFind } from 'mingo';
import type { Collection } from './collection.js';
import { errors } from './errors.js';
import { inDocumentOrder } from './projection-order.js';

export interface QueryShape {
  filter?: Document | undefined;
  sort?: Document | undefined;
  projection?: Document | undefined;
  skip?: number | undefined;
  /** 0 or absent: no limit. */
  limit?: number | undefined;
}

/** The documents a query returns, in order, projected. */
export function queryResults(coll: Collection | undefined, shape: QueryShape): Document[] {
  if (!coll) return [];
  const skip = shape.skip ?? 0;
  const limit = Math.abs(shape.limit ?? 0);
  if (skip < 0) throw errors.badValue('skip value must be non-negative');
  const { $natural, ...sort } = shape.sort ?? {};
  const sorting = Object.keys(sort).length > 0;
  const found = coll.find(shape.filter, sorting || $natural === -1 || limit === 0 ? 0 : skip + limit);
  if ($natural === -1) found.reverse();
  const page = sortedPage(found, sorting ? sort : undefined, skip, limit);
  const projection = shape.projection && Object.keys(shape.projection).length > 0 ? shape.projection : undefined;
  return projection ? projectDocs(page, projection) : page;
}

function sortedPage(docs: Document[], sort: Document | undefined, skip: number, limit: number): Document[] {
  if (!sort) return limit > 0 ? docs.slice(skip, skip + limit) : docs.slice(skip);
  try {
    let cursor = mingoFind(docs, {}).sort(sort as Record<string, 1 | -1>);
    if (skip > 0) cursor = cursor.skip(skip);
    if (limit > 0) cursor = cursor.limit(limit);
    return cursor.all() as Document[];
  } catch (err) {
    throw errors.badValue(err instanceof Error ? err.message : String(err));
  }
}

/** Applies a projection to documents already chosen, each keeping its own field order as mongod does. */
export function projectDocs(docs: Document[], projection: Document): Document[] {
  let projected: Document[];
  try {
    projected = mingoFind(docs, {}, projection).all() as Document[];
  } catch (err) {
    throw errors.badValue(err instanceof Error ? err.message : String(err));
  }
  return projected.map((doc, i) => inDocumentOrder(doc, docs[i] as Document, projection));
}
