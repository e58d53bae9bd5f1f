/**
 * What the bot does with an interaction: the callback (acknowledgement) and the webhook edits and
 * follow-ups of its token, with Discord's refusals (10062 late, 40060 twice, 50027 expired token).
 */
import { performance } from 'node:perf_hooks';
import { apiErrors } from './errors.js';
import type { InteractionRecord, Interactions } from './interactions.js';
import { checkChoices, checkModal } from './limits.js';
import { createMessage, editMessage } from './messages.js';
import { messageJson } from './shapes.js';
import type { StoredMessage, World } from './state.js';

/** Callback types each interaction type accepts (2 command, 3 component, 4 autocomplete, 5 modal submit). */
const ALLOWED_CALLBACKS: Record<number, number[]> = { 2: [4, 5, 9], 3: [4, 5, 6, 7, 9], 4: [8], 5: [4, 5, 6, 7] };

/** Handles `POST /interactions/{id}/{token}/callback`; returns the `with_response` body. */
export function acknowledge(world: World, interactions: Interactions, id: string, token: string, body: Record<string, unknown>): Record<string, unknown> {
  const record = interactions.byId.get(id);
  if (!record || record.token !== token) throw apiErrors.unknownInteraction();
  if (record.ack) throw apiErrors.alreadyAcknowledged();
  const latencyMs = performance.now() - record.sentAt;
  if (latencyMs > interactions.times.ackDeadlineMs) {
    record.settle.reject(new Error(`interaction ${id} was acknowledged after ${Math.round(latencyMs)} ms, past the ${interactions.times.ackDeadlineMs} ms deadline: Discord answered 10062 Unknown interaction`));
    throw apiErrors.unknownInteraction();
  }
  const type = Number(body.type);
  const data = (body.data ?? null) as Record<string, unknown> | null;
  if (!ALLOWED_CALLBACKS[record.type]?.includes(type) || (type >= 6 && type <= 7 && !record.source)) {
    throw apiErrors.invalidFormBody([{ path: ['type'], code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: `Interaction response type ${type} is not valid for this interaction.` }]);
  }
  applyCallback(world, interactions, record, type, data ?? {});
  record.ack = { type, data, latencyMs };
  clearTimeout(record.settle.timer);
  record.settle.resolve(record.ack);
  record.changes.emit('change');
  return {
    interaction: {
      id: record.id, type: record.type, response_message_id: record.original?.id,
      response_message_loading: type === 5, response_message_ephemeral: ((record.original?.flags ?? 0) & 64) !== 0,
    },
    resource: { type, ...(record.original && type !== 8 && type !== 9 ? { message: messageJson(world, record.original) } : {}) },
  };
}

function applyCallback(world: World, interactions: Interactions, record: InteractionRecord, type: number, data: Record<string, unknown>): void {
  const guildId = record.guildId;
  if (type === 4 || type === 5) {
    const body = type === 5 ? { flags: data.flags } : data;
    record.original = createMessage(world, { channelId: record.channelId, guildId, webhookId: world.applicationId, body, prefix: ['data'], allowEmpty: type === 5 });
  } else if (type === 6 || type === 7) {
    record.original = record.source;
    if (type === 7 && record.source) editMessage(world, record.source, data, ['data']);
  } else if (type === 8) {
    checkChoices(data.choices);
  } else if (type === 9) {
    checkModal(data);
    interactions.modals.set(String(data.custom_id), data);
  }
}

/** The interaction behind a webhook token, refusing an unknown token (10015) or one past its lifetime (50027). */
export function byWebhookToken(world: World, interactions: Interactions, applicationId: string, token: string): InteractionRecord {
  const record = interactions.byToken.get(token);
  if (!record || applicationId !== world.applicationId) throw apiErrors.unknownWebhook();
  if (world.clock.now() - record.createdAt > interactions.times.interactionTokenMs) throw apiErrors.invalidWebhookToken();
  return record;
}

/** The original response or a follow-up of the interaction; 10008 when there is none. */
export function webhookMessage(record: InteractionRecord, messageId: string): StoredMessage {
  const message = messageId === '@original' ? record.original : record.followUps.find((m) => m.id === messageId) ?? (record.original?.id === messageId ? record.original : null);
  if (!message) throw apiErrors.unknownMessage();
  return message;
}

/** Edits the original or a follow-up. */
export function editResponse(world: World, record: InteractionRecord, messageId: string, body: Record<string, unknown>): StoredMessage {
  const message = webhookMessage(record, messageId);
  editMessage(world, message, body);
  record.changes.emit('change');
  return message;
}

/** Deletes the original (it becomes null) or a follow-up. */
export function deleteResponse(record: InteractionRecord, messageId: string): void {
  const message = webhookMessage(record, messageId);
  if (message === record.original) record.original = null;
  record.followUps = record.followUps.filter((m) => m !== message);
  record.changes.emit('change');
}

/** A follow-up: only after the interaction was acknowledged, as on Discord. */
export function followUp(world: World, record: InteractionRecord, body: Record<string, unknown>): StoredMessage {
  if (!record.ack) throw apiErrors.unknownWebhook();
  const message = createMessage(world, { channelId: record.channelId, guildId: record.guildId, webhookId: world.applicationId, body });
  record.followUps.push(message);
  record.changes.emit('change');
  return message;
}
