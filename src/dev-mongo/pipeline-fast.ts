/**
 * Update pipelines made of `$set`/`$addFields` stages whose expressions use only `$add`, `$max`,
 * `$min`, `$cond`, `$ifNull`, `$eq`, `$literal`, field paths and constants: the shape counters with
 * a read-modify-write step take (the store's streak join). mingo builds an aggregation context per
 * call, many times the cost of evaluating the expressions directly (figures in README.md). Anything else,
 * and any value whose handling differs subtly between servers or from mingo (missing operands of
 * `$eq`, `$max` and `$min`, arrays in `$max`, paths through arrays, dates in `$add`), throws
 * `NeedsGeneralPath`: mingo decides those.
 * Checked against mingo by a property test (test/dev-mongo/pipeline-fast.test.ts).
 */
import type { Document } from 'bson';
import { compare } from 'mingo/util';
import { cloneValue, isPlainObject } from './doc-paths.js';
import { NeedsGeneralPath } from './update-fast.js';

/** The document after the pipeline, or throws `NeedsGeneralPath`. `current` is not changed. */
export function applyFastPipeline(current: Document, pipeline: readonly Document[]): Document {
  let doc = current;
  for (const stage of pipeline) {
    const keys = Object.keys(stage);
    const spec: unknown = stage[keys[0] ?? ''];
    if (keys.length !== 1 || (keys[0] !== '$set' && keys[0] !== '$addFields') || !isPlainObject(spec)) throw new NeedsGeneralPath();
    doc = setStage(doc, spec);
  }
  return doc === current ? cloneValue(current) : doc;
}

/**
 * Every expression reads the stage's input; the outputs are written after, in spec order. mongod
 * evaluates a stage against its input, mingo field by field in order: they agree unless a field reads
 * what an earlier field of the same stage wrote, which is declined.
 */
function setStage(input: Document, spec: Document): Document {
  const fields = Object.keys(spec);
  const written = new Written();
  const values = fields.map((field) => {
    const value = evaluate(spec[field], { doc: input, written });
    if (value === undefined) throw new NeedsGeneralPath();
    written.add(field);
    return value;
  });
  const out = cloneValue(input);
  fields.forEach((field, i) => assign(out, field, values[i]));
  return out;
}

function assign(doc: Document, field: string, value: unknown): void {
  if (field === '' || field.startsWith('$')) throw new NeedsGeneralPath();
  let target = doc;
  const parts = field.split('.');
  for (let i = 0; i < parts.length - 1; i += 1) {
    const part = parts[i] as string;
    const next: unknown = target[part];
    if (next === undefined) target = target[part] = {};
    else if (isPlainObject(next)) target = next;
    else throw new NeedsGeneralPath();
  }
  const last = parts[parts.length - 1] as string;
  if (last === '') throw new NeedsGeneralPath();
  target[last] = value;
}

/** Paths a stage has assigned so far, and their prefixes. */
class Written {
  readonly #paths = new Set<string>();
  readonly #prefixes = new Set<string>();

  add(path: string): void {
    this.#paths.add(path);
    for (let i = path.indexOf('.'); i !== -1; i = path.indexOf('.', i + 1)) this.#prefixes.add(path.slice(0, i));
  }

  /** True when reading `path` could see a value assigned earlier in the stage. */
  overlaps(path: string): boolean {
    if (this.#paths.size === 0) return false;
    if (this.#paths.has(path) || this.#prefixes.has(path)) return true;
    for (let i = path.indexOf('.'); i !== -1; i = path.indexOf('.', i + 1)) if (this.#paths.has(path.slice(0, i))) return true;
    return false;
  }
}

interface Scope {
  doc: Document;
  written: Written;
}

function evaluate(expr: unknown, scope: Scope): unknown {
  if (typeof expr === 'string') return expr.startsWith('$') ? fieldPath(scope, expr) : expr;
  if (typeof expr === 'number' || typeof expr === 'boolean' || expr === null || expr instanceof Date) return expr;
  if (!isPlainObject(expr)) throw new NeedsGeneralPath();
  const keys = Object.keys(expr);
  if (keys.length !== 1) throw new NeedsGeneralPath();
  const op = keys[0] as string;
  const arg: unknown = expr[op];
  switch (op) {
    case '$literal':
      return cloneValue(arg);
    case '$add':
      return add(args(arg, scope));
    case '$max':
    case '$min':
      return extreme(args(arg, scope), op === '$max' ? 1 : -1);
    case '$ifNull':
      return ifNull(arg, scope);
    case '$eq':
      return equal(args(arg, scope));
    case '$cond':
      return cond(arg, scope);
    default:
      throw new NeedsGeneralPath();
  }
}

function fieldPath(scope: Scope, path: string): unknown {
  if (path.startsWith('$$') || path === '$' || scope.written.overlaps(path.slice(1))) throw new NeedsGeneralPath();
  let value: unknown = scope.doc;
  for (const part of path.slice(1).split('.')) {
    if (Array.isArray(value)) throw new NeedsGeneralPath();
    if (!isPlainObject(value)) return undefined;
    value = value[part];
  }
  if (Array.isArray(value)) throw new NeedsGeneralPath();
  return value;
}

function args(arg: unknown, scope: Scope): unknown[] {
  if (!Array.isArray(arg)) throw new NeedsGeneralPath();
  return arg.map((a) => evaluate(a, scope));
}

const isNil = (v: unknown): boolean => v === null || v === undefined;

function add(values: unknown[]): number | null {
  let sum = 0;
  for (const v of values) {
    if (isNil(v)) return null;
    if (typeof v !== 'number') throw new NeedsGeneralPath();
    sum += v;
  }
  return sum;
}

/**
 * `$max`/`$min` over listed operands: nulls are ignored, null when none is left. A missing operand
 * is declined: mongod ignores it too, but mingo's `$max` then answers null, and the two paths must agree.
 */
function extreme(values: unknown[], sign: 1 | -1): unknown {
  let best: unknown = null;
  for (const v of values) {
    if (v === undefined) throw new NeedsGeneralPath();
    if (v === null) continue;
    if (Array.isArray(v) || isPlainObject(v)) throw new NeedsGeneralPath();
    if (best === null || sign * compare(v, best) > 0) best = v;
  }
  return best;
}

function ifNull(arg: unknown, scope: Scope): unknown {
  if (!Array.isArray(arg) || arg.length < 2) throw new NeedsGeneralPath();
  let value: unknown;
  for (const a of arg) {
    value = evaluate(a, scope);
    if (!isNil(value)) return value;
  }
  return value;
}

function equal(values: unknown[]): boolean {
  const [a, b] = values;
  if (values.length !== 2 || !isScalar(a) || !isScalar(b)) throw new NeedsGeneralPath();
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  return a === b;
}

function isScalar(v: unknown): v is number | string | boolean | Date {
  return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v instanceof Date;
}

function cond(arg: unknown, scope: Scope): unknown {
  let parts: unknown[];
  if (Array.isArray(arg) && arg.length === 3) parts = arg;
  else if (isPlainObject(arg) && Object.keys(arg).length === 3 && 'if' in arg && 'then' in arg && 'else' in arg) parts = [arg.if, arg.then, arg.else];
  else throw new NeedsGeneralPath();
  const test = evaluate(parts[0], scope);
  if (typeof test === 'number' && Number.isNaN(test)) throw new NeedsGeneralPath();
  // MongoDB's truth: false, null, missing and 0 are false; everything else (even "") is true.
  const truth = !(test === false || isNil(test) || test === 0);
  return evaluate(truth ? parts[1] : parts[2], scope);
}
