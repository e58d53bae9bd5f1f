import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpPart, type HttpPart } from '../../src/http/index.js';
import type { TaskSnapshot } from '../../src/pool/index.js';
import type { GameServer, GuildStore } from '../../src/store/index.js';
import { killRow, makeGameFolder, type GameFolder } from '../discord/game-folder.js';
import { startBotHarness, type BotHarness } from '../discord/harness.js';
import { call, freePort } from './helpers.js';

const TOKEN = randomBytes(32).toString('hex');

/** The HTTP API of the real app (dev-mongo, the Discord stand-in, a local-folder game server), over real HTTP. */
describe('the HTTP API', () => {
  let h: BotHarness;
  let base: string;
  let folder: GameFolder;
  let guild: GuildStore;
  let server: GameServer;

  beforeAll(async () => {
    const port = await freePort();
    h = await startBotHarness({ env: { HTTP_PORT: String(port), ADMIN_TOKEN: TOKEN } });
    base = `http://127.0.0.1:${port}`;
    folder = makeGameFolder([killRow('10.00.00', 'Alice', 'Bob'), killRow('10.01.00', 'Bob', 'Carol')]);
    guild = h.app.store.guild(h.guild.id);
    server = await guild.servers.add({ name: 'EU <1>', localPath: folder.root });
    await h.app.watcher.watch(guild, server);
    await h.app.scheduler.tickNow(server.id);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    folder?.remove();
  });

  it('GIVEN the bot started THEN /health/live is 200 and /health/ready is 200 with every check ok', async () => {
    expect((await call(base, '/health/live')).status).toBe(200);
    const ready = await call(base, '/health/ready');
    expect(ready.status).toBe(200);
    const body = ready.json<{ status: string; notReady: string[]; checks: Record<string, { ok: boolean }> }>();
    expect(body.status).toBe('ready');
    expect(body.notReady).toEqual([]);
    expect(Object.keys(body.checks).sort()).toEqual(['discord', 'pool', 'scheduler', 'store']);
  });

  it('GIVEN the Discord gateway dropped THEN /health/ready is 503 and names the gateway, and 200 again once it resumed', async () => {
    h.dev.dropConnection();
    let down = await call(base, '/health/ready');
    // The client learns of the drop when its socket closes: ask until it has.
    await expect.poll(async () => (down = await call(base, '/health/ready')).status).toBe(503);
    const body = down.json<{ notReady: string[] }>();
    expect(body.notReady).toHaveLength(1);
    expect(body.notReady[0]).toMatch(/^discord: the Discord gateway is not ready/);
    await h.dev.waitForSession('resumed');
    await expect.poll(async () => (await call(base, '/health/ready')).status).toBe(200);
  });

  it('GIVEN a watched server THEN /api/stats has the pool totals and its ingest health, without host or error words unless the admin asks', async () => {
    const anonymous = await call(base, '/api/stats');
    expect(anonymous.status).toBe(200);
    const stats = anonymous.json<{ pool: { totals: { completed: number } }; servers: Record<string, unknown>[]; series: { queueDepth: number }[] }>();
    expect(stats.pool.totals.completed).toBeGreaterThan(0);
    expect(stats.series.length).toBeGreaterThanOrEqual(1);
    expect(stats.servers).toHaveLength(1);
    expect(stats.servers[0]).toMatchObject({ serverId: server.id, name: 'EU <1>', rowsRead: 2 });
    expect(stats.servers[0]).not.toHaveProperty('source');
    expect(stats.servers[0]).not.toHaveProperty('lastError');
    const admin = (await call(base, '/api/stats', { token: TOKEN })).json<{ servers: Record<string, unknown>[] }>();
    expect(admin.servers[0]).toMatchObject({ source: { localPath: folder.root } });
    expect((await call(base, '/api/stats', { token: 'not-the-token' })).json<{ servers: Record<string, unknown>[] }>().servers[0]).not.toHaveProperty('source');
  });

  it('GIVEN finished tasks THEN /api/tasks pages them within the limit, and one task is found by id', async () => {
    for (let i = 0; i < 5; i += 1) await h.app.pool.runIo(() => Promise.resolve(i), { label: 'api-test' });
    const first = (await call(base, '/api/tasks?state=completed&limit=2')).json<{ tasks: TaskSnapshot[]; nextOffset: number | null }>();
    expect(first.tasks).toHaveLength(2);
    expect(first.tasks.every((t) => t.state === 'COMPLETED')).toBe(true);
    expect(first.nextOffset).toBe(2);
    const second = (await call(base, `/api/tasks?state=COMPLETED&limit=2&offset=${first.nextOffset}`)).json<{ tasks: TaskSnapshot[] }>();
    expect(second.tasks.map((t) => t.id)).not.toContain(first.tasks[0]?.id);
    const one = await call(base, `/api/tasks/${first.tasks[0]?.id}`);
    expect(one.status).toBe(200);
    expect(one.json<TaskSnapshot>().id).toBe(first.tasks[0]?.id);
  });

  it('GIVEN bad requests THEN each gets a 4xx with a JSON error saying what to send', async () => {
    const cases: [string, number, RegExp][] = [
      ['/api/tasks?state=sleeping', 400, /not a task state: use one of QUEUED/],
      ['/api/tasks?limit=0', 400, /limit "0" is not valid: use a whole number from 1 to 500/],
      ['/api/tasks?limit=100000', 400, /limit/],
      ['/api/tasks/abc', 400, /not a task id/],
      ['/api/tasks/987654321', 404, /There is no task 987654321/],
      ['/nothing-here', 404, /Nothing at \/nothing-here/],
    ];
    for (const [path, status, message] of cases) {
      const answer = await call(base, path);
      expect({ path, status: answer.status }).toEqual({ path, status });
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(answer.json<{ error: string }>().error).toMatch(message);
    }
    const wrongMethod = await call(base, '/api/stats', { method: 'POST', token: TOKEN });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  it('GIVEN writes THEN no token or a wrong one is 401, the right one works, and a finished task cannot be cancelled', async () => {
    expect((await call(base, '/api/tasks/clear-finished', { method: 'POST' })).status).toBe(401);
    const wrong = await call(base, '/api/tasks/clear-finished', { method: 'POST', token: `${TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.json<{ error: string }>().error).toMatch(/admin token is wrong/);
    expect(h.app.pool.historyOf({ limit: 1 })).toHaveLength(1);

    let started = (): void => undefined;
    const running = new Promise<void>((resolve) => { started = resolve; });
    const handle = h.app.pool.submitIo(({ signal }) => new Promise((_, reject) => {
      started();
      signal.addEventListener('abort', () => reject(new Error('stopped')));
    }), { label: 'long-wait' });
    await running;
    const cancelled = await call(base, `/api/tasks/${handle.id}/cancel`, { method: 'POST', token: TOKEN });
    expect(cancelled.status).toBe(200);
    await expect(handle.result).rejects.toThrow();
    expect(h.app.pool.get(handle.id)?.state).toBe('CANCELLED');
    const again = await call(base, `/api/tasks/${handle.id}/cancel`, { method: 'POST', token: TOKEN });
    expect(again.status).toBe(409);
    expect(again.json<{ error: string }>().error).toMatch(/already ended \(CANCELLED\)/);

    const cleared = await call(base, '/api/tasks/clear-finished', { method: 'POST', token: TOKEN });
    expect(cleared.status).toBe(200);
    expect(cleared.json<{ cleared: number }>().cleared).toBeGreaterThan(0);
    expect((await call(base, '/api/tasks?state=COMPLETED')).json<{ tasks: unknown[] }>().tasks).toEqual([]);
  });

  it('GIVEN a named job THEN a history run and a rescan start for a stored server, and a bad body is refused in plain words', async () => {
    const run = await call(base, '/api/jobs/history-run', { method: 'POST', token: TOKEN, body: { guildId: h.guild.id, serverId: server.id } });
    expect(run.status).toBe(202);
    const { taskId } = run.json<{ taskId: number; started: boolean }>();
    await expect.poll(() => h.app.pool.get(taskId)?.state).toBe('COMPLETED');
    expect(h.app.pool.get(taskId)?.label).toBe('history-run');

    // A rescan is a read asked for now: a HIGH tick of that server (scheduled ones are NORMAL).
    const asked = (): TaskSnapshot[] => h.app.pool.historyOf({ label: 'tick', key: `server:${server.id}` }).filter((t) => t.priority === 'HIGH' && t.id > taskId);
    expect(asked()).toEqual([]);
    const rescan = await call(base, '/api/jobs/rescan', { method: 'POST', token: TOKEN, body: { guildId: h.guild.id, serverId: server.id } });
    expect(rescan.status).toBe(202);
    await expect.poll(() => asked().map((t) => t.state)).toEqual(['COMPLETED']);

    const refusals: [unknown, Record<string, string> | undefined, number, RegExp][] = [
      [{ guildId: h.guild.id, serverId: 'nope' }, undefined, 404, /has no game server with id "nope"/],
      [{ guildId: 'x', serverId: server.id }, undefined, 400, /guildId is missing or not a Discord guild id/],
      ['{not json', undefined, 400, /not valid JSON/],
      [[1, 2], undefined, 400, /must be a JSON object/],
      ['guildId=1', { 'content-type': 'application/x-www-form-urlencoded' }, 415, /Content-Type: application\/json/],
      [{ guildId: h.guild.id, serverId: server.id, fresh: 'yes' }, undefined, 400, /fresh must be true/],
    ];
    for (const [body, headers, status, message] of refusals) {
      const answer = await call(base, '/api/jobs/history-run', { method: 'POST', token: TOKEN, body, ...(headers ? { headers } : {}) });
      expect({ body, status: answer.status }).toEqual({ body, status });
      expect(answer.json<{ error: string }>().error).toMatch(message);
    }
  });

  it('GIVEN no ADMIN_TOKEN set THEN every write is 403 whatever token is sent, and reads still work', async () => {
    const port = await freePort();
    const app = h.app;
    const part: HttpPart = createHttpPart({ ...app, config: { httpHost: '127.0.0.1', httpPort: port } });
    const url = await part.start();
    try {
      expect(url).toBe(`http://127.0.0.1:${port}`);
      for (const token of [undefined, TOKEN, 'anything']) {
        const answer = await call(`http://127.0.0.1:${port}`, '/api/tasks/clear-finished', { method: 'POST', ...(token ? { token } : {}) });
        expect(answer.status).toBe(403);
        expect(answer.json<{ error: string }>().error).toMatch(/set ADMIN_TOKEN/);
      }
      expect((await call(`http://127.0.0.1:${port}`, '/api/stats')).status).toBe(200);
    } finally {
      await part.close();
    }
  });

  it('GIVEN HTTP_PORT taken by another program THEN the bot goes on without its HTTP surface and logs what to change; HTTP_PORT=0 starts none', async () => {
    const port = Number(new URL(base).port);
    const taken: HttpPart = createHttpPart({ ...h.app, config: { httpHost: '127.0.0.1', httpPort: port } });
    expect(await taken.start()).toBeNull();
    expect(h.logs.lines.some((l) => l.level === 50 && String(l.msg).includes(`cannot listen on 127.0.0.1:${port} (EADDRINUSE)`) && String(l.msg).includes('choose a free HTTP_PORT, or 0'))).toBe(true);
    await taken.close();
    expect((await call(base, '/health/live')).status).toBe(200);
    const off: HttpPart = createHttpPart({ ...h.app, config: { httpHost: '127.0.0.1', httpPort: 0 } });
    expect(await off.start()).toBeNull();
    await off.close();
  });

  // Last: it stops the app.
  it('GIVEN the bot stopping with work still running THEN /health/ready is 503 naming the pool and the ticks until it has drained, then the port closes', async () => {
    let release = (): void => undefined;
    const held = h.app.pool.submitIo(() => new Promise<void>((resolve) => { release = resolve; }), { label: 'held-on-stop' });
    await expect.poll(() => h.app.pool.get(held.id)?.state).toBe('RUNNING');
    const stopped = h.app.stop({ deadlineMs: 30_000 });
    const draining = await call(base, '/health/ready');
    expect(draining.status).toBe(503);
    expect(draining.json<{ notReady: string[] }>().notReady.map((r) => r.split(':')[0]).sort()).toEqual(['pool', 'scheduler']);
    release();
    await stopped;
    await expect(call(base, '/health/live')).rejects.toThrow();
  });
});
