/**
 * The update operators counters and upserts use ($inc, $set, $max, $min, $setOnInsert, $unset, $push
 * with $each/$slice), applied straight to a document copy. mingo's updater builds its context on
 * every call (about 5k updates/s); this is the path the 20k+ upserts/s figure rests on. Anything
 * it does not handle throws `NeedsGeneralPath` and the caller retries through mingo.
 */
import type { Document } from 'bson';
import { compare } from 'mingo/util';
import { isPlainObject, cloneValue } from './doc-paths.js';
import { errors } from './errors.js';
import { bsonTypeName, formatValue } from './value-format.js';

/** Thrown when an update needs mingo (positional paths, arrays on the way, rarer modifiers). */
export class NeedsGeneralPath extends Error {}

const FAST_OPERATORS = new Set(['$inc', '$set', '$max', '$min', '$setOnInsert', '$unset', '$push']);

/** True when every operator is one this file applies. */
export function isFastUpdate(update: Document): boolean {
  for (const op of Object.keys(update)) if (!FAST_OPERATORS.has(op)) return false;
  return true;
}

/** Applies an operator update in place on `doc` (a copy owned by the caller). */
export function applyFastUpdate(doc: Document, update: Document, isInsert: boolean): void {
  for (const op of Object.keys(update)) {
    const fields: unknown = update[op];
    if (!isPlainObject(fields)) throw errors.failedToParse(`Modifiers operate on fields but we found type ${bsonTypeName(fields)} instead. For example: {$mod: {<field>: ...}} not {${op}: ${formatValue(fields)}}`);
    for (const path of Object.keys(fields)) applyOne(doc, op, path, pathParts(path), fields[path], isInsert);
  }
}

/** A path's parts; positional, empty and array-index parts need the general path. Split once per field. */
function pathParts(path: string): string[] {
  if (path.includes('$')) throw new NeedsGeneralPath();
  const parts = path.split('.');
  for (const part of parts) {
    const c = part.charCodeAt(0);
    if (part === '' || (c >= 48 && c <= 57 && /^\d+$/.test(part))) throw new NeedsGeneralPath();
  }
  return parts;
}

function applyOne(doc: Document, op: string, path: string, parts: string[], arg: unknown, isInsert: boolean): void {
  switch (op) {
    case '$set':
      return setParts(doc, parts, cloneValue(arg));
    case '$setOnInsert':
      return isInsert ? setParts(doc, parts, cloneValue(arg)) : undefined;
    case '$unset':
      return unsetPath(doc, path);
    case '$inc':
      return setParts(doc, parts, incremented(doc, path, parts, arg));
    case '$max':
    case '$min': {
      const current = getParts(doc, parts);
      const wins = op === '$max' ? compare(arg, current) > 0 : compare(arg, current) < 0;
      return current === undefined || wins ? setParts(doc, parts, cloneValue(arg)) : undefined;
    }
    case '$push':
      return setParts(doc, parts, pushed(doc, path, arg));
    default:
      throw new NeedsGeneralPath();
  }
}

function incremented(doc: Document, path: string, parts: string[], arg: unknown): number {
  if (typeof arg !== 'number') {
    if ((arg as { _bsontype?: string } | null)?._bsontype) throw new NeedsGeneralPath();
    throw errors.typeMismatch(`Cannot increment with non-numeric argument: {${path}: ${formatValue(arg)}}`);
  }
  const current = getParts(doc, parts);
  if (current === undefined) return arg;
  if (typeof current !== 'number') {
    throw errors.typeMismatch(
      `Cannot apply $inc to a value of non-numeric type. {_id: ${formatValue(doc._id)}} has the field '${path.split('.').pop() ?? path}' of non-numeric type ${bsonTypeName(current)}`,
    );
  }
  return current + arg;
}

function pushed(doc: Document, path: string, arg: unknown): unknown[] {
  const current = getPath(doc, path);
  if (current !== undefined && !Array.isArray(current)) {
    throw errors.badValue(
      `The field '${path}' must be an array but is of type ${bsonTypeName(current)} in document {_id: ${formatValue(doc._id)}}`,
    );
  }
  const items = current ? [...current] : [];
  if (!isPlainObject(arg) || !Object.keys(arg).some((k) => k.startsWith('$'))) {
    items.push(cloneValue(arg));
    return items;
  }
  const { $each, $slice, ...rest } = arg;
  if (Object.keys(rest).length > 0 || !Array.isArray($each)) throw new NeedsGeneralPath();
  items.push(...$each.map(cloneValue));
  if ($slice === undefined) return items;
  if (typeof $slice !== 'number' || !Number.isInteger($slice)) {
    throw errors.badValue(`The value for $slice must be an integer value but was given type: ${bsonTypeName($slice)}`);
  }
  return $slice >= 0 ? items.slice(0, $slice) : items.slice($slice);
}

/** Value at a dotted path through plain objects; arrays on the way need the general path. */
export function getPath(doc: Document, path: string): unknown {
  return getParts(doc, path.split('.'));
}

function getParts(doc: Document, parts: readonly string[]): unknown {
  let value: unknown = doc;
  for (const part of parts) {
    if (Array.isArray(value)) throw new NeedsGeneralPath();
    if (!isPlainObject(value)) return undefined;
    value = value[part];
  }
  return value;
}

function setParts(doc: Document, parts: readonly string[], value: unknown): void {
  let target: Document = doc;
  for (let i = 0; i < parts.length - 1; i += 1) {
    const part = parts[i] as string;
    const next: unknown = target[part];
    if (next === undefined) {
      target = target[part] = {};
    } else if (isPlainObject(next)) {
      target = next;
    } else if (Array.isArray(next)) {
      throw new NeedsGeneralPath();
    } else {
      throw errors.pathNotViable(`Cannot create field '${parts[i + 1] ?? ''}' in element {${part}: ${formatValue(next)}}`);
    }
  }
  target[parts[parts.length - 1] as string] = value;
}

function unsetPath(doc: Document, path: string): void {
  const parts = path.split('.');
  let target: unknown = doc;
  for (let i = 0; i < parts.length - 1; i += 1) {
    if (Array.isArray(target)) throw new NeedsGeneralPath();
    if (!isPlainObject(target)) return;
    target = target[parts[i] as string];
  }
  if (Array.isArray(target)) throw new NeedsGeneralPath();
  if (isPlainObject(target)) delete target[parts[parts.length - 1] as string];
}
