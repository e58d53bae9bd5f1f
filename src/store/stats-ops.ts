import type { AnyBulkWriteOperation, Document } from 'mongodb';
import { daySegment, type BatchTally, type DayDelta, type PlayerDelta } from './batch-tally.js';
import type { StatDoc, StatKind } from './documents.js';
import { fieldKey } from './map-keys.js';
import { segmentBinary } from './pair-segment.js';

/** Identity of the server whose batch is applied, and the batch number that guards every document. */
export interface BatchScope {
  guildId: string;
  serverId: string;
  seq: number;
}

type Op = AnyBulkWriteOperation<StatDoc>;

/** The `_id` of an aggregate: JSON of its parts, so no player id or day can collide with another key. */
export function statId(serverId: string, k: StatKind, ...parts: string[]): string {
  return JSON.stringify([serverId, k, ...parts]);
}

/** Bounds of one bulkWrite call: serializing it is one synchronous step of the main thread. */
export interface ChunkLimits {
  ops: number;
  /** Rough BSON bytes (an estimate, from the segments' text and the maps' sizes). */
  bytes: number;
}

/**
 * Every aggregate update of one batch, in chunks built as they are taken: one update per server,
 * one per player, one per player per day. Weapon and killer-victim counts ride on those documents,
 * so the number of updates grows with the players and days a batch touches, never with its rows.
 * Each filter carries `appliedSeq < seq`, and each update sets `appliedSeq: seq`, so a document
 * already carrying this batch does not match; the upsert then collides with its `_id` (E11000),
 * which the caller reads as "already applied". Any split is safe: every update is guarded on its own.
 */
