import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandData, SlashCommand } from '../../src/discord/command.js';
import { deployCommands } from '../../src/discord/deploy.js';
import { createRegistry } from '../../src/discord/registry.js';
import { until } from '../pool/helpers.js';
import { fixtureCommands, slowGate } from './fixtures/commands.js';
import { killRow, makeGameFolder, type GameFolder } from './game-folder.js';
import { startBotHarness, type BotHarness } from './harness.js';

const EPHEMERAL = 64;

describe('the interaction boundary', () => {
  let h: BotHarness;
  let folder: GameFolder;

  beforeAll(async () => {
    h = await startBotHarness({ commands: fixtureCommands });
    folder = makeGameFolder([killRow('10.00.00', 'Alice', 'Bob'), killRow('10.01.00', 'Alfred', 'Bob'), killRow('10.02.00', 'Carol', 'Alice'), killRow('10.03.00', 'Dad123', 'Bob')]);
  });
  afterAll(async () => {
    await h.stop();
    folder.remove();
  });

  it('GIVEN a command Discord still lists but the bot no longer has THEN the member is told so, privately', async () => {
    const gone = { data: { name: 'gone', description: 'Removed since' } as const satisfies CommandData, access: 'everyone', execute: () => Promise.resolve() } satisfies SlashCommand;
    await deployCommands({ token: h.dev.token, applicationId: h.dev.applicationId, apiUrl: h.dev.apiUrl, guildId: h.guild.id, registry: createRegistry([gone]) });
    const ack = await h.dev.command({ guildId: h.guild.id, user: 'member', name: 'gone' }).acknowledged;
    expect(ack.type).toBe(4);
    expect(ack.data).toMatchObject({ flags: EPHEMERAL });
    expect(String(ack.data?.content)).toContain('/gone is not known to this bot');
  });

  it('GIVEN an admin command from a member without Manage Server THEN it is refused in plain words and never runs', async () => {
    const run = h.dev.command({ guildId: h.guild.id, user: 'member', name: 'secret' });
    const ack = await run.acknowledged;
    expect(ack.type).toBe(4);
    expect(ack.data).toMatchObject({ flags: EPHEMERAL, content: 'You need the Manage Server permission to use /secret.' });
  });

  it('GIVEN an admin command from an admin THEN it is deferred privately and answered', async () => {
    const run = h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'secret' });
    expect(await run.acknowledged).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
    expect((await run.waitForOriginal((m) => m.content !== '')).content).toBe('admin ok');
  });

  it('GIVEN a handler that throws a UserError THEN the member reads its message as it is', async () => {
    const run = h.dev.command({ guildId: h.guild.id, user: 'member', name: 'fail', options: { kind: 'user' } });
    expect((await run.acknowledged).type).toBe(5);
    const answer = await run.waitForOriginal((m) => m.content !== '');
    expect(answer.content).toBe('No game server called "nowhere" here. Pick one from the list.');
    expect(h.logs.lines.filter((l) => l.msg === 'an interaction failed')).toEqual([]);
  });

  it('GIVEN a bug in a handler THEN the member gets an error id and the log line carries the same id, guild, user and command', async () => {
    const run = h.dev.command({ guildId: h.guild.id, user: 'member', name: 'fail', options: { kind: 'bug' } });
    const answer = await run.waitForOriginal((m) => m.content !== '');
    const errorId = /error id ([A-Z0-9]{6})/.exec(answer.content)?.[1];
    expect(answer.content).toBe(`Something went wrong on our side (error id ${errorId}). The bot's admins can find it in the log.`);
    const line = h.logs.lines.find((l) => l.errorId === errorId);
    expect(line).toMatchObject({ level: 50, guildId: h.guild.id, userId: h.guild.member.id, command: 'fail', msg: 'an interaction failed' });
    expect(JSON.stringify(line?.err)).toContain('a handler bug');
  });

  it('GIVEN a button of a command THEN it is routed to that command, and a bug there is answered with an error id', async () => {
    const run = h.dev.command({ guildId: h.guild.id, user: 'member', name: 'echo', options: { text: 'hi' } });
    const message = await run.waitForOriginal((m) => m.content === 'echo: hi');
    const again = await h.dev.button({ guildId: h.guild.id, user: 'member', customId: 'echo:again', messageId: message.id }).acknowledged;
    expect(again).toMatchObject({ type: 4, data: { content: 'again!', flags: EPHEMERAL } });
    const broken = await h.dev.button({ guildId: h.guild.id, user: 'member', customId: 'echo:broken', messageId: message.id }).acknowledged;
    expect(String(broken.data?.content)).toMatch(/^Something went wrong on our side \(error id [A-Z0-9]{6}\)/);
    const stale = await h.dev.button({ guildId: h.guild.id, user: 'member', customId: 'nothing:here', messageId: message.id }).acknowledged;
    expect(stale.data).toMatchObject({ content: 'This button or form no longer works. Run the command again.', flags: EPHEMERAL });
  });

  it('GIVEN game servers and players in the store THEN autocomplete offers the matching ones', async () => {
    const guild = h.app.store.guild(h.guild.id);
    const home = await guild.servers.add({ name: 'Alpha Home', localPath: folder.root });
    await guild.servers.add({ name: 'Beta', localPath: folder.root, enabled: false });
    await h.app.watcher.watch(guild, home);
    await h.app.scheduler.tickNow(home.id);
    const servers = await h.dev.autocomplete({ guildId: h.guild.id, user: 'member', name: 'find', focused: 'server', options: { server: 'alp' } }).acknowledged;
    expect(servers).toMatchObject({ type: 8, data: { choices: [{ name: 'Alpha Home', value: home.id }] } });
    const players = await h.dev.autocomplete({ guildId: h.guild.id, user: 'member', name: 'find', focused: 'player', options: { player: 'al' } }).acknowledged;
    expect((players.data?.choices as { name: string }[]).map((c) => c.name.split(' (')[0])).toEqual(['Alfred', 'Alice']);
    const offered = async (typed: string) => ((await h.dev.autocomplete({ guildId: h.guild.id, user: 'member', name: 'find', focused: 'player', options: { player: typed } }).acknowledged)
      .data?.choices as { name: string }[]).map((c) => c.name.split(' (')[0]);
    // A name made of hex digits is still found by name; an EOS id by its start.
    expect(await offered('dad123')).toEqual(['Dad123']);
    expect(await offered(`0002${Buffer.from('Carol').toString('hex')}`)).toEqual(['Carol']);
  });

  it('GIVEN an autocomplete offering too many or failing THEN Discord gets at most 25 choices, or none and a log line', async () => {
    const many = await h.dev.autocomplete({ guildId: h.guild.id, user: 'member', name: 'find', focused: 'many' }).acknowledged;
    expect(many.data?.choices).toHaveLength(25);
    const broken = await h.dev.autocomplete({ guildId: h.guild.id, user: 'member', name: 'find', focused: 'broken' }).acknowledged;
    expect(broken).toMatchObject({ type: 8, data: { choices: [] } });
    await until(() => h.logs.lines.some((l) => l.msg === 'autocomplete failed' && l.command === 'find'), 'the autocomplete failure logged');
  });

  it('GIVEN a modal submit THEN none of its values reach the log, even when its handler fails', async () => {
    const password = 'hunter2-modal-secret';
    expect((await h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'login' }).acknowledged).type).toBe(9);
    const ack = await h.dev.modalSubmit({ guildId: h.guild.id, user: 'admin', customId: 'login:submit', fields: { password } }).acknowledged;
    expect(String(ack.data?.content)).toContain('error id');
    expect(h.logs.raw.some((l) => l.includes(password))).toBe(false);
  });

  it('GIVEN interactions from several members THEN the client caches no member or user but the bot itself, and the token is in no log line', async () => {
    await h.dev.command({ guildId: h.guild.id, user: 'admin', name: 'secret' }).waitForOriginal((m) => m.content !== '');
    const guild = h.app.discord.guilds.cache.get(h.guild.id);
    expect([...(guild?.members.cache.keys() ?? [])]).toEqual([h.dev.botUserId]);
    expect([...h.app.discord.users.cache.keys()]).toEqual([h.dev.botUserId]);
    expect(h.logs.raw.some((l) => l.includes(h.dev.token))).toBe(false);
  });

  it('GIVEN a bug after the interaction expired THEN the failed answer is logged and the bot keeps answering', async () => {
    const run = h.dev.command({ guildId: h.guild.id, user: 'member', name: 'slow' });
    expect((await run.acknowledged).type).toBe(5);
    h.dev.advanceClock(16 * 60 * 1000);
    slowGate.open();
    await until(() => h.logs.lines.some((l) => l.msg === 'could not answer the interaction (it may have expired)'), 'the refused answer logged');
    expect(run.original()?.content).toBe('');
    const next = h.dev.command({ guildId: h.guild.id, user: 'member', name: 'echo', options: { text: 'still here' } });
    expect((await next.waitForOriginal((m) => m.content !== '')).content).toBe('echo: still here');
  });

  it('GIVEN a command from a direct message THEN the bot refuses it in plain words', async () => {
    // The stand-in sends guild interactions only: this one goes through the client's own dispatch,
    // as the gateway's INTERACTION_CREATE does, and the answer is read from the requests it made.
    const id = '1300000000000000001';
    const user = { id: h.guild.member.id, username: 'someone', discriminator: '0', global_name: null, avatar: null };
    const actions = (h.app.discord as unknown as { actions: { InteractionCreate: { handle(data: unknown): void } } }).actions;
    actions.InteractionCreate.handle({
      id, application_id: h.dev.applicationId, type: 2, token: 'dm-token', version: 1, locale: 'en-US', app_permissions: '0', entitlements: [],
      context: 1, authorizing_integration_owners: {}, channel_id: '1300000000000000002', channel: { id: '1300000000000000002', type: 1 }, user,
      data: { id: '1300000000000000003', name: 'echo', type: 1, options: [{ name: 'text', type: 3, value: 'hi' }] },
    });
    await until(() => h.dev.requests().some((r) => r.path === `/interactions/${id}/dm-token/callback`), 'the answer to the direct message');
    const request = h.dev.requests().find((r) => r.path === `/interactions/${id}/dm-token/callback`);
    expect(request?.body).toMatchObject({ type: 4, data: { content: 'This bot\'s commands work only inside a Discord server.', flags: EPHEMERAL } });
  });

  it('GIVEN an answer carrying "@everyone" (a player or server name) THEN Discord is told to ping nobody', async () => {
    const run = h.dev.command({ guildId: h.guild.id, user: 'member', name: 'echo', options: { text: '@everyone <@&1300000000000000009>' } });
    await run.waitForOriginal((m) => m.content.startsWith('echo:'));
    const edit = h.dev.requests().find((r) => r.method === 'PATCH' && r.path.includes(run.token));
    expect(edit?.body).toMatchObject({ allowed_mentions: { parse: [] } });
  });
});
