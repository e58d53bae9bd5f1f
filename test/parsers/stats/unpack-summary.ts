import { DAY_PLAYER, emptySummary, PLAYER, weaponsOf, type DayStats, type PackedSummary, type PlayerTally, type StatsSummary } from '../../../parsers/index.js';

/**
 * A reader of packed summaries written for the tests, independent of the writer side: what it reads
 * back must be what was packed. (Production folds packed summaries straight into a store batch.)
 */

export function unpackSummary(packed: PackedSummary): StatsSummary {
  const { strings, players: p, dayPlayers: d } = packed;
  const text = (i: number | undefined): string => strings[i ?? -1] ?? '';
  const idOfRow = (row: number): string => text(p[row * PLAYER.size + PLAYER.id]);
  const summary = emptySummary();
  for (let r = 0; r < p.length; r += PLAYER.size) {
    const n = (field: number): number => p[r + field] ?? 0;
    const player: PlayerTally = {
      id: text(n(PLAYER.id)), name: text(n(PLAYER.name)), kills: n(PLAYER.kills), deaths: n(PLAYER.deaths),
      suicides: n(PLAYER.suicides), longestKill: n(PLAYER.longestKill), lastSeen: n(PLAYER.lastSeen),
      weapons: weaponsOf(packed, n(PLAYER.weaponsFrom), n(PLAYER.weaponsTo)),
      streak: { lead: n(PLAYER.lead), reset: n(PLAYER.reset) === 1, tail: n(PLAYER.tail), best: n(PLAYER.best) },
    };
    if (n(PLAYER.platform) >= 0) player.platform = text(n(PLAYER.platform));
    summary.players.set(player.id, player);
  }
  for (let r = 0; r < d.length; r += DAY_PLAYER.size) {
    const n = (field: number): number => d[r + field] ?? 0;
    const day = text(n(DAY_PLAYER.day));
    let stats: DayStats | undefined = summary.days.get(day);
    if (!stats) summary.days.set(day, (stats = { players: new Map(), pairs: new Map() }));
    const id = text(n(DAY_PLAYER.id));
    stats.players.set(id, {
      kills: n(DAY_PLAYER.kills), deaths: n(DAY_PLAYER.deaths), suicides: n(DAY_PLAYER.suicides), longestKill: n(DAY_PLAYER.longestKill),
      weapons: weaponsOf(packed, n(DAY_PLAYER.weaponsFrom), n(DAY_PLAYER.weaponsTo)),
    });
    // The victims side has every pair once (the killers side mirrors it).
    for (let e = n(DAY_PLAYER.victimsFrom); e < n(DAY_PLAYER.killersFrom); e += 1) {
      let victims = stats.pairs.get(id);
      if (!victims) stats.pairs.set(id, (victims = new Map()));
      const victimId = idOfRow(packed.pairs[2 * e] ?? -1);
      victims.set(victimId, (victims.get(victimId) ?? 0) + (packed.pairs[2 * e + 1] ?? 0));
    }
  }
  return summary;
}

