import { ButtonStyle, ComponentType, MessageFlags, type APIActionRowComponent, type APIButtonComponent, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { askFirstRow, serverOfConfirm } from './ask-first.js';
import { describeHistoryFailure, describeHistoryProgress, describeHistoryReport } from '../../src/app/history-text.js';
import { customId } from '../../src/discord/command.js';
import type { CommandContext, HistoryRunView } from '../../src/discord/context.js';
import { formatAgo } from '../../src/discord/format/index.js';
import { UserError } from '../../src/discord/user-error.js';
import type { GameServer, GuildStore } from '../../src/store/index.js';
import type { ServerArgs } from '../server.js';
import { guildAndServer } from './find-server.js';

/** Least time between two progress edits of the reply. */
const EDIT_EVERY_MS = 3_000;
/** Discord's interaction tokens last 15 minutes; past this the summary goes to the channel instead. */
const EDIT_WINDOW_MS = 14 * 60_000;

/**
 * Starts a history run (or tells of the one going) and follows it in the reply until it ends. A
 * fresh run deletes the server's figures first, so it asks before, as remove and wipe do.
 */
export async function runHistoryCommand(interaction: ChatInputCommandInteraction<'cached'>, ctx: CommandContext, args: ServerArgs<'history'>): Promise<void> {
  const { guild, server } = await guildAndServer(ctx, interaction.guildId, args.server);
  if (args.fresh === true) return askFresh(interaction, ctx, server);
  await startAndFollow(interaction, ctx, guild, server, false);
}

async function startAndFollow(
  interaction: ChatInputCommandInteraction<'cached'> | ButtonInteraction<'cached'>, ctx: CommandContext, guild: GuildStore, server: GameServer, fresh: boolean,
): Promise<void> {
  const { started, run } = ctx.history.start(guild, server, { fresh, channelId: interaction.channelId });
  if (!started) throw alreadyGoing(run);
  await followRun(interaction, ctx, run);
}

function alreadyGoing(run: HistoryRunView): UserError {
  return new UserError(`A history run of **${run.serverName}** is already going (started ${formatAgo(new Date(run.startedAt).toISOString(), Date.now())}, task #${run.taskId}): `
    + `${describeHistoryProgress(run.progress)}. It was not started twice; its own message has a Cancel button.`);
}

async function askFresh(interaction: ChatInputCommandInteraction<'cached'>, ctx: CommandContext, server: GameServer): Promise<void> {
  const going = ctx.history.running(server.id);
  if (going) throw alreadyGoing(going);
  await interaction.editReply({
    content: `Read the history of **${server.name}** afresh? Its figures (kills, stats, leaderboards) and read positions are deleted first, then every death log is read again; until that ends its figures are incomplete. This cannot be undone.`,
    components: [askFirstRow(
      { label: 'Delete and read again', customId: customId('server', 'history-fresh', server.id) },
      { label: 'Not now', customId: customId('server', 'history-keep', server.id) },
    )],
  });
}

/** The fresh run confirmed: started, and followed in the message that asked. */
export async function confirmFresh(interaction: ButtonInteraction<'cached'>, ctx: CommandContext, serverId: string): Promise<void> {
  const server = await serverOfConfirm(interaction, ctx, serverId);
  if (!server) return;
  const guild = ctx.store.guild(interaction.guildId);
  await startAndFollow(interaction, ctx, guild, server, true);
}

export async function keepFigures(interaction: ButtonInteraction<'cached'>): Promise<void> {
  await interaction.update({ content: 'Nothing was deleted; no history run started.', components: [] });
}

/**
 * Edits the reply with the run's progress at most every few seconds, with a Cancel button, and ends
 * with the summary. Edits are chained so they reach Discord in order; failures are logged, never thrown.
 */
async function followRun(interaction: ChatInputCommandInteraction<'cached'> | ButtonInteraction<'cached'>, ctx: CommandContext, run: HistoryRunView): Promise<void> {
  const log = ctx.logger.child({ module: 'server-history', guildId: run.guildId, serverId: run.serverId });
  // The bot's clock, not Discord's: the window is the bot's to keep (the command arrived within 3 s of its creation).
  const editUntil = ctx.now() + EDIT_WINDOW_MS;
  let chain = Promise.resolve();
  let lastEditAt = 0;
  const show = (content: string): void => {
    chain = chain.then(() => interaction.editReply({ content, components: [cancelRow(run)] }))
      .then(() => undefined, (error: unknown) => log.warn({ err: error }, 'could not show a history run\'s progress'));
  };
  const progressText = (): string => `Reading the history of **${run.serverName}**: ${describeHistoryProgress(run.progress)}.`;
  show(progressText());
  const unsubscribe = run.onProgress(() => {
    const now = ctx.now();
    if (now - lastEditAt < EDIT_EVERY_MS || now >= editUntil) return;
    lastEditAt = now;
    show(progressText());
  });
  const summary = await run.result.then((report) => describeHistoryReport(run.serverName, report), (error: unknown) => describeHistoryFailure(run.serverName, error));
  unsubscribe();
  await chain;
  if (ctx.now() < editUntil) {
    const edited = await interaction.editReply({ content: summary, components: [] }).then(() => true, (error: unknown) => {
      log.warn({ err: error }, 'could not edit a history run\'s reply: posting its summary in the channel');
      return false;
    });
    if (edited) return;
  }
  await postSummary(interaction, summary).catch((error: unknown) => log.warn({ err: error, channelId: interaction.channelId }, 'could not post a history run\'s summary'));
}

async function postSummary(interaction: ChatInputCommandInteraction<'cached'> | ButtonInteraction<'cached'>, summary: string): Promise<void> {
  if (!interaction.channel?.isSendable()) throw new Error('the channel of the command is not one the bot can post in');
  await interaction.channel.send({ content: summary });
}

/** The run's task id is in the button, so a button left on an older run's reply never cancels a later run. */
function cancelRow(run: HistoryRunView): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow,
    components: [{ type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Cancel', custom_id: customId('server', 'history-cancel', run.serverId, String(run.taskId)) }],
  };
}

/** The Cancel button: the run's own reply then tells that it was cancelled. */
export async function cancelHistoryRun(interaction: ButtonInteraction<'cached'>, ctx: CommandContext, arg: string): Promise<void> {
  const [serverId = '', taskId = ''] = arg.split(':');
  const run = ctx.history.running(serverId);
  const going = run?.guildId === interaction.guildId ? run : undefined;
  if (going === undefined || String(going.taskId) !== taskId) {
    const later = going === undefined ? '' : ` Another run of **${going.serverName}** is going now (task #${going.taskId}); its own message has its Cancel button.`;
    await interaction.reply({ content: `The history run this button belonged to (task #${taskId || '?'}) is over: nothing was cancelled.${later}`, flags: MessageFlags.Ephemeral });
    return;
  }
  if (!going.cancel()) {
    await interaction.reply({ content: `History run task #${taskId} is ending already: nothing was cancelled.`, flags: MessageFlags.Ephemeral });
    return;
  }
  await interaction.deferUpdate();
}
