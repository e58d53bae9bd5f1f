import {
  emptySummary, mergeInto, resetServerState,
  type DeathEvent, type MalformedRow, type MissionLevelTable, type ServerAnnouncement, type StatsSummary,
} from '../../parsers/index.js';
import type { IoTaskContext } from '../pool/index.js';
import type { ProductionTasks } from '../worker/index.js';
import {
  baseName, discoverLayout, readDeathLogUpdate, readServerLogUpdate, newServerLogCursor, newDeathLogCursor,
  type DeathLogCursor, type FileCursor as SourceCursor, type LogChunk,
} from '../sources/index.js';
import { toRecentEvents, type FileCursor as StoredCursor, type IngestTarget, type IngestWork, type OnlinePlayer } from '../store/index.js';
import type { FeedDraft } from '../store/outbox.js';
import { feedKindOf } from '../feeds/render/index.js';
import type { FeedItem } from './feed.js';
import { restoreCursors, seedOnline, toStoredCursor, type ServerWatch } from './server-watch.js';

/** What a tick needs besides the pool: each part asks only for what it uses. */
export interface TickDeps {
  writer: { add(target: IngestTarget, work: IngestWork): Promise<void>; flush(target: IngestTarget): Promise<void>; resume(target: IngestTarget): Promise<StoredCursor[]> };
  online: { load(target: IngestTarget): Promise<OnlinePlayer[]>; save(target: IngestTarget, players: OnlinePlayer[]): Promise<void> };
  publish(item: FeedItem): void;
  /**
   * The server's season starts (src/store/seasons.ts): the parser splits a day at a wipe. Read after
   * the bytes, so a wipe recorded before a row was read always cuts it. Absent: no seasons.
   */
  seasonStarts?(target: IngestTarget): Promise<readonly number[]>;
  /** Most bytes read from one file per tick: a huge backlog is taken in slices over several ticks. */
  maxReadBytes: number;
  /** Which READY missions the events feed posts (MISSION_LEVELS); absent: the parser's default table. */
  missionLevels?: MissionLevelTable;
  now(): number;
}

export interface TickReport {
  rows: number;
  malformed: number;
  /** The first malformed rows, each with its file and line, for the admin to look at. */
  malformedSample: MalformedRow[];
  kills: number;
  announcements: number;
  bytesRead: number;
  /** Seconds between the newest event read and now; null when nothing was read. */
  lagSeconds: number | null;
  /** Kills read but not carried back from the worker (a huge backlog): counted, not posted. */
  eventsOmitted: number;
  /**
   * A file never read before is read silently until its end is reached: its old rows are history,
   * not news. True when this tick published nothing for that reason.
   */
  catchingUp: boolean;
}

type TickContext = Pick<IoTaskContext<ProductionTasks>, 'cpu' | 'signal'>;

/**
 * One tick for one game server: read new bytes (main thread, async), parse them in a worker, write
 * stats and cursors exactly once, and only then publish the new kills and announcements.
 */
