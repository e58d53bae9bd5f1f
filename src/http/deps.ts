import type { IncomingMessage } from 'node:http';
import type { HistoryRuns, ServerWatcher } from '../discord/context.js';
import type { ServerHealth } from '../ingest/health.js';
import type { TickReport } from '../ingest/tick.js';
import type { Logger } from '../logging/logger.js';
import type { FeedDelivery, Metrics } from '../metrics/index.js';
import type { TaskPool } from '../pool/index.js';
import type { Store } from '../store/index.js';
import type { ProductionTasks } from '../worker/index.js';
import type { Caller } from './admin-token.js';
import type { Reply } from './respond.js';
import type { Samples } from './dashboard/samples.js';

/** The parts the HTTP surface reads and the named jobs it may start: nothing else. */
export interface HttpDeps {
  pool: Pick<TaskPool<ProductionTasks>, 'stats' | 'get' | 'activeTasks' | 'historyOf' | 'cancel' | 'clearFinished'>;
  store: Pick<Store, 'guild' | 'ping'>;
  /** `isReady()`: logged in once; `gatewayStatus()`: discord.js's Status of the worst shard now (0 = ready). */
  discord: { isReady(): boolean; gatewayStatus(): number };
  /** Health of every watched game server. */
  servers(): ServerHealth[];
  /** True while the app's ticks run (after start, before stop). */
  ticking(): boolean;
  watcher: Pick<ServerWatcher, 'watch'>;
  tickNow(serverId: string): Promise<TickReport>;
  history: Pick<HistoryRuns, 'start'>;
  metrics: Pick<Metrics, 'scrape' | 'contentType'>;
  feeds: Pick<FeedDelivery, 'recent'>;
  samples: Samples;
  adminToken: string | undefined;
  logger: Logger;
}

/** One request as a route sees it. */
export interface RouteRequest {
  raw: IncomingMessage;
  url: URL;
  /** The `:name` parts of the route's path. */
  params: Record<string, string>;
  caller: Caller;
}

export interface Route {
  method: 'GET' | 'POST';
  /** A path with `:name` parts, e.g. `/api/tasks/:id`. */
  path: string;
  handle(request: RouteRequest, deps: HttpDeps): Promise<Reply> | Reply;
}
