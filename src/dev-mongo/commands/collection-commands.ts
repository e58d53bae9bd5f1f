/**
 * create / drop / listCollections and the index commands.
 */
import { Long, type Document } from 'bson';
import type { IndexSpec } from '../collection-index.js';
import { errors } from '../errors.js';
import { compileFilter } from '../filter-match.js';
import { collectionName, type CommandContext, type CommandHandler } from './context.js';

const UNSUPPORTED_CREATE_OPTIONS = ['validator', 'capped', 'timeseries', 'viewOn', 'clusteredIndex', 'collation', 'changeStreamPreAndPostImages'];

function create(cmd: Document, ctx: CommandContext): Document {
  const name = collectionName(cmd, 'create');
  const unsupported = UNSUPPORTED_CREATE_OPTIONS.find((o) => cmd[o] !== undefined);
  if (unsupported) throw errors.notImplemented(`the create option '${unsupported}'`);
  if (!ctx.catalog.create(ctx.db, name)) throw errors.namespaceExists(`${ctx.db}.${name}`);
  return { ok: 1 };
}

function drop(cmd: Document, ctx: CommandContext): Document {
  const name = collectionName(cmd, 'drop');
  const nIndexesWas = ctx.catalog.get(ctx.db, name)?.listIndexes().length;
  ctx.catalog.drop(ctx.db, name);
  return { ...(nIndexesWas === undefined ? {} : { nIndexesWas }), ns: `${ctx.db}.${name}`, ok: 1 };
}

function listCollections(cmd: Document, ctx: CommandContext): Document {
  const matches = compileFilter(cmd.filter as Document | undefined);
  const infos = ctx.catalog.collections(ctx.db).map((c) =>
    cmd.nameOnly === true
      ? { name: c.name, type: 'collection' }
      : { name: c.name, type: 'collection', options: {}, info: { readOnly: false }, idIndex: { v: 2, key: { _id: 1 }, name: '_id_' } },
  );
  return emptyCursor(`${ctx.db}.$cmd.listCollections`, infos.filter(matches));
}

function emptyCursor(ns: string, firstBatch: Document[]): Document {
  return { cursor: { id: Long.ZERO, ns, firstBatch }, ok: 1 };
}

function createIndexes(cmd: Document, ctx: CommandContext): Document {
  const name = collectionName(cmd, 'createIndexes');
  const specs: unknown = cmd.indexes;
  if (!Array.isArray(specs) || specs.length === 0) throw errors.badValue('Must specify at least one index to create');
  const validated = specs.map(validateIndexSpec);
  const createdCollectionAutomatically = ctx.catalog.get(ctx.db, name) === undefined;
  const coll = ctx.catalog.ensure(ctx.db, name);
  const numIndexesBefore = coll.listIndexes().length;
  const created = validated.filter((spec) => coll.createIndex(spec)).length;
  return {
    numIndexesBefore,
    numIndexesAfter: coll.listIndexes().length,
    createdCollectionAutomatically,
    ...(created === 0 ? { note: 'all indexes already exist' } : {}),
    ok: 1,
  };
}

function validateIndexSpec(raw: unknown): IndexSpec {
  const spec = raw as Partial<IndexSpec> & Document;
  if (!spec.key || typeof spec.key !== 'object' || Object.keys(spec.key).length === 0) {
    throw errors.badValue(`Index keys cannot be an empty field. Give 'key' at least one field, like { key: { guildId: 1 } }`);
  }
  if (typeof spec.name !== 'string' || spec.name.length === 0) throw errors.badValue(`The index 'name' field is required`);
  for (const [field, kind] of Object.entries(spec.key)) {
    if (kind === 1 || kind === -1 || kind === 'hashed') continue;
    if (typeof kind === 'string') throw errors.notImplemented(`'${kind}' indexes (field '${field}')`);
    throw errors.badValue(`Values in the index key pattern can only be 1, -1 or a string; got ${String(kind)} for '${field}'`);
  }
  if (spec.collation !== undefined) throw errors.notImplemented('index collation');
  const ttl = spec.expireAfterSeconds;
  if (ttl !== undefined && (typeof ttl !== 'number' || ttl < 0)) {
    throw errors.badValue(`TTL index 'expireAfterSeconds' option must be a non-negative number, got ${String(ttl)}`);
  }
  return {
    v: 2,
    key: spec.key,
    name: spec.name,
    ...(spec.unique === true ? { unique: true } : {}),
    ...(spec.sparse === true ? { sparse: true } : {}),
    ...(spec.partialFilterExpression ? { partialFilterExpression: spec.partialFilterExpression } : {}),
    ...(ttl !== undefined ? { expireAfterSeconds: ttl } : {}),
  };
}

function listIndexes(cmd: Document, ctx: CommandContext): Document {
  const name = collectionName(cmd, 'listIndexes');
  const coll = ctx.catalog.get(ctx.db, name);
  if (!coll) throw errors.namespaceNotFound(`ns does not exist: ${ctx.db}.${name}`);
  return emptyCursor(`${ctx.db}.$cmd.listIndexes.${name}`, coll.listIndexes().map((s) => ({ ...s })));
}

function dropIndexes(cmd: Document, ctx: CommandContext): Document {
  const name = collectionName(cmd, 'dropIndexes');
  const coll = ctx.catalog.get(ctx.db, name);
  if (!coll) throw errors.namespaceNotFound(`ns not found ${ctx.db}.${name}`);
  const nIndexesWas = coll.listIndexes().length;
  const target: unknown = cmd.index;
  if (target === '*') {
    for (const indexName of [...coll.indexes.keys()]) coll.dropIndex(indexName);
  } else if (typeof target === 'string') {
    coll.dropIndex(target);
  } else if (Array.isArray(target)) {
    for (const indexName of target) coll.dropIndex(String(indexName));
  } else if (target && typeof target === 'object') {
    const keyText = JSON.stringify(target);
    const found = coll.listIndexes().find((s) => JSON.stringify(s.key) === keyText);
    if (!found) throw errors.indexNotFound(`can't find index with key: ${keyText}`);
    coll.dropIndex(found.name);
  } else {
    throw errors.typeMismatch(`BSON field 'dropIndexes.index' must be a string, an array of names or a key pattern`);
  }
  return { nIndexesWas, ok: 1 };
}

export const collectionCommands: Record<string, CommandHandler> = {
  create, drop, listCollections, createIndexes, listIndexes, dropIndexes,
};
