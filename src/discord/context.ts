import type { Logger } from '../logging/logger.js';
import type { SlashCommand } from './command.js';
import type { ServerHealth } from '../ingest/health.js';
import type { HistoryProgress, HistoryReport } from '../ingest/history-run.js';
import type { TaskPool } from '../pool/index.js';
import type { SftpPool } from '../sources/index.js';
import type { GameServer, GuildStore, Store } from '../store/index.js';
import type { ProductionTasks } from '../worker/index.js';

/** Starts and stops the watching (scheduled ticks) of game servers. */
export interface ServerWatcher {
  /** Watches every enabled server of the guild (or of every guild still present); returns how many. */
  watchGuild(guildId: string): Promise<number>;
  /** Watches the server with its current settings (again, if it was watched), or stops if it is disabled. */
  watch(guild: GuildStore, server: GameServer): Promise<void>;
  /** Stops ticks of one server at once (a running tick finishes). */
  unwatch(serverId: string): void;
  /** Stops ticks of every server of a guild. */
  unwatchGuild(guildId: string): void;
  /** Health of the guild's watched servers. */
  health(guildId: string): ServerHealth[];
}

/** A history run as a member sees it. */
export interface HistoryRunView {
  guildId: string;
  serverId: string;
  serverName: string;
  /** The pool task running it, for `/admin cancel`. */
  taskId: number;
  startedAt: number;
  progress: HistoryProgress | null;
  result: Promise<HistoryReport>;
  /** Calls `listener` with each progress report (at most every few seconds); returns the unsubscribe. */
  onProgress(listener: (progress: HistoryProgress) => void): () => void;
  cancel(): boolean;
}

/** History runs in the bot: one per server at a time, continued after a restart from the durable cursors. */
export interface HistoryRuns {
  /** Starts a run, or returns the one already going for that server with `started: false`. */
  start(guild: GuildStore, server: GameServer, options: { fresh: boolean; channelId?: string }): { started: boolean; run: HistoryRunView };
  running(serverId: string): HistoryRunView | undefined;
  /** At start-up: continues every run a restart cut short. Returns how many. */
  resumeInterrupted(): Promise<number>;
}

/**
 * What command handlers may use: the narrow slice of the composition root's parts. Frozen; built once.
 * Handlers reach a guild's data only through `store.guild(interaction.guildId)`.
 */
export interface CommandContext {
  readonly store: Pick<Store, 'guild'>;
  readonly pool: TaskPool<ProductionTasks>;
  readonly watcher: ServerWatcher;
  readonly history: HistoryRuns;
  readonly sftp: SftpPool;
  readonly logger: Logger;
  /** When this process started (ms since the epoch), for uptime. */
  readonly startedAt: number;
  /** The bot's clock (ms since the epoch), for time windows such as an interaction token's 15 minutes; tests move it. */
  readonly now: () => number;
  /** Every command the bot has, for `/help`. */
  readonly commands: () => readonly SlashCommand[];
}
