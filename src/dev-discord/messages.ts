/** Making and editing messages from a request body (limits checked first). */
import { checkMessageBody, checkNotEmpty } from './limits.js';
import type { StoredMessage, World } from './state.js';

const EPHEMERAL = 64;
/** Flags a message may be created or edited with: suppress embeds, ephemeral, suppress notifications, components v2. */
const SETTABLE_FLAGS = 4 | EPHEMERAL | 4096 | 32768;

export interface NewMessage {
  channelId: string;
  guildId: string | null;
  webhookId: string | null;
  body: Record<string, unknown>;
  /** Where the body sits in the request, for error paths (`['data']` in a callback). */
  prefix?: string[];
  /** A deferred response starts empty. */
  allowEmpty?: boolean;
}

/** Checks the body and stores a new message (not yet listed in any channel). */
export function createMessage(world: World, o: NewMessage): StoredMessage {
  checkMessageBody(o.body, o.prefix);
  if (!o.allowEmpty) checkNotEmpty(o.body);
  const message: StoredMessage = {
    id: world.newId(), channelId: o.channelId, guildId: o.guildId, webhookId: o.webhookId,
    content: typeof o.body.content === 'string' ? o.body.content : '',
    embeds: arrayOf(o.body.embeds), components: arrayOf(o.body.components),
    flags: Number(o.body.flags ?? 0) & SETTABLE_FLAGS, nonce: o.body.nonce === undefined ? null : String(o.body.nonce),
    edits: 0, createdAt: world.clock.now(), editedAt: null,
  };
  world.messages.set(message.id, message);
  return message;
}

/** Applies an edit body: only the fields present change (null clears content). */
export function editMessage(world: World, message: StoredMessage, body: Record<string, unknown>, prefix: string[] = []): void {
  checkMessageBody(body, prefix);
  if ('content' in body) message.content = typeof body.content === 'string' ? body.content : '';
  if ('embeds' in body) message.embeds = arrayOf(body.embeds);
  if ('components' in body) message.components = arrayOf(body.components);
  // Ephemeral cannot be switched by an edit; the other settable flags can.
  if (typeof body.flags === 'number') message.flags = (message.flags & EPHEMERAL) | (body.flags & SETTABLE_FLAGS & ~EPHEMERAL);
  message.edits += 1;
  message.editedAt = world.clock.now();
}

function arrayOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}