export function* statsOpChunks(scope: BatchScope, t: BatchTally, limits: ChunkLimits): Generator<Op[]> {
  // Whole paths, built once per weapon: a fresh `weapons.` concatenation per update is a string
  // for the serializer to flatten each time.
  const keys = new Map<string, string>();
  const key = (k: string): string => {
    let f = keys.get(k);
    if (f === undefined) keys.set(k, (f = `weapons.${fieldKey(k)}`));
    return f;
  };
  let chunk: Op[] = [totalsOp(scope, t)];
  let bytes = 0;
  const add = (op: Op, size: number): Op[] | null => {
    const full = chunk.length >= limits.ops || bytes + size > limits.bytes ? chunk : null;
    if (full) {
      chunk = [];
      bytes = 0;
    }
    chunk.push(op);
    bytes += size;
    return full;
  };
  for (const p of t.players.values()) {
    const full = add(playerOp(scope, t, p, key), PLAYER_OP_BYTES + p.weapons.size * PLAYER_WEAPON_BYTES);
    if (full) yield full;
  }
  for (const [day, players] of t.days) {
    for (const [id, d] of players) {
      const size = DAY_OP_BYTES + d.weapons.size * DAY_WEAPON_BYTES + (daySegment(d)?.byteLength ?? 0);
      const full = add(dayOp(scope, t, day, id, d, key), size);
      if (full) yield full;
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Rough BSON sizes of the updates, for chunking only. */
const PLAYER_OP_BYTES = 900;
const PLAYER_WEAPON_BYTES = 90;
const DAY_OP_BYTES = 400;
const DAY_WEAPON_BYTES = 40;

function guard(scope: BatchScope, id: string): Document {
  return { _id: id, guildId: scope.guildId, appliedSeq: { $lt: scope.seq } };
}

function totalsOp(scope: BatchScope, t: BatchTally): Op {
  const update: Document = {
    $inc: { ...t.totals },
    $set: { appliedSeq: scope.seq },
    $setOnInsert: { serverId: scope.serverId, k: 'totals' },
  };
  if (t.firstTime !== null) update.$min = { firstTime: t.firstTime };
  if (t.lastTime !== null) update.$max = { lastTime: t.lastTime };
  return { updateOne: { filter: guard(scope, statId(scope.serverId, 'totals')), update, upsert: true } };
}

/**
 * A player's figures in one day: weapon kills as a map (`$inc` per weapon), and the batch's
 * killer-victim counts as one binary segment appended to `pairs` (pair-segment.ts).
 * Why a segment, not a map with an `$inc` per entry: pairs number nearly one per PvP kill, and one
 * field per pair made them most of the bytes and nearly all of the per-field work of a write, on
 * both ends of the wire. Readers (player-stats.ts) add the segments up.
 */
function dayOp(scope: BatchScope, t: BatchTally, day: string, id: string, d: DayDelta, key: (k: string) => string): Op {
  const inc: Document = { kills: d.kills, deaths: d.deaths, suicides: d.suicides };
  d.weapons.forEach(t.weapons, (weapon, n) => { inc[key(weapon)] = n; });
  const update: Document = {
    $inc: inc,
    $max: { longestKill: d.longestKill },
    $set: { appliedSeq: scope.seq },
    $setOnInsert: { serverId: scope.serverId, k: 'day', day, playerId: id },
  };
  const segment = daySegment(d);
  if (segment !== null) update.$push = { pairs: segmentBinary(segment) };
  return { updateOne: { filter: guard(scope, statId(scope.serverId, 'day', day, id)), update, upsert: true } };
}

/**
 * A player's all-time figures. With the stored streak known (`baseStreak`, streak-bases.ts) or not
 * needed (no kill before the player's first death in the batch), plain operators: the streak join
 * (see StreakState) is best = max(best, batch best, stored + batch lead), current = batch reset ?
 * batch tail : stored + batch tail, and stored + 0 never beats the stored best. Otherwise (the
 * writer reads the bases before recording a batch, so only a tally built by other code lacks one)
 * the update pipeline that reads the stored streak.
 */
function playerOp(scope: BatchScope, t: BatchTally, p: PlayerDelta, key: (k: string) => string): Op {
  const s = p.streak;
  if (p.baseStreak === undefined && s.lead > 0) return playerPipelineOp(scope, t, p, key);
  const inc: Document = { kills: p.kills, deaths: p.deaths, suicides: p.suicides };
  p.weapons.forEach(t.weapons, (weapon, n) => { inc[key(weapon)] = n; });
  const set: Document = { appliedSeq: scope.seq, no: p.no };
  if (p.name !== '') set.name = p.name;
  if (p.platform !== undefined) set.platform = p.platform;
  let best = s.best;
  if (p.baseStreak === undefined) {
    if (s.reset) set.streak = s.tail;
    else inc.streak = s.tail;
  } else {
    best = Math.max(best, p.baseStreak + s.lead);
    set.streak = s.reset ? s.tail : p.baseStreak + s.tail;
  }
  const update: Document = {
    $inc: inc,
    $max: { longestKill: p.longestKill, bestStreak: best, lastSeen: p.lastSeen },
    $set: set,
    $setOnInsert: { serverId: scope.serverId, k: 'player', playerId: p.id },
  };
  return { updateOne: { filter: guard(scope, statId(scope.serverId, 'player', p.id)), update, upsert: true } };
}

/** Old value of a numeric field, 0 when the document (or the map entry) is new. */
const old = (field: string): Document => ({ $ifNull: [`$${field}`, 0] });

/**
 * {@link playerOp} as an update pipeline, so the streak join reads the stored current streak.
 * Every string goes through `$literal`: a name like `$x` is data.
 */
function playerPipelineOp(scope: BatchScope, t: BatchTally, p: PlayerDelta, key: (k: string) => string): Op {
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
    no: { $literal: p.no },
  };
  if (p.name !== '') set.name = { $literal: p.name };
  if (p.platform !== undefined) set.platform = { $literal: p.platform };
  p.weapons.forEach(t.weapons, (weapon, n) => {
    const field = key(weapon);
    set[field] = { $add: [old(field), n] };
  });
  return { updateOne: { filter: guard(scope, statId(scope.serverId, 'player', p.id)), update: [{ $set: set }], upsert: true } };
}
