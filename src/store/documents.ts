import type { Binary } from 'mongodb';
import type { SealedSecret } from './secrets.js';
import type { EncodedSummary } from './summary-codec.js';

/** Settings and channel choices of one Discord guild. `_id` is the guild id. */
export interface GuildDoc {
  _id: string;
  settings: Record<string, string | number | boolean>;
  channels: Record<string, string>;
  updatedAt: Date;
}

/** One game server watched for a guild. Credentials are sealed (AES-256-GCM), never plain. */
export interface ServerDoc {
  _id: string;
  guildId: string;
  name: string;
  /** Lower-cased name: the unique key, so `Main` and `main` cannot both exist in one guild. */
  nameKey: string;
  sftp: { host: string; port: number; username: string; password?: SealedSecret; privateKey?: SealedSecret; passphrase?: SealedSecret };
  paths: { deathLogs?: string; serverLog?: string };
  pollSeconds: number;
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
  summary: EncodedSummary;
  cursors: CursorDoc[];
  recent: RecentEventDoc[];
}

/** Per game server: the last applied batch number, the read cursors, recent events, a pending batch. */
export interface IngestDoc {
  _id: string;
  guildId: string;
  seq: number;
  cursors: CursorDoc[];
  recent: RecentEventDoc[];
  pending?: PendingDoc;
}

/**
 * Kinds of aggregate in the `stats` collection (one collection, so one bulkWrite per flush).
 * Killer-victim pairs are kept per day only: nemesis and prey look up one player's pairs through an
 * index, while an all-time pair document would double the most numerous writes.
 */
export type StatKind = 'totals' | 'player' | 'weapon' | 'day' | 'weapon-day' | 'pair-day';

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
  weapon?: string;
  day?: string;
  killerId?: string;
  victimId?: string;
  kills?: number;
  deaths?: number;
  suicides?: number;
  longestKill?: number;
  streak?: number;
  bestStreak?: number;
  lastSeen?: number;
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
