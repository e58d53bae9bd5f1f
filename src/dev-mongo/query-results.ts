/**
 * Filter, sort, skip, limit and projection over one collection, as `find` and `findAndModify`
 * apply them. Filtering uses the collection's hash lookups; sorting and projecting use mingo.
 */
import type { Document } from 'bson';
import { find as mingoFind } from 'mingo';
import { withIdFirst } from './apply-update.js';
import type { Collection } from './collection.js';
import { errors } from './errors.js';

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
  let docs = coll.find(shape.filter, sorting || $natural === -1 || limit === 0 ? 0 : skip + limit);
  if ($natural === -1) docs.reverse();
  const projection = shape.projection && Object.keys(shape.projection).length > 0 ? shape.projection : undefined;
  if (!sorting && !projection) return limit > 0 ? docs.slice(skip, skip + limit) : docs.slice(skip);
  try {
    let cursor = mingoFind(docs, {}, projection);
    if (sorting) cursor = cursor.sort(sort as Record<string, 1 | -1>);
    if (skip > 0) cursor = cursor.skip(skip);
    if (limit > 0) cursor = cursor.limit(limit);
    docs = cursor.all() as Document[];
  } catch (err) {
    throw errors.badValue(err instanceof Error ? err.message : String(err));
  }
  return projection ? docs.map(idFirstIfPresent) : docs;
}

/** Applies a projection to documents already chosen. */
export function projectDocs(docs: Document[], projection: Document): Document[] {
  try {
    return (mingoFind(docs, {}, projection).all() as Document[]).map(idFirstIfPresent);
  } catch (err) {
    throw errors.badValue(err instanceof Error ? err.message : String(err));
  }
}

function idFirstIfPresent(doc: Document): Document {
  return doc._id === undefined ? doc : withIdFirst(doc);
}
