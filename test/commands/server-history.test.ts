import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevMessage } from '../../src/dev-discord/types.js';
import type { GameServer } from '../../src/store/index.js';
import { startBotHarness, type BotHarness } from '../discord/harness.js';
import { realDeathLogs, referenceFigures } from '../helpers/fixtures.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';
import { until } from '../pool/helpers.js';
import { putDeathLogs } from './server-setup.js';

const ARCHIVE = 'archive/deathlogs/world_0';

describe('/server history through Discord, against a real SFTP server', () => {
  let h: BotHarness;
  let sshd: Sshd;
  let archive: GameServer;
  let clockOffset = 0;
  const general = () => h.guild.channels.find((c) => c.name === 'general')!.id;
  const rowsOf = (...files: number[]) => files.reduce((sum, i) => sum + referenceFigures().rowsPerFile.get(realDeathLogs()[i]!.name)!, 0);
  const history = (options: Record<string, string | boolean> = {}) =>
    h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'server', subcommand: 'history', options: { server: archive.id, ...options } });
  const figures = async () => {
    const totals = await h.app.store.guild(h.guild.id).stats.totals(archive.id);
    return { rows: totals.rows, kills: totals.kills, suicides: totals.suicides, malformed: totals.malformed };
  };
  /** Freezes the sessions of the SFTP connections the app keeps open: its next read over them hangs. */
  const freezeIdleConnection = async (): Promise<number[]> => {
    // Once the last run's reads are over (a cancelled run's reads end after the thaw), its connection waits idle.
    const quiet = () => Object.values(h.app.sftp.snapshot());
    await until(() => quiet().some((s) => s.idle > 0) && quiet().every((s) => s.busy === 0), 'an idle SFTP connection');
    return sshd.freezeSessions();
  };

  /** The custom id of the Cancel button on a run's reply. */
  const cancelIdOf = (message: DevMessage): string => String((message.components[0] as { components: { custom_id: string }[] }).components[0]!.custom_id);

  beforeAll(async () => {
    sshd = await startSshd();
    putDeathLogs(sshd, ARCHIVE, [0, 1]);
    // The bot's clock, moved with the stand-in's when a test lets time pass.
    h = await startBotHarness({ now: () => Date.now() + clockOffset });
    // Paused, so no tick reads the files: every figure comes from the history runs.
    archive = await h.app.store.guild(h.guild.id).servers.add({
      name: 'Archive', host: sshd.host, port: sshd.port, username: sshd.user, password: sshd.password, paths: { deathLogs: ARCHIVE }, enabled: false,
    });
  });
  afterAll(async () => {
    await h?.stop();
    await sshd?.stop();
  });

  it('GIVEN /server history THEN the reply shows progress (files, rows, rate) with a Cancel button and ends with the summary', async () => {
    const run = history();
    const done = await run.waitForOriginal((m) => m.content.startsWith('History of **Archive** read'), 60_000);
    expect(done.content).toContain(`: 2 death-log files, ${rowsOf(0, 1).toLocaleString('en-US')} rows`);
    expect(done.components).toEqual([]);
    const edits = h.dev.requests().filter((r) => r.method === 'PATCH' && r.path.includes(run.token));
    const progress = edits.map((r) => r.body as { content: string; components: unknown[] }).filter((b) => /\d+ rows\/s/.test(b.content));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]!.content).toMatch(/^Reading the history of \*\*Archive\*\*: \d\/2 files, [\d,]+ rows, .* of .*, [\d,]+ rows\/s/);
    expect(JSON.stringify(progress[0]!.components)).toMatch(new RegExp(`"custom_id":"server:history-cancel:${archive.id}:\\d+"`));
    expect((await figures()).rows).toBe(rowsOf(0, 1));
  });

  it('GIVEN a run going THEN a second request answers "already going" and starts none; cut short by a restart, it continues from the durable cursors and posts its summary', async () => {
    putDeathLogs(sshd, ARCHIVE, [2, 3]);
    const frozen = await freezeIdleConnection();
    try {
      const first = history();
      await first.waitForOriginal((m) => m.content.startsWith('Reading the history of **Archive**') && m.components.length === 1);
      const second = await history().waitForOriginal((m) => m.content !== '');
      expect(second.content).toMatch(/^A history run of \*\*Archive\*\* is already going \(started .*, task #\d+\): starting/);
      expect(h.app.pool.activeTasks().filter((t) => t.label === 'history-run')).toHaveLength(1);
      await h.restartApp();
    } finally {
      sshd.thawSessions(frozen);
    }
    await until(() => h.dev.messages(general()).some((m) => m.content.includes('continued after the bot restarted')), 'the continued run\'s summary', 60_000);
    const summary = h.dev.messages(general()).find((m) => m.content.includes('continued after the bot restarted'))!.content;
    expect(summary).toContain(`History of **Archive** read: 4 death-log files (2 already read before), ${rowsOf(2, 3).toLocaleString('en-US')} rows`);
    const want = referenceFigures();
    expect(await figures()).toEqual({ rows: want.rows, kills: want.kills, suicides: want.suicides, malformed: want.malformed });
  });

  it('GIVEN /server history fresh:True THEN it asks first: Not now deletes nothing; confirmed, the figures are deleted and read again to the same totals', async () => {
    const before = await figures();
    const all = rowsOf(0, 1, 2, 3).toLocaleString('en-US');
    const ask = await history({ fresh: true }).waitForOriginal((m) => m.components.length > 0);
    expect(ask.content).toMatch(/^Read the history of \*\*Archive\*\* afresh\? Its figures .* are deleted first, then every death log is read again/);
    expect(h.app.history.running(archive.id)).toBeUndefined();
    const keep = h.dev.button({ guildId: h.guild.id, user: 'admin', customId: `server:history-keep:${archive.id}`, messageId: ask.id });
    expect((await keep.acknowledged).data).toMatchObject({ content: 'Nothing was deleted; no history run started.', components: [] });
    expect(await figures()).toEqual(before);

    const again = await history({ fresh: true }).waitForOriginal((m) => m.components.length > 0);
    const confirm = h.dev.button({ guildId: h.guild.id, user: 'admin', customId: `server:history-fresh:${archive.id}`, messageId: again.id });
    const done = await confirm.waitForOriginal((m) => m.content.startsWith('History of **Archive** read'), 60_000);
    expect(done.content).toContain(`read: 4 death-log files, ${all} rows`);
    expect(await figures()).toEqual(before);
  });

  it('GIVEN a fresh run cut short by a restart before its wipe THEN the continued run still wipes and reads everything again', async () => {
    const continued = () => h.dev.messages(general()).filter((m) => m.content.includes('continued after the bot restarted'));
    const seen = continued().length;
    const frozen = await freezeIdleConnection();
    try {
      const ask = await history({ fresh: true }).waitForOriginal((m) => m.components.length > 0);
      const confirm = h.dev.button({ guildId: h.guild.id, user: 'admin', customId: `server:history-fresh:${archive.id}`, messageId: ask.id });
      await confirm.waitForOriginal((m) => m.content.startsWith('Reading the history of **Archive**'));
      expect(await h.app.store.historyMarks.list()).toMatchObject([{ serverId: archive.id, fresh: true, resetDone: false }]);
      await h.restartApp();
    } finally {
      sshd.thawSessions(frozen);
    }
    await until(() => continued().length > seen, 'the continued run\'s summary', 60_000);
    expect(continued().at(-1)!.content).toContain(`History of **Archive** read: 4 death-log files, ${rowsOf(0, 1, 2, 3).toLocaleString('en-US')} rows`);
    const want = referenceFigures();
    expect(await figures()).toEqual({ rows: want.rows, kills: want.kills, suicides: want.suicides, malformed: want.malformed });
  });

  it('GIVEN the Cancel button of a run THEN it stops and its reply says so', async () => {
    const frozen = await freezeIdleConnection();
    try {
      const run = history();
      const going = await run.waitForOriginal((m) => m.components.length === 1);
      const cancel = h.dev.button({ guildId: h.guild.id, user: 'admin', customId: cancelIdOf(going), messageId: going.id });
      expect((await cancel.acknowledged).type).toBe(6);
      const ended = await run.waitForOriginal((m) => m.content.includes('cancelled'));
      expect(ended).toMatchObject({ content: 'History run of **Archive** cancelled. What it had read is kept: `/server history` continues from there.', components: [] });
      await until(() => h.app.history.running(archive.id) === undefined, 'the cancelled run forgotten');
    } finally {
      sshd.thawSessions(frozen);
    }
  });

  it('GIVEN a run outliving its interaction token THEN the bot stops editing its reply and posts the summary in the channel instead', async () => {
    const before = h.dev.messages(general()).length;
    const frozen = await freezeIdleConnection();
    const run = history();
    await run.waitForOriginal((m) => m.components.length === 1);
    const sent = h.dev.requests().length;
    // 16 minutes pass for Discord and for the bot alike.
    h.dev.advanceClock(16 * 60_000);
    clockOffset += 16 * 60_000;
    sshd.thawSessions(frozen);
    await until(() => h.dev.messages(general()).length > before, 'the summary in the channel', 60_000);
    expect(h.dev.messages(general()).at(-1)!.content).toMatch(/^History of \*\*Archive\*\* read: 4 death-log files \(4 already read before\), 0 rows, 0 B in [\d.]+ m?s\.$/);
    expect(run.original()?.components).toHaveLength(1);
    // The bot knew the token had expired: it tried no edit of the reply, so none failed.
    expect(h.dev.requests().slice(sent).filter((r) => r.method === 'PATCH' && r.path.includes(run.token))).toEqual([]);
    expect(h.logs.raw.some((l) => l.includes('could not edit a history run\'s reply'))).toBe(false);

    // That reply's Cancel button stays; pressed during a later run, it cancels nothing.
    const stale = run.original()!;
    const later = await freezeIdleConnection();
    try {
      const next = history();
      const going = await next.waitForOriginal((m) => m.components.length === 1);
      const pressed = await h.dev.button({ guildId: h.guild.id, user: 'admin', customId: cancelIdOf(stale), messageId: stale.id }).acknowledged;
      expect(pressed).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(/^The history run this button belonged to \(task #\d+\) is over: nothing was cancelled\. Another run of \*\*Archive\*\* is going now/) } });
      const current = h.app.history.running(archive.id);
      expect(current).toBeDefined();
      expect(cancelIdOf(going)).toBe(`server:history-cancel:${archive.id}:${current!.taskId}`);
      expect((await h.dev.button({ guildId: h.guild.id, user: 'admin', customId: cancelIdOf(going), messageId: going.id }).acknowledged).type).toBe(6);
      await next.waitForOriginal((m) => m.content.includes('cancelled'));
    } finally {
      sshd.thawSessions(later);
    }
  });
});
