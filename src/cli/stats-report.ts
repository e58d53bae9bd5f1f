import type { StatsSummary } from '../../parsers/index.js';

/** The machine-readable figures the CLI prints with `--json`, sorted by player id. */
export interface StatsReport {
  totals: StatsSummary['totals'];
  players: {
    id: string; name: string; kills: number; deaths: number; suicides: number;
    longestKill: number; bestStreak: number; kd: number; weapons: Record<string, number>;
  }[];
}

export function toStatsReport(summary: StatsSummary): StatsReport {
  const players = [...summary.players.values()]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((p) => ({
      id: p.id, name: p.name, kills: p.kills, deaths: p.deaths, suicides: p.suicides,
      longestKill: p.longestKill, bestStreak: p.streak.best, kd: kdRatio(p.kills, p.deaths),
      weapons: Object.fromEntries([...p.weapons].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    }));
  return { totals: { ...summary.totals }, players };
}

/** KD ratio = kills / max(deaths, 1), to two decimals (the counting rules). */
export function kdRatio(kills: number, deaths: number): number {
  return Math.round((kills / Math.max(deaths, 1)) * 100) / 100;
}

/** A readable summary and a top-10 table by kills. */
export function formatStatsReport(report: StatsReport, top = 10): string {
  const t = report.totals;
  const lines = [
    `rows ${t.rows} · PvP kills ${t.kills} · environment deaths ${t.environment} · suicides ${t.suicides} (relocations ${t.relocations}, falls ${t.falls}) · malformed ${t.malformed} · players ${report.players.length}`,
    '',
    `${'#'.padStart(3)}  ${'player'.padEnd(24)} ${'kills'.padStart(6)} ${'deaths'.padStart(6)} ${'KD'.padStart(6)} ${'streak'.padStart(6)} ${'longest'.padStart(8)}`,
  ];
  const ranked = [...report.players].sort((a, b) => b.kills - a.kills || a.deaths - b.deaths || a.id.localeCompare(b.id)).slice(0, top);
  ranked.forEach((p, i) => {
    lines.push(`${String(i + 1).padStart(3)}  ${p.name.slice(0, 24).padEnd(24)} ${String(p.kills).padStart(6)} ${String(p.deaths).padStart(6)} ${p.kd.toFixed(2).padStart(6)} ${String(p.bestStreak).padStart(6)} ${`${p.longestKill} m`.padStart(8)}`);
  });
  return lines.join('\n');
}
