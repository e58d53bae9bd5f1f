/**
 * The stand-in's world: its clock, the bot user, guilds with channels, roles and members, messages and
 * registered commands. Plain data plus the few lookups every route needs.
 */
import type { DevChannel, DevGuild, DevMember, DevMessage } from './types.js';
import { Snowflakes } from './ids.js';
import { apiErrors } from './errors.js';
import { computePermissions, Permission, type Overwrite, type Role } from './permissions.js';

/** A user as Discord sends it. */
export interface ApiUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: null;
  bot?: boolean;
  public_flags: number;
}

export interface ChannelState extends DevChannel {
  guildId: string;
  position: number;
  overwrites: Overwrite[];
}

export interface GuildState {
  id: string;
  name: string;
  ownerId: string;
  joinedAt: string;
  roles: Role[];
  channels: ChannelState[];
  /** Members by user id, with their role ids. */
  members: Map<string, { user: ApiUser; roles: string[] }>;
  botPresent: boolean;
  admin: DevMember;
  member: DevMember;
}

/** A stored message: the public shape plus what the wire shape needs. */
export interface StoredMessage extends DevMessage {
  guildId: string | null;
  createdAt: number;
  editedAt: number | null;
  /** Set for interaction responses and follow-ups. */
  webhookId: string | null;
}

/** The stand-in's clock: real time plus whatever tests moved it forward. */
export class Clock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

/** Everything the routes and the gateway read and change. */
export class World {
  readonly ids = new Snowflakes();
  readonly guilds = new Map<string, GuildState>();
  readonly channels = new Map<string, ChannelState>();
  readonly messages = new Map<string, StoredMessage>();
  readonly channelMessages = new Map<string, StoredMessage[]>();
  /** Registered commands by scope: '' for global, else the guild id. */
  readonly commands = new Map<string, Record<string, unknown>[]>();
  readonly botUser: ApiUser;
  readonly applicationId: string;

  constructor(readonly clock: Clock, guildCount: number) {
    this.applicationId = this.ids.next(clock.now() - 400 * 86_400_000);
    this.botUser = { ...user(this.applicationId, 'Killfeed Dev'), bot: true };
    for (let i = 1; i <= guildCount; i++) this.addGuild(i);
  }

  newId(): string {
    return this.ids.next(this.clock.now());
  }

  guild(id: string): GuildState {
    const guild = this.guilds.get(id);
    if (!guild) throw apiErrors.unknownGuild();
    return guild;
  }

  /** The guild a test names; a plain error (not a Discord refusal) when there is none. */
  testGuild(id: string): GuildState {
    const guild = this.guilds.get(id);
    if (!guild) throw usageError(`no guild ${id}: use an id from dev.guilds.`);
    return guild;
  }

  channel(id: string): ChannelState {
    const channel = this.channels.get(id);
    if (!channel) throw apiErrors.unknownChannel();
    return channel;
  }

  /** What `userId` may do in `channel`, as Discord computes it. */
  permissionsIn(channel: ChannelState, userId: string): bigint {
    const guild = this.guild(channel.guildId);
    const memberRoleIds = guild.members.get(userId)?.roles ?? [];
    return computePermissions({ guildId: guild.id, ownerId: guild.ownerId, roles: guild.roles, userId, memberRoleIds }, channel.overwrites);
  }

  /** Throws 50013 unless the bot holds every bit of `needed` in the channel (10003 if the bot cannot see it). */
  requireBotPermission(channel: ChannelState, needed: bigint): void {
    const guild = this.guild(channel.guildId);
    if (!guild.botPresent) throw apiErrors.unknownChannel();
    const held = this.permissionsIn(channel, this.botUser.id);
    if (!(held & Permission.ViewChannel)) throw apiErrors.missingAccess();
    if ((held & needed) !== needed) throw apiErrors.missingPermissions();
  }

  /** The public view of a guild. */
  devGuild(g: GuildState): DevGuild {
    return { id: g.id, name: g.name, channels: g.channels.map(({ id, name, kind, type }) => ({ id, name, kind, type })), admin: g.admin, member: g.member };
  }

  private addGuild(n: number): void {
    const ids = Array.from({ length: 9 }, () => this.ids.next(this.clock.now() - (300 - n) * 86_400_000));
    const [id, adminRole, botRole, adminId, memberId, ...channelIds] = ids as [string, string, string, string, string, string, string, string, string];
    const admin = { id: adminId, username: `dev-admin-${n}`, admin: true };
    const member = { id: memberId, username: `dev-member-${n}`, admin: false };
    const sendable = Permission.ViewChannel | Permission.SendMessages | Permission.ReadMessageHistory;
    const roles: Role[] = [
      { id, name: '@everyone', permissions: sendable | Permission.UseApplicationCommands | Permission.Connect, position: 0 },
      { id: adminRole, name: 'Admin', permissions: Permission.Administrator | Permission.ManageGuild, position: 1 },
      { id: botRole, name: 'Killfeed Dev', permissions: sendable | Permission.EmbedLinks | Permission.AttachFiles | Permission.ManageChannels, position: 2, managedBy: this.botUser.id },
    ];
    const names: [string, 0 | 2][] = [['general', 0], ['killfeed', 0], ['locked', 0], ['players', 2]];
    const channels = names.map(([name, type], position): ChannelState => ({
      id: channelIds[position] as string, name, type, kind: type === 0 ? 'text' : 'voice', guildId: id, position,
      overwrites: name === 'locked' ? [{ id: this.botUser.id, type: 1, allow: 0n, deny: Permission.SendMessages }] : [],
    }));
    const members = new Map([
      [this.botUser.id, { user: this.botUser, roles: [botRole] }],
      [adminId, { user: user(adminId, admin.username), roles: [adminRole] }],
      [memberId, { user: user(memberId, member.username), roles: [] }],
    ]);
    const joinedAt = new Date(this.clock.now() - 30 * 86_400_000).toISOString();
    this.guilds.set(id, { id, name: `Dev Guild ${n}`, ownerId: adminId, joinedAt, roles, channels, members, botPresent: true, admin, member });
    for (const c of channels) this.channels.set(c.id, c);
  }

  /** The member a test names: the guild's admin or plain member, or any member by id (added if new). */
  memberFor(guild: GuildState, who: 'admin' | 'member' | DevMember): { user: ApiUser; roles: string[] } {
    const dev = who === 'admin' ? guild.admin : who === 'member' ? guild.member : who;
    const known = guild.members.get(dev.id);
    if (known) return known;
    const added = { user: user(dev.id, dev.username), roles: dev.admin ? [guild.roles[1]?.id ?? ''] : [] };
    guild.members.set(dev.id, added);
    return added;
  }
}

function user(id: string, username: string): ApiUser {
  return { id, username, global_name: username, discriminator: '0', avatar: null, public_flags: 0 };
}

/** The public view of a stored message (a copy). */
export function devMessage(m: StoredMessage): DevMessage {
  return { id: m.id, channelId: m.channelId, content: m.content, embeds: structuredClone(m.embeds), components: structuredClone(m.components), flags: m.flags, nonce: m.nonce, edits: m.edits };
}

/** Raised for a mistake in how a test drives the stand-in (not a Discord refusal). */
export function usageError(message: string): Error {
  return new Error(`dev-discord: ${message}`);
}
