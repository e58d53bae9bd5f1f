/**
 * Turns a stored document and an update (operators, replacement or pipeline) into the next version
 * of that document, never touching the stored one. Builds the document an upsert inserts.
 * Operators go through the fast path when they can, else through mingo's updater.
 */
import { ObjectId, type Document } from 'bson';
import { aggregate, update as mingoUpdate } from 'mingo';
import { cloneValue, isPlainObject } from './doc-paths.js';
import { errors } from './errors.js';
import { equalitiesOf } from './filter-match.js';
import { applyFastPipeline } from './pipeline-fast.js';
import { applyFastUpdate, getPath, isFastUpdate, NeedsGeneralPath } from './update-fast.js';
import { bsonTypeName, formatValue } from './value-format.js';
import { valueKey } from './value-key.js';

/** The `u` of an update statement, with the options that change how it applies. */
export interface UpdateSpec {
  u: Document | Document[];
  arrayFilters?: Document[] | undefined;
  /** The statement's filter: mingo needs it to resolve the positional `$` operator. */
  filter?: Document | undefined;
}

const OPERATORS = new Set([
  '$addToSet', '$bit', '$currentDate', '$inc', '$max', '$min', '$mul', '$pop', '$pull', '$pullAll',
  '$push', '$rename', '$set', '$setOnInsert', '$unset',
]);

/**
 * A document after an update, and which of its top-level fields changed: empty for a no-op, null
 * when the general path (mingo) applied it and only a comparison can tell.
 */
export interface UpdatedDocument {
  doc: Document;
  changed: ReadonlySet<string> | null;
}

/** The document after the update; `isInsert` turns `$setOnInsert` on (the upsert case). */
export function updatedDocument(current: Document, spec: UpdateSpec, isInsert: boolean): UpdatedDocument {
  const next = computeNext(current, spec, isInsert);
  if (!isInsert && (next.changed === null || next.changed.has('_id')) && valueKey(next.doc._id) !== valueKey(current._id)) {
    throw errors.immutableField('_id');
  }
  return next;
}

/** The document an upsert inserts when nothing matched `filter`. */
export function upsertDocument(filter: Document, spec: UpdateSpec): Document {
  const base: Document = {};
  for (const [path, value] of equalitiesOf(filter).values) setDotted(base, path, cloneValue(value));
  const doc = isReplacement(spec.u)
    ? { ...(base._id === undefined ? {} : { _id: base._id }), ...cloneValue(spec.u) }
    : computeNext(base, spec, true).doc;
  return withIdFirst(doc);
}

/** `_id` first, generated when absent, as mongod stores it. */
export function withIdFirst(doc: Document): Document {
  if (doc._id === undefined) return { _id: new ObjectId(), ...doc };
  if (Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

function isReplacement(u: Document | Document[]): u is Document {
  if (Array.isArray(u)) return false;
  const keys = Object.keys(u);
  return keys.length === 0 || !(keys[0] as string).startsWith('$');
}

function computeNext(current: Document, spec: UpdateSpec, isInsert: boolean): UpdatedDocument {
  if (Array.isArray(spec.u)) return { doc: pipelineUpdate(current, spec.u), changed: null };
  if (isReplacement(spec.u)) return { doc: replacement(current, spec.u), changed: null };
  const u = spec.u;
  for (const op of Object.keys(u)) if (!OPERATORS.has(op)) throw errors.unknownModifier(op);
  assertNoConflicts(u);
  if (isFastUpdate(u) && !spec.arrayFilters) {
    try {
      return applyFastUpdate(current, u, isInsert);
    } catch (err) {
      if (!(err instanceof NeedsGeneralPath)) throw err;
    }
  }
  return { doc: mingoOperatorUpdate(current, u, spec, isInsert), changed: null };
}

function replacement(current: Document, u: Document): Document {
  for (const key of Object.keys(u)) {
    if (key.startsWith('$')) throw errors.badValue(`The dollar ($) prefixed field '${key}' in '${key}' is not allowed in the context of an update's replacement document.`);
  }
  if (u._id !== undefined && current._id !== undefined && valueKey(u._id) !== valueKey(current._id)) {
    throw errors.immutableField('_id');
  }
  const { _id: _ignored, ...rest } = cloneValue(u);
  return current._id === undefined ? withIdFirst(cloneValue(u)) : { _id: current._id, ...rest };
}

function mingoOperatorUpdate(current: Document, u: Document, spec: UpdateSpec, isInsert: boolean): Document {
  const next = cloneValue(current);
  assertIncTargets(next, u.$inc as Document | undefined);
  const { $setOnInsert, ...mod } = u;
  if (isInsert && isPlainObject($setOnInsert)) mod.$set = { ...(mod.$set as Document | undefined), ...$setOnInsert };
  try {
    mingoUpdate(next, mod, spec.arrayFilters, spec.filter, { cloneMode: 'deep' });
  } catch (err) {
    throw errors.badValue(err instanceof Error ? err.message : String(err));
  }
  return next;
}

/** mingo skips a non-numeric `$inc` target silently; mongod refuses it. */
function assertIncTargets(doc: Document, inc: Document | undefined): void {
  for (const [path, arg] of Object.entries(inc ?? {})) {
    if (typeof arg !== 'number') throw errors.typeMismatch(`Cannot increment with non-numeric argument: {${path}: ${formatValue(arg)}}`);
    let current: unknown;
    try {
      current = getPath(doc, path);
    } catch {
      continue; // arrays on the path: leave it to mingo
    }
    if (current !== undefined && typeof current !== 'number') {
      throw errors.typeMismatch(`Cannot apply $inc to a value of non-numeric type. {_id: ${formatValue(doc._id)}} has the field '${path}' of non-numeric type ${bsonTypeName(current)}`);
    }
  }
}

function pipelineUpdate(current: Document, pipeline: Document[]): Document {
  try {
    return applyFastPipeline(current, pipeline);
  } catch (err) {
    if (!(err instanceof NeedsGeneralPath)) throw err;
  }
  let out: Document[];
  try {
    out = aggregate([cloneValue(current)], pipeline) as Document[];
  } catch (err) {
    throw errors.badValue(err instanceof Error ? err.message : String(err));
  }
  const next = out[0];
  if (out.length !== 1 || !next) throw errors.badValue('An update pipeline must produce exactly one document');
  return next;
}

/**
 * mongod refuses two operators touching the same path or one inside the other. Linear in the paths
 * (a set of paths and one of their prefixes): counter updates carry hundreds of map entries.
 */
function assertNoConflicts(u: Document): void {
  const ops = Object.values(u);
  const paths = new Set<string>();
  const prefixes = new Set<string>();
  for (const fields of ops) {
    if (!isPlainObject(fields)) continue;
    for (const path of Object.keys(fields)) {
      if (paths.has(path) || prefixes.has(path)) throw conflictAt(path, path);
      for (let i = path.indexOf('.'); i !== -1; i = path.indexOf('.', i + 1)) {
        const prefix = path.slice(0, i);
        if (paths.has(prefix)) throw conflictAt(path, prefix);
        prefixes.add(prefix);
      }
      paths.add(path);
    }
  }
}

function conflictAt(path: string, at: string): Error {
  return errors.conflictingUpdateOperators(`Updating the path '${path}' would create a conflict at '${at}'`);
}

function setDotted(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let target = doc;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(target[part])) target[part] = {};
    target = target[part] as Document;
  }
  target[parts[parts.length - 1] as string] = value;
}
