/**
 * findAndModify: one document, chosen by query and sort, updated, upserted or removed, and
 * returned as it was before (default) or after (`new: true`), projected by `fields`.
 */
import type { Document } from 'bson';
import { updatedDocument, upsertDocument } from '../apply-update.js';
import { errors } from '../errors.js';
import { projectDocs, queryResults } from '../query-results.js';
import { assertSimpleCollation, collectionName, type CommandContext, type CommandHandler } from './context.js';
import { replaceIfChanged } from './write-commands.js';

function findAndModify(cmd: Document, ctx: CommandContext): Document {
  const name = collectionName(cmd, Object.keys(cmd)[0] as string);
  assertSimpleCollation(cmd.collation);
  const remove = cmd.remove === true;
  const u = cmd.update as Document | Document[] | undefined;
  if (remove === (u !== undefined)) throw errors.failedToParse('Either an update or remove=true must be specified');
  if (remove && (cmd.new === true || cmd.upsert === true)) {
    throw errors.failedToParse('Cannot specify both an update and remove=true, or new/upsert with remove');
  }
  const filter = (cmd.query as Document | undefined) ?? {};
  const coll = ctx.catalog.get(ctx.db, name);
  const [target] = queryResults(coll, { filter, sort: cmd.sort as Document | undefined, limit: 1 });
  const project = (doc: Document | undefined) => projected(doc, cmd.fields as Document | undefined);

  if (remove) {
    if (target && coll) coll.remove(target);
    return { lastErrorObject: { n: target ? 1 : 0 }, value: project(target), ok: 1 };
  }
  const spec = { u: u as Document | Document[], arrayFilters: cmd.arrayFilters as Document[] | undefined, filter };
  if (!target) {
    if (cmd.upsert !== true) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
    const doc = upsertDocument(filter, spec);
    ctx.catalog.ensure(ctx.db, name).insert(doc, 'upsert');
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
      value: cmd.new === true ? project(doc) : null,
      ok: 1,
    };
  }
  const next = updatedDocument(target, spec, false);
  if (coll) replaceIfChanged(coll, target, next);
  return { lastErrorObject: { n: 1, updatedExisting: true }, value: project(cmd.new === true ? next.doc : target), ok: 1 };
}

function projected(doc: Document | undefined, fields: Document | undefined): Document | null {
  if (!doc) return null;
  if (!fields || Object.keys(fields).length === 0) return doc;
  return projectDocs([doc], fields)[0] ?? null;
}

export const findAndModifyCommands: Record<string, CommandHandler> = { findAndModify, findandmodify: findAndModify };