export async function runTick(deps: TickDeps, watch: ServerWatch, ctx: TickContext): Promise<TickReport> {
  if (watch.layout === null) await prepare(deps, watch);
  else if (missingPart(watch) && deps.now() - watch.layoutCheckedAt > REDISCOVER_MS) await rediscover(watch, deps.now());
  const death = watch.deathLog ? await readDeathLog(deps, watch, watch.deathLog, ctx) : null;
  ctx.signal.throwIfAborted();
  const server = watch.layout?.serverLogPath ? await readServerLog(deps, watch, ctx) : null;
  ctx.signal.throwIfAborted();

  const cursors = [...(death?.files ?? []), server?.cursor].filter((c): c is SourceCursor => c != null);
  const before = [watch.deathLog?.file, watch.serverLog];
  const changed = (death?.summary.totals.rows ?? 0) > 0 || cursors.some((c) => !before.some((b) => b && samePosition(b, c)));
  if (death?.backlog) watch.catchingUp.deathLog = true;
  const quiet = { ...watch.catchingUp };
  if (changed) {
    // The feed items go with the batch that counts them: durable together, posted from the outbox.
    const feed = feedDrafts(watch, quiet.deathLog ? [] : death?.events ?? [], quiet.serverLog ? [] : server?.announcements ?? []);
    await deps.writer.add(watch.target, { summary: death?.summary ?? emptySummary(), cursors: cursors.map(toStoredCursor), recentEvents: death?.recent ?? [], ...(feed.length > 0 ? { feed } : {}) });
    await deps.writer.flush(watch.target);
  }
  // Durable: the cursors must move now (reading these bytes again would count them twice), and
  // only then may the news go out. Nothing below may stop the cursors from moving.
  if (death) {
    watch.deathLog = death.cursor;
    // Caught up only at the end of the live file: the end of an older one is still history.
    if (death.complete && death.live !== false) watch.catchingUp.deathLog = false;
  }
  const previous = watch.serverState;
  if (server) {
    watch.serverLog = server.cursor;
    watch.serverLogLastTime = server.lastTime;
    watch.serverState = server.state;
    if (server.complete) watch.catchingUp.serverLog = false;
  }
  const kills = death?.events.filter((e) => e.kind === 'kill') ?? [];
  const announcements = server?.announcements ?? [];
  if (!quiet.deathLog) for (const event of kills) deps.publish({ kind: 'kill', guildId: watch.target.guildId, serverId: watch.target.serverId, event });
  if (server && !quiet.serverLog) publishServerNews(deps, watch, announcements);
  if (server && !samePlayers(previous, server.state)) await deps.online.save(watch.target, onlineList(server.state.players));
  const lastTime = death?.summary.lastTime ?? null;
  return {
    rows: death?.summary.totals.rows ?? 0, malformed: death?.summary.totals.malformed ?? 0, malformedSample: death?.malformed ?? [],
    kills: death?.summary.totals.kills ?? 0, eventsOmitted: death?.eventsOmitted ?? 0,
    announcements: announcements.length, bytesRead: (death?.bytes ?? 0) + (server?.bytes ?? 0),
    lagSeconds: lastTime === null ? null : Math.max(0, Math.round((deps.now() - lastTime) / 1000)),
    catchingUp: quiet.deathLog || quiet.serverLog,
  };
}

/** A live tick's deaths (every kind) for the killfeed, then its announcements routed to their feed. */
function feedDrafts(watch: ServerWatch, events: readonly DeathEvent[], announcements: readonly ServerAnnouncement[]): FeedDraft[] {
  const serverName = watch.name;
  const drafts: FeedDraft[] = events.map((event) => ({ purpose: 'killfeed', serverName, event }));
  for (const announcement of announcements) {
    const purpose = feedKindOf(announcement);
    if (purpose) drafts.push({ purpose, serverName, announcement });
  }
  return drafts;
}

/** A folder or log not found yet is looked for again this often (a new server creates them later). */
const REDISCOVER_MS = 5 * 60_000;

function missingPart(watch: ServerWatch): boolean {
  return watch.layout !== null && (watch.layout.deathLogDir === null || watch.layout.serverLogPath === null);
}

/** Looks again for what was missing; a newly found file is new to us, so it is caught up silently. */
async function rediscover(watch: ServerWatch, now: number): Promise<void> {
  watch.layoutCheckedAt = now;
  const found = await discoverLayout(watch.source, {
    ...(watch.layout?.deathLogDir ? { deathLogDir: watch.layout.deathLogDir } : {}),
    ...(watch.layout?.serverLogPath ? { serverLogPath: watch.layout.serverLogPath } : {}),
  });
  if (watch.layout?.deathLogDir === null && found.deathLogDir !== null) {
    watch.deathLog = newDeathLogCursor(found.deathLogDir);
    watch.catchingUp.deathLog = true;
  }
  if (watch.layout?.serverLogPath === null && found.serverLogPath !== null) watch.catchingUp.serverLog = true;
  watch.layout = { deathLogDir: found.deathLogDir, serverLogPath: found.serverLogPath };
}

