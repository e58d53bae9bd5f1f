/** Gateway discovery, the bot's user and application, and command registration (bulk overwrite). */
import { checkCommandDefinitions } from '../command-definitions.js';
import { apiErrors } from '../errors.js';
import type { World } from '../state.js';
import { ok, type Route } from './route.js';

/** Keeps a command's id across overwrites when its name and type stay, as Discord does. */
function overwrite(world: World, scope: string, body: unknown): Record<string, unknown>[] {
  if (!Array.isArray(body)) throw apiErrors.invalidFormBody([{ path: [], code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' }]);
  checkCommandDefinitions(body as Record<string, unknown>[]);
  const before = world.commands.get(scope) ?? [];
  const commands = (body as Record<string, unknown>[]).map((c) => {
    const type = c.type ?? 1;
    const kept = before.find((b) => b.name === c.name && b.type === type);
    return {
      ...c, id: kept?.id ?? world.newId(), application_id: world.applicationId, version: world.newId(), type,
      default_member_permissions: c.default_member_permissions ?? null, nsfw: c.nsfw ?? false,
      contexts: c.contexts ?? null, integration_types: c.integration_types ?? [0], ...(scope ? { guild_id: scope } : {}),
    };
  });
  world.commands.set(scope, commands);
  return commands;
}

/** The application-level routes. */
export function applicationRoutes(world: World, gatewayUrl: () => string): Route[] {
  const app = (id: string) => {
    if (id !== world.applicationId) throw apiErrors.unknownApplication();
  };
  // Discord answers a guild the application is not in (a guild that removed it, or a wrong guild id)
  // with 403 50001 Missing Access, not 10004 Unknown Guild.
  const guildScope = (id: string) => {
    const guild = world.guilds.get(id);
    if (!guild?.botPresent) throw apiErrors.missingAccess();
    return guild.id;
  };
  return [
    { method: 'GET', path: '/gateway/bot', auth: true, handle: () => ok({ url: gatewayUrl(), shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 } }) },
    { method: 'GET', path: '/gateway', auth: false, handle: () => ok({ url: gatewayUrl() }) },
    { method: 'GET', path: '/users/@me', auth: true, handle: () => ok(world.botUser) },
    {
      method: 'GET', path: '/applications/@me', auth: true,
      handle: () => ok({
        id: world.applicationId, name: world.botUser.username, icon: null, description: '', bot_public: true, bot_require_code_grant: false,
        verify_key: 'a'.repeat(64), flags: 0, team: null, owner: { ...world.botUser, bot: false }, bot: world.botUser,
        approximate_guild_count: world.guilds.size, integration_types_config: { 0: {} }, tags: [], redirect_uris: [],
      }),
    },
    { method: 'GET', path: '/applications/:app/commands', auth: true, handle: ({ params }) => (app(params.app ?? ''), ok(world.commands.get('') ?? [])) },
    { method: 'PUT', path: '/applications/:app/commands', auth: true, handle: ({ params, body }) => (app(params.app ?? ''), ok(overwrite(world, '', body))) },
    { method: 'GET', path: '/applications/:app/guilds/:guild/commands', auth: true, handle: ({ params }) => (app(params.app ?? ''), ok(world.commands.get(guildScope(params.guild ?? '')) ?? [])) },
    {
      method: 'PUT', path: '/applications/:app/guilds/:guild/commands', auth: true,
      handle: ({ params, body }) => (app(params.app ?? ''), ok(overwrite(world, guildScope(params.guild ?? ''), body))),
    },
  ];
}
