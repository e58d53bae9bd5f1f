import type { ChatInputCommandInteraction } from 'discord.js';
import type { CommandContext } from '../../src/discord/context.js';
import { UserError } from '../../src/discord/user-error.js';
import type { GameServer, GameServerPatch } from '../../src/store/index.js';
import type { ServerArgs } from '../server.js';
import { shownPath, withinMessage } from './connection.js';
import { guildAndServer, storeInput, underSettingsLock } from './find-server.js';

/** `-` in a path option: forget the path and let the bot search for the file again. */
const SEARCH = '-';

/**
 * Applies the options given, then watches the server with its new settings (or stops, when
 * disabled), under the server's settings lock and from the stored state, so edits sent together
 * each build on the one before.
 */
export async function editServer(interaction: ChatInputCommandInteraction<'cached'>, ctx: CommandContext, args: ServerArgs<'edit'>): Promise<void> {
  const { guild, server } = await guildAndServer(ctx, interaction.guildId, args.server);
  const { updated, patch } = await underSettingsLock(ctx, server, 'edit-server', async () => {
    const current = await guild.servers.get(server.id);
    if (!current) throw new UserError(`**${server.name}** was removed meanwhile: nothing was changed.`);
    const change = patchOf(current, args);
    if (Object.keys(change).length === 0) throw new UserError('Nothing to change: give at least one option besides `server` (name, port, a path, poll-seconds, enabled or login).');
    // The stored document as this update left it: every edit before it is in it.
    const stored = await storeInput(guild.servers.update(server.id, change));
    await ctx.watcher.watch(guild, stored);
    return { updated: stored, patch: change };
  });
  const state = updated.enabled ? 'The bot reads it with these settings from now on.' : 'It is paused: nothing is read until `/server edit enabled:True`.';
  await interaction.editReply({ content: withinMessage(`Saved **${updated.name}**: ${changesOf(updated, patch)}. ${state}`) });
}

function patchOf(server: GameServer, args: ServerArgs<'edit'>): GameServerPatch {
  const patch: GameServerPatch = {};
  if (args.name !== null) patch.name = args.name;
  if (args.port !== null) {
    if (server.localPath !== null) throw new UserError(`**${server.name}** is read from a folder on the bot's machine: it has no port.`);
    patch.port = args.port;
  }
  const deathLogs = args['death-logs-path'];
  const serverLog = args['server-log-path'];
  if (deathLogs !== null || serverLog !== null) {
    const paths = { ...server.paths };
    if (deathLogs !== null) assignPath(paths, 'deathLogs', deathLogs);
    if (serverLog !== null) assignPath(paths, 'serverLog', serverLog);
    patch.paths = paths;
  }
  if (args['poll-seconds'] !== null) patch.pollSeconds = args['poll-seconds'] === 0 ? null : args['poll-seconds'];
  if (args.enabled !== null) patch.enabled = args.enabled;
  return patch;
}

function assignPath(paths: GameServer['paths'], key: keyof GameServer['paths'], value: string): void {
  if (value.trim() === SEARCH) delete paths[key];
  else paths[key] = value.trim();
}

function changesOf(server: GameServer, patch: GameServerPatch): string {
  const out: string[] = [];
  if (patch.name !== undefined) out.push(`name ${server.name}`);
  if (patch.port !== undefined) out.push(`port ${server.port}`);
  if (patch.paths !== undefined) {
    out.push(`death logs ${server.paths.deathLogs ? `\`${shownPath(server.paths.deathLogs)}\`` : 'searched for'}`);
    out.push(`server log ${server.paths.serverLog ? `\`${shownPath(server.paths.serverLog)}\`` : 'searched for'}`);
  }
  if (patch.pollSeconds !== undefined) out.push(server.pollSeconds === null ? 'read at the bot\'s default interval' : `read every ${server.pollSeconds} s`);
  if (patch.enabled !== undefined) out.push(server.enabled ? 'enabled' : 'paused');
  return out.join(', ');
}
