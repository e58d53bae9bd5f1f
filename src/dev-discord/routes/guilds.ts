/** Guild reads a bot may make: the guild, its channels, one member (with Discord's 10007 when unknown). */
import { ApiError, apiErrors } from '../errors.js';
import { channelJson, guildCreateJson, memberJson } from '../shapes.js';
import type { GuildState, World } from '../state.js';
import { ok, type Route } from './route.js';

const GUILD_LIMIT = [{ limit: 50, windowMs: 1000, per: 'id' }];

/** The guild routes; a guild the bot is not in is 10004 Unknown Guild, as on Discord. */
export function guildRoutes(world: World): Route[] {
  const guild = (id: string): GuildState => {
    const g = world.guild(id);
    if (!g.botPresent) throw apiErrors.unknownGuild();
    return g;
  };
  return [
    {
      method: 'GET', path: '/guilds/:id', auth: true, limits: GUILD_LIMIT,
      handle: ({ params }) => {
        const { members: _members, channels: _channels, threads: _threads, voice_states: _voice, presences: _presences, ...rest } = guildCreateJson(world, guild(params.id ?? ''));
        return ok(rest);
      },
    },
    { method: 'GET', path: '/guilds/:id/channels', auth: true, limits: GUILD_LIMIT, handle: ({ params }) => ok(guild(params.id ?? '').channels.map(channelJson)) },
    {
      method: 'GET', path: '/guilds/:id/members/:user', auth: true, limits: GUILD_LIMIT,
      handle: ({ params }) => {
        const g = guild(params.id ?? '');
        const member = g.members.get(params.user ?? '');
        if (!member) throw new ApiError(404, 10007, 'Unknown Member');
        return ok(memberJson(member, g.joinedAt));
      },
    },
  ];
}
