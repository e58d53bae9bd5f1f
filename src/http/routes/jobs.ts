import { requireAdmin } from '../admin-token.js';
import type { HttpDeps, Route, RouteRequest } from '../deps.js';
import { HttpError, json, readJsonObject } from '../respond.js';
import type { GameServer, GuildStore } from '../../store/index.js';

/** The guild and game server a job names, read from the body and looked up; 400 or 404 in plain words. */
async function namedServer(request: RouteRequest, deps: HttpDeps): Promise<{ guild: GuildStore; server: GameServer; body: Record<string, unknown> }> {
  const body = await readJsonObject(request.raw);
  const { guildId, serverId } = body;
  if (typeof guildId !== 'string' || !/^\d{17,20}$/.test(guildId)) throw new HttpError(400, 'guildId is missing or not a Discord guild id: send the 17-20 digit id, e.g. {"guildId": "123456789012345678", "serverId": "..."}.');
  if (typeof serverId !== 'string' || serverId.length === 0 || serverId.length > 100) throw new HttpError(400, 'serverId is missing: send the game server\'s id as /server list or /api/stats shows it.');
  const guild = deps.store.guild(guildId);
  const server = await guild.servers.get(serverId);
  if (server === null) throw new HttpError(404, `Guild ${guildId} has no game server with id "${serverId}": see /api/stats for the servers watched.`);
  return { guild, server, body };
}

/** Named jobs only: each route starts one known piece of the bot's work, never code the caller sends. */
export const jobRoutes: Route[] = [
  {
    method: 'POST', path: '/api/jobs/history-run',
    async handle(request, deps) {
      requireAdmin(request.caller, deps.adminToken);
      const { guild, server, body } = await namedServer(request, deps);
      if (body.fresh !== undefined && typeof body.fresh !== 'boolean') throw new HttpError(400, 'fresh must be true (read every file again from the start) or false (go on from where reading stands).');
      const { started, run } = deps.history.start(guild, server, { fresh: body.fresh === true });
      deps.logger.info({ guildId: guild.guildId, serverId: server.id, taskId: run.taskId, started }, 'history run asked for through the HTTP API');
      return json(202, { started, taskId: run.taskId, serverId: server.id, ...(started ? {} : { note: 'A history run of this server is already going: this is that one.' }) });
    },
  },
  {
    method: 'POST', path: '/api/jobs/rescan',
    async handle(request, deps) {
      requireAdmin(request.caller, deps.adminToken);
      const { guild, server } = await namedServer(request, deps);
      if (!server.enabled) throw new HttpError(409, `Game server "${server.name}" is turned off: turn it on with /server before asking for a rescan.`);
      // Watch again with the stored settings (they may have changed), then read at once.
      await deps.watcher.watch(guild, server);
      deps.tickNow(server.id).catch((error: unknown) => deps.logger.warn({ err: error, serverId: server.id }, 'a rescan asked through the HTTP API failed'));
      return json(202, { serverId: server.id, rescanning: true });
    },
  },
];
