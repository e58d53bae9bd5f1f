import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBED_LIMITS } from '../../src/discord/format/index.js';
import type { DevMessage } from '../../src/dev-discord/types.js';
import { until } from '../pool/helpers.js';
import { killRow, makeGameFolder, type GameFolder } from '../discord/game-folder.js';
import { startBotHarness, type BotHarness } from '../discord/harness.js';

const EPHEMERAL = 64;

interface Field { name: string; value: string }
const fieldsOf = (m: DevMessage): Field[] => (m.embeds[0]?.fields ?? []) as Field[];
const field = (m: DevMessage, prefix: string): Field | undefined => fieldsOf(m).find((f) => f.name.startsWith(prefix));
const answered = (m: DevMessage) => m.content !== '' || m.embeds.length > 0;

describe('/admin', () => {
  let h: BotHarness;
  let folder: GameFolder;
  let other: string;
  /** Releases the tasks a test holds running. */
  let release: () => void = () => undefined;

  /** An I/O task of `guildId` that runs until `release()`, as ticks and history runs carry their guild in meta. */
  const hold = (guildId: string, server: string, gate: Promise<void>) =>
    h.app.pool.submitIo(() => gate, { label: 'tick', meta: { guildId, serverId: `id-${server}`, server } });
  const newGate = () => new Promise<void>((resolve) => { release = resolve; });
  const admin = (subcommand: string, options?: Record<string, string | number>) =>
    h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'admin', subcommand, ...(options ? { options } : {}) });

  beforeAll(async () => {
    h = await startBotHarness({ discord: { guilds: 2 }, env: { POOL_IO_CONCURRENCY: '200' } });
    other = h.dev.guilds[1]?.id ?? '';
    folder = makeGameFolder([killRow('10.00.00', 'Alice', 'Bob')]);
    const guild = h.app.store.guild(h.guild.id);
    await h.app.watcher.watch(guild, await guild.servers.add({ name: 'Alpha Home', localPath: folder.root }));
    await until(() => h.app.watcher.health(h.guild.id)[0]?.state === 'ok', 'the first tick of Alpha Home', 20_000);
  });
  afterAll(async () => {
    release();
    await h.stop();
    folder.remove();
  });

  it('GIVEN an admin THEN /admin queue answers privately with the pool\'s status and this guild\'s servers', async () => {
    const run = admin('queue');
    expect(await run.acknowledged).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
    const answer = await run.waitForOriginal(answered);
    expect(answer.embeds[0]?.title).toBe('Background work');
    expect(fieldsOf(answer).map((f) => f.name)).toEqual(['Queue', 'Workers', 'Outcomes', 'Process', 'Running here (0)', 'Game servers (1)']);
    expect(field(answer, 'Game servers')?.value).toMatch(/^\*\*Alpha Home\*\*: ok, last read (just now|\d+ s ago)/);
    expect(field(answer, 'Outcomes')?.value).toMatch(/^success \d+(\.\d)?%\n[1-9]\d* done/);
  });

  it('GIVEN a plain member THEN every /admin command is refused in plain words', async () => {
    for (const subcommand of ['queue', 'tasks']) {
      const ack = await h.dev.command({ guildId: h.guild.id, user: 'member', name: 'admin', subcommand }).acknowledged;
      expect(ack).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: 'You need the Manage Server permission to use /admin.' } });
    }
  });

  it('GIVEN 100 running tasks of this guild with long server names THEN /admin queue fits Discord\'s embed limits and counts the rest', async () => {
    const gate = newGate();
    const held = Array.from({ length: 100 }, (_, i) => hold(h.guild.id, `${'A very long game server name '.repeat(3)}${i}`, gate));
    await until(() => held.every((t) => h.app.pool.get(t.id)?.state === 'RUNNING'), '100 tasks running');
    const answer = await admin('queue').waitForOriginal(answered);
    release();
    const running = field(answer, 'Running here');
    expect(running?.name).toBe('Running here (100)');
    const rows = running?.value.match(/^#\d+/gm) ?? [];
    expect(running?.value.endsWith(`+${100 - rows.length} more`)).toBe(true);
    expect(running?.value.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldValue);
    await Promise.all(held.map((t) => t.result));
  });

  it('GIVEN tasks of this guild and of another THEN /admin tasks lists only this guild\'s, newest first, by state and up to the limit', async () => {
    await h.app.pool.runIo(() => Promise.reject(new Error('disk full')), { label: 'history', meta: { guildId: h.guild.id, server: 'Alpha Home' } }).catch(() => undefined);
    await h.app.pool.runIo(() => Promise.resolve(), { label: 'history', meta: { guildId: other, server: 'Secret Other' } });
    const all = await admin('tasks', { limit: 25 }).waitForOriginal(answered);
    const listed = (all.embeds[0]?.description as string).match(/^#\d+/gm)?.map((id) => Number(id.slice(1))) ?? [];
    expect(listed.length).toBeGreaterThan(1);
    expect(listed).toEqual([...listed].sort((a, b) => b - a));
    expect(JSON.stringify(all.embeds)).not.toContain('Secret Other');
    const failed = await admin('tasks', { state: 'FAILED', limit: 1 }).waitForOriginal(answered);
    expect(failed.embeds[0]?.title).toBe('FAILED tasks of this Discord server');
    expect((failed.embeds[0]?.description as string).match(/^#\d+/gm)).toHaveLength(1);
    expect(fieldsOf(failed)).toEqual([{ name: 'Errors', value: expect.stringMatching(/^#\d+: disk full$/) }]);
  });

  it('GIVEN another guild\'s task or an unknown id THEN /admin cancel says there is no such task here, and the task keeps running', async () => {
    const gate = newGate();
    const theirs = hold(other, 'Secret Other', gate);
    await until(() => h.app.pool.get(theirs.id)?.state === 'RUNNING', 'the other guild\'s task running');
    for (const id of [theirs.id, 999_999]) {
      const answer = await admin('cancel', { task: id }).waitForOriginal(answered);
      expect(answer.content).toBe(`No task #${id} in this Discord server.`);
    }
    expect(h.app.pool.get(theirs.id)?.state).toBe('RUNNING');
    release();
    await theirs.result;
  });

  it('GIVEN this guild\'s running task THEN /admin cancel cancels it and says which; cancelled again, it says it already finished', async () => {
    const gate = newGate();
    const ours = hold(h.guild.id, 'Alpha Home', gate);
    await until(() => h.app.pool.get(ours.id)?.state === 'RUNNING', 'our task running');
    const answer = await admin('cancel', { task: ours.id }).waitForOriginal(answered);
    expect(answer.content).toMatch(new RegExp(`^Cancelled task #${ours.id} tick of Alpha Home, running for [\\d.]+ (ms|s)\\.$`));
    await expect(ours.result).rejects.toThrow();
    expect(h.app.pool.get(ours.id)?.state).toBe('CANCELLED');
    const again = await admin('cancel', { task: ours.id }).waitForOriginal(answered);
    expect(again.content).toMatch(new RegExp(`^Task #${ours.id} tick of Alpha Home, cancelled (just now|\\d+ s ago): it had already finished\\.$`));
    release();
  });
});
