import { MongoClient } from 'mongodb';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GameServer, GuildStore } from '../../src/store/index.js';
import { killRow, makeGameFolder, type GameFolder } from '../discord/game-folder.js';
import { startBotHarness, type BotHarness } from '../discord/harness.js';
import { call, freePort } from '../http/helpers.js';
import { parseExposition, valueOf, type Family } from './exposition.js';

/** Label names the bot's own metrics may carry: each a small closed set, or bounded by the servers watched. */
const BOUNDED_LABELS = new Set(['state', 'priority', 'lane', 'server_id', 'feed', 'method', 'status', 'scope', 'kind', 'le']);

/** GET /metrics of the real app, read by a strict text-format parser. */
describe('Prometheus metrics', () => {
  let h: BotHarness;
  let base: string;
  let folder: GameFolder;
  let guild: GuildStore;
  let local: GameServer;
  let unreachable: GameServer;
  const scrape = async (): Promise<Map<string, Family>> => {
    const answer = await call(base, '/metrics');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(answer.text);
  };

  beforeAll(async () => {
    const port = await freePort();
    h = await startBotHarness({ env: { HTTP_PORT: String(port), ADMIN_TOKEN: randomBytes(32).toString('hex') } });
    base = `http://127.0.0.1:${port}`;
    folder = makeGameFolder([killRow('10.00.00', 'Alice', 'Bob'), killRow('10.01.00', 'Bob', 'Carol'), 'not a row']);
    guild = h.app.store.guild(h.guild.id);
    local = await guild.servers.add({ name: 'EU 1', localPath: folder.root });
    // An SFTP server on a port nobody listens on: every read fails as unreachable.
    unreachable = await guild.servers.add({ name: 'Gone', host: '127.0.0.1', port: await freePort(), username: 'deadside', password: 'secret-password' });
    await h.app.watcher.watch(guild, local);
    await h.app.watcher.watch(guild, unreachable);
    await h.app.scheduler.tickNow(local.id);
    await h.app.scheduler.tickNow(unreachable.id).catch(() => undefined);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    folder?.remove();
  });

  it('GIVEN a running bot THEN the scrape is well-formed text format with the process defaults and bounded killfeed_ labels', async () => {
    const families = await scrape();
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds', 'killfeed_pool_queue_depth', 'killfeed_pool_worker_busy_ratio']) {
      expect(families.has(name), name).toBe(true);
    }
    const ours = [...families.values()].filter((f) => f.name.startsWith('killfeed_'));
    expect(ours.length).toBeGreaterThan(15);
    for (const family of ours) {
      expect(family.help, family.name).not.toBe('');
      for (const sample of family.samples) for (const label of Object.keys(sample.labels)) expect(BOUNDED_LABELS.has(label), `${family.name}{${label}}`).toBe(true);
    }
  });

  it('GIVEN ticks ran THEN tasks are counted by state and priority and timed, queue depth is per priority, and rows are counted per server', async () => {
    const families = await scrape();
    expect(valueOf(families, 'killfeed_pool_tasks_total', { state: 'COMPLETED', priority: 'HIGH' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(families, 'killfeed_pool_tasks_total', { state: 'TIMED_OUT', priority: 'LOW' })).toBe(0);
    expect(valueOf(families, 'killfeed_pool_task_run_seconds_count', { priority: 'HIGH' })).toBeGreaterThanOrEqual(1);
    expect(families.get('killfeed_pool_queue_depth')?.samples.map((s) => s.labels.priority).sort()).toEqual(['CRITICAL', 'HIGH', 'LOW', 'NORMAL']);
    expect(valueOf(families, 'killfeed_ingest_rows_total', { server_id: local.id })).toBe(3);
    expect(valueOf(families, 'killfeed_ingest_malformed_rows_total', { server_id: local.id })).toBe(1);
    expect(valueOf(families, 'killfeed_ingest_consecutive_failures', { server_id: unreachable.id })).toBeGreaterThanOrEqual(1);
  });

  it('GIVEN an SFTP host that refuses connections THEN SFTP operations and unreachable errors are counted, and no password shows', async () => {
    const answer = await call(base, '/metrics');
    const families = parseExposition(answer.text);
    expect(valueOf(families, 'killfeed_sftp_operations_total')).toBeGreaterThanOrEqual(1);
    expect(valueOf(families, 'killfeed_sftp_errors_total', { kind: 'unreachable' })).toBeGreaterThanOrEqual(1);
    expect(answer.text).not.toContain('secret-password');
    expect(answer.text).not.toContain('127.0.0.1');
  });

  it('GIVEN a read that failed on the SFTP host THEN /api/tasks and the dashboard show its kind, and only the admin sees the words naming the host', async () => {
    const failed = await call(base, '/api/tasks?state=FAILED');
    const tasks = failed.json<{ tasks: { error: { kind: string } }[] }>().tasks;
    expect(tasks.map((t) => t.error.kind)).toContain('unreachable');
    expect(failed.text).not.toContain('127.0.0.1');
    expect((await call(base, '/')).text).not.toContain('127.0.0.1');
    expect((await call(base, '/api/tasks?state=FAILED', { token: h.config.adminToken as string })).text).toContain('127.0.0.1');
  });

  it('GIVEN the bot logged in THEN Discord REST responses are counted by method and status and the gateway is ready', async () => {
    const families = await scrape();
    const responses = families.get('killfeed_discord_rest_requests_total')?.samples ?? [];
    expect(responses.reduce((sum, s) => sum + s.value, 0)).toBeGreaterThan(0);
    expect(responses.every((s) => /^[1-5]\d\d$/.test(s.labels.status ?? ''))).toBe(true);
    expect(valueOf(families, 'killfeed_discord_rest_rate_limited_total', { scope: 'global' })).toBe(0);
    expect(valueOf(families, 'killfeed_discord_gateway_ready')).toBe(1);
  });

  it('GIVEN the feed poster reports deliveries THEN the delay histogram has them, and the backlog is there per feed', async () => {
    h.app.metrics.feeds.observeDelivery('killfeed', 1_500);
    h.app.metrics.feeds.observeDelivery('killfeed', 4_000);
    const families = await scrape();
    expect(valueOf(families, 'killfeed_feed_delivery_delay_seconds_count', { feed: 'killfeed' })).toBe(2);
    expect(valueOf(families, 'killfeed_feed_delivery_delay_seconds_sum', { feed: 'killfeed' })).toBe(5.5);
    expect(valueOf(families, 'killfeed_feed_delivery_delay_seconds_bucket', { feed: 'killfeed', le: '2' })).toBe(1);
    expect(families.get('killfeed_feed_backlog_items')?.samples.map((s) => s.labels.feed).sort()).toEqual(['connections', 'events', 'killfeed']);
    expect(h.app.metrics.feeds.recent().killfeed.samples).toBe(2);
    // Items waiting in the outbox (of a guild the poster was never woken for), counted per feed; posted ones are not.
    const client = await new MongoClient(h.db.uri).connect();
    try {
      const outbox = client.db(h.db.dbName).collection('outbox');
      const item = (i: number, purpose: string, posted: boolean) => ({ _id: `backlog:1:1:${i}` as unknown as never, guildId: '1', serverId: 'backlog', seq: 1, i, at: 1, purpose, ...(posted ? { postedAt: 1 } : {}) });
      await outbox.insertMany([item(0, 'killfeed', false), item(1, 'killfeed', false), item(2, 'events', false), item(3, 'killfeed', true)]);
      const backlog = await scrape();
      expect(['killfeed', 'events', 'connections'].map((feed) => valueOf(backlog, 'killfeed_feed_backlog_items', { feed }))).toEqual([2, 1, 0]);
      await outbox.deleteMany({ serverId: 'backlog' });
    } finally {
      await client.close();
    }
  });

  it('GIVEN a server no longer watched THEN its series are gone from the next scrape', async () => {
    expect(valueOf(await scrape(), 'killfeed_ingest_rows_total', { server_id: unreachable.id })).toBe(0);
    h.app.watcher.unwatch(unreachable.id);
    const families = await scrape();
    expect(valueOf(families, 'killfeed_ingest_rows_total', { server_id: unreachable.id })).toBeUndefined();
    expect(valueOf(families, 'killfeed_ingest_consecutive_failures', { server_id: unreachable.id })).toBeUndefined();
    expect(valueOf(families, 'killfeed_ingest_rows_total', { server_id: local.id })).toBe(3);
  });
});

describe('the strict text-format check', () => {
  it('GIVEN broken expositions THEN each is refused, naming what is wrong', () => {
    const cases: [string, RegExp][] = [
      ['x_total 1\n', /no TYPE/],
      ['# TYPE x_total counter\nx_total{a="1"} 1\nx_total{a="1"} 2\n', /repeated/],
      ['# TYPE x counter\nx 1\n', /does not end in _total/],
      ['# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n', /not cumulative/],
      ['# TYPE g gauge\ng{a=1} 1\n', /bad labels/],
      ['# TYPE g gauge\ng 1', /end with a newline/],
    ];
    for (const [text, message] of cases) expect(() => parseExposition(text)).toThrow(message);
  });
});
