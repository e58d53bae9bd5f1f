import {
  ActionRowBuilder, ButtonBuilder, ButtonStyle, Events, ModalBuilder, Routes, TextInputBuilder, TextInputStyle, type Interaction,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import { devDiscordSetup, serverCommand } from './connect.js';

const { connect, rest } = devDiscordSetup();

describe('dev-discord interactions', () => {
  it('GIVEN an autocomplete on a registered option THEN the bot sees the focused value and its choices are recorded', async () => {
    const { dev, client } = await connect();
    await rest(dev).put(Routes.applicationCommands(dev.applicationId), { body: [serverCommand] });
    client.on(Events.InteractionCreate, (i: Interaction) => {
      if (!i.isAutocomplete()) return;
      const focused = i.options.getFocused(true);
      void i.respond([{ name: `${focused.name}=${focused.value}`, value: 'eu-1' }]);
    });
    const run = dev.autocomplete({ guildId: dev.guilds[0]!.id, user: 'member', name: 'server', subcommand: 'status', focused: 'server', options: { server: 'E' } });
    const ack = await run.acknowledged;
    expect(ack.type).toBe(8);
    expect(ack.data).toEqual({ choices: [{ name: 'server=E', value: 'eu-1' }] });
  });

  it('GIVEN a reply with a button THEN pressing it reaches the bot, which updates the message', async () => {
    const { dev, client } = await connect();
    await rest(dev).put(Routes.applicationCommands(dev.applicationId), { body: [serverCommand] });
    client.on(Events.InteractionCreate, (i: Interaction) => {
      if (i.isChatInputCommand()) {
        const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('confirm').setLabel('Confirm').setStyle(ButtonStyle.Danger));
        void i.reply({ content: 'Remove EU 1?', components: [row] });
      } else if (i.isButton()) {
        void i.update({ content: `removed by ${i.user.username}`, components: [] });
      }
    });
    const guild = dev.guilds[0]!;
    const first = dev.command({ guildId: guild.id, user: 'admin', name: 'server', subcommand: 'add' });
    const reply = await first.waitForOriginal((m) => m.components.length === 1);
    const press = dev.button({ guildId: guild.id, user: 'admin', customId: 'confirm', messageId: reply.id });
    expect((await press.acknowledged).type).toBe(7);
    expect(first.original()).toMatchObject({ content: 'removed by dev-admin-1', components: [], edits: 1 });
    expect(() => dev.button({ guildId: guild.id, user: 'admin', customId: 'nope', messageId: reply.id })).toThrow(/no component with custom id "nope"/);
  });

  it('GIVEN a modal the bot showed THEN a submit carries the inputs, and a required input left empty is refused as Discord would', async () => {
    const { dev, client } = await connect();
    await rest(dev).put(Routes.applicationCommands(dev.applicationId), { body: [serverCommand] });
    const submitted: Record<string, string>[] = [];
    client.on(Events.InteractionCreate, (i: Interaction) => {
      if (i.isChatInputCommand()) {
        const input = (id: string, required: boolean) => new ActionRowBuilder<TextInputBuilder>().addComponents(
          new TextInputBuilder().setCustomId(id).setLabel(id).setStyle(TextInputStyle.Short).setRequired(required));
        void i.showModal(new ModalBuilder().setCustomId('server-add').setTitle('Add a server').addComponents(input('host', true), input('key', false)));
      } else if (i.isModalSubmit()) {
        submitted.push({ host: i.fields.getTextInputValue('host'), key: i.fields.getTextInputValue('key') });
        void i.reply({ content: 'added', flags: 64 });
      }
    });
    const guild = dev.guilds[0]!;
    expect((await dev.command({ guildId: guild.id, user: 'admin', name: 'server', subcommand: 'add' }).acknowledged).type).toBe(9);
    expect(() => dev.modalSubmit({ guildId: guild.id, user: 'admin', customId: 'server-add', fields: { host: '' } })).toThrow(/"host" is required/);
    expect(() => dev.modalSubmit({ guildId: guild.id, user: 'admin', customId: 'server-add', fields: { host: 'a', port: '1' } })).toThrow(/no input\(s\) port/);
    const run = dev.modalSubmit({ guildId: guild.id, user: 'admin', customId: 'server-add', fields: { host: 'game.example' } });
    await run.waitForOriginal((m) => m.content === 'added');
    expect(submitted).toEqual([{ host: 'game.example', key: '' }]);
  });

  it('GIVEN a deferred reply THEN follow-ups are recorded and with_response describes the response', async () => {
    const { dev, client } = await connect();
    await rest(dev).put(Routes.applicationCommands(dev.applicationId), { body: [serverCommand] });
    client.on(Events.InteractionCreate, (i: Interaction) => {
      if (!i.isChatInputCommand()) return;
      void (async () => {
        const response = await i.deferReply({ withResponse: true });
        await i.followUp({ content: `loading=${String(response.interaction.responseMessageLoading)}` });
        await i.editReply('summary');
      })();
    });
    const run = dev.command({ guildId: dev.guilds[0]!.id, user: 'member', name: 'server', subcommand: 'status', options: { server: 'x' } });
    await run.waitForOriginal((m) => m.content === 'summary');
    expect(run.followUps().map((m) => m.content)).toEqual(['loading=true']);
  });

  it('GIVEN a command or option that is not registered THEN the test is told what is registered', async () => {
    const { dev } = await connect();
    await rest(dev).put(Routes.applicationCommands(dev.applicationId), { body: [serverCommand] });
    const guildId = dev.guilds[0]!.id;
    expect(() => dev.command({ guildId, user: 'admin', name: 'help' })).toThrow(/no chat-input command "\/help" is registered/);
    expect(() => dev.command({ guildId, user: 'admin', name: 'server', subcommand: 'status', options: { server: 'a', speed: 1 } })).toThrow(/has no option "speed" \(it has: server, limit\)/);
    expect(() => dev.command({ guildId, user: 'admin', name: 'server', subcommand: 'status', options: { server: 'a', limit: 1.5 } })).toThrow(/registered as integer/);
    expect(() => dev.command({ guildId, user: 'admin', name: 'server', subcommand: 'status' })).toThrow(/required option\(s\) server/);
  });
});
