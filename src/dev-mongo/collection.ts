/**
 * One collection's documents (keyed by canonical `_id`, in insertion order like a fresh mongod's
 * natural order) and its secondary indexes. Every write checks the document's size and all unique
 * indexes before changing anything, so a refused write leaves the collection as it was.
 */
import type { Document } from 'bson';
import { CollectionIndex, duplicateKeyError, type IndexEntry, type IndexSpec } from './collection-index.js';
import { assertStorableSize } from './document-size.js';
import { errors } from './errors.js';
import { matchFastFilter } from './fast-filter.js';
import { compileFilter, equalitiesOf } from './filter-match.js';
import { valueKey } from './value-key.js';

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

/** Documents that may match a filter, and whether each surely does. */
export interface Candidates {
  docs: Iterable<Document>;
  /** The lookup used every term of the filter: no further matching needed. */
  exact: boolean;
}

export class Collection {
  readonly docs = new Map<string, Document>();
  readonly indexes = new Map<string, CollectionIndex>();
  readonly createdAt = new Date();

  constructor(readonly db: string, readonly name: string) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** Stores a new document; `kind` says whether an insert or an upsert made it (their size errors differ). */
  insert(doc: Document, kind: 'insert' | 'upsert' = 'insert'): void {
    assertStorableSize(doc, kind);
    const id = valueKey(doc._id);
    if (this.docs.has(id)) throw duplicateKeyError(this.ns, '_id_', { _id: 1 }, ['_id'], [doc._id]);
    const changes = this.indexChanges(undefined, doc, id);
    this.docs.set(id, doc);
    for (const c of changes) c.index.add(c.next, id);
  }

  /**
   * Swaps `next` in for `previous` (same `_id`, checked by the caller). With `changed` (the
   * top-level fields whose values differ), indexes on none of them are left alone.
   */
  replace(previous: Document, next: Document, changed?: ReadonlySet<string>): void {
    const id = valueKey(previous._id);
    assertStorableSize(next, 'update');
    const changes = this.indexChanges(previous, next, id, changed);
    for (const c of changes) {
      c.index.remove(c.previous, id);
      c.index.add(c.next, id);
    }
    this.docs.set(id, next);
  }

  remove(doc: Document): void {
    const id = valueKey(doc._id);
    if (!this.docs.delete(id)) return;
    for (const index of this.indexes.values()) index.remove(index.entriesOf(doc), id);
  }

  /**
   * The index entries that change when `previous` becomes `next`, after checking every unique
   * index: throws before anything is touched, so a duplicate key changes nothing.
   */
  private indexChanges(previous: Document | undefined, next: Document, id: string, changed?: ReadonlySet<string>): IndexChange[] {
    const changes: IndexChange[] = [];
    for (const index of this.indexes.values()) {
      if (previous && changed && !index.readsAny(changed)) continue;
      const nextEntries = index.entriesOf(next);
      const previousEntries = previous ? index.entriesOf(previous) : [];
      if (sameKeys(previousEntries, nextEntries)) continue;
      const dup = index.conflict(nextEntries, id);
      if (dup) throw dup;
      changes.push({ index, previous: previousEntries, next: nextEntries });
    }
    return changes;
  }

  /** Narrows by `_id` or by an index whose every field the filter pins; else every document. */
  candidates(filter: Document | undefined): Candidates {
    if (!filter) return { docs: this.docs.values(), exact: true };
    const eq = equalitiesOf(filter);
    const exactIf = (fields: number) => eq.onlyEqualities && eq.values.size === fields;
    if (eq.values.has('_id')) {
      const doc = this.docs.get(valueKey(eq.values.get('_id')));
      return { docs: doc ? [doc] : [], exact: exactIf(1) };
    }
    for (const index of this.indexes.values()) {
      if (!index.complete || !index.fields.every((f) => eq.values.has(f))) continue;
      const ids = index.lookup(index.fields.map((f) => eq.values.get(f)));
      const docs = ids ? [...ids].map((id) => this.docs.get(id)).filter((d): d is Document => d !== undefined) : [];
      return { docs, exact: exactIf(index.fields.length) };
    }
    return { docs: this.docs.values(), exact: Object.keys(filter).length === 0 };
  }

  /** Matching documents in natural order, stopping after `limit` (0 = all). */
  find(filter: Document | undefined, limit = 0): Document[] {
    const { docs, exact } = this.candidates(filter);
    if (!exact && filter && Array.isArray(docs) && docs.length <= 1) {
      // A lookup by `_id` (every write of a counter): decide the one candidate without compiling.
      const [doc] = docs as Document[];
      const verdict = doc ? matchFastFilter(filter, doc) : false;
      if (verdict !== undefined) return verdict && doc ? [doc] : [];
    }
    const matches = exact ? () => true : compileFilter(filter);
    const out: Document[] = [];
    for (const doc of docs) {
      if (!matches(doc)) continue;
      out.push(doc);
      if (limit > 0 && out.length >= limit) break;
    }
    return out;
  }

  /** Adds an index (building it over existing documents); false when an identical one exists. */
  createIndex(spec: IndexSpec): boolean {
    if (JSON.stringify(spec.key) === JSON.stringify(ID_INDEX.key)) return false;
    if (spec.name === ID_INDEX.name) throw errors.badValue(`The index name '_id_' is reserved for the _id index`);
    if (this.sameIndex(spec)) return false;
    const index = new CollectionIndex(spec, this.ns);
    for (const [id, doc] of this.docs) {
      const entries = index.entriesOf(doc);
      const dup = index.conflict(entries, id);
      if (dup) throw dup;
      index.add(entries, id);
    }
    this.indexes.set(spec.name, index);
    return true;
  }

  dropIndex(name: string): void {
    if (name === '_id_') throw errors.invalidOptions('cannot drop _id index');
    if (!this.indexes.delete(name)) throw errors.indexNotFound(`index not found with name [${name}]`);
  }

  listIndexes(): IndexSpec[] {
    return [ID_INDEX, ...[...this.indexes.values()].map((i) => i.spec)];
  }

  private sameIndex(spec: IndexSpec): CollectionIndex | undefined {
    const keyText = JSON.stringify(spec.key);
    for (const index of this.indexes.values()) {
      const sameKey = JSON.stringify(index.spec.key) === keyText;
      const sameOpts = sameOptions(index.spec, spec);
      if (index.spec.name === spec.name) {
        if (sameKey && sameOpts) return index;
        if (sameKey) throw errors.indexOptionsConflict(`Index with name: ${spec.name} already exists with different options`);
        throw errors.indexKeySpecsConflict(
          `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(index.spec)}`,
        );
      }
      if (sameKey && sameOpts) {
        throw errors.indexOptionsConflict(`Index already exists with a different name: ${index.spec.name}`);
      }
    }
    return undefined;
  }
}

interface IndexChange {
  index: CollectionIndex;
  previous: IndexEntry[];
  next: IndexEntry[];
}

function sameKeys(a: readonly IndexEntry[], b: readonly IndexEntry[]): boolean {
  return a.length === b.length && a.every((entry, i) => entry.key === b[i]?.key);
}

function sameOptions(a: IndexSpec, b: IndexSpec): boolean {
  return (
    (a.unique ?? false) === (b.unique ?? false) &&
    (a.sparse ?? false) === (b.sparse ?? false) &&
    a.expireAfterSeconds === b.expireAfterSeconds &&
    JSON.stringify(a.partialFilterExpression) === JSON.stringify(b.partialFilterExpression)
  );
}
