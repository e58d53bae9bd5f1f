import type { PoolStats, TaskSnapshot } from '../../pool/index.js';
import { PRIORITY_NAMES } from '../../pool/index.js';
import { lineChart } from './charts.js';
import { duration, escapeHtml, megabytes, percent, table } from './html.js';
import type { DashboardView } from './view.js';

/** The part of the page that refreshes: everything below the title. */
export function renderDashboardMain(view: DashboardView): string {
  return [
    renderHealth(view),
    renderTotals(view.stats),
    renderCharts(view),
    `<div class="grid">${renderQueue(view.stats)}${renderSystem(view.stats)}</div>`,
    renderWorkers(view.stats),
    renderRunning(view.stats.running.tasks),
    renderRecent(view.recent),
    renderServers(view),
    `<p class="taken">Figures taken at <time datetime="${escapeHtml(view.stats.takenAt)}" id="taken-at">${escapeHtml(view.stats.takenAt.slice(11, 19))} UTC</time>.</p>`,
  ].join('\n');
}

function renderHealth({ readiness }: DashboardView): string {
  const items = Object.entries(readiness.checks).map(([name, c]) => `<li class="${c.ok ? 'ok' : 'bad'}"><b>${escapeHtml(name)}</b>: ${escapeHtml(c.detail)}</li>`).join('');
  return `<section aria-labelledby="h-health"><h2 id="h-health">System health: <span class="${readiness.ready ? 'ok' : 'bad'}" id="ready">${readiness.ready ? 'ready' : 'not ready'}</span></h2><ul class="checks">${items}</ul></section>`;
}

function renderTotals(stats: PoolStats): string {
  const t = stats.totals;
  const figure = (id: string, label: string, value: string): string => `<div class="figure"><span class="label">${label}</span><span class="value" id="${id}">${value}</span></div>`;
  return `<section aria-labelledby="h-totals"><h2 id="h-totals">Tasks since start (${duration(stats.uptimeMs)} ago)</h2><div class="figures">`
    + figure('submitted', 'Submitted', String(t.submitted)) + figure('completed', 'Completed', String(t.completed))
    + figure('failed', 'Failed', String(t.failed)) + figure('cancelled', 'Cancelled', String(t.cancelled))
    + figure('timed-out', 'Timed out', String(t.timedOut)) + figure('success-rate', 'Success rate', percent(t.successRate))
    + `</div></section>`;
}

function renderCharts({ samples }: DashboardView): string {
  const series = (pick: (s: (typeof samples)[number]) => number) => samples.map((s) => [s.at, pick(s)] as const);
  return `<section aria-labelledby="h-charts"><h2 id="h-charts">Last minutes</h2><div class="charts">`
    + lineChart('Queue depth', 'tasks', series((s) => s.queueDepth))
    + lineChart('Throughput', 'tasks/s', series((s) => s.finishedPerSecond))
    + lineChart('Event-loop delay p99', 'ms', series((s) => s.eventLoopP99Ms))
    + `</div></section>`;
}

function renderQueue(stats: PoolStats): string {
  const rows = PRIORITY_NAMES.map((p) => [escapeHtml(p), String(stats.queue.byPriority[p])]);
  rows.push(['<b>all</b>', `<b id="queue-depth">${stats.queue.depth}</b>`]);
  return `<section>${table(`Queue (oldest waiting ${duration(stats.queue.oldestWaitMs)}; running: ${stats.running.cpu} CPU, ${stats.running.io} I/O)`, ['Priority', 'Waiting'], rows, '')}</section>`;
}

function renderSystem(stats: PoolStats): string {
  const s = stats.system;
  const rows = [
    ['CPU', `${s.cpuPercent}% of a core`], ['Memory (RSS)', megabytes(s.rssBytes)], ['Heap used', `${megabytes(s.heapUsedBytes)} of ${megabytes(s.heapTotalBytes)}`],
    ['Threads', String(s.threadCount)], ['Event-loop delay p99', `${s.eventLoopDelay.p99Ms} ms`],
    ['Task wait p50 / p95', `${duration(stats.waitMs.p50)} / ${duration(stats.waitMs.p95)}`], ['Task run p50 / p95', `${duration(stats.runMs.p50)} / ${duration(stats.runMs.p95)}`],
  ];
  return `<section>${table('Process', ['Figure', 'Now'], rows.map(([k, v]) => [escapeHtml(k), escapeHtml(v)]), '')}</section>`;
}

function renderWorkers(stats: PoolStats): string {
  const byId = new Map(stats.running.tasks.map((t) => [t.id, t]));
  const rows = stats.workers.filter((w) => w.alive).map((w) => {
    const task = w.currentTaskId === null ? undefined : byId.get(w.currentTaskId);
    const current = w.currentTaskId === null ? 'idle' : `#${w.currentTaskId} ${escapeHtml(task?.label ?? '')}`;
    const busy = w.busyMs + w.idleMs > 0 ? percent(w.busyMs / (w.busyMs + w.idleMs)) : '0%';
    return [String(w.threadId), current, String(w.completed), String(w.failed), busy];
  });
  return `<section>${table(`Worker threads (busy ${percent(stats.utilization.workerBusyRatio)} of the time since start)`, ['Thread', 'Running now', 'Done', 'Failed', 'Busy'], rows, 'No worker thread is alive (they start with work).')}</section>`;
}

function taskRow(t: TaskSnapshot): string[] {
  return [`#${t.id}`, escapeHtml(t.label), escapeHtml(t.priority), `<span class="state ${t.state.toLowerCase()}">${escapeHtml(t.state)}</span>`, duration(t.waitMs), duration(t.runMs), escapeHtml(t.error?.message ?? t.resultSummary ?? '')];
}

const TASK_HEADERS = ['Task', 'What', 'Priority', 'State', 'Waited', 'Ran', 'Outcome'];

function renderRunning(tasks: readonly TaskSnapshot[]): string {
  return `<section>${table('Queued and running', TASK_HEADERS, tasks.slice(0, 20).map(taskRow), 'Nothing queued or running.')}</section>`;
}

function renderRecent(tasks: readonly TaskSnapshot[]): string {
  return `<section>${table('Recent tasks', TASK_HEADERS, tasks.map(taskRow), 'No task has ended yet.')}</section>`;
}

function renderServers(view: DashboardView): string {
  const rows = view.servers.map((s) => [
    escapeHtml(s.name), escapeHtml(s.guildId), `<span class="state ${escapeHtml(s.state)}">${escapeHtml(s.state)}</span>`,
    escapeHtml(s.lastSuccessAt?.slice(11, 19) ?? 'never'), s.lagSeconds === null ? '–' : duration(s.lagSeconds * 1000),
    String(s.rowsRead), String(s.consecutiveFailures), escapeHtml(s.lastErrorKind ?? ''),
  ]);
  const k = view.deliveryDelayMs.killfeed;
  const delay = k.samples === 0 ? 'no killfeed post in the last minutes' : `killfeed delay, event to Discord: p50 ${duration(k.p50)}, p95 ${duration(k.p95)} over ${k.samples} posts`;
  return `<section>${table(`Game servers (${escapeHtml(delay)})`, ['Server', 'Guild', 'State', 'Last read (UTC)', 'Behind', 'Rows read', 'Failures', 'Problem'], rows, 'No game server is being watched.')}</section>`;
}
