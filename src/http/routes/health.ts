import type { HttpDeps, Route } from '../deps.js';
import { json } from '../respond.js';

/** One part's readiness, in words an operator can act on. */
export interface Check {
  ok: boolean;
  detail: string;
}

export interface Readiness {
  ready: boolean;
  checks: { store: Check; discord: Check; pool: Check; scheduler: Check };
}

/** A database that takes longer than this to answer a ping is not ready for the bot's work. */
const STORE_PING_MS = 2_000;

// discord.js's gateway Status, by number (discord.js `Status` enum).
const GATEWAY_STATUS = ['ready', 'connecting', 'reconnecting', 'idle', 'nearly ready', 'disconnected', 'waiting for guilds', 'identifying', 'resuming'];

async function checkStore(store: HttpDeps['store']): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${STORE_PING_MS} ms`)), STORE_PING_MS);
  });
  try {
    await Promise.race([store.ping(), late]);
    return { ok: true, detail: 'MongoDB answers' };
  } catch (error) {
    return { ok: false, detail: `MongoDB does not answer a ping (${error instanceof Error ? error.message : String(error)}): check that the database is running and reachable` };
  } finally {
    clearTimeout(timer);
  }
}

function checkDiscord(discord: HttpDeps['discord']): Check {
  // isReady() stays true once logged in; the shards' status says whether the session is up now.
  const now = discord.gatewayStatus();
  if (discord.isReady() && now === 0) return { ok: true, detail: 'gateway session ready' };
  const status = GATEWAY_STATUS[now] ?? `status ${now}`;
  return { ok: false, detail: `the Discord gateway is not ready (${status}): commands and feeds wait until it is` };
}

/** Every check at once; the store's ping is the only one that waits. */
export async function readiness(deps: HttpDeps): Promise<Readiness> {
  const store = await checkStore(deps.store);
  const accepting = deps.pool.stats().accepting;
  const ticking = deps.ticking();
  const checks = {
    store,
    discord: checkDiscord(deps.discord),
    pool: accepting ? { ok: true, detail: 'taking tasks' } : { ok: false, detail: 'the task pool is shutting down and takes no new tasks' },
    scheduler: ticking ? { ok: true, detail: `reading ${deps.servers().length} game server(s)` } : { ok: false, detail: 'game servers are not being read (the bot is starting or stopping)' },
  };
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}

export const healthRoutes: Route[] = [
  { method: 'GET', path: '/health/live', handle: () => json(200, { status: 'live' }) },
  {
    method: 'GET', path: '/health/ready',
    async handle(_request, deps) {
      const result = await readiness(deps);
      const notReady = Object.entries(result.checks).filter(([, c]) => !c.ok).map(([name, c]) => `${name}: ${c.detail}`);
      return json(result.ready ? 200 : 503, { status: result.ready ? 'ready' : 'not ready', notReady, checks: result.checks });
    },
  },
];
