import type { APIEmbed } from 'discord.js';
import type { ServerHealth } from '../../ingest/health.js';
import { PRIORITY_NAMES, type PoolStats, type TaskSnapshot } from '../../pool/index.js';
import { buildEmbed, EMBED_LIMITS, type EmbedField } from './embed.js';
import { codeTable } from './table.js';
import { guildOfTask, serverOfTask, taskDurationMs } from './task-facts.js';
import { fitLines } from './text.js';
import { formatAgo, formatBytes, formatDuration, formatPercent } from './units.js';

/** What `/admin queue` shows, gathered by the handler. */
export interface PoolStatusInput {
  stats: PoolStats;
  /** Ingest health of the invoking guild's watched servers. */
  health: readonly ServerHealth[];
  guildId: string;
  /** When the bot started (ms since the epoch), and now. */
  startedAt: number;
  now: number;
}

/**
 * The pool's live status as one embed: queue, workers, outcomes, process health, this guild's
 * running tasks and its servers' reading. Tasks of other Discord servers are counted, never named.
 */
export function poolStatusEmbed(input: PoolStatusInput): APIEmbed {
  const { stats } = input;
  return buildEmbed({
    title: 'Background work',
    description: stats.accepting ? `Up ${formatDuration(input.now - input.startedAt)}.` : 'Shutting down: no new work is taken.',
    fields: [
      { name: 'Queue', value: queueText(stats), inline: true },
      { name: 'Workers', value: workersText(stats), inline: true },
      { name: 'Outcomes', value: outcomesText(stats), inline: true },
      { name: 'Process', value: processText(stats) },
      runningField(stats.running.tasks, input.guildId, input.now),
      serversField(input.health, input.now),
    ],
    timestamp: new Date(input.now).toISOString(),
  });
}

function queueText(stats: PoolStats): string {
  const { queue } = stats;
  const lines = PRIORITY_NAMES.map((p) => `${p} ${queue.byPriority[p]}`);
  if (queue.depth > 0) lines.push(`oldest waits ${formatDuration(queue.oldestWaitMs)}`);
  return lines.join('\n');
}

function workersText(stats: PoolStats): string {
  const alive = stats.workers.filter((w) => w.alive);
  const busy = alive.filter((w) => w.currentTaskId !== null).length;
  return [
    `${busy} busy, ${alive.length - busy} idle`,
    `${alive.length} of ${stats.capacity.maxThreads} threads`,
    `I/O ${stats.running.io} of ${stats.capacity.ioConcurrency}`,
  ].join('\n');
}

function outcomesText(stats: PoolStats): string {
  const t = stats.totals;
  return [
    `success ${formatPercent(t.successRate)}`,
    `${t.completed} done, ${t.failed} failed, ${t.cancelled} cancelled, ${t.timedOut} timed out`,
    `wait p95 ${formatDuration(stats.waitMs.p95)}, run p95 ${formatDuration(stats.runMs.p95)}`,
  ].join('\n');
}

function processText(stats: PoolStats): string {
  const s = stats.system;
  return [
    `event-loop delay p99 ${formatDuration(s.eventLoopDelay.p99Ms)}, max ${formatDuration(s.eventLoopDelay.maxMs)}`,
    `memory ${formatBytes(s.rssBytes)} resident, heap ${formatBytes(s.heapUsedBytes)} of ${formatBytes(s.heapTotalBytes)}`,
  ].join('\n');
}

function runningField(tasks: readonly TaskSnapshot[], guildId: string, now: number): EmbedField {
  const running = tasks.filter((t) => t.state === 'RUNNING');
  const ours = running.filter((t) => guildOfTask(t) === guildId);
  const others = running.length - ours.length;
  const elsewhere = others > 0 ? `\n${others} more for other Discord servers or the bot itself` : '';
  const name = `Running here (${ours.length})`;
  if (ours.length === 0) return { name, value: `Nothing of this Discord server is running.${elsewhere}` };
  const rows = ours.map((t) => [`#${t.id}`, t.label, serverOfTask(t), formatDuration(taskDurationMs(t, now))]);
  const table = codeTable(['TASK', 'WHAT', 'SERVER', 'FOR'], rows, { maxChars: EMBED_LIMITS.fieldValue - elsewhere.length, maxCellWidth: 24 });
  return { name, value: table + elsewhere };
}

const TROUBLE: Record<ServerHealth['state'], number> = { failing: 0, stopped: 1, waiting: 2, reading: 3, ok: 4 };

function serversField(health: readonly ServerHealth[], now: number): EmbedField {
  const name = `Game servers (${health.length})`;
  if (health.length === 0) return { name, value: 'No game server is watched in this Discord server. Add one with /server add.' };
  const lines = [...health].sort((a, b) => TROUBLE[a.state] - TROUBLE[b.state] || a.name.localeCompare(b.name)).map((h) => {
    const lag = h.lagSeconds === null ? '' : `, ${formatDuration(h.lagSeconds * 1000)} behind`;
    const line = `**${h.name.replaceAll('*', '')}**: ${h.state}, last read ${formatAgo(h.lastSuccessAt, now)}${lag}`;
    return h.lastError === null ? line : `${line}\n  last error: ${h.lastError}`;
  });
  return { name, value: fitLines(lines, EMBED_LIMITS.fieldValue) };
}
