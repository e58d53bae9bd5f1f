import type { DurationSummary, PoolStats, TaskSnapshot } from '../../pool/index.js';
import type { OutboxPurpose } from '../../store/outbox.js';
import type { HttpDeps } from '../deps.js';
import { readiness, type Readiness } from '../routes/health.js';
import { serverViews, type ServerView } from '../routes/stats.js';
import { taskView } from '../routes/task-view.js';
import type { Sample } from './samples.js';

/** Everything one dashboard view shows, read at once. */
export interface DashboardView {
  stats: PoolStats;
  /** Finished tasks, the last to end first. */
  recent: TaskSnapshot[];
  servers: ServerView[];
  readiness: Readiness;
  deliveryDelayMs: Record<OutboxPurpose, DurationSummary>;
  samples: readonly Sample[];
}

const RECENT_TASKS = 15;

/** The dashboard is public like /api/stats without a token: no hosts, accounts or raw errors. */
export async function readDashboardView(deps: HttpDeps): Promise<DashboardView> {
  return {
    stats: deps.pool.stats(),
    recent: deps.pool.historyOf({ limit: RECENT_TASKS }).map((t) => taskView(t, false)),
    servers: await serverViews(deps, false),
    readiness: await readiness(deps),
    deliveryDelayMs: deps.feeds.recent(),
    samples: deps.samples.list(),
  };
}
