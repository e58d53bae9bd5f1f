import {
  applyServerEvents, emptySummary, mergeSummaries, resetServerState,
  type DeathEvent, type ServerAnnouncement, type ServerLogEvent, type StatsSummary,
} from '../../parsers/index.js';
import type { IoTaskContext, ProductionTasks } from '../pool/index.js';
import {
  baseName, discoverLayout, readDeathLogUpdate, readServerLogUpdate, newServerLogCursor,
  type DeathLogCursor, type FileCursor as SourceCursor, type LogChunk,
} from '../sources/index.js';
import { toRecentEvents, type FileCursor as StoredCursor, type IngestTarget, type IngestWork, type OnlinePlayer } from '../store/index.js';
import type { FeedItem } from './feed.js';
import { restoreCursors, seedOnline, toStoredCursor, type ServerWatch } from './server-watch.js';

/** What a tick needs besides the pool: each part asks only for what it uses. */
export interface TickDeps {
  writer: { add(target: IngestTarget, work: IngestWork): Promise<void>; flush(): Promise<void>; resume(target: IngestTarget): Promise<StoredCursor[]> };
  online: { load(target: IngestTarget): Promise<OnlinePlayer[]>; save(target: IngestTarget, players: OnlinePlayer[]): Promise<void> };
  publish(item: FeedItem): void;
  /** Most bytes read from one file per tick: a huge backlog is taken in slices over several ticks. */
  maxReadBytes: number;
  now(): number;
}

export interface TickReport {
  rows: number;
  malformed: number;
  kills: number;
  announcements: number;
  bytesRead: number;
  /** Seconds between the newest event read and now; null when nothing was read. */
  lagSeconds: number | null;
  /** The first tick of a server never read before publishes nothing: old rows are history, not news. */
  catchingUp: boolean;
}

type TickContext = Pick<IoTaskContext<ProductionTasks>, 'cpu' | 'signal'>;

/**
 * One tick for one game server: read new bytes (main thread, async), parse them in a worker, write
 * stats and cursors exactly once, and only then publish the new kills and announcements.
 */
export async function runTick(deps: TickDeps, watch: ServerWatch, ctx: TickContext): Promise<TickReport> {
  const catchingUp = watch.layout === null && await prepare(deps, watch);
  const death = watch.deathLog ? await readDeathLog(deps, watch, watch.deathLog, ctx) : null;
  ctx.signal.throwIfAborted();
  const server = watch.layout?.serverLogPath ? await readServerLog(deps, watch, ctx) : null;
  ctx.signal.throwIfAborted();

  const cursors = [death?.cursor.file, server?.cursor].filter((c): c is SourceCursor => c != null && c !== undefined);
  const before = [watch.deathLog?.file, watch.serverLog];
  const changed = (death?.summary.totals.rows ?? 0) > 0 || cursors.some((c) => !before.some((b) => b && samePosition(b, c)));
  if (changed) {
    const recent = death ? death.recent : [];
    await deps.writer.add(watch.target, { summary: death?.summary ?? emptySummary(), cursors: cursors.map(toStoredCursor), recentEvents: recent });
    await deps.writer.flush();
  }
  // Durable: now the cursors may move and the news may go out.
  if (death) watch.deathLog = death.cursor;
  if (server) {
    watch.serverLog = server.cursor;
    watch.serverLogLastTime = server.lastTime;
    const before = watch.serverState;
    watch.serverState = server.state;
    if (server.state.players !== before.players) await deps.online.save(watch.target, onlineList(server.state.players));
  }
  const kills = death?.events.filter((e) => e.kind === 'kill') ?? [];
  const announcements = server?.announcements ?? [];
  if (!catchingUp) publishAll(deps, watch, kills, announcements, server !== null);
  const lastTime = death?.summary.lastTime ?? null;
  return {
    rows: death?.summary.totals.rows ?? 0, malformed: death?.summary.totals.malformed ?? 0, kills: kills.length,
    announcements: announcements.length, bytesRead: (death?.bytes ?? 0) + (server?.bytes ?? 0),
    lagSeconds: lastTime === null ? null : Math.max(0, Math.round((deps.now() - lastTime) / 1000)), catchingUp,
  };
}

