/**
 * One secondary index: a hash from the canonical key of the indexed values to the `_id` keys of the
 * documents holding them. Hashes, not B-trees: this server only needs equality lookups and the
 * unique constraint to be fast; range queries scan.
 */
import type { Document } from 'bson';
import { pathValues } from './doc-paths.js';
import { errors, type CommandError } from './errors.js';
import { compileFilter } from './filter-match.js';
import { formatValue } from './value-format.js';
import { tupleKey } from './value-key.js';

/** An index as `listIndexes` reports it and `createIndexes` receives it. */
export interface IndexSpec {
  v: number;
  key: Document;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
}

/** One key a document holds in an index, with the values it was made from (for E11000 messages). */
export interface IndexEntry {
  key: string;
  values: unknown[];
}

export class CollectionIndex {
  readonly fields: string[];
  /** The top-level fields the index's keys and partial filter read; null: any field may matter. */
  private readonly roots: ReadonlySet<string> | null;
  private readonly entries = new Map<string, Set<string>>();
  private readonly inPartial: ((doc: Document) => boolean) | undefined;

  constructor(readonly spec: IndexSpec, private readonly ns: string) {
    this.fields = Object.keys(spec.key);
    this.inPartial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : undefined;
    this.roots = spec.partialFilterExpression ? null : new Set(this.fields.map((f) => f.split('.')[0] as string));
  }

  /** False when none of these top-level fields can change what the index holds for a document. */
  readsAny(fields: ReadonlySet<string>): boolean {
    if (this.roots === null) return true;
    for (const root of this.roots) if (fields.has(root)) return true;
    return false;
  }

  get unique(): boolean {
    return this.spec.unique === true;
  }

  /** True when the index holds every document, so a miss in it proves no document matches. */
  get complete(): boolean {
    return !this.inPartial;
  }

  /** The entries a document contributes: none when sparse/partial leaves it out. */
  entriesOf(doc: Document): IndexEntry[] {
    if (this.inPartial && !this.inPartial(doc)) return [];
    const perField = this.fields.map((f) => pathValues(doc, f));
    if (this.spec.sparse && perField.every((vals) => vals.length === 1 && vals[0] === undefined)) return [];
    // The common case (no arrays): one entry, no product to build.
    if (perField.every((vals) => vals.length === 1)) {
      const values = perField.map((vals) => vals[0]);
      return [{ key: tupleKey(values), values }];
    }
    const out = new Map<string, IndexEntry>();
    for (const values of cartesian(perField)) {
      const key = tupleKey(values);
      if (!out.has(key)) out.set(key, { key, values });
    }
    return [...out.values()];
  }

  /** The duplicate-key error these entries would cause here, ignoring the document `ownId`. */
  conflict(entries: readonly IndexEntry[], ownId: string): CommandError | undefined {
    if (!this.unique) return undefined;
    for (const entry of entries) {
      const holders = this.entries.get(entry.key);
      if (!holders) continue;
      for (const id of holders) {
        if (id !== ownId) return this.duplicate(entry.values);
      }
    }
    return undefined;
  }

  add(entries: readonly IndexEntry[], id: string): void {
    for (const { key } of entries) {
      let holders = this.entries.get(key);
      if (!holders) this.entries.set(key, (holders = new Set()));
      holders.add(id);
    }
  }

  remove(entries: readonly IndexEntry[], id: string): void {
    for (const { key } of entries) {
      const holders = this.entries.get(key);
      holders?.delete(id);
      if (holders?.size === 0) this.entries.delete(key);
    }
  }

  /** `_id` keys of documents whose indexed values equal `values` (field order as in the index). */
  lookup(values: readonly unknown[]): ReadonlySet<string> | undefined {
    return this.entries.get(tupleKey(values));
  }

  clear(): void {
    this.entries.clear();
  }

  private duplicate(values: unknown[]): CommandError {
    return duplicateKeyError(this.ns, this.spec.name, this.spec.key, this.fields, values);
  }
}

/** E11000 as mongod words it, with the `keyPattern` and `keyValue` drivers expose. */
export function duplicateKeyError(
  ns: string, indexName: string, keyPattern: Document, fields: readonly string[], values: readonly unknown[],
): CommandError {
  const keyValue: Document = {};
  fields.forEach((f, i) => (keyValue[f] = values[i] ?? null));
  const shown = fields.map((f, i) => `${f}: ${formatValue(values[i])}`).join(', ');
  const errmsg = `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: { ${shown} }`;
  return errors.duplicateKey(errmsg, { ...keyPattern }, keyValue);
}

function* cartesian(lists: unknown[][], prefix: unknown[] = []): Generator<unknown[]> {
  if (prefix.length === lists.length) {
    yield prefix;
    return;
  }
  for (const v of lists[prefix.length] ?? []) yield* cartesian(lists, [...prefix, v]);
}
