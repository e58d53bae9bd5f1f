/**
 * find / getMore / killCursors / count / distinct.
 */
import type { Document } from 'bson';
import { pathValues } from '../doc-paths.js';
import { cursorIdOf } from '../cursors.js';
import { errors } from '../errors.js';
import { queryResults } from '../query-results.js';
import { valueKey } from '../value-key.js';
import { assertSimpleCollation, collectionName, optionalCount, type CommandContext, type CommandHandler } from './context.js';

function find(cmd: Document, ctx: CommandContext): Document {
  const name = collectionName(cmd, 'find');
  assertSimpleCollation(cmd.collation);
  const limit = optionalCount(cmd, 'limit') ?? 0;
  const batchSize = optionalCount(cmd, 'batchSize');
  if (limit < 0 || (batchSize ?? 0) < 0) throw errors.badValue('limit and batchSize must be non-negative');
  const docs = queryResults(ctx.catalog.get(ctx.db, name), {
    filter: cmd.filter as Document | undefined,
    sort: cmd.sort as Document | undefined,
    projection: cmd.projection as Document | undefined,
    skip: optionalCount(cmd, 'skip'),
    limit,
  });
  return ctx.cursors.firstBatch(`${ctx.db}.${name}`, docs, batchSize, cmd.singleBatch === true);
}

function getMore(cmd: Document, ctx: CommandContext): Document {
  const name = collectionName(cmd, 'collection');
  return ctx.cursors.getMore(cursorIdOf(cmd.getMore), `${ctx.db}.${name}`, optionalCount(cmd, 'batchSize'));
}

function killCursors(cmd: Document, ctx: CommandContext): Document {
  collectionName(cmd, 'killCursors');
  const ids: unknown = cmd.cursors;
  if (!Array.isArray(ids)) throw errors.typeMismatch(`BSON field 'killCursors.cursors' is missing or is not an array`);
  return ctx.cursors.kill(ids.map(cursorIdOf));
}

function count(cmd: Document, ctx: CommandContext): Document {
  const name = collectionName(cmd, 'count');
  assertSimpleCollation(cmd.collation);
  const docs = queryResults(ctx.catalog.get(ctx.db, name), {
    filter: cmd.query as Document | undefined,
    skip: optionalCount(cmd, 'skip'),
    limit: optionalCount(cmd, 'limit'),
  });
  return { n: docs.length, ok: 1 };
}

function distinct(cmd: Document, ctx: CommandContext): Document {
  const name = collectionName(cmd, 'distinct');
  assertSimpleCollation(cmd.collation);
  if (typeof cmd.key !== 'string') throw errors.typeMismatch(`BSON field 'distinct.key' is missing or is not a string`);
  const key = cmd.key;
  const docs = queryResults(ctx.catalog.get(ctx.db, name), { filter: cmd.query as Document | undefined });
  const seen = new Map<string, unknown>();
  for (const doc of docs) {
    for (const value of pathValues(doc, key)) {
      if (value !== undefined && !seen.has(valueKey(value))) seen.set(valueKey(value), value);
    }
  }
  return { values: [...seen.values()], ok: 1 };
}

export const readCommands: Record<string, CommandHandler> = { find, getMore, killCursors, count, distinct };
