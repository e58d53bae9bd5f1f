/**
 * Interactions sent to the bot: INTERACTION_CREATE payloads as Discord sends them today, and the run
 * record a test reads (acknowledgement, original response, follow-ups).
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Gateway } from './gateway.js';
import { channelJson, memberJson, messageJson } from './shapes.js';
import { devMessage, usageError, type StoredMessage, type World } from './state.js';
import type { Acknowledgement, DevMessage, InteractionBase, InteractionRun } from './types.js';

/** Everything the stand-in knows of one interaction. */
export interface InteractionRecord {
  id: string;
  token: string;
  /** 2 command, 3 component, 4 autocomplete, 5 modal submit. */
  type: number;
  guildId: string;
  channelId: string;
  /** Stand-in clock at creation: the token's 15 minutes count from here. */
  createdAt: number;
  /** Real time at dispatch: the 3-second deadline counts from here. */
  sentAt: number;
  ack: Acknowledgement | null;
  original: StoredMessage | null;
  /** The message a component was on. */
  source: StoredMessage | null;
  followUps: StoredMessage[];
  changes: EventEmitter;
  acknowledged: Promise<Acknowledgement>;
  settle: { resolve: (a: Acknowledgement) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };
}

export interface InteractionTimes {
  ackDeadlineMs: number;
  interactionTokenMs: number;
}

/** How long past the deadline `acknowledged` waits before rejecting (the bot's late answer is still recorded). */
const ACK_MARGIN_MS = 1000;

/** Holds the interactions and dispatches new ones through the gateway. */
export class Interactions {
  readonly byId = new Map<string, InteractionRecord>();
  readonly byToken = new Map<string, InteractionRecord>();
  /** Modals the bot showed, by custom id (the latest wins), for modal submits to mirror. */
  readonly modals = new Map<string, Record<string, unknown>>();

  constructor(private readonly world: World, private readonly gateway: Gateway, readonly times: InteractionTimes) {}

  /** Builds INTERACTION_CREATE for `base`, sends it, and returns the run a test reads. */
  send(type: number, base: InteractionBase, data: Record<string, unknown>, source: StoredMessage | null = null): InteractionRun {
    const guild = this.world.testGuild(base.guildId);
    if (!guild.botPresent) throw usageError(`the bot is not in guild ${guild.id} (removeBot was called): addBot first.`);
    if (!this.gateway.hasSession()) throw usageError('no bot has identified on the gateway: log the client in (and wait for clientReady) before sending interactions.');
    const channel = this.world.channels.get(base.channelId ?? guild.channels[0]?.id ?? '');
    if (channel?.guildId !== guild.id) throw usageError(`channel ${base.channelId ?? ''} is not a channel of guild ${guild.id}: use an id from dev.guilds.`);
    const member = this.world.memberFor(guild, base.user);
    const id = this.world.newId();
    const token = `aW50ZXJhY3Rpb246${id}${randomBytes(48).toString('base64url')}`;
    const memberPermissions = String(this.world.permissionsIn(channel, member.user.id));
    const payload = {
      id, application_id: this.world.applicationId, type, data, token, version: 1,
      guild: { id: guild.id, locale: 'en-US', features: [] }, guild_id: guild.id, guild_locale: 'en-US', locale: 'en-US',
      channel: { ...channelJson(channel), permissions: memberPermissions }, channel_id: channel.id,
      member: { ...memberJson(member, guild.joinedAt), permissions: memberPermissions },
      app_permissions: String(this.world.permissionsIn(channel, this.world.botUser.id)),
      entitlements: [], authorizing_integration_owners: { 0: guild.id }, context: 0, attachment_size_limit: 10_485_760,
      ...(source ? { message: messageJson(this.world, source) } : {}),
    };
    const record = this.track(id, token, type, guild.id, channel.id, source);
    this.gateway.dispatch('INTERACTION_CREATE', payload);
    return this.run(record);
  }

  /** Finds a stored message for a button, checking it carries an enabled button with `customId`. */
  buttonSource(messageId: string, customId: string): StoredMessage {
    const message = this.world.messages.get(messageId);
    if (!message) throw usageError(`no message ${messageId}: name a message the bot sent (a reply, follow-up or channel message).`);
    const button = findComponent(message.components, customId);
    if (!button) throw usageError(`message ${messageId} has no component with custom id "${customId}".`);
    if (button.disabled === true) throw usageError(`the button "${customId}" on message ${messageId} is disabled: Discord does not let a member press it.`);
    return message;
  }

  private track(id: string, token: string, type: number, guildId: string, channelId: string, source: StoredMessage | null): InteractionRecord {
    let settle!: InteractionRecord['settle'];
    const acknowledged = new Promise<Acknowledgement>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`interaction ${id} was not acknowledged within ${this.times.ackDeadlineMs} ms`)), this.times.ackDeadlineMs + ACK_MARGIN_MS);
      timer.unref();
      settle = { resolve, reject, timer };
    });
    acknowledged.catch(() => undefined);
    const record: InteractionRecord = {
      id, token, type, guildId, channelId, createdAt: this.world.clock.now(), sentAt: performance.now(), ack: null,
      original: null, source, followUps: [], changes: new EventEmitter(), acknowledged, settle,
    };
    this.byId.set(id, record);
    this.byToken.set(token, record);
    return record;
  }

  private run(record: InteractionRecord): InteractionRun {
    return {
      id: record.id,
      token: record.token,
      acknowledged: record.acknowledged,
      original: () => (record.original ? devMessage(record.original) : null),
      followUps: () => record.followUps.map(devMessage),
      waitForOriginal: (match, timeoutMs = 10_000) => waitForOriginal(record, match, timeoutMs),
    };
  }
}

function waitForOriginal(record: InteractionRecord, match: (m: DevMessage) => boolean, timeoutMs: number): Promise<DevMessage> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!record.original || !match(devMessage(record.original))) return false;
      finish();
      resolve(devMessage(record.original));
      return true;
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`interaction ${record.id}: the original response did not match within ${timeoutMs} ms; it is ${JSON.stringify(record.original)}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      record.changes.off('change', check);
    };
    if (!check()) record.changes.on('change', check);
  });
}

function findComponent(components: unknown[], customId: string): Record<string, unknown> | undefined {
  for (const c of components as Record<string, unknown>[]) {
    if (c.custom_id === customId) return c;
    const inner = [...(Array.isArray(c.components) ? c.components : []), ...(c.component ? [c.component] : []), ...(c.accessory ? [c.accessory] : [])];
    const found = findComponent(inner, customId);
    if (found) return found;
  }
  return undefined;
}
