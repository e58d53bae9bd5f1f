/**
 * Dotted-path helpers over stored documents. Stored documents are never changed in place: an update
 * works on a copy and swaps it in, so cursors holding the old object keep a consistent snapshot.
 */
import type { Document } from 'bson';

/** True for objects built from `{}` literals or BSON decoding (not Date, ObjectId, arrays...). */
export function isPlainObject(value: unknown): value is Document {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Deep copy of plain objects and arrays; BSON values (ObjectId, Date, Binary...) are shared. */
export function cloneValue<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneValue) as T;
  if (!isPlainObject(value)) return value;
  const out: Document = {};
  for (const key of Object.keys(value)) out[key] = cloneValue(value[key]);
  return out as T;
}

/**
 * Every value a path reaches, descending into arrays as a multikey index does: `tags` of
 * `{tags: [a, b]}` gives `[a, b]`; a missing field gives `[undefined]`.
 */
export function pathValues(doc: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(doc, path.split('.'), 0, out);
  return out.length > 0 ? out : [undefined];
}

function collect(value: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (Array.isArray(value)) {
      if (value.length === 0) out.push(undefined);
      else out.push(...value);
    } else {
      out.push(value);
    }
    return;
  }
  const part = parts[i] as string;
  if (Array.isArray(value)) {
    if (/^\d+$/.test(part)) collect(value[Number(part)], parts, i + 1, out);
    else for (const item of value) collect(item, parts, i, out);
    return;
  }
  if (isPlainObject(value)) collect(value[part], parts, i + 1, out);
  else out.push(undefined);
}
