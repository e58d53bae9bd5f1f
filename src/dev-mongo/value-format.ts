/**
 * Values written the way mongod writes them inside error messages (`"text"`, `ObjectId('…')`,
 * `new Date(…)`), so messages read like the real server's.
 */
import { isPlainObject } from './doc-paths.js';

/** mongod's shell-like rendering of a value. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (Array.isArray(value)) return `[ ${value.map(formatValue).join(', ')} ]`;
  if (isPlainObject(value)) {
    const fields = Object.entries(value).map(([k, v]) => `${k}: ${formatValue(v)}`);
    return fields.length === 0 ? '{}' : `{ ${fields.join(', ')} }`;
  }
  const bsontype = (value as { _bsontype?: string })._bsontype;
  if (bsontype === 'ObjectId') return `ObjectId('${String(value)}')`;
  if (bsontype) return `${bsontype}(${String(value)})`;
  return String(value);
}

/** The BSON type name mongod uses in messages (`string`, `object`, `bool`...). */
export function bsonTypeName(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  if (value instanceof Date) return 'date';
  if (Array.isArray(value)) return 'array';
  if (value instanceof RegExp) return 'regex';
  const bsontype = (value as { _bsontype?: string })._bsontype;
  if (bsontype === 'ObjectId') return 'objectId';
  if (bsontype === 'Binary') return 'binData';
  if (bsontype) return bsontype.toLowerCase();
  return 'object';
}
