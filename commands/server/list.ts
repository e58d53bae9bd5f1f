import type { ChatInputCommandInteraction } from 'discord.js';
import type { CommandContext } from '../../src/discord/context.js';
import { buildEmbed, formatAgo, truncate } from '../../src/discord/format/index.js';
import type { ServerHealth } from '../../src/ingest/health.js';
import type { GameServer } from '../../src/store/index.js';

/** Every game server of the guild: where it is read from and how reading it goes. */
export async function listServers(interaction: ChatInputCommandInteraction<'cached'>, ctx: CommandContext): Promise<void> {
  const servers = await ctx.store.guild(interaction.guildId).servers.list();
  if (servers.length === 0) {
    await interaction.editReply({ content: 'No game servers here yet: add one with `/server add`.' });
    return;
  }
  const health = new Map(ctx.watcher.health(interaction.guildId).map((h) => [h.serverId, h]));
  const now = Date.now();
  await interaction.editReply({
    embeds: [buildEmbed({
      title: `Game servers (${servers.length})`,
      fields: servers.map((s) => ({ name: s.name, value: describeServer(s, health.get(s.id), now) })),
    })],
  });
}

/** Where it is read from, then its state in a few words. */
export function sourceOf(server: GameServer): string {
  return server.localPath ? `folder \`${server.localPath}\`` : `sftp://${server.username}@${server.host}:${server.port}`;
}

export function stateOf(server: GameServer, health: ServerHealth | undefined, now: number): string {
  if (!server.enabled) return 'paused';
  if (!health) return 'not read (see the bot\'s log)';
  if (health.state === 'failing') return `failing (${health.consecutiveFailures} reads in a row): ${truncate(health.lastError ?? '', 300)}`;
  if (health.state === 'waiting') return 'waiting for its first read';
  return `read ${formatAgo(health.lastSuccessAt, now)}`;
}

function describeServer(server: GameServer, health: ServerHealth | undefined, now: number): string {
  return `${sourceOf(server)}\n${stateOf(server, health, now)}`;
}
