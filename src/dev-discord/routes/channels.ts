/** Channel routes: read, rename, post (with nonce de-duplication), edit and delete the bot's messages, list recent messages. */
import { apiErrors } from '../errors.js';
import { createMessage, editMessage } from '../messages.js';
import { Permission } from '../permissions.js';
import { channelJson, messageJson } from '../shapes.js';
import type { StoredMessage, World } from '../state.js';
import { fields, noContent, ok, type Route } from './route.js';

/** How long Discord remembers a nonce for `enforce_nonce` ("the past few minutes"). */
export const NONCE_WINDOW_MS = 5 * 60_000;

function checkNonce(nonce: unknown): void {
  const valid = nonce === undefined || (typeof nonce === 'string' && nonce.length <= 25) || Number.isInteger(nonce);
  if (!valid) throw apiErrors.invalidFormBody([{ path: ['nonce'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' }]);
}

function postMessage(world: World, channelId: string, body: Record<string, unknown>): StoredMessage {
  const channel = world.channel(channelId);
  world.requireBotPermission(channel, Permission.ViewChannel | Permission.SendMessages);
  checkNonce(body.nonce);
  const list = world.channelMessages.get(channel.id) ?? [];
  if (body.enforce_nonce === true && body.nonce !== undefined) {
    const since = world.clock.now() - NONCE_WINDOW_MS;
    const first = list.find((m) => m.nonce === String(body.nonce) && m.createdAt >= since);
    if (first) return first;
  }
  const message = createMessage(world, { channelId: channel.id, guildId: channel.guildId, webhookId: null, body });
  list.push(message);
  world.channelMessages.set(channel.id, list);
  return message;
}

function recentMessages(world: World, channelId: string, query: URLSearchParams): StoredMessage[] {
  const channel = world.channel(channelId);
  world.requireBotPermission(channel, Permission.ViewChannel | Permission.ReadMessageHistory);
  const limit = Number(query.get('limit') ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw apiErrors.invalidFormBody([{ path: ['limit'], code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 100.' }]);
  }
  const before = query.get('before');
  const after = query.get('after');
  const newestFirst = [...(world.channelMessages.get(channel.id) ?? [])].reverse()
    .filter((m) => (!before || BigInt(m.id) < BigInt(before)) && (!after || BigInt(m.id) > BigInt(after)));
  return newestFirst.slice(0, limit);
}

/** A message of the channel, as Discord finds it: unknown channel 10003, unknown message 10008. */
function channelMessage(world: World, channelId: string, messageId: string): { list: StoredMessage[]; message: StoredMessage } {
  const channel = world.channel(channelId);
  world.requireBotPermission(channel, Permission.ViewChannel);
  const list = world.channelMessages.get(channel.id) ?? [];
  const message = list.find((m) => m.id === messageId);
  if (!message) throw apiErrors.unknownMessage();
  return { list, message };
}

/** The channel routes; `dispatch` sends gateway events (CHANNEL_UPDATE after a rename). */
export function channelRoutes(world: World, dispatch: (t: string, d: unknown) => void): Route[] {
  return [
    {
      method: 'GET', path: '/channels/:id', auth: true, limits: [{ limit: 50, windowMs: 1000, per: 'id' }],
      handle: ({ params }) => {
        const channel = world.channel(params.id ?? '');
        world.requireBotPermission(channel, Permission.ViewChannel);
        return ok(channelJson(channel));
      },
    },
    {
      method: 'PATCH', path: '/channels/:id', auth: true,
      limits: [{ limit: 5, windowMs: 5000, per: 'id' }, { limit: 2, windowMs: 600_000, per: 'id', onlyWhenBodyHas: ['name', 'topic'] }],
      handle: ({ params, body }) => {
        const channel = world.channel(params.id ?? '');
        world.requireBotPermission(channel, Permission.ManageChannels);
        const { name } = fields(body);
        if (name !== undefined && (typeof name !== 'string' || name.length < 1 || name.length > 100)) {
          throw apiErrors.invalidFormBody([{ path: ['name'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }]);
        }
        if (typeof name === 'string') channel.name = name;
        dispatch('CHANNEL_UPDATE', channelJson(channel));
        return ok(channelJson(channel));
      },
    },
    {
      method: 'POST', path: '/channels/:id/messages', auth: true, limits: [{ limit: 5, windowMs: 5000, per: 'id' }],
      handle: ({ params, body }) => ok(messageJson(world, postMessage(world, params.id ?? '', fields(body)))),
    },
    {
      // Editing a message the bot posted (a leaderboard refreshed in place); the body is checked as on create.
      method: 'PATCH', path: '/channels/:id/messages/:message', auth: true, limits: [{ limit: 5, windowMs: 5000, per: 'id' }],
      handle: ({ params, body }) => {
        const { message } = channelMessage(world, params.id ?? '', params.message ?? '');
        editMessage(world, message, fields(body));
        return ok(messageJson(world, message));
      },
    },
    {
      // A member with Manage Messages (or the bot) deleting a message; tests call it to delete one under the bot.
      method: 'DELETE', path: '/channels/:id/messages/:message', auth: true, limits: [{ limit: 5, windowMs: 5000, per: 'id' }],
      handle: ({ params }) => {
        const { list, message } = channelMessage(world, params.id ?? '', params.message ?? '');
        list.splice(list.indexOf(message), 1);
        world.messages.delete(message.id);
        return noContent();
      },
    },
    {
      method: 'GET', path: '/channels/:id/messages', auth: true, limits: [{ limit: 50, windowMs: 1000, per: 'id' }],
      handle: ({ params, query }) => ok(recentMessages(world, params.id ?? '', query).map((m) => messageJson(world, m))),
    },
  ];
}
