/**
 * The update operators counters and upserts use ($inc, $set, $max, $min, $setOnInsert, $unset, $push
 * with $each/$slice), applied copy-on-write: the next version shares every part of the stored
 * document the update does not touch, and copies only the objects on the paths it changes.
 * Why: a history run's upserts touch a handful of fields of documents holding hundreds (weapon maps,
 * killer-victim segments); cloning the whole document, comparing it whole to count it modified, and
 * recomputing every index key for it was most of this server's work per update. mingo's updater
 * builds its context on every call (figures in README.md). Anything not handled here throws
 * `NeedsGeneralPath` and the caller retries through mingo (the stored document is never touched).
 */
import type { Document } from 'bson';
import { compare } from 'mingo/util';
import { isPlainObject, cloneValue } from './doc-paths.js';
import { errors } from './errors.js';
import { bsonTypeName, formatValue } from './value-format.js';
import { sameValue } from './value-key.js';

/** Thrown when an update needs mingo (positional paths, arrays on the way, rarer modifiers). */
export class NeedsGeneralPath extends Error {}

const FAST_OPERATORS = new Set(['$inc', '$set', '$max', '$min', '$setOnInsert', '$unset', '$push']);

/** True when every operator is one this file applies. */
export function isFastUpdate(update: Document): boolean {
  for (const op of Object.keys(update)) if (!FAST_OPERATORS.has(op)) return false;
  return true;
}

/** The next version of a document, and the top-level fields whose value changed (none: a no-op). */
export interface FastUpdateResult {
  doc: Document;
  changed: Set<string>;
}

/** Applies an operator update to a copy-on-write version of `current`, which stays as it was. */
export function applyFastUpdate(current: Document, update: Document, isInsert: boolean): FastUpdateResult {
  const w = new CowWriter(current);
  for (const op of Object.keys(update)) {
    const fields: unknown = update[op];
    if (!isPlainObject(fields)) throw errors.failedToParse(`Modifiers operate on fields but we found type ${bsonTypeName(fields)} instead. For example: {$mod: {<field>: ...}} not {${op}: ${formatValue(fields)}}`);
    if (op === '$setOnInsert' && !isInsert) continue;
    for (const path of Object.keys(fields)) applyOne(w, op, path, pathParts(path), fields[path]);
  }
  w.orderCreatedFields();
  return { doc: w.doc, changed: w.changed };
}

/** A path's parts; positional, empty and array-index parts need the general path. Split once per field. */
function pathParts(path: string): string[] {
  if (path.includes('$')) throw new NeedsGeneralPath();
  if (!path.includes('.')) {
    if (path === '' || isIndex(path)) throw new NeedsGeneralPath();
    return [path];
  }
  const parts = path.split('.');
  for (const part of parts) if (part === '' || isIndex(part)) throw new NeedsGeneralPath();
  return parts;
}

function isIndex(part: string): boolean {
  const c = part.charCodeAt(0);
  return c >= 48 && c <= 57 && /^\d+$/.test(part);
}

function applyOne(w: CowWriter, op: string, path: string, parts: string[], arg: unknown): void {
  switch (op) {
    case '$set':
    case '$setOnInsert':
      return w.set(parts, cloneValue(arg));
    case '$unset':
      return w.unset(parts);
    case '$inc':
      return w.set(parts, incremented(w, path, parts, arg));
    case '$max':
    case '$min': {
      const current = w.get(parts);
      const wins = op === '$max' ? compare(arg, current) > 0 : compare(arg, current) < 0;
      return current === undefined || wins ? w.set(parts, cloneValue(arg)) : undefined;
    }
    case '$push':
      return w.set(parts, pushed(w, path, parts, arg));
    default:
      throw new NeedsGeneralPath();
  }
}

function incremented(w: CowWriter, path: string, parts: string[], arg: unknown): number {
  if (typeof arg !== 'number') {
    if ((arg as { _bsontype?: string } | null)?._bsontype) throw new NeedsGeneralPath();
    throw errors.typeMismatch(`Cannot increment with non-numeric argument: {${path}: ${formatValue(arg)}}`);
  }
  const current = w.get(parts);
  if (current === undefined) return arg;
  if (typeof current !== 'number') {
    throw errors.typeMismatch(
      `Cannot apply $inc to a value of non-numeric type. {_id: ${formatValue(w.doc._id)}} has the field '${parts[parts.length - 1] ?? path}' of non-numeric type ${bsonTypeName(current)}`,
    );
  }
  return current + arg;
}

