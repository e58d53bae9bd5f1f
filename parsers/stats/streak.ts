import type { StreakState } from './types.js';

/** The streak of a player not seen yet: the identity of {@link joinStreak}. */
export function emptyStreak(): StreakState {
  return { lead: 0, reset: false, tail: 0, best: 0 };
}

/** One more PvP kill. */
export function streakKill(s: StreakState): void {
  s.tail += 1;
  if (!s.reset) s.lead += 1;
  if (s.tail > s.best) s.best = s.tail;
}

/** A death or suicide: the current streak goes back to zero. */
export function streakReset(s: StreakState): void {
  s.reset = true;
  s.tail = 0;
}

/**
 * Joins the streak of an earlier batch with that of a later one, as if their rows had been applied
 * in one go. Associative, with {@link emptyStreak} as identity, so summaries merge in any grouping
 * as long as their order is kept.
 */
export function joinStreak(earlier: StreakState, later: StreakState): StreakState {
  return {
    lead: earlier.reset ? earlier.lead : earlier.lead + later.lead,
    reset: earlier.reset || later.reset,
    tail: later.reset ? later.tail : earlier.tail + later.tail,
    best: Math.max(earlier.best, later.best, earlier.tail + later.lead),
  };
}
