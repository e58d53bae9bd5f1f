/**
 * insert / update / delete. Each statement succeeds or fails alone; an ordered batch stops at its
 * first failure, an unordered one carries on, and failures come back as `writeErrors` with the
 * statement's index, exactly the shape the driver turns into `MongoBulkWriteError`.
 */
import type { Document } from 'bson';
import { updatedDocument, upsertDocument, withIdFirst, type UpdatedDocument } from '../apply-update.js';
import type { Collection } from '../collection.js';
import { errors, toCommandError } from '../errors.js';
import { sameValue } from '../value-key.js';
import { assertSimpleCollation, collectionName, type CommandContext, type CommandHandler } from './context.js';

interface BatchOutcome {
  writeErrors: Document[];
}

/** Runs `apply` on each statement with ordered/unordered semantics. */
function runBatch<T>(items: unknown, ordered: boolean, field: string, apply: (item: T, index: number) => void): BatchOutcome {
  if (!Array.isArray(items)) throw errors.typeMismatch(`BSON field '${field}' is missing or is not an array`);
  const writeErrors: Document[] = [];
  for (let i = 0; i < items.length; i += 1) {
    try {
      apply(items[i] as T, i);
    } catch (err) {
      writeErrors.push(toCommandError(err).toWriteError(i));
      if (ordered) break;
    }
  }
  return { writeErrors };
}

function reply(body: Document, outcome: BatchOutcome): Document {
  return outcome.writeErrors.length > 0 ? { ...body, writeErrors: outcome.writeErrors, ok: 1 } : { ...body, ok: 1 };
}

function insert(cmd: Document, ctx: CommandContext): Document {
  const coll = ctx.catalog.ensure(ctx.db, collectionName(cmd, 'insert'));
  let n = 0;
  const outcome = runBatch<Document>(cmd.documents, cmd.ordered !== false, 'insert.documents', (doc) => {
    if (Array.isArray(doc._id)) throw errors.badValue(`can't use an array for _id`);
    coll.insert(withIdFirst(doc));
    n += 1;
  });
  return reply({ n }, outcome);
}

interface UpdateStatement {
  q?: Document;
  u?: Document | Document[];
  upsert?: boolean;
  multi?: boolean;
  arrayFilters?: Document[];
  collation?: Document;
}

function update(cmd: Document, ctx: CommandContext): Document {
  const name = collectionName(cmd, 'update');
  const totals = { n: 0, nModified: 0 };
  const upserted: Document[] = [];
  const outcome = runBatch<UpdateStatement>(cmd.updates, cmd.ordered !== false, 'update.updates', (stmt, index) => {
    const result = applyUpdateStatement(ctx, name, stmt);
    totals.n += result.n;
    totals.nModified += result.nModified;
    if (result.upsertedId !== undefined) upserted.push({ index, _id: result.upsertedId });
  });
  return reply(upserted.length > 0 ? { ...totals, upserted } : totals, outcome);
}

function applyUpdateStatement(ctx: CommandContext, name: string, stmt: UpdateStatement): { n: number; nModified: number; upsertedId?: unknown } {
  if (!stmt.u || typeof stmt.u !== 'object') throw errors.failedToParse(`BSON field 'update.updates.u' is missing but a required field`);
  assertSimpleCollation(stmt.collation);
  const filter = stmt.q ?? {};
  const spec = { u: stmt.u, arrayFilters: stmt.arrayFilters, filter };
  const existing = ctx.catalog.get(ctx.db, name);
  const matches = existing ? existing.find(filter, stmt.multi === true ? 0 : 1) : [];
  if (matches.length === 0) {
    if (stmt.upsert !== true) return { n: 0, nModified: 0 };
    const doc = upsertDocument(filter, spec);
    ctx.catalog.ensure(ctx.db, name).insert(doc, 'upsert');
    return { n: 1, nModified: 0, upsertedId: doc._id };
  }
  if (stmt.multi === true && !Array.isArray(stmt.u) && !Object.keys(stmt.u)[0]?.startsWith('$')) {
    throw errors.failedToParse('multi update is not supported for replacement-style update');
  }
  let nModified = 0;
  for (const doc of matches) if (replaceIfChanged(existing as Collection, doc, updatedDocument(doc, spec, false))) nModified += 1;
  return { n: matches.length, nModified };
}

/** Swaps in the next version when it differs; false for a no-op update (mongod does not count those). */
export function replaceIfChanged(coll: Collection, previous: Document, next: UpdatedDocument): boolean {
  if (next.changed === null ? sameValue(next.doc, previous) : next.changed.size === 0) return false;
  coll.replace(previous, next.doc, next.changed ?? undefined);
  return true;
}

interface DeleteStatement {
  q?: Document;
  limit?: number;
  collation?: Document;
}

function remove(cmd: Document, ctx: CommandContext): Document {
  const coll = ctx.catalog.get(ctx.db, collectionName(cmd, 'delete'));
  let n = 0;
  const outcome = runBatch<DeleteStatement>(cmd.deletes, cmd.ordered !== false, 'delete.deletes', (stmt) => {
    assertSimpleCollation(stmt.collation);
    if (stmt.limit !== 0 && stmt.limit !== 1) throw errors.failedToParse(`The limit field in delete objects must be 0 or 1. Got ${String(stmt.limit)}`);
    if (!coll) return;
    for (const doc of coll.find(stmt.q ?? {}, stmt.limit)) {
      coll.remove(doc);
      n += 1;
    }
  });
  return reply({ n }, outcome);
}

export const writeCommands: Record<string, CommandHandler> = { insert, update, delete: remove };