function pushed(w: CowWriter, path: string, parts: string[], arg: unknown): unknown[] {
  const current = w.get(parts);
  if (current !== undefined && !Array.isArray(current)) {
    throw errors.badValue(
      `The field '${path}' must be an array but is of type ${bsonTypeName(current)} in document {_id: ${formatValue(w.doc._id)}}`,
    );
  }
  // A new array: the stored one may be held by a cursor's snapshot.
  const items = current ? current.slice() : [];
  if (!isPlainObject(arg) || !Object.keys(arg).some((k) => k.startsWith('$'))) {
    items.push(cloneValue(arg));
    return items;
  }
  const { $each, $slice, ...rest } = arg;
  if (Object.keys(rest).length > 0 || !Array.isArray($each)) throw new NeedsGeneralPath();
  for (const item of $each) items.push(cloneValue(item));
  if ($slice === undefined) return items;
  if (typeof $slice !== 'number' || !Number.isInteger($slice)) {
    throw errors.badValue(`The value for $slice must be an integer value but was given type: ${bsonTypeName($slice)}`);
  }
  return $slice >= 0 ? items.slice(0, $slice) : items.slice($slice);
}

/**
 * The next version of one document: a shallow copy of the stored one, where an object on a written
 * path is copied the first time it is written through (and owned from then on).
 */
class CowWriter {
  readonly doc: Document;
  readonly changed = new Set<string>();
  readonly #owned = new Set<object>();
  /** Fields this update added, by the object they were added to. */
  #created: Map<Document, string[]> | undefined;

  constructor(current: Document) {
    this.doc = { ...current };
    this.#owned.add(this.doc);
  }

  /** Value at the path through plain objects; arrays on the way need the general path. */
  get(parts: readonly string[]): unknown {
    let value: unknown = this.doc;
    for (const part of parts) {
      if (Array.isArray(value)) throw new NeedsGeneralPath();
      if (!isPlainObject(value)) return undefined;
      value = value[part];
    }
    return value;
  }

  set(parts: readonly string[], value: unknown): void {
    const last = parts.length - 1;
    let target = this.doc;
    for (let i = 0; i < last; i += 1) target = this.#child(target, parts[i] as string, parts[i + 1] ?? '');
    const key = parts[last] as string;
    const before: unknown = target[key];
    if (before === value || (typeof before === 'number' && typeof value === 'number' && before !== before && value !== value)) return;
    if (before !== undefined && typeof before === 'object' && typeof value === 'object' && sameValue(before, value)) return;
    if (before === undefined) this.#noteCreated(target, key);
    target[key] = value;
    this.changed.add(parts[0] as string);
  }

  /**
   * mongod applies an update's paths in field-name order (its update tree keeps children sorted,
   * numeric names by value), so fields one update adds to an object follow in that order, after
   * the fields the object had.
   */
  orderCreatedFields(): void {
    for (const [target, keys] of this.#created ?? []) {
      if (keys.length < 2) continue;
      const sorted = [...keys].sort(compareFieldNames);
      if (sorted.every((key, i) => key === keys[i])) continue;
      const values = sorted.map((key) => target[key] as unknown);
      for (const key of keys) delete target[key];
      sorted.forEach((key, i) => { target[key] = values[i]; });
    }
  }

  #noteCreated(target: Document, key: string): void {
    this.#created ??= new Map();
    const keys = this.#created.get(target);
    if (keys) keys.push(key);
    else this.#created.set(target, [key]);
  }

  unset(parts: readonly string[]): void {
    let target: unknown = this.doc;
    for (let i = 0; i < parts.length - 1; i += 1) {
      if (Array.isArray(target)) throw new NeedsGeneralPath();
      if (!isPlainObject(target)) return;
      target = target[parts[i] as string];
    }
    if (Array.isArray(target)) throw new NeedsGeneralPath();
    const key = parts[parts.length - 1] as string;
    if (!isPlainObject(target) || !Object.prototype.hasOwnProperty.call(target, key)) return;
    // Copy the path down to the field before deleting it.
    let owned = this.doc;
    for (let i = 0; i < parts.length - 1; i += 1) owned = this.#child(owned, parts[i] as string, key);
    delete owned[key];
    this.changed.add(parts[0] as string);
  }

  /** The object under `target[part]`, owned by this version (created or copied as needed). */
  #child(target: Document, part: string, nextPart: string): Document {
    const next: unknown = target[part];
    if (next === undefined) {
      const created: Document = {};
      this.#noteCreated(target, part);
      target[part] = created;
      this.#owned.add(created);
      return created;
    }
    if (isPlainObject(next)) {
      if (this.#owned.has(next)) return next;
      const copy: Document = { ...next };
      target[part] = copy;
      this.#owned.add(copy);
      return copy;
    }
    if (Array.isArray(next)) throw new NeedsGeneralPath();
    throw errors.pathNotViable(`Cannot create field '${nextPart}' in element {${part}: ${formatValue(next)}}`);
  }
}

/**
 * mongod's order of field names in an update (pathsupport::cmpPathsAndArrayIndexes): names that are
 * numbers without leading zeros by value, anything else as plain strings.
 */
export function compareFieldNames(a: string, b: string): number {
  if (isNumberName(a) && isNumberName(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function isNumberName(name: string): boolean {
  const c = name.charCodeAt(0);
  return c >= 48 && c <= 57 && !(c === 48 && name.length > 1);
}

/** Value at a dotted path through plain objects; arrays on the way need the general path. */
export function getPath(doc: Document, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(value)) throw new NeedsGeneralPath();
    if (!isPlainObject(value)) return undefined;
    value = value[part];
  }
  return value;
}
