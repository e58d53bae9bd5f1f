/**
 * The errors dev-mongo answers with, as a table of small factories. Codes, code names and messages
 * copy what a standalone `mongod` 7.0 sends, so code written against this server handles the real
 * one the same way (the driver surfaces them as `MongoServerError` with `code`/`codeName`).
 */
import type { Document } from 'bson';

/** A command failure the client should see as `{ ok: 0, code, codeName, errmsg, ...extra }`. */
export class CommandError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    /** Fields a real server adds beside `errmsg` (`keyPattern`, `keyValue` for E11000). */
    readonly extra: Document = {},
  ) {
    super(message);
    this.name = 'CommandError';
  }

  /** The reply body for a failed command. */
  toReply(): Document {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }

  /** The entry for `writeErrors` of an insert/update/delete reply. */
  toWriteError(index: number): Document {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

export const errors = {
  badValue: (msg: string) => new CommandError(2, 'BadValue', msg),
  failedToParse: (msg: string) => new CommandError(9, 'FailedToParse', msg),
  typeMismatch: (msg: string) => new CommandError(14, 'TypeMismatch', msg),
  illegalOperation: (msg: string) => new CommandError(20, 'IllegalOperation', msg),
  transactionsUnsupported: () =>
    new CommandError(20, 'IllegalOperation', 'Transaction numbers are only allowed on a replica set member or mongos'),
  namespaceNotFound: (msg: string) => new CommandError(26, 'NamespaceNotFound', msg),
  indexNotFound: (msg: string) => new CommandError(27, 'IndexNotFound', msg),
  pathNotViable: (msg: string) => new CommandError(28, 'PathNotViable', msg),
  conflictingUpdateOperators: (msg: string) => new CommandError(40, 'ConflictingUpdateOperators', msg),
  cursorNotFound: (id: bigint | number | string) =>
    new CommandError(43, 'CursorNotFound', `cursor id ${String(id)} not found`),
  namespaceExists: (ns: string) => new CommandError(48, 'NamespaceExists', `Collection ${ns} already exists.`),
  commandNotFound: (name: string) => new CommandError(59, 'CommandNotFound', `no such command: '${name}'`),
  immutableField: (path: string) =>
    new CommandError(66, 'ImmutableField', `Performing an update on the path '${path}' would modify the immutable field '${path}'`),
  invalidOptions: (msg: string) => new CommandError(72, 'InvalidOptions', msg),
  indexOptionsConflict: (msg: string) => new CommandError(85, 'IndexOptionsConflict', msg),
  indexKeySpecsConflict: (msg: string) => new CommandError(86, 'IndexKeySpecsConflict', msg),
  notImplemented: (what: string) =>
    new CommandError(238, 'NotImplemented', `dev-mongo does not implement ${what}; test this against a real MongoDB (set MONGODB_URI)`),
  duplicateKey: (errmsg: string, keyPattern: Document, keyValue: Document) =>
    new CommandError(11000, 'DuplicateKey', errmsg, { keyPattern, keyValue }),
  changeStreamsUnsupported: () =>
    new CommandError(40573, 'Location40573', 'The $changeStream stage is only supported on replica sets'),
  invalidNamespace: (msg: string) => new CommandError(73, 'InvalidNamespace', msg),
  unknownPipelineStage: (stage: string) =>
    new CommandError(40324, 'Location40324', `Unrecognized pipeline stage name: '${stage}'`),
  /** An object over 16 MiB + 16 KiB: mongod cannot even hold it (a message section, a built document). */
  bsonObjectTooLarge: (size: number, firstElement: string) =>
    new CommandError(10334, 'BSONObjectTooLarge', `BSONObj size: ${size} (0x${size.toString(16).toUpperCase()}) is invalid. Size must be between 0 and 16793600(16MB) First element: ${firstElement}`),
  insertTooLarge: (size: number) =>
    new CommandError(2, 'BadValue', `object to insert too large. size in bytes: ${size}, max size: 16777216`),
  updateResultTooLarge: () => new CommandError(17419, 'Location17419', 'Resulting document after update is larger than 16777216'),
  upsertTooLarge: () => new CommandError(17420, 'Location17420', 'Document to upsert is larger than 16777216'),
  unknownModifier: (op: string) =>
    new CommandError(9, 'FailedToParse', `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`),
} as const;

/** Wraps anything thrown while running a command (a mingo error, a bug) as a reply-able error. */
export function toCommandError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CommandError(2, 'BadValue', message);
}
