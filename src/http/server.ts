import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callerOf } from './admin-token.js';
import { dashboardRoutes } from './dashboard/routes.js';
import type { HttpDeps } from './deps.js';
import { errorReply, HttpError, type Reply } from './respond.js';
import { createRouter } from './router.js';
import { healthRoutes } from './routes/health.js';
import { jobRoutes } from './routes/jobs.js';
import { metricsRoutes } from './routes/metrics.js';
import { statsRoutes } from './routes/stats.js';
import { taskRoutes } from './routes/tasks.js';

/** The bot's HTTP surface: health, API, metrics and dashboard on one small node:http server. */
export interface HttpSurface {
  /** Starts listening; resolves with the base URL (the port the system gave when asked for one). */
  listen(host: string, port: number): Promise<string>;
  /** Stops taking connections, ends idle ones, and resolves once every open one is closed. */
  close(): Promise<void>;
}

export function createHttpSurface(deps: HttpDeps): HttpSurface {
  const log = deps.logger.child({ module: 'http' });
  const route = createRouter([...healthRoutes, ...statsRoutes, ...taskRoutes, ...jobRoutes, ...metricsRoutes, ...dashboardRoutes]);

  const answer = async (request: IncomingMessage): Promise<Reply> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = route(request.method ?? 'GET', url.pathname);
    if (match.kind === 'none') return errorReply(404, `Nothing at ${url.pathname}: see / for the dashboard, /api/stats, /api/tasks, /metrics, /health/live and /health/ready.`);
    if (match.kind === 'wrong-method') return errorReply(405, `${request.method ?? ''} is not accepted at ${url.pathname}: use ${match.allowed.join(' or ')}.`, { allow: match.allowed.join(', ') });
    try {
      return await match.route.handle({ raw: request, url, params: match.params, caller: callerOf(request.headers, deps.adminToken) }, deps);
    } catch (error) {
      if (error instanceof HttpError) return errorReply(error.status, error.message);
      log.error({ err: error, method: request.method, path: url.pathname }, 'an HTTP request failed');
      return errorReply(500, 'The bot could not answer this request: see its log for why.');
    }
  };

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void answer(request).then((reply) => {
      // A write's body the route did not read (refused early) must not hold the connection.
      request.resume();
      response.writeHead(reply.status, { 'content-type': reply.contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...reply.headers });
      response.end(request.method === 'HEAD' ? undefined : reply.body);
    });
  });
  // A client that trickles its request must not hold a socket for long.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;

  return {
    listen(host, port) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve(`http://${shownHost}:${address.port}`);
        });
      });
    },
    close() {
      if (!server.listening) return Promise.resolve();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // A dashboard left open keeps its connection alive between refreshes: do not wait on it for long.
        setTimeout(() => server.closeAllConnections(), 1_000).unref();
      });
    },
  };
}
