import type { AnyBulkWriteOperation, Document } from 'mongodb';
import type { BatchTally, DayDelta, PlayerDelta } from './batch-tally.js';
import type { StatDoc, StatKind } from './documents.js';
import { fieldKey } from './map-keys.js';

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

/**
 * Every aggregate update of one batch: one per server, one per player, one per player per day.
 * Weapon and killer-victim counts ride on those documents as maps, so the number of updates grows
 * with the players and days a batch touches, never with its rows.
 * Each filter carries `appliedSeq < seq`, and each update sets `appliedSeq: seq`, so a document
 * already carrying this batch does not match; the upsert then collides with its `_id` (E11000),
 * which the caller reads as "already applied".
 */
export function statsOps(scope: BatchScope, t: BatchTally): Op[] {
  const keys = new Map<string, string>();
  const key = (k: string): string => {
    let f = keys.get(k);
    if (f === undefined) keys.set(k, (f = fieldKey(k)));
    return f;
  };
  const ops: Op[] = [totalsOp(scope, t)];
  for (const p of t.players.values()) ops.push(playerOp(scope, p, key));
  for (const [day, players] of t.days) {
    for (const [id, d] of players) ops.push(dayOp(scope, day, id, d, key));
  }
  return ops;
}

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
 * killer-victim counts as one packed segment appended to `pairs` (see {@link encodePairs}).
 */
function dayOp(scope: BatchScope, day: string, id: string, d: DayDelta, key: (k: string) => string): Op {
  const inc: Document = { kills: d.kills, deaths: d.deaths, suicides: d.suicides };
  for (const [weapon, n] of d.weapons) inc[`weapons.${key(weapon)}`] = n;
  const update: Document = {
    $inc: inc,
    $max: { longestKill: d.longestKill },
    $set: { appliedSeq: scope.seq },
    $setOnInsert: { serverId: scope.serverId, k: 'day', day, playerId: id },
  };
  if (d.victims.size > 0 || d.killedBy.size > 0) update.$push = { pairs: encodePairs(d.victims, d.killedBy) };
  return { updateOne: { filter: guard(scope, statId(scope.serverId, 'day', day, id)), update, upsert: true } };
}

/**
 * One batch's killer-victim counts of a player-day, as JSON text `[[victimId, kills, ...], [killerId, deaths, ...]]`.
 * Why packed, not a map with an `$inc` per entry: pairs number nearly one per PvP kill (a server with
 * thousands of players rarely sees the same pair twice a day), and one field per pair made them
 * most of the bytes and nearly all of the per-field work of a write, on both ends of the wire. A day
 * document gains one segment per batch that touches the player, so it grows with that player's rows
 * that day, and readers (player-stats.ts) add the segments up.
 */
export function encodePairs(victims: ReadonlyMap<string, number>, killedBy: ReadonlyMap<string, number>): string {
  const flat = (m: ReadonlyMap<string, number>): (string | number)[] => {
    const out: (string | number)[] = [];
    for (const [id, n] of m) out.push(id, n);
    return out;
  };
  return JSON.stringify([flat(victims), flat(killedBy)]);
}

/** Adds one {@link encodePairs} segment into running victim and killer counts. */
export function addPairs(segment: string, victims: Map<string, number>, killedBy: Map<string, number>): void {
  const [v = [], k = []] = JSON.parse(segment) as [(string | number)[]?, (string | number)[]?];
  for (const [flat, into] of [[v, victims], [k, killedBy]] as const) {
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const id = String(flat[i]);
      into.set(id, (into.get(id) ?? 0) + Number(flat[i + 1]));
    }
  }
}

/** Old value of a numeric field, 0 when the document (or the map entry) is new. */
const old = (field: string): Document => ({ $ifNull: [`$${field}`, 0] });

/**
 * A player's all-time figures, as an update pipeline so the streak join (see StreakState) reads the
 * stored current streak: best = max(best, batch best, current + batch lead); current = batch reset ?
 * batch tail : current + batch tail. Every string goes through `$literal`: a name like `$x` is data.
 */
function playerOp(scope: BatchScope, p: PlayerDelta, key: (k: string) => string): Op {
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
  for (const [weapon, n] of p.weapons) {
    const field = `weapons.${key(weapon)}`;
    set[field] = { $add: [old(field), n] };
  }
  return { updateOne: { filter: guard(scope, statId(scope.serverId, 'player', p.id)), update: [{ $set: set }], upsert: true } };
}
