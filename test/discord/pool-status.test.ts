import { afterAll, describe, expect, it } from 'vitest';
import { EMBED_LIMITS, embedSize, poolStatusEmbed, taskListEmbed } from '../../src/discord/format/index.js';
import { newServerHealth } from '../../src/ingest/health.js';
import { makePool, until } from '../pool/helpers.js';

const GUILD = '100000000000000001';
const OTHER = '100000000000000002';
const { pool } = makePool({ ioConcurrency: 120 });
afterAll(() => pool.shutdown({ deadlineMs: 0 }));

function holdIo(guildId: string, server: string, release: Promise<void>) {
  return pool.submitIo(() => release, { label: 'tick', priority: 'NORMAL', meta: { guildId, serverId: `id-${server}`, server } });
}

describe('/admin queue embed', () => {
  it('GIVEN 100 running tasks, 95 of this guild THEN the embed keeps every Discord limit, counts the rows left out, and names no other guild\'s server', async () => {
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const handles = [
      ...Array.from({ length: 5 }, (_, i) => holdIo(OTHER, `secret server ${i}`, gate)),
      ...Array.from({ length: 95 }, (_, i) => holdIo(GUILD, `Our very long game server name number ${i}`, gate)),
    ];
    await until(() => pool.stats().running.io === 100, '100 tasks running');
    const embed = poolStatusEmbed({ stats: pool.stats(), health: [], guildId: GUILD, startedAt: Date.now() - 60_000, now: Date.now() });
    release();
    await Promise.all(handles.map((h) => h.result));

    expect(embedSize(embed)).toBeLessThanOrEqual(EMBED_LIMITS.total);
    for (const f of embed.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldValue);
    const running = embed.fields?.find((f) => f.name.startsWith('Running here'));
    expect(running?.name).toBe('Running here (95)');
    const shownRows = (running?.value.match(/^#\d+/gm) ?? []).length;
    expect(running?.value).toContain(`+${95 - shownRows} more`);
    expect(running?.value).toContain('5 more for other Discord servers');
    expect(JSON.stringify(embed)).not.toContain('secret server');
    expect(embed.fields?.find((f) => f.name === 'Workers')?.value).toContain('I/O 100 of 120');
  });

  it('GIVEN this guild\'s servers, one failing THEN the failing one comes first with its error, and the others with their lag', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    const ok = { ...newServerHealth(GUILD, 's1', 'Alpha'), state: 'ok' as const, lastSuccessAt: '2026-01-01T11:59:48Z', lagSeconds: 4 };
    const failing = {
      ...newServerHealth(GUILD, 's2', 'Bravo'), state: 'failing' as const, consecutiveFailures: 3,
      lastError: 'The SFTP server refused the password for user "deadside".',
    };
    const embed = poolStatusEmbed({ stats: pool.stats(), health: [ok, failing], guildId: GUILD, startedAt: now - 3_600_000, now });
    const servers = embed.fields?.find((f) => f.name.startsWith('Game servers'));
    expect(servers?.name).toBe('Game servers (2)');
    expect(servers?.value).toBe([
      '**Bravo**: failing, last read never',
      '  last error: The SFTP server refused the password for user "deadside".',
      '**Alpha**: ok, last read 12 s ago, 4 s behind',
    ].join('\n'));
    expect(embed.description).toBe('Up 1h 00m.');
  });
});

describe('/admin tasks embed', () => {
  it('GIVEN a failed task THEN the table lists it and its error is shown in plain words', async () => {
    await pool.runIo(() => Promise.reject(new Error('disk full')), { label: 'history', meta: { guildId: GUILD, server: 'Alpha' } }).catch(() => undefined);
    const [failed] = pool.historyOf({ state: 'FAILED', limit: 1 });
    const embed = taskListEmbed(failed === undefined ? [] : [failed], { state: 'FAILED' }, Date.now());
    expect(embed.title).toBe('FAILED tasks of this Discord server');
    expect(embed.description).toMatch(new RegExp(`#${failed?.id}\\s+FAILED\\s+history\\s+Alpha`));
    expect(embed.fields).toEqual([{ name: 'Errors', value: `#${failed?.id}: disk full` }]);
  });
});
