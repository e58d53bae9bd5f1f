/**
 * Per-player statistics folded from classified death events, in a shape that merges.
 *
 * Why mergeable: a history run parses files (or byte ranges) in parallel workers and each worker
 * returns one compact summary instead of every row; the main thread merges the summaries in file
 * order. Everything here is a sum or a max, except streaks, which carry enough state to be joined
 * across a batch boundary (see {@link StreakState}).
 */

/** Row counts by kind, by the counting rules. `rows` counts well-formed and malformed rows. */
export interface Totals {
  rows: number;
  kills: number;
  environment: number;
  suicides: number;
  relocations: number;
  falls: number;
  malformed: number;
}

/**
 * A player's kill streak over one batch, as a monoid element:
 * - `lead`: PvP kills before the player's first death or suicide in the batch (all of them if none);
 * - `reset`: whether the batch contains a death or suicide of this player;
 * - `tail`: kills since the last death or suicide (equals `lead` when `reset` is false);
 * - `best`: the highest streak reached inside the batch, counting only kills in the batch.
 * Joining A then B: best = max(A.best, B.best, A.tail + B.lead); tail = B.reset ? B.tail : A.tail + B.tail.
 * A stored player's current streak is the `tail` of everything applied so far.
 */
export interface StreakState {
  lead: number;
  reset: boolean;
  tail: number;
  best: number;
}

/** One player's figures over a batch (or, merged, over everything applied). Keyed by EOS ID. */
export interface PlayerTally {
  id: string;
  /** The latest display name seen in the batch (later rows win). */
  name: string;
  kills: number;
  deaths: number;
  suicides: number;
  /** Longest PvP kill in metres; 0 when the player has no kill. */
  longestKill: number;
  /** PvP kills per weapon. Map, not object: weapon names come from the server and could be `__proto__`. */
  weapons: Map<string, number>;
  streak: StreakState;
  /** Last platform seen for this player (9-field format only). */
  platform?: string;
  /** Time of the player's last row in the batch (UTC ms). */
  lastSeen: number;
}

/** One player's figures within one UTC day: enough for period leaderboards (day, week, month). */
export interface DayTally {
  kills: number;
  deaths: number;
  suicides: number;
  longestKill: number;
  weapons: Map<string, number>;
}

/** All figures of a batch for one UTC day (`YYYY-MM-DD`). */
export interface DayStats {
  players: Map<string, DayTally>;
  /**
   * PvP kills per killer, then per victim, by EOS id (nemesis and prey). Nested rather than keyed by
   * a joined `killer>victim` string: no key to build per kill, and none to split when packing.
   */
  pairs: Map<string, Map<string, number>>;
}

/** What a worker returns for a batch of death-log rows, and what the main thread merges. */
export interface StatsSummary {
  totals: Totals;
  players: Map<string, PlayerTally>;
  days: Map<string, DayStats>;
  /** Earliest and latest event time in the batch (UTC ms), or null when it has no events. */
  firstTime: number | null;
  lastTime: number | null;
}
