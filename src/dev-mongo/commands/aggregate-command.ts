/**
 * aggregate, run by mingo. A leading `$match` goes through the collection's hash lookups first.
 * Stages that write ($out, $merge) or need a replica set ($changeStream) are refused as such.
 */
import type { Document } from 'bson';
import { aggregate as mingoAggregate } from 'mingo';
import { cloneValue } from '../doc-paths.js';
import { errors } from '../errors.js';
import { inDocumentOrder } from '../projection-order.js';
import { optionalCount, type CommandContext, type CommandHandler } from './context.js';
import { assertSimpleCollation } from './context.js';

const WRITING_STAGES = new Set(['$out', '$merge']);

function stageName(stage: unknown): string {
  if (stage === null || typeof stage !== 'object' || Array.isArray(stage)) {
    throw errors.typeMismatch('Each element of the \'pipeline\' array must be an object');
  }
  const keys = Object.keys(stage);
  if (keys.length !== 1) throw errors.badValue('A pipeline stage specification object must contain exactly one field.');
  return keys[0] as string;
}

function aggregate(cmd: Document, ctx: CommandContext): Document {
  const pipeline: unknown = cmd.pipeline;
  if (!Array.isArray(pipeline)) throw errors.typeMismatch(`'pipeline' option must be specified as an array`);
  const stages = pipeline.map(stageName);
  if (stages.includes('$changeStream')) throw errors.changeStreamsUnsupported();
  const writing = stages.find((s) => WRITING_STAGES.has(s));
  if (writing) throw errors.notImplemented(`the ${writing} stage`);
  if (cmd.explain === true) throw errors.notImplemented('explain');
  assertSimpleCollation(cmd.collation);
  const cursorOption: unknown = cmd.cursor;
  if (cursorOption === null || typeof cursorOption !== 'object') {
    throw errors.failedToParse(`The 'cursor' option is required, except for aggregate with the explain argument`);
  }
  const onCollection = typeof cmd.aggregate === 'string';
  const name = onCollection ? (cmd.aggregate as string) : '$cmd.aggregate';
  const results = runPipeline(ctx, onCollection ? name : undefined, pipeline as Document[]);
  return ctx.cursors.firstBatch(`${ctx.db}.${name}`, results, optionalCount(cursorOption as Document, 'batchSize'));
}

function runPipeline(ctx: CommandContext, name: string | undefined, pipeline: Document[]): Document[] {
  const coll = name === undefined ? undefined : ctx.catalog.get(ctx.db, name);
  const first = pipeline[0];
  const leadingMatch = first && '$match' in first ? (first.$match as Document) : undefined;
  const input = coll ? coll.find(leadingMatch) : [];
  const rest = leadingMatch ? pipeline.slice(1) : pipeline;
  const collectionResolver = (from: string): Document[] =>
    (ctx.catalog.get(ctx.db, from)?.find(undefined) ?? []).map(cloneValue);
  try {
    // mingo changes nested input objects in some stages ($set on a dotted path): give it copies.
    return runStages(input.map(cloneValue), rest, (docs, stages) => mingoAggregate(docs, stages, { collectionResolver }) as Document[]);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const unknownStage = /unknown pipeline operator:? '?(\$\w+)/i.exec(message);
    if (unknownStage?.[1]) throw errors.unknownPipelineStage(unknownStage[1]);
    throw errors.badValue(message);
  }
}

/** Runs the stages with mingo, each `$project` alone so its output takes mongod's field order. */
function runStages(docs: Document[], stages: Document[], run: (docs: Document[], stages: Document[]) => Document[]): Document[] {
  let out = docs;
  let from = 0;
  stages.forEach((stage, i) => {
    if (!('$project' in stage)) return;
    const input = run(out, stages.slice(from, i));
    out = run(input, [stage]).map((doc, j) => inDocumentOrder(doc, input[j] as Document, stage.$project as Document));
    from = i + 1;
  });
  return run(out, stages.slice(from));
}

export const aggregateCommands: Record<string, CommandHandler> = { aggregate };
