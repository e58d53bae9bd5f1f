/**
 * One loopback port for both: the HTTP API under /api and /api/v{N}, and the gateway (WebSocket
 * upgrade on any path). Matches routes, checks the bot token, applies rate limits, records requests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { WebSocketServer } from 'ws';
import { ApiError, apiErrors } from './errors.js';
import type { Gateway } from './gateway.js';
import type { RateLimits } from './rate-limits.js';
import type { Reply, Route } from './routes/route.js';
import type { Clock } from './state.js';
import type { RecordedRequest } from './types.js';

export interface ServerDeps {
  token: string;
  routes: Route[];
  gateway: Gateway;
  limits: RateLimits;
  clock: Clock;
  record: (r: RecordedRequest) => void;
}

function match(routes: Route[], method: string, path: string): { route: Route; params: Record<string, string> } | 'wrong-method' | null {
  const segments = path.split('/').filter(Boolean);
  let pathMatched = false;
  for (const route of routes) {
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = pattern.every((p, i) => (p.startsWith(':') ? ((params[p.slice(1)] = segments[i] ?? ''), true) : p === segments[i]));
    if (!fits) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return pathMatched ? 'wrong-method' : null;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.length === 0) return undefined;
  if (!String(req.headers['content-type'] ?? '').includes('application/json')) {
    throw new ApiError(400, 0, 'dev-discord accepts JSON bodies only (file uploads are not implemented)');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw apiErrors.badJson();
  }
}

function handle(deps: ServerDeps, req: IncomingMessage, path: string, query: URLSearchParams, body: unknown): { reply: Reply; route: string; headers: Record<string, string> } {
  const found = match(deps.routes, req.method ?? 'GET', path);
  if (found === null) return { reply: errorReply(apiErrors.notFound()), route: `${req.method} ${path}`, headers: {} };
  if (found === 'wrong-method') return { reply: errorReply(apiErrors.methodNotAllowed()), route: `${req.method} ${path}`, headers: {} };
  const { route, params } = found;
  const name = `${route.method} ${route.path}`;
  if (route.auth && req.headers.authorization !== `Bot ${deps.token}`) return { reply: errorReply(apiErrors.unauthorized()), route: name, headers: {} };
  const verdict = deps.limits.take(route, params, body);
  if (verdict.refusal) return { reply: verdict.refusal, route: name, headers: verdict.headers };
  try {
    return { reply: route.handle({ params, query, body }), route: name, headers: verdict.headers };
  } catch (error) {
    if (error instanceof ApiError) return { reply: errorReply(error), route: name, headers: verdict.headers };
    throw error;
  }
}

function errorReply(error: ApiError): Reply {
  return { status: error.status, body: error.body() };
}

async function serve(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://dev-discord');
  const at = deps.clock.now();
  const prefix = /^\/api(\/v\d+)?(?=\/)/.exec(url.pathname);
  const path = prefix ? decodeURIComponent(url.pathname.slice(prefix[0].length)) : url.pathname;
  let body: unknown;
  let result: { reply: Reply; route: string; headers: Record<string, string> };
  try {
    body = await readBody(req);
    result = prefix ? handle(deps, req, path, url.searchParams, body) : { reply: errorReply(apiErrors.notFound()), route: `${req.method} ${path}`, headers: {} };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    result = { reply: errorReply(error), route: `${req.method} ${path}`, headers: {} };
  }
  const { reply, route, headers } = result;
  const scope = headers['x-ratelimit-scope'];
  deps.record({ method: req.method ?? 'GET', path, route, status: reply.status, body, at, ...(reply.status === 429 && scope ? { limitScope: scope } : {}) });
  const json = reply.body === undefined ? undefined : JSON.stringify(reply.body);
  res.writeHead(reply.status, { ...headers, ...(json === undefined ? {} : { 'content-type': 'application/json' }) });
  res.end(json);
}

/** The HTTP server with the gateway on its upgrade path (not listening yet). */
export function createDevServer(deps: ServerDeps): Server {
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer((req, res) => {
    serve(deps, req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `dev-discord internal error: ${error instanceof Error ? error.message : String(error)}`, code: 0 }));
    });
  });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => deps.gateway.accept(ws));
  });
  server.on('close', () => wss.close());
  return server;
}
