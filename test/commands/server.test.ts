import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GameServer } from '../../src/store/index.js';
import { parseSecretsKey, sealSecret } from '../../src/store/secrets.js';
import { startBotHarness, type BotHarness } from '../discord/harness.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';
import { addThroughForm, adminRuns, loginForm, MAIN_DEATH_LOGS, MAIN_SERVER_LOG, putDeathLogs, putGameServer, sshKey } from './server-setup.js';

const EPHEMERAL = 64;

/** A loopback port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('/server through Discord, against a real SFTP server', () => {
  let h: BotHarness;
  let sshd: Sshd;
  let main: GameServer;
  let wrong: GameServer;
  const store = () => h.app.store.guild(h.guild.id);
  const watched = (serverId: string): boolean => h.app.scheduler.health().some((s) => s.serverId === serverId);

  beforeAll(async () => {
    sshd = await startSshd();
    putGameServer(sshd);
    // A second server's logs on the same login: the search finds the first, and says it saw this one.
    putDeathLogs(sshd, 'other/Saved/actual1/deathlogs/world_0', [0]);
    h = await startBotHarness({ discord: { guilds: 2 } });
  });
  afterAll(async () => {
    await h?.stop();
    await sshd?.stop();
  });

  it('GIVEN /server add and its form filled in THEN the server is stored, watched at once, and the answer tells what the connection found, never the password', async () => {
    const answer = await addThroughForm(h, 'Main', loginForm(sshd));
    expect(answer).toContain('Added **Main**. The bot reads it from now on.');
    expect(answer).toContain(`Connected to sftp://${sshd.user}@127.0.0.1:${sshd.port}.`);
    expect(answer).toContain(`Its host key ${sshd.hostKeyFingerprint()} is trusted from now on`);
    expect(answer).toContain(`Death logs: \`${MAIN_DEATH_LOGS}\`, 4 files (2025.03.27-00.00.00.csv to 2025.05.15-00.00.00.csv)`);
    expect(answer).toContain(`Server log: \`${MAIN_SERVER_LOG}\`.`);
    expect(answer).toContain('Other death-log folders seen (other/Saved/actual1/deathlogs/world_0)');
    main = (await store().servers.findByName('Main'))!;
    expect(main).toMatchObject({ host: '127.0.0.1', port: sshd.port, username: sshd.user, hasPassword: true, enabled: true });
    expect(watched(main.id)).toBe(true);
    expect(h.logs.raw.some((l) => l.includes(sshd.password))).toBe(false);
    expect(JSON.stringify(h.dev.requests()).includes(sshd.password)).toBe(false);
  });

  it('GIVEN the form left half-filled (no password, no key) or a bad port THEN the answer names the field and nothing is stored', async () => {
    const missing = await addThroughForm(h, 'Half', loginForm(sshd, { password: '' }));
    expect(missing).toBe('The form had neither a password nor a private key: the SFTP login needs one of them. Run `/server add` again to fill in the form.');
    for (const port of ['abc', '70000', '0']) {
      expect(await addThroughForm(h, 'Half', loginForm(sshd, { port }))).toMatch(new RegExp(`^The port "${port}" is not a port number: give a whole number from 1 to 65535`));
    }
    expect(await store().servers.findByName('Half')).toBeNull();
    expect(await addThroughForm(h, 'main', loginForm(sshd))).toContain('A game server named "main" already exists here.');
  });

  it('GIVEN a wrong password THEN the server is kept and the answer says in plain words that the login was refused and what to do', async () => {
    const answer = await addThroughForm(h, 'Wrong', loginForm(sshd, { password: 'not-the-password' }));
    expect(answer).toContain('Added **Wrong**. The bot keeps trying on its schedule');
    expect(answer).toContain(`**Could not read sftp://${sshd.user}@127.0.0.1:${sshd.port}.**`);
    expect(answer).toContain(`The SFTP server at 127.0.0.1:${sshd.port} refused the username or password/key`);
    expect(answer).toContain('Enter the login again with `/server edit login:True`.');
    wrong = (await store().servers.findByName('Wrong'))!;
    expect(await adminRuns(h, 'test', { server: wrong.id })).toContain('refused the username or password/key');
  });

  it('GIVEN /server test, status and list THEN each tells how the server is read', async () => {
    expect(await adminRuns(h, 'test', { server: main.id })).toMatch(/^\*\*Main\*\*: Connected to .*\n.*4 files/);
    await h.app.scheduler.tickNow(main.id);
    await expect(h.app.scheduler.tickNow(wrong.id)).rejects.toMatchObject({ kind: 'auth-failed' });
    const status = await adminRuns(h, 'status', { server: main.id });
    for (const field of ['Last read', 'Last success', 'Next read', 'Lag', 'Rows read', 'Last error', 'Files being read']) expect(status).toContain(field);
    expect(status).toContain(`${MAIN_DEATH_LOGS}/2025.05.15-00.00.00.csv`);
    const list = await adminRuns(h, 'list');
    expect(list).toContain('"name":"Main"');
    expect(list).toContain('"name":"Wrong"');
    expect(list).toMatch(/failing \(\d+ reads in a row\): The SFTP server at .* refused/);
  });

  it('GIVEN the server option THEN autocomplete offers this guild\'s servers by name with the id as value, and a typed name works too', async () => {
    const ack = await h.dev.autocomplete({ guildId: h.guild.id, user: 'admin', name: 'server', subcommand: 'status', focused: 'server', options: { server: 'ma' } }).acknowledged;
    expect(ack).toMatchObject({ type: 8, data: { choices: [{ name: 'Main', value: main.id }] } });
    expect(await adminRuns(h, 'test', { server: 'main' })).toContain('**Main**: Connected');
  });

  it('GIVEN another guild\'s server id, or an unknown name THEN it is refused as unknown here', async () => {
    const other = h.dev.guilds[1]!.id;
    expect(await adminRuns(h, 'status', { server: main.id }, other)).toBe(`No game server called "${main.id}" in this Discord server. Pick one from the list, or see them all with /server list.`);
    expect(await adminRuns(h, 'remove', { server: 'nowhere' })).toContain('No game server called "nowhere" in this Discord server.');
    const ack = await h.dev.autocomplete({ guildId: other, user: 'admin', name: 'server', subcommand: 'status', focused: 'server', options: { server: '' } }).acknowledged;
    expect(ack.data).toMatchObject({ choices: [] });
  });

  it('GIVEN a plain member THEN every /server subcommand is refused and nothing runs', async () => {
    const ack = await h.dev.command({ guildId: h.guild.id, user: 'member', name: 'server', subcommand: 'list' }).acknowledged;
    expect(ack).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: 'You need the Manage Server permission to use /server.' } });
    const form = await h.dev.command({ guildId: h.guild.id, user: 'member', name: 'server', subcommand: 'add', options: { name: 'Sneaky' } }).acknowledged;
    expect(form.type).toBe(4);
    // Nor does autocomplete tell a member the names of the game servers.
    const choices = await h.dev.autocomplete({ guildId: h.guild.id, user: 'member', name: 'server', subcommand: 'status', focused: 'server', options: { server: '' } }).acknowledged;
    expect(choices).toMatchObject({ type: 8, data: { choices: [] } });
  });

  it('GIVEN /server edit THEN the settings change and the server is watched with them, or paused', async () => {
    expect(await adminRuns(h, 'edit', { server: main.id })).toContain('Nothing to change');
    expect(await adminRuns(h, 'edit', { server: main.id, 'poll-seconds': 5 })).toContain('The poll interval 5 is not allowed');
    const saved = await adminRuns(h, 'edit', { server: main.id, 'death-logs-path': MAIN_DEATH_LOGS, 'poll-seconds': 30 });
    expect(saved).toBe(`Saved **Main**: death logs \`${MAIN_DEATH_LOGS}\`, server log searched for, read every 30 s. The bot reads it with these settings from now on.`);
    expect(await adminRuns(h, 'edit', { server: main.id, enabled: false })).toContain('It is paused');
    expect(watched(main.id)).toBe(false);
    expect(await adminRuns(h, 'edit', { server: main.id, enabled: true })).toContain('The bot reads it with these settings');
    expect(watched(main.id)).toBe(true);
  });

  it('GIVEN a refused connection, a missing folder or a changed host key THEN /server test says which in plain words with what to do', async () => {
    const closed = await closedPort();
    await adminRuns(h, 'edit', { server: main.id, port: closed });
    const refused = await adminRuns(h, 'test', { server: main.id });
    expect(refused).toContain(`Could not reach the SFTP server at 127.0.0.1:${closed} (connection refused)`);
    expect(refused).toContain('Fix the port with `/server edit port:`');
    await adminRuns(h, 'edit', { server: main.id, port: sshd.port, 'death-logs-path': 'nowhere/deathlogs' });
    const missing = await adminRuns(h, 'test', { server: main.id });
    expect(missing).toContain('nowhere/deathlogs does not exist on 127.0.0.1');
    expect(missing).toContain('Fix the paths with `/server edit death-logs-path:`');
    await adminRuns(h, 'edit', { server: main.id, 'death-logs-path': MAIN_DEATH_LOGS });

    const pinned = sshd.hostKeyFingerprint();
    await sshd.restart({ newHostKey: true });
    const changed = await adminRuns(h, 'test', { server: main.id });
    expect(changed).toContain(`presented host key ${sshd.hostKeyFingerprint()}, but ${pinned} is stored for it, so the bot refused to connect`);
    expect(changed).toContain('enter the login again with `/server edit login:True` to trust the new one');
  });

  it('GIVEN /server edit login:True THEN a new login is taken from the form, the new host key trusted, and the server read with it', async () => {
    const mixed = await h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'server', subcommand: 'edit', options: { server: main.id, login: true, name: 'X' } }).acknowledged;
    expect(mixed.data).toMatchObject({ content: expect.stringContaining('`login:True` opens the login form on its own'), flags: EPHEMERAL });
    const shown = await h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'server', subcommand: 'edit', options: { server: main.id, login: true } }).acknowledged;
    expect(shown.type).toBe(9);
    const submit = h.dev.modalSubmit({ guildId: h.guild.id, user: 'admin', customId: `server:login:${main.id}`, fields: loginForm(sshd, { password: '', 'private-key': sshd.privateKey }) });
    const saved = (await submit.waitForOriginal((m) => m.content !== '', 30_000)).content;
    expect(saved).toContain('Saved the new login of **Main**.');
    expect(saved).toContain(`Its host key ${sshd.hostKeyFingerprint()} is trusted from now on`);
    expect(saved).toContain('4 files');
    // The form replaces the login: the password typed when the server was added is gone, not tried before the key.
    expect(await store().servers.get(main.id)).toMatchObject({ hasPrivateKey: true, hasPassword: false, hostKey: sshd.hostKeyFingerprint() });
    expect(h.logs.raw.some((l) => l.includes(sshd.privateKey.split('\n')[1]!))).toBe(false);
  });

  it('GIVEN a new login with a key the host does not accept THEN the answer says the login was refused (no old password connects instead)', async () => {
    await h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'server', subcommand: 'edit', options: { server: wrong.id, login: true } }).acknowledged;
    const good = h.dev.modalSubmit({ guildId: h.guild.id, user: 'admin', customId: `server:login:${wrong.id}`, fields: loginForm(sshd) });
    expect((await good.waitForOriginal((m) => m.content !== '', 30_000)).content).toContain('Connected to');
    await h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'server', subcommand: 'edit', options: { server: wrong.id, login: true } }).acknowledged;
    const broken = h.dev.modalSubmit({ guildId: h.guild.id, user: 'admin', customId: `server:login:${wrong.id}`, fields: loginForm(sshd, { password: '', 'private-key': sshKey() }) });
    const answer = (await broken.waitForOriginal((m) => m.content !== '', 30_000)).content;
    expect(answer).toContain(`The SFTP server at 127.0.0.1:${sshd.port} refused the username or password/key`);
    expect(await store().servers.get(wrong.id)).toMatchObject({ hasPassword: false, hasPrivateKey: true });
  });

  it('GIVEN a private key protected by a passphrase, with the passphrase in the password field THEN the login works; a wrong passphrase is told in plain words', async () => {
    const passphrase = 'correct horse battery';
    const locked = sshKey({ from: sshd.privateKey, passphrase });
    const submitLogin = async (fields: Record<string, string>): Promise<string> => {
      expect((await h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'server', subcommand: 'edit', options: { server: wrong.id, login: true } }).acknowledged).type).toBe(9);
      const submit = h.dev.modalSubmit({ guildId: h.guild.id, user: 'admin', customId: `server:login:${wrong.id}`, fields });
      return (await submit.waitForOriginal((m) => m.content !== '', 30_000)).content;
    };
    expect(await submitLogin(loginForm(sshd, { password: passphrase, 'private-key': locked }))).toContain(`Connected to sftp://${sshd.user}@127.0.0.1:${sshd.port}.`);
    expect(await store().servers.get(wrong.id)).toMatchObject({ hasPassword: false, hasPrivateKey: true });
    const bad = await submitLogin(loginForm(sshd, { password: 'not the passphrase', 'private-key': locked }));
    expect(bad).toContain('could not be used');
    expect(bad).toContain('passphrase');
    expect(h.logs.raw.some((l) => l.includes(passphrase))).toBe(false);
  });

  it('GIVEN a login sealed with another SECRETS_KEY THEN /server test and history say so in plain words, not with an error id', async () => {
    const client = await MongoClient.connect(h.db.uri);
    try {
      const otherKey = parseSecretsKey(randomBytes(32).toString('hex'));
      await client.db(h.db.dbName).collection('servers').updateOne({ _id: wrong.id as never }, { $set: { 'sftp.privateKey': sealSecret(otherKey, sshd.privateKey, wrong.id) } });
    } finally {
      await client.close();
    }
    const words = 'A stored SFTP credential could not be decrypted: SECRETS_KEY is not the key it was saved with';
    const tested = await adminRuns(h, 'test', { server: wrong.id });
    expect(tested).toContain(`**Wrong**: **Could not read sftp://${sshd.user}@127.0.0.1:${sshd.port}.**`);
    expect(tested).toContain(words);
    // Paused, so the run opens the login itself rather than reading through the ticks' connection.
    expect(await adminRuns(h, 'edit', { server: wrong.id, enabled: false })).toContain('It is paused');
    const history = await h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'server', subcommand: 'history', options: { server: wrong.id } })
      .waitForOriginal((m) => m.content.startsWith('History run'), 30_000);
    expect(history.content).toContain(`History run of **Wrong** failed: ${words}`);
  });

  it('GIVEN paths of 1,000 characters THEN /server edit and test answer within Discord\'s 2,000 characters, the paths shown cut in the middle and stored whole', async () => {
    const folder = (c: string): string => Array.from({ length: 4 }, () => c.repeat(240)).join('/');
    const deathLogs = `${folder('d')}/deathlogs`;
    const serverLog = `${folder('l')}/Deadside.log`;
    putDeathLogs(sshd, deathLogs, [0]);
    mkdirSync(join(sshd.root, folder('l')), { recursive: true });
    writeFileSync(join(sshd.root, serverLog), 'Log file open, 05/15/25 09:00:00\n');
    const saved = await adminRuns(h, 'edit', { server: main.id, 'death-logs-path': deathLogs, 'server-log-path': serverLog });
    expect(saved).toMatch(/^Saved \*\*Main\*\*: death logs `d+…d+\/deathlogs`, server log `l+…l+\/Deadside\.log`\. The bot reads it with these settings from now on\.$/);
    expect((await store().servers.get(main.id))!.paths).toEqual({ deathLogs, serverLog });
    const tested = await adminRuns(h, 'test', { server: main.id });
    expect(tested).toMatch(/^\*\*Main\*\*: Connected to /);
    expect(tested).toMatch(/Death logs: `d+…d+\/deathlogs`, 1 file \(2025\.03\.27-00\.00\.00\.csv\)/);
    expect(tested).toMatch(/Server log: `l+…l+\/Deadside\.log`\./);
    expect(await adminRuns(h, 'edit', { server: main.id, 'death-logs-path': MAIN_DEATH_LOGS, 'server-log-path': '-' })).toContain('Saved **Main**');
  });

  it('GIVEN a port change and a pause sent together THEN the server ends paused and unwatched, however the two interleave', async () => {
    const answer = (options: Record<string, string | number | boolean>) =>
      h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'server', subcommand: 'edit', options: { server: main.id, ...options } })
        .waitForOriginal((m) => m.content !== '', 30_000);
    for (let round = 0; round < 5; round += 1) {
      const [port, pause] = await Promise.all([answer({ port: sshd.port }), answer({ enabled: false })]);
      expect(port.content).toMatch(/^Saved \*\*Main\*\*: port \d+\./);
      expect(pause.content).toContain('It is paused');
      expect((await store().servers.get(main.id))!.enabled).toBe(false);
      expect(watched(main.id)).toBe(false);
      expect(await adminRuns(h, 'edit', { server: main.id, enabled: true })).toContain('The bot reads it with these settings');
    }
  });

  it('GIVEN /server remove THEN it asks first; Keep changes nothing; Remove stops its ticks and deletes its data', async () => {
    await h.app.scheduler.tickNow(main.id);
    expect((await store().stats.totals(main.id)).rows).toBeGreaterThan(0);
    const ask = h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'server', subcommand: 'remove', options: { server: main.id } });
    const question = await ask.waitForOriginal((m) => m.components.length > 0);
    expect(question.content).toContain('Remove **Main**?');
    const keep = h.dev.button({ guildId: h.guild.id, user: 'admin', customId: `server:keep:${main.id}`, messageId: question.id });
    expect((await keep.acknowledged).data).toMatchObject({ content: 'Nothing was removed.', components: [] });
    expect(watched(main.id)).toBe(true);

    const again = await h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'server', subcommand: 'remove', options: { server: main.id } }).waitForOriginal((m) => m.components.length > 0);
    const confirm = h.dev.button({ guildId: h.guild.id, user: 'admin', customId: `server:remove:${main.id}`, messageId: again.id });
    expect((await confirm.acknowledged).type).toBe(6);
    const removed = await confirm.waitForOriginal((m) => m.content.startsWith('Removed'), 30_000);
    expect(removed).toMatchObject({ content: 'Removed **Main**: it is no longer read, and its figures are deleted.', components: [] });
    expect(watched(main.id)).toBe(false);
    expect(await store().servers.get(main.id)).toBeNull();
    expect((await store().stats.totals(main.id)).rows).toBe(0);
    expect(await store().ingest.cursors(main.id)).toEqual([]);
  });
});
