import type { ChatInputCommandInteraction } from 'discord.js';
import type { CommandContext } from '../../src/discord/context.js';
import { buildEmbed, formatAgo, formatDuration, type EmbedField } from '../../src/discord/format/index.js';
import { describeHistoryProgress } from '../../src/app/history-text.js';
import type { ServerArgs } from '../server.js';
import { isPlayerCountPurpose, playerCountPurpose } from '../../src/feeds/kinds.js';
import { guildAndServer } from './find-server.js';
import { sourceOf, stateOf } from './list.js';

const count = (n: number): string => n.toLocaleString('en-US');

/** One server in detail: its reads, lag, last error, the files it is reading, and a history run going. */
export async function serverStatus(interaction: ChatInputCommandInteraction<'cached'>, ctx: CommandContext, args: ServerArgs<'status'>): Promise<void> {
  const { guild, server } = await guildAndServer(ctx, interaction.guildId, args.server);
  const health = ctx.watcher.health(interaction.guildId).find((h) => h.serverId === server.id);
  const files = await guild.ingest.cursors(server.id);
  const now = Date.now();
  const fields: EmbedField[] = [{ name: 'State', value: stateOf(server, health, now) }];
  if (health) {
    fields.push(
      { name: 'Last read', value: formatAgo(health.lastAttemptAt, now), inline: true },
      { name: 'Last success', value: formatAgo(health.lastSuccessAt, now), inline: true },
      { name: 'Next read', value: health.nextTickAt === null ? '-' : formatAgo(health.nextTickAt, now), inline: true },
      { name: 'Lag', value: health.lagSeconds === null ? '-' : formatDuration(health.lagSeconds * 1000), inline: true },
      { name: 'Rows read', value: `${count(health.rowsRead)} (${count(health.malformedRows)} malformed)`, inline: true },
      { name: 'Reads skipped', value: count(health.skippedTicks), inline: true },
      { name: 'Last error', value: health.lastError ?? 'none' },
    );
  }
  fields.push({ name: 'Files being read', value: files.length === 0 ? 'none yet' : files.map((f) => `\`${f.file}\` at ${count(f.offset)} of ${count(f.size)} bytes`).join('\n') });
  // A feed Discord refused (no permission, channel gone) stays stopped until an admin sets it again.
  const problems = Object.entries((await guild.settings.get()).problems)
    .filter(([purpose]) => !isPlayerCountPurpose(purpose) || purpose === playerCountPurpose(server.id));
  if (problems.length > 0) fields.push({ name: 'Stopped feeds', value: problems.map(([purpose, p]) => `**${isPlayerCountPurpose(purpose) ? 'player-count' : purpose}**: ${p.message}`).join('\n') });
  const run = ctx.history.running(server.id);
  if (run) fields.push({ name: 'History run', value: `task #${run.taskId}: ${describeHistoryProgress(run.progress)}` });
  await interaction.editReply({ embeds: [buildEmbed({ title: server.name, description: sourceOf(server), fields })] });
}