/** First tick of a watch: find the files, put durable cursors back, note which files are new to us. */
async function prepare(deps: TickDeps, watch: ServerWatch): Promise<void> {
  const found = await discoverLayout(watch.source, {
    ...(watch.configured.deathLogDir === undefined ? {} : { deathLogDir: watch.configured.deathLogDir }),
    ...(watch.configured.serverLogPath === undefined ? {} : { serverLogPath: watch.configured.serverLogPath }),
  });
  const layout = { deathLogDir: found.deathLogDir, serverLogPath: found.serverLogPath };
  if (layout.deathLogDir === null && layout.serverLogPath === null) {
    throw new Error(`No deathlogs folder and no Deadside.log were found on ${watch.source.label} (searched ${found.foldersListed} folders). Set the paths for this server with /server edit.`);
  }
  restoreCursors(watch, layout, await deps.writer.resume(watch.target));
  watch.serverState = seedOnline(watch.serverState, await deps.online.load(watch.target));
  watch.layout = layout;
  watch.layoutCheckedAt = deps.now();
}

interface DeathLogRead {
  cursor: DeathLogCursor;
  /** Every file read, as far as it was read (the last is `cursor.file`). */
  files: SourceCursor[];
  summary: StatsSummary; events: DeathEvent[]; eventsOmitted: number; malformed: MalformedRow[];
  recent: ReturnType<typeof toRecentEvents>; bytes: number;
  /** The read reached the end of the live file. */
  complete: boolean;
  /** More than one file behind: what is read until the end of the live file is history. */
  backlog: boolean;
  /** The last file read is the live one (null: the folder was not listed, so not known). */
  live: boolean | null;
}

async function readDeathLog(deps: TickDeps, watch: ServerWatch, cursor: DeathLogCursor, ctx: TickContext): Promise<DeathLogRead> {
  const update = await readDeathLogUpdate(watch.source, cursor, { maxBytes: deps.maxReadBytes, now: deps.now(), list: watch.catchingUp.deathLog });
  const summary = emptySummary();
  const events: DeathEvent[] = [];
  const recent: ReturnType<typeof toRecentEvents> = [];
  const malformed: MalformedRow[] = [];
  const files = [...update.files];
  let bytes = 0;
  let eventsOmitted = 0;
  const seasonStarts = update.chunks.length > 0 ? await deps.seasonStarts?.(watch.target) ?? [] : [];
  for (const chunk of update.chunks) {
    bytes += chunk.bytes.length;
    const out = await ctx.cpu('parse-death-log', parseInput(chunk, watch.utcOffsetMinutes, seasonStarts), { transfer: [chunk.bytes.buffer as ArrayBuffer] });
    mergeInto(summary, out.summary);
    for (const e of out.events ?? []) events.push(e);
    eventsOmitted += out.eventsOmitted ?? 0;
    recent.push(...toRecentEvents(baseName(chunk.file), out.events ?? []));
    for (const m of out.malformed) if (malformed.length < MALFORMED_SAMPLE) malformed.push(m);
    const at = files.findIndex((f) => f.file === chunk.file);
    const read = files[at];
    if (read) files[at] = { ...read, carry: out.carry, nextLine: out.nextLine };
  }
  const file = files.at(-1) ?? update.cursor.file;
  return { cursor: { ...update.cursor, file }, files, summary, events, eventsOmitted, malformed, recent: recent.slice(-50), bytes, complete: file === null || file.offset >= file.size, backlog: update.backlog, live: update.live };
}

const MALFORMED_SAMPLE = 10;

