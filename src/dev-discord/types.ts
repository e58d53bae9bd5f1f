/**
 * The public face of the Discord stand-in, as tests, the demo and `killfeed dev-discord` use it.
 * Plain Discord API shapes (snake_case, as on the wire); nothing here knows the bot.
 */

export type ChannelKind = 'text' | 'voice';

export interface DevChannel {
  id: string;
  name: string;
  kind: ChannelKind;
  /** Discord's channel type number: 0 text, 2 voice. */
  type: 0 | 2;
}

export interface DevMember {
  id: string;
  username: string;
  /** True for the member holding Manage Server (and Administrator); false for the plain member. */
  admin: boolean;
}

export interface DevGuild {
  id: string;
  name: string;
  /** At least: `general` (text), `killfeed` (text), `locked` (text, the bot may view but not send), `players` (voice). */
  channels: DevChannel[];
  /** Holds Manage Server. */
  admin: DevMember;
  /** No special permissions. */
  member: DevMember;
}

export interface DevDiscordOptions {
  /** 0 or absent: a free port. */
  port?: number;
  host?: string;
  /** Guilds created at start (default 1). */
  guilds?: number;
  /** Default: a random token-shaped string. */
  token?: string;
  /** Acknowledgement deadline of an interaction (default 3000 ms, as Discord). */
  ackDeadlineMs?: number;
  /** Lifetime of an interaction token for edits and follow-ups (default 15 minutes, as Discord). */
  interactionTokenMs?: number;
  /** Gateway heartbeat interval sent in HELLO (default 41250 ms, as Discord). */
  heartbeatIntervalMs?: number;
  /** Global request limit per second (default 50, as Discord). */
  globalRequestsPerSecond?: number;
}

/** Who sends an interaction: a guild's admin or plain member, or any member by id. */
export type Invoker = 'admin' | 'member' | DevMember;

export interface InteractionBase {
  guildId: string;
  /** Default: the guild's `general` channel. */
  channelId?: string;
  user: Invoker;
}

/** A chat-input command. Options are typed by the registered command's definition (an error if unknown). */
export interface CommandInvocation extends InteractionBase {
  name: string;
  subcommand?: string;
  options?: Record<string, string | number | boolean>;
}

export interface AutocompleteInvocation extends CommandInvocation {
  /** The option being typed in; its value is `options[focused]` (default ''). */
  focused: string;
}

export interface ButtonInvocation extends InteractionBase {
  customId: string;
  /** The message the button is on (the bot's message id). */
  messageId: string;
}

export interface ModalInvocation extends InteractionBase {
  customId: string;
  /** Text input custom id to value; an optional input left empty is sent as ''. */
  fields: Record<string, string>;
}

/** A message as the stand-in holds it (the bot's channel messages, interaction replies and follow-ups). */
export interface DevMessage {
  id: string;
  channelId: string;
  content: string;
  embeds: Record<string, unknown>[];
  components: Record<string, unknown>[];
  /** 64 = ephemeral. */
  flags: number;
  nonce: string | null;
  /** Number of edits so far. */
  edits: number;
}

/** The interaction's first acknowledgement, as received. */
export interface Acknowledgement {
  /** Discord's interaction callback type: 4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete result, 9 modal. */
  type: number;
  data: Record<string, unknown> | null;
  /** From INTERACTION_CREATE sent to the callback received (ms, high resolution). */
  latencyMs: number;
}

/** One interaction sent to the bot, and everything the bot did with it. */
export interface InteractionRun {
  id: string;
  token: string;
  /** Resolves at the first acknowledgement; rejects if none comes within the deadline (plus a margin). */
  acknowledged: Promise<Acknowledgement>;
  /** The original response as it is now (after a reply or deferral and any edits); null before. */
  original(): DevMessage | null;
  /** Resolves once the original response matches (checked on every change); rejects after `timeoutMs` (default 10 s). */
  waitForOriginal(match: (message: DevMessage) => boolean, timeoutMs?: number): Promise<DevMessage>;
  followUps(): DevMessage[];
}

/** One request the bot made, for tests to read. */
export interface RecordedRequest {
  method: string;
  /** The path after /api/v10, decoded. */
  path: string;
  /** The rate-limit bucket route, e.g. `POST /channels/:id/messages`. */
  route: string;
  status: number;
  body: unknown;
  /** The stand-in's clock at receipt (ms). */
  at: number;
  /** For a 429: which limit refused it (`global`, `user` for a route's bucket, `shared`), as Discord's `X-RateLimit-Scope`. */
  limitScope?: string;
}

export interface DevDiscord {
  /** For the client's `rest.api` option: `http://127.0.0.1:PORT/api`. */
  apiUrl: string;
  port: number;
  token: string;
  applicationId: string;
  botUserId: string;
  guilds: DevGuild[];

  command(o: CommandInvocation): InteractionRun;
  autocomplete(o: AutocompleteInvocation): InteractionRun;
  button(o: ButtonInvocation): InteractionRun;
  modalSubmit(o: ModalInvocation): InteractionRun;

  /** Every request the bot made, in order. */
  requests(): RecordedRequest[];
  /** Commands registered (global when `guildId` is absent), as the bot sent them. */
  registeredCommands(guildId?: string): Record<string, unknown>[];
  /** Messages in a channel, oldest first (interaction replies are not channel messages here). */
  messages(channelId: string): DevMessage[];
  /** Current name of a channel (after renames). */
  channelName(channelId: string): string;

  /** Closes the bot's gateway connection with `code` (default 4000: resumable). */
  dropConnection(code?: number): void;
  /** Sends INVALID_SESSION (op 9) with `resumable`. */
  invalidateSession(resumable: boolean): void;
  /** The bot is removed from the guild: GUILD_DELETE without `unavailable`. */
  removeBot(guildId: string): void;
  /** The bot is added (back) to a guild: GUILD_CREATE. */
  addBot(guildId: string): void;
  /** A Discord outage of the guild: GUILD_DELETE with `unavailable: true`. */
  guildOutage(guildId: string): void;
  /** Resolves once a client has identified (or resumed) and READY (or RESUMED) was sent; `count` counts sessions. */
  waitForSession(kind: 'ready' | 'resumed', count?: number): Promise<void>;
  /** Heartbeats received: how many, and the longest gap between two as a share of the interval (1.0 = on time). */
  heartbeats(): { count: number; worstGapRatio: number };
  /** Whether a gateway connection is open now. */
  connected(): boolean;

  /** Moves the stand-in's clock forward (its limits' windows and token lifetimes; not the 3 s deadline, which is real time). */
  advanceClock(ms: number): void;
  close(): Promise<void>;
}

/** Starts the stand-in (`src/dev-discord/index.ts`). */
export type StartDevDiscord = (options?: DevDiscordOptions) => Promise<DevDiscord>;
