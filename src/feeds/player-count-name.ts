/** The name of a server's player-count voice channel, e.g. `EU 1 | 12/50 | Q 3`. Pure. */
import { truncate } from '../discord/format/index.js';

/** Discord's longest channel name. */
export const CHANNEL_NAME_MAX = 100;

export interface PlayerCount {
  online: number;
  queued: number;
  /** From `-playersmaxcount=N`; null until the server's command line has been read. */
  maxPlayers: number | null;
}

/**
 * `Server | 12/50 | Q 3`: `| Q n` only while someone queues, `?` for a slot count not yet known.
 * The server's name is cut (never the figures) so the whole stays within Discord's 100 characters.
 * Whitespace runs become one space, as Discord would show them.
 */
export function playerCountName(serverName: string, count: PlayerCount): string {
  const figures = `${count.online}/${count.maxPlayers ?? '?'}${count.queued > 0 ? ` | Q ${count.queued}` : ''}`;
  const room = CHANNEL_NAME_MAX - figures.length - 3;
  // Counted in UTF-16 units, as the limit is checked; a cut never halves an emoji.
  const name = truncate(serverName.replace(/\s+/g, ' ').trim(), room);
  return name === '' ? figures : `${name} | ${figures}`;
}
