import { DiscordAPIError, Events, Routes, type ChatInputCommandInteraction, type Interaction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { devDiscordSetup, serverCommand } from './connect.js';

const { start, connect, rest } = devDiscordSetup();

async function apiError(promise: Promise<unknown>): Promise<DiscordAPIError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DiscordAPIError);
  return error as DiscordAPIError;
}

const statusCommand = (guildId: string) => ({ guildId, user: 'admin' as const, name: 'server', subcommand: 'status', options: { server: 'EU 1' } });

describe('dev-discord refusals', () => {
  it('GIVEN the bot acknowledges after the deadline THEN Discord answers 10062 Unknown interaction (404)', async () => {
    const { dev, client } = await connect({ ackDeadlineMs: 100 });
    await rest(dev).put(Routes.applicationCommands(dev.applicationId), { body: [serverCommand] });
    const received = new Promise<ChatInputCommandInteraction>((resolve) => client.on(Events.InteractionCreate, (i: Interaction) => {
      if (i.isChatInputCommand()) resolve(i);
    }));
    const run = dev.command(statusCommand(dev.guilds[0]!.id));
    const interaction = await received;
    await expect(run.acknowledged).rejects.toThrow(/not acknowledged within 100 ms/);
    const error = await apiError(interaction.deferReply());
    expect({ status: error.status, code: error.code, message: error.message }).toEqual({ status: 404, code: 10062, message: 'Unknown interaction' });
  });

  it('GIVEN an interaction acknowledged once THEN a second acknowledgement is 40060 (400)', async () => {
    const { dev } = await connect();
    await rest(dev).put(Routes.applicationCommands(dev.applicationId), { body: [serverCommand] });
    const run = dev.command(statusCommand(dev.guilds[0]!.id));
    const callback = () => rest(dev).post(Routes.interactionCallback(run.id, run.token), { body: { type: 5 }, auth: false });
    await callback();
    const error = await apiError(callback());
    expect({ status: error.status, code: error.code }).toEqual({ status: 400, code: 40060 });
    expect((await run.acknowledged).type).toBe(5);
  });

  it('GIVEN an interaction token older than 15 minutes THEN edits and follow-ups are 50027 Invalid Webhook Token (401)', async () => {
    const { dev } = await connect();
    await rest(dev).put(Routes.applicationCommands(dev.applicationId), { body: [serverCommand] });
    const run = dev.command(statusCommand(dev.guilds[0]!.id));
    const api = rest(dev);
    await api.post(Routes.interactionCallback(run.id, run.token), { body: { type: 5 }, auth: false });
    await api.patch(Routes.webhookMessage(dev.applicationId, run.token), { body: { content: 'working' }, auth: false });
    dev.advanceClock(15 * 60_000 + 1);
    const edit = await apiError(api.patch(Routes.webhookMessage(dev.applicationId, run.token), { body: { content: 'late' }, auth: false }));
    const follow = await apiError(api.post(Routes.webhook(dev.applicationId, run.token), { body: { content: 'late' }, auth: false }));
    for (const e of [edit, follow]) expect({ status: e.status, code: e.code, message: e.message }).toEqual({ status: 401, code: 50027, message: 'Invalid Webhook Token' });
    expect(run.original()?.content).toBe('working');
  });

  const long = (n: number) => 'x'.repeat(n);
  it.each([
    ['content over 2000', { content: long(2001) }, ['content'], 'BASE_TYPE_MAX_LENGTH'],
    ['11 embeds', { embeds: Array.from({ length: 11 }, () => ({ title: 't' })) }, ['embeds'], 'BASE_TYPE_MAX_LENGTH'],
    ['a title over 256', { embeds: [{ title: long(257) }] }, ['embeds', '0', 'title'], 'BASE_TYPE_MAX_LENGTH'],
    ['a description over 4096', { embeds: [{ description: long(4097) }] }, ['embeds', '0', 'description'], 'BASE_TYPE_MAX_LENGTH'],
    ['26 fields', { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] }, ['embeds', '0', 'fields'], 'BASE_TYPE_MAX_LENGTH'],
    ['a field name over 256', { embeds: [{ fields: [{ name: long(257), value: 'v' }] }] }, ['embeds', '0', 'fields', '0', 'name'], 'BASE_TYPE_MAX_LENGTH'],
    ['a field value over 1024', { embeds: [{ fields: [{ name: 'n', value: long(1025) }] }] }, ['embeds', '0', 'fields', '0', 'value'], 'BASE_TYPE_MAX_LENGTH'],
    ['a footer over 2048', { embeds: [{ footer: { text: long(2049) } }] }, ['embeds', '0', 'footer', 'text'], 'BASE_TYPE_MAX_LENGTH'],
    ['an author name over 256', { embeds: [{ author: { name: long(257) } }] }, ['embeds', '0', 'author', 'name'], 'BASE_TYPE_MAX_LENGTH'],
    ['embeds over 6000 in total', { embeds: [{ description: long(4000) }, { description: long(2001) }] }, ['embeds'], 'MAX_EMBED_SIZE_EXCEEDED'],
  ])('GIVEN a message with %s THEN 50035 Invalid Form Body names the field', async (_what, body, path, code) => {
    const dev = await start();
    const channel = dev.guilds[0]!.channels.find((c) => c.name === 'killfeed')!;
    const error = await apiError(rest(dev).post(Routes.channelMessages(channel.id), { body }));
    expect({ status: error.status, code: error.code, message: error.message.split('\n')[0] }).toEqual({ status: 400, code: 50035, message: 'Invalid Form Body' });
    let node = (error.rawError as { errors: Record<string, unknown> }).errors;
    for (const key of path) node = node[key] as Record<string, unknown>;
    expect((node._errors as { code: string }[])[0]?.code).toBe(code);
    expect(dev.messages(channel.id)).toEqual([]);
  });

  it('GIVEN an interaction reply over the limits THEN the error path sits under data and nothing is acknowledged', async () => {
    const { dev } = await connect();
    await rest(dev).put(Routes.applicationCommands(dev.applicationId), { body: [serverCommand] });
    const run = dev.command(statusCommand(dev.guilds[0]!.id));
    const error = await apiError(rest(dev).post(Routes.interactionCallback(run.id, run.token), { body: { type: 4, data: { embeds: [{ title: long(300) }] } }, auth: false }));
    expect(error.code).toBe(50035);
    expect(error.rawError).toMatchObject({ errors: { data: { embeds: { 0: { title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } } });
    expect(run.original()).toBeNull();
  });

  it('GIVEN the locked channel or an unknown one THEN posting is 50013 Missing Permissions (403) or 10003 Unknown Channel (404)', async () => {
    const dev = await start();
    const locked = dev.guilds[0]!.channels.find((c) => c.name === 'locked')!;
    const denied = await apiError(rest(dev).post(Routes.channelMessages(locked.id), { body: { content: 'hi' } }));
    expect({ status: denied.status, code: denied.code, message: denied.message }).toEqual({ status: 403, code: 50013, message: 'Missing Permissions' });
    const unknown = await apiError(rest(dev).post(Routes.channelMessages('1234567890123456789'), { body: { content: 'hi' } }));
    expect({ status: unknown.status, code: unknown.code, message: unknown.message }).toEqual({ status: 404, code: 10003, message: 'Unknown Channel' });
    expect(dev.messages(locked.id)).toEqual([]);
  });

  it('GIVEN enforce_nonce THEN a repeat within the window returns the first message, and after it a repeat is a new message', async () => {
    const dev = await start();
    const channel = dev.guilds[0]!.channels.find((c) => c.name === 'killfeed')!;
    const post = (nonce: string) => rest(dev).post(Routes.channelMessages(channel.id), { body: { content: 'kill', nonce, enforce_nonce: true } }) as Promise<{ id: string }>;
    const first = await post('kill-42');
    expect((await post('kill-42')).id).toBe(first.id);
    expect(dev.messages(channel.id)).toHaveLength(1);
    dev.advanceClock(10 * 60_000);
    expect((await post('kill-42')).id).not.toBe(first.id);
    expect(dev.messages(channel.id)).toHaveLength(2);
  });

  it('GIVEN command definitions Discord would refuse THEN registration is 50035 with each field path, and nothing is registered', async () => {
    const dev = await start();
    const body = [
      { name: 'Server', description: 'Upper-case name' },
      { name: 'admin', description: 'd'.repeat(101), options: [{ type: 3, name: 'a', description: 'a' }, { type: 3, name: 'b', description: 'b', required: true }] },
    ];
    const error = await apiError(rest(dev).put(Routes.applicationCommands(dev.applicationId), { body }));
    expect(error.code).toBe(50035);
    expect(error.rawError).toMatchObject({
      errors: {
        0: { name: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME' }] } },
        1: { description: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] }, options: { 1: { required: { _errors: [{ code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID' }] } } } },
      },
    });
    expect(dev.registeredCommands()).toEqual([]);
  });

  it('GIVEN guild commands for a guild the bot is not in (removed, or a wrong id) THEN 50001 Missing Access (403), and nothing is registered', async () => {
    const dev = await start({ guilds: 2 });
    const [kept, removed] = [dev.guilds[0]!.id, dev.guilds[1]!.id];
    dev.removeBot(removed);
    const wrongId = '100000000000000042';
    for (const guildId of [removed, wrongId]) {
      for (const request of [
        () => rest(dev).put(Routes.applicationGuildCommands(dev.applicationId, guildId), { body: [serverCommand] }),
        () => rest(dev).get(Routes.applicationGuildCommands(dev.applicationId, guildId)),
      ]) {
        const error = await apiError(request());
        expect({ status: error.status, code: error.code, message: error.message }).toEqual({ status: 403, code: 50001, message: 'Missing Access' });
      }
      expect(dev.registeredCommands(guildId)).toEqual([]);
    }
    await rest(dev).put(Routes.applicationGuildCommands(dev.applicationId, kept), { body: [serverCommand] });
    expect(dev.registeredCommands(kept).map((c) => c.name)).toEqual(['server']);
  });

  it('GIVEN a button custom id over 100 or a modal title over 45 THEN 50035 names the field', async () => {
    const { dev } = await connect();
    const channel = dev.guilds[0]!.channels.find((c) => c.name === 'killfeed')!;
    const button = { type: 2, style: 1, label: 'Go', custom_id: 'c'.repeat(101) };
    const error = await apiError(rest(dev).post(Routes.channelMessages(channel.id), { body: { content: 'x', components: [{ type: 1, components: [button] }] } }));
    expect(error.rawError).toMatchObject({ errors: { components: { 0: { components: { 0: { custom_id: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } } } });
    await rest(dev).put(Routes.applicationCommands(dev.applicationId), { body: [serverCommand] });
    const run = dev.command(statusCommand(dev.guilds[0]!.id));
    const modal = { custom_id: 'm', title: 't'.repeat(46), components: [{ type: 1, components: [{ type: 4, custom_id: 'host', label: 'Host', style: 1 }] }] };
    const refused = await apiError(rest(dev).post(Routes.interactionCallback(run.id, run.token), { body: { type: 9, data: modal }, auth: false }));
    expect(refused.rawError).toMatchObject({ errors: { data: { title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } });
  });

  it('GIVEN an empty message, a follow-up before any acknowledgement, or a callback type the interaction cannot take THEN Discord refuses each', async () => {
    const { dev } = await connect();
    const channel = dev.guilds[0]!.channels.find((c) => c.name === 'killfeed')!;
    expect(await apiError(rest(dev).post(Routes.channelMessages(channel.id), { body: { content: '' } }))).toMatchObject({ status: 400, code: 50006 });
    await rest(dev).put(Routes.applicationCommands(dev.applicationId), { body: [serverCommand] });
    const run = dev.command(statusCommand(dev.guilds[0]!.id));
    expect(await apiError(rest(dev).post(Routes.webhook(dev.applicationId, run.token), { body: { content: 'early' }, auth: false }))).toMatchObject({ status: 404, code: 10015 });
    const wrongType = await apiError(rest(dev).post(Routes.interactionCallback(run.id, run.token), { body: { type: 8, data: { choices: [] } }, auth: false }));
    expect(wrongType.rawError).toMatchObject({ code: 50035, errors: { type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID' }] } } });
    expect(run.followUps()).toEqual([]);
  });
});