function parseInput(chunk: LogChunk, utcOffsetMinutes: number, seasonStarts: readonly number[]): ProductionTasks['parse-death-log']['input'] {
  return {
    file: baseName(chunk.file), bytes: chunk.bytes, carry: chunk.carry, nextLine: chunk.nextLine, final: chunk.final,
    utcOffsetMinutes, includeEvents: true, maxEvents: 5_000, seasonStarts,
  };
}

interface ServerLogRead {
  cursor: SourceCursor; state: ServerWatch['serverState']; announcements: ServerAnnouncement[]; lastTime: number | null; bytes: number;
  /** The read reached the end of the log. */
  complete: boolean;
}

async function readServerLog(deps: TickDeps, watch: ServerWatch, ctx: TickContext): Promise<ServerLogRead | null> {
  const path = watch.layout?.serverLogPath;
  if (!path) return null;
  const update = await readServerLogUpdate(watch.source, watch.serverLog ?? newServerLogCursor(path), { maxBytes: deps.maxReadBytes });
  // A restarted server (log shrunk or reopened): nobody is online until the new log says so.
  const state = update.resetOnlineState ? resetServerState(watch.serverState) : watch.serverState;
  const complete = update.cursor.offset >= update.cursor.size;
  if (!update.chunk) return { cursor: update.cursor, state, announcements: [], lastTime: watch.serverLogLastTime, bytes: 0, complete };
  const chunk = update.chunk;
  const out = await ctx.cpu('parse-server-log', {
    bytes: chunk.bytes, carry: chunk.carry, nextLine: chunk.nextLine, lastTime: update.resetOnlineState ? null : watch.serverLogLastTime, state,
    ...(deps.missionLevels === undefined ? {} : { options: { missionLevels: deps.missionLevels } }),
  }, { transfer: [chunk.bytes.buffer as ArrayBuffer] });
  return {
    cursor: { ...update.cursor, carry: out.carry, nextLine: out.nextLine }, state: out.state,
    announcements: out.announcements, lastTime: out.lastTime, bytes: chunk.bytes.length, complete,
  };
}

/** Whether two cursors stand at the same place: an idle tick re-creates cursors but moves none. */
function samePosition(a: SourceCursor, b: SourceCursor): boolean {
  return a.file === b.file && a.offset === b.offset && a.nextLine === b.nextLine && a.fingerprint === b.fingerprint && a.carry.length === b.carry.length;
}

function onlineList(players: ServerWatch['serverState']['players']): OnlinePlayer[] {
  return [...players.values()].filter((p) => p.eosId !== null).map((p) => ({
    eosId: p.eosId as string, name: p.name ?? '', state: p.status, since: p.since ?? 0,
  }));
}

/** Announcements, and the player count when it changed (a voice-channel rename is rate limited). */
function publishServerNews(deps: TickDeps, watch: ServerWatch, announcements: readonly ServerAnnouncement[]): void {
  const { guildId, serverId } = watch.target;
  for (const announcement of announcements) deps.publish({ kind: 'announcement', guildId, serverId, announcement });
  const players = [...watch.serverState.players.values()];
  const count = {
    online: players.filter((p) => p.status === 'online').length,
    queued: players.filter((p) => p.status === 'queued').length,
    maxPlayers: watch.serverState.maxPlayers,
  };
  const last = watch.lastCount;
  if (last && last.online === count.online && last.queued === count.queued && last.maxPlayers === count.maxPlayers) return;
  watch.lastCount = count;
  deps.publish({ kind: 'player-count', guildId, serverId, ...count });
}

/** Whether two states hold the same players in the same status (what the stored online list shows). */
function samePlayers(a: ServerWatch['serverState'], b: ServerWatch['serverState']): boolean {
  if (a.players === b.players) return true;
  if (a.players.size !== b.players.size) return false;
  for (const [id, p] of a.players) {
    const q = b.players.get(id);
    if (!q || q.status !== p.status || q.name !== p.name) return false;
  }
  return true;
}