/** First tick of a watch: find the files, put durable cursors back. True when the server was never read. */
async function prepare(deps: TickDeps, watch: ServerWatch): Promise<boolean> {
  const found = await discoverLayout(watch.source, {
    ...(watch.configured.deathLogDir === undefined ? {} : { deathLogDir: watch.configured.deathLogDir }),
    ...(watch.configured.serverLogPath === undefined ? {} : { serverLogPath: watch.configured.serverLogPath }),
  });
  const layout = { deathLogDir: found.deathLogDir, serverLogPath: found.serverLogPath };
  if (layout.deathLogDir === null && layout.serverLogPath === null) {
    throw new Error(`No deathlogs folder and no Deadside.log were found on ${watch.source.label} (searched ${found.foldersListed} folders). Set the paths for this server with /server edit.`);
  }
  const stored = await deps.writer.resume(watch.target);
  restoreCursors(watch, layout, stored);
  watch.serverState = seedOnline(watch.serverState, await deps.online.load(watch.target));
  watch.layout = layout;
  return stored.length === 0;
}

interface DeathLogRead { cursor: DeathLogCursor; summary: StatsSummary; events: DeathEvent[]; recent: ReturnType<typeof toRecentEvents>; bytes: number }

async function readDeathLog(deps: TickDeps, watch: ServerWatch, cursor: DeathLogCursor, ctx: TickContext): Promise<DeathLogRead> {
  const update = await readDeathLogUpdate(watch.source, cursor, { maxBytes: deps.maxReadBytes, now: deps.now() });
  let summary = emptySummary();
  const events: DeathEvent[] = [];
  const recent: ReturnType<typeof toRecentEvents> = [];
  let bytes = 0;
  let next = update.cursor;
  for (const chunk of update.chunks) {
    bytes += chunk.bytes.length;
    const out = await ctx.cpu('parse-death-log', parseInput(chunk, watch.utcOffsetMinutes), { transfer: [chunk.bytes.buffer as ArrayBuffer] });
    summary = mergeSummaries(summary, out.summary);
    for (const e of out.events ?? []) events.push(e);
    recent.push(...toRecentEvents(baseName(chunk.file), out.events ?? []));
    if (next.file && next.file.file === chunk.file) next = { ...next, file: { ...next.file, carry: out.carry, nextLine: out.nextLine } };
  }
  return { cursor: next, summary, events, recent: recent.slice(-50), bytes };
}

function parseInput(chunk: LogChunk, utcOffsetMinutes: number): ProductionTasks['parse-death-log']['input'] {
  return {
    file: baseName(chunk.file), bytes: chunk.bytes, carry: chunk.carry, nextLine: chunk.nextLine, final: chunk.final,
    utcOffsetMinutes, includeEvents: true, maxEvents: 2_000,
  };
}

interface ServerLogRead {
  cursor: SourceCursor; state: ServerWatch['serverState']; announcements: ServerAnnouncement[]; lastTime: number | null; bytes: number;
}

async function readServerLog(deps: TickDeps, watch: ServerWatch, ctx: TickContext): Promise<ServerLogRead | null> {
  const path = watch.layout?.serverLogPath;
  if (!path) return null;
  const update = await readServerLogUpdate(watch.source, watch.serverLog ?? newServerLogCursor(path), { maxBytes: deps.maxReadBytes });
  // A restarted server (log shrunk or reopened): nobody is online until the new log says so.
  let state = update.resetOnlineState ? resetServerState(watch.serverState) : watch.serverState;
  if (!update.chunk) return { cursor: update.cursor, state, announcements: [], lastTime: watch.serverLogLastTime, bytes: 0 };
  const chunk = update.chunk;
  const out = await ctx.cpu('parse-server-log', {
    bytes: chunk.bytes, carry: chunk.carry, nextLine: chunk.nextLine, lastTime: update.resetOnlineState ? null : watch.serverLogLastTime,
  }, { transfer: [chunk.bytes.buffer as ArrayBuffer] });
  const applied = applyServerEvents(state, out.events as ServerLogEvent[]);
  state = applied.state;
  return {
    cursor: { ...update.cursor, carry: out.carry, nextLine: out.nextLine }, state,
    announcements: applied.announcements, lastTime: out.lastTime, bytes: chunk.bytes.length,
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

function publishAll(deps: TickDeps, watch: ServerWatch, kills: readonly DeathEvent[], announcements: readonly ServerAnnouncement[], countChanged: boolean): void {
  const { guildId, serverId } = watch.target;
  for (const event of kills) deps.publish({ kind: 'kill', guildId, serverId, event });
  for (const announcement of announcements) deps.publish({ kind: 'announcement', guildId, serverId, announcement });
  if (countChanged) {
    const players = [...watch.serverState.players.values()];
    deps.publish({
      kind: 'player-count', guildId, serverId, online: players.filter((p) => p.status === 'online').length,
      queued: players.filter((p) => p.status === 'queued').length, maxPlayers: watch.serverState.maxPlayers,
    });
  }
}
