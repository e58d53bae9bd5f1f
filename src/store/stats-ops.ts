import type { AnyBulkWriteOperation, Document } from 'mongodb';
import type { StatDoc, StatKind } from './documents.js';
import type { EncodedPlayer, EncodedSummary } from './summary-codec.js';

/** Identity of the server whose batch is applied, and the batch number that guards every document. */
export interface BatchScope {
  guildId: string;
  serverId: string;
  seq: number;
}

type Op = AnyBulkWriteOperation<StatDoc>;

/** The `_id` of an aggregate: JSON of its parts, so no player id or weapon name can collide with another key. */
export function statId(serverId: string, k: StatKind, ...parts: string[]): string {
  return JSON.stringify([serverId, k, ...parts]);
}

/**
 * Every aggregate update of one batch. Each filter carries `appliedSeq < seq`, and each update sets
 * `appliedSeq: seq`, so a document already carrying this batch does not match; the upsert then
 * collides with its `_id` (E11000), which the caller reads as "already applied".
 */
export function statsOps(scope: BatchScope, s: EncodedSummary): Op[] {
  const ops: Op[] = [totalsOp(scope, s)];
  for (const p of s.players) {
    ops.push(playerOp(scope, p));
    for (const [weapon, kills] of p.weapons) {
      ops.push(incOp(scope, 'weapon', [p.id, weapon], { kills }, {}, { playerId: p.id, weapon }));
    }
  }
  for (const d of s.days) {
    for (const t of d.players) {
      ops.push(incOp(scope, 'day', [d.day, t.id], { kills: t.kills, deaths: t.deaths, suicides: t.suicides },
        { longestKill: t.longestKill }, { day: d.day, playerId: t.id }));
      for (const [weapon, kills] of t.weapons) {
        ops.push(incOp(scope, 'weapon-day', [d.day, t.id, weapon], { kills }, {}, { day: d.day, playerId: t.id, weapon }));
      }
    }
    for (const [pair, kills] of d.pairs) {
      const [killerId = '', victimId = ''] = pair.split('>');
      ops.push(incOp(scope, 'pair-day', [d.day, killerId, victimId], { kills }, {}, { day: d.day, killerId, victimId }));
    }
  }
  return ops;
}

function guard(scope: BatchScope, id: string): Document {
  return { _id: id, guildId: scope.guildId, appliedSeq: { $lt: scope.seq } };
}

function incOp(scope: BatchScope, k: StatKind, parts: string[], inc: Record<string, number>,
  max: Record<string, number>, identity: Record<string, string>): Op {
  const update: Document = {
    $inc: inc,
    $set: { appliedSeq: scope.seq },
    $setOnInsert: { serverId: scope.serverId, k, ...identity },
  };
  if (Object.keys(max).length > 0) update.$max = max;
  return { updateOne: { filter: guard(scope, statId(scope.serverId, k, ...parts)), update, upsert: true } };
}

function totalsOp(scope: BatchScope, s: EncodedSummary): Op {
  const update: Document = {
    $inc: { ...s.totals },
    $set: { appliedSeq: scope.seq },
    $setOnInsert: { serverId: scope.serverId, k: 'totals' },
  };
  if (s.firstTime !== null) update.$min = { firstTime: s.firstTime };
  if (s.lastTime !== null) update.$max = { lastTime: s.lastTime };
  return { updateOne: { filter: guard(scope, statId(scope.serverId, 'totals')), update, upsert: true } };
}

/** Old value of a numeric field, 0 when the document is new. */
const old = (field: string): Document => ({ $ifNull: [`$${field}`, 0] });

/**
 * A player's all-time figures, as an update pipeline so the streak join (see StreakState) reads the
 * stored current streak: best = max(best, batch best, current + batch lead); current = batch reset ?
 * batch tail : current + batch tail. Every string goes through `$literal`: a name like `$x` is data.
 */
function playerOp(scope: BatchScope, p: EncodedPlayer): Op {
  const set: Document = {
    serverId: { $literal: scope.serverId },
    k: { $literal: 'player' },
    playerId: { $literal: p.id },
    kills: { $add: [old('kills'), p.kills] },
    deaths: { $add: [old('deaths'), p.deaths] },
    suicides: { $add: [old('suicides'), p.suicides] },
    longestKill: { $max: [old('longestKill'), p.longestKill] },
    bestStreak: { $max: [old('bestStreak'), p.streak.best, { $add: [old('streak'), p.streak.lead] }] },
    streak: p.streak.reset ? { $literal: p.streak.tail } : { $add: [old('streak'), p.streak.tail] },
    lastSeen: { $max: [old('lastSeen'), p.lastSeen] },
    appliedSeq: { $literal: scope.seq },
  };
  if (p.name !== '') set.name = { $literal: p.name };
  if (p.platform !== undefined) set.platform = { $literal: p.platform };
  return { updateOne: { filter: guard(scope, statId(scope.serverId, 'player', p.id)), update: [{ $set: set }], upsert: true } };
}
