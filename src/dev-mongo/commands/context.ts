/**
 * What a command handler receives: the data it may read or change, and who is asking.
 */
import type { Document } from 'bson';
import type { Catalog } from '../catalog.js';
import type { CursorStore } from '../cursors.js';
import { errors } from '../errors.js';

export interface CommandContext {
  catalog: Catalog;
  cursors: CursorStore;
  /** The database named by the command's `$db`. */
  db: string;
  connectionId: number;
}

/** A command: the decoded request in, the reply body out (throw `CommandError` to fail it). */
export type CommandHandler = (cmd: Document, ctx: CommandContext) => Document;

/** The collection name a command addresses in its first field (`{find: 'kills', ...}`). */
export function collectionName(cmd: Document, name: string): string {
  const value: unknown = cmd[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw errors.invalidNamespace(`collection name has invalid type ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

/** An optional non-negative integer option, as mongod validates `limit`, `skip`, `batchSize`. */
export function optionalCount(cmd: Document, field: string): number | undefined {
  const value: unknown = cmd[field];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n)) throw errors.typeMismatch(`Field '${field}' should be an integer, but found: ${String(value)}`);
  return n;
}

/** Refuses options this server does not implement rather than ignoring them. */
export function assertSimpleCollation(collation: unknown): void {
  if (collation === undefined || collation === null) return;
  const locale = (collation as { locale?: unknown }).locale;
  if (locale !== 'simple') throw errors.notImplemented(`collation (locale '${String(locale)}')`);
}
