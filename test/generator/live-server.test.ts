import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyServerEvents, createServerState, parseDeathLog, parseServerLog } from '../../parsers/index.js';
import { LiveFolder } from '../../src/generator/live-folder.js';
import { LiveServer } from '../../src/generator/live-server.js';

const START = Date.parse('2025-06-01T23:00:00Z');

describe('the live server generator', () => {
  it('GIVEN two hours of play THEN the bot\'s own parsers read every row and line, and the log\'s online count is the simulation\'s', () => {
    const server = new LiveServer({ seed: 3, start: START, roster: 60, maxPlayers: 20 });
    const opening = server.openingLines().join('');
    const out = server.advanceTo(START + 2 * 3_600_000);

    const deaths = parseDeathLog('live.csv', out.deaths.map((d) => d.row).join(''), { final: true });
    expect(deaths.malformed).toEqual([]);
    expect(deaths.rows).toBe(out.deaths.length);
    expect(deaths.events.filter((e) => e.kind === 'kill').length).toBeGreaterThan(deaths.rows / 2);
    expect(new Set(out.deaths.map((d) => d.day))).toEqual(new Set(['2025.06.01', '2025.06.02']));

    const log = parseServerLog(opening + out.serverLog.join(''), { final: true });
    const { state, announcements } = applyServerEvents(createServerState(), log.events);
    const online = [...state.players.values()].filter((p) => p.status === 'online').length;
    const queued = [...state.players.values()].filter((p) => p.status === 'queued').length;
    expect({ online, queued, max: state.maxPlayers }).toEqual({ ...server.counts(), max: 20 });
    const kinds = new Set(announcements.map((a) => a.kind));
    for (const kind of ['player-joined', 'player-left', 'airdrop-flying', 'mission-ready']) expect(kinds).toContain(kind);
  });

  it('GIVEN the same seed THEN the same lines; a live folder gets one CSV per UTC day and a growing Deadside.log', () => {
    const a = new LiveServer({ seed: 9, start: START }).advanceTo(START + 600_000);
    const b = new LiveServer({ seed: 9, start: START }).advanceTo(START + 600_000);
    expect(a).toEqual(b);

    const root = mkdtempSync(join(tmpdir(), 'killfeed-live-'));
    try {
      const folder = new LiveFolder(root, new LiveServer({ seed: 4, start: START, deathsPerPlayerHour: 30 }));
      const first = folder.advanceTo(START + 3_600_000);
      const logSize = readFileSync(folder.serverLogPath).length;
      const second = folder.advanceTo(START + 7_200_000);
      expect(readdirSync(folder.deathLogDir).sort()).toEqual(['2025.06.01-00.00.00.csv', '2025.06.02-00.00.00.csv']);
      const rows = readdirSync(folder.deathLogDir).sort().map((f) => readFileSync(join(folder.deathLogDir, f), 'utf8')).join('');
      expect(rows).toBe([...first, ...second].map((d) => d.row).join(''));
      expect(readFileSync(folder.serverLogPath).length).toBeGreaterThan(logSize);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
