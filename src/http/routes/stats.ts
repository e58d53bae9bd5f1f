import type { ServerHealth } from '../../ingest/health.js';
import type { HttpDeps, Route } from '../deps.js';
import { json } from '../respond.js';

/** A watched server as the API shows it; `source` and the full error only to the admin. */
export type ServerView = Omit<ServerHealth, 'lastError'> & {
  lastError?: string | null;
  source?: { host: string; port: number; username: string; localPath: string | null } | null;
};

/**
 * The watched servers. Without the admin token the failure's words are left out (they can name the
 * host or the account) and only its kind is shown; the admin also gets where each server is read from.
 */
export async function serverViews(deps: HttpDeps, admin: boolean): Promise<ServerView[]> {
  const servers = deps.servers();
  if (!admin) return servers.map(({ lastError: _hidden, ...rest }) => rest);
  return Promise.all(servers.map(async (health) => {
    const server = await deps.store.guild(health.guildId).servers.get(health.serverId).catch(() => null);
    const source = server === null ? null : { host: server.host, port: server.port, username: server.username, localPath: server.localPath };
    return { ...health, source };
  }));
}

export const statsRoutes: Route[] = [{
  method: 'GET', path: '/api/stats',
  async handle(request, deps) {
    return json(200, {
      pool: deps.pool.stats(),
      servers: await serverViews(deps, request.caller === 'admin'),
      feeds: { deliveryDelayMs: deps.feeds.recent() },
      // The dashboard's chart points: one every 2 s over the last 10 minutes at most.
      series: deps.samples.list(),
    });
  },
}];
