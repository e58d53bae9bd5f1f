import type { Binary } from 'mongodb';
import type { SealedSecret } from './secrets.js';
import type { OutboxEntry } from './outbox.js';

/** Which game server of which guild: the identity every ingest document carries. */
export interface ServerKey {
  guildId: string;
  serverId: string;
}

/** Settings and channel choices of one Discord guild. `_id` is the guild id. */
/** A feed the bot stopped because Discord refused it (no permission, channel deleted): shown to admins. */
export interface FeedProblem {
  /** Discord's error code, e.g. 50013 (missing permissions) or 10003 (unknown channel). */
  code: number;
  /** Plain words for admins: what is wrong and how to fix it. */
  message: string;
  at: Date;
  /** The channel the feed was posting to. */
  channelId: string;
}

export interface GuildDoc {
  _id: string;
  settings: Record<string, string | number | boolean>;
  channels: Record<string, string>;
  /** Why a feed stopped, by channel purpose (settings.ts); cleared when an admin sets the channel again. */
  problems?: Record<string, FeedProblem>;
  updatedAt: Date;
  /** Set while the bot is out of the guild (removed): its data is deleted 30 days after (guild-membership.ts). */
  leftAt?: Date;
}

/** One game server watched for a guild. Credentials are sealed (AES-256-GCM), never plain. */
export interface ServerDoc {
  _id: string;
  guildId: string;
  name: string;
  /** Lower-cased name: the unique key, so `Main` and `main` cannot both exist in one guild. */
  nameKey: string;
  sftp: {
    host: string; port: number; username: string; password?: SealedSecret; privateKey?: SealedSecret; passphrase?: SealedSecret;
    /** The host key's SHA-256 fingerprint, learned on first use; a different key is then refused. */
    hostKey?: string;
    /** Offer the older algorithms some game hosts still need. */
    legacyAlgorithms?: boolean;
  };
  /** A folder on the bot's own machine instead of SFTP (the bot runs on the game host; the demo). */
  localPath?: string;
  paths: { deathLogs?: string; serverLog?: string };
  /** Absent: read at POLL_INTERVAL_SECONDS. */
  pollSeconds?: number;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** Where reading one remote file got to. */
export interface CursorDoc {
  file: string;
  offset: number;
  size: number;
  /** Fingerprint of the file's first bytes, to notice a file replaced under the same name. */
  head: string;
  /** Bytes of an unfinished last row, finished on the next read. */
  carry: Binary | Buffer;
  nextLine: number;
}

/** One death event kept for the killfeed history and "last kills". */
export interface RecentEventDoc {
  file: string;
  line: number;
  time: number;
  kind: string;
  killerId: string;
  killerName: string;
  victimId: string;
  victimName: string;
  weapon: string;
  distance: number;
}

/** A batch recorded before it is applied, so that a crash at any point can be finished exactly once. */
export interface PendingDoc {
  seq: number;
  /** The batch's figures, encoded (tally-codec.ts); absent when they went out as `pending_parts`. */
  body?: Binary;
  /** How many `pending_parts` documents hold the body, in order (pending-parts.ts). */
  parts?: number;
  /** The body's length in bytes and its CRC-32 (zlib's), checked when it is read back. */
  bytes: number;
  crc32: number;
  /** The highest player number handed out when the batch was recorded (player-numbers.ts). */
  lastPlayerNo?: number;
  cursors: CursorDoc[];
  recent: RecentEventDoc[];
  /** The batch's feed items (outbox.ts), inserted into `outbox` by the apply step; `at` orders them and keys them. */
  feed?: { at: number; entries: OutboxEntry[] };
}

/** A piece of a big pending record's body (pending-parts.ts): `_id` is `serverId:seq:i`. */
export interface PendingPartDoc {
  _id: string;
  guildId: string;
  serverId: string;
  seq: number;
  i: number;
  bytes: Binary;
}

/** Per game server: the last applied batch number, the read cursors, recent events, a pending batch. */
export interface IngestDoc {
  _id: string;
  guildId: string;
  seq: number;
  cursors: CursorDoc[];
  recent: RecentEventDoc[];
  pending?: PendingDoc;
  /**
   * The highest player number ever handed out on this server, so none is handed out twice even
   * when player documents are gone (a reset cut short deletes figures before this document).
   */
  lastPlayerNo?: number;
}

/**
 * Kinds of aggregate in the `stats` collection (one collection, so one bulkWrite per flush):
 * `totals` per server, `player` per server and player (all time), `day` per server, player and UTC day.
 * Weapon kills are maps inside those documents (keys: map-keys.ts), killer-victim counts binary
 * segments in the day documents (pair-segment.ts), so a batch updates one document per player and
 * per player-day however many rows and pairs it holds. Pairs are kept per day only: all-time
 * nemesis and prey add up one player's day documents (an indexed read), while all-time pairs would
 * double the largest part of every write.
 */
export type StatKind = 'totals' | 'player' | 'day';

/** Any aggregate document; which fields are present depends on `k`. */
export interface StatDoc {
  _id: string;
  guildId: string;
  serverId: string;
  k: StatKind;
  appliedSeq: number;
  playerId?: string;
  name?: string;
  platform?: string;
  day?: string;
  kills?: number;
  deaths?: number;
  suicides?: number;
  longestKill?: number;
  streak?: number;
  bestStreak?: number;
  lastSeen?: number;
  /** PvP kills per weapon (`player` and `day`). */
  weapons?: Record<string, number>;
  /** `player` only: the player's number on the server, which killer-victim segments refer to (player-numbers.ts). */
  no?: number;
  /** `day` only: killer-victim segments (pair-segment.ts), one per batch until merged (segment-merge.ts). */
  pairs?: Binary[];
  [total: string]: unknown;
}

/** A Discord user's claim to an in-game player in one guild. `_id` is `${guildId}:${discordUserId}`. */
export interface LinkDoc {
  _id: string;
  guildId: string;
  discordUserId: string;
  eosId: string;
  linkedAt: Date;
}

/** Who is on a game server now, and who waits in its queue. `_id` is the server id. */
export interface OnlineDoc {
  _id: string;
  guildId: string;
  players: { eosId: string; name: string; state: 'online' | 'queued'; since: number }[];
  updatedAt: Date;
}
