import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.js';
import { DEFAULT_MISSION_LEVELS_TEXT, parseMissionLevels } from '../../config/mission-levels.js';
import { DEFAULT_MISSION_LEVELS } from '../../parsers/index.js';
import { renderAnnouncement } from '../../src/feeds/render/index.js';
import { runTick } from '../../src/ingest/tick.js';
import { ALICE, startPipeline, type Pipeline } from '../ingest/harness.js';

describe('MISSION_LEVELS: the operators\' mission level table', () => {
  it('GIVEN ids and patterns with levels THEN they make the table, replacing the default', () => {
    expect(parseMissionLevels('GA_Military_*=3, GA_Settle_05_ChernyLog_mis1 = 4')).toEqual({ 'GA_Military_*': 3, GA_Settle_05_ChernyLog_mis1: 4 });
    expect(parseMissionLevels(DEFAULT_MISSION_LEVELS_TEXT)).toEqual(DEFAULT_MISSION_LEVELS);
    expect(loadConfig({}, 'tool').missionLevels).toEqual(DEFAULT_MISSION_LEVELS);
  });

  it('GIVEN a malformed table THEN start-up names the variable and shows a good value', () => {
    for (const bad of ['GA_Military_*', 'GA_Military_*=high', 'GA_Military_*=0', '=3', 'A=3,,B=4']) expect(parseMissionLevels(bad)).toBeUndefined();
    expect(() => loadConfig({ MISSION_LEVELS: 'GA_Military_*=high' }, 'tool'))
      .toThrow(/MISSION_LEVELS "GA_Military_\*=high" is not valid: it should be comma-separated mission ids or \* patterns with their level 1 to 10, e\.g\. GA_Military_\*=3/);
  });
});

describe('MISSION_LEVELS in a tick', () => {
  let p: Pipeline;
  beforeAll(async () => { p = await startPipeline('mission-levels'); });
  afterAll(async () => { await p.close(); });

  it('GIVEN a settlement mission rated 4 by the operators THEN its READY is posted to the events feed; by default it is not', async () => {
    const lines = [
      '[2025.05.17-02.06.12:418][977]LogSFPS: Mission GA_Settle_05_ChernyLog_mis1 switched to READY',
      `[2025.05.17-02.06.13:000][977]LogOnline: Warning: Player |${ALICE[1]} successfully registered!`,
    ];
    const ready = async (missionLevels: Record<string, number> | undefined, name: string) => {
      const server = await p.addServer(name);
      const deps = { ...p.deps, ...(missionLevels ? { missionLevels } : {}) };
      server.appendServerLog('Log file open, 05/17/25 02:01:30\n');
      const tick = () => p.pool.runIo((ctx) => runTick(deps, server.watch, ctx), { label: 'tick' });
      // The first read takes the log as it stands; what is appended after it is news.
      await tick();
      server.appendServerLog(`${lines.join('\n')}\n`);
      await tick();
      return p.published.filter((i) => i.serverId === server.watch.target.serverId && i.kind === 'announcement')
        .map((i) => (i.kind === 'announcement' ? renderAnnouncement(i.announcement, { serverName: name }).description : ''));
    };
    expect(await ready({ 'GA_Settle_*': 4 }, 'rated')).toEqual(['🎯 **Settle 05 ChernyLog** is ready (level 4)', `📥 **Player ${ALICE[1].slice(0, 12)}…** joined the server`]);
    expect(await ready(undefined, 'default')).toEqual([`📥 **Player ${ALICE[1].slice(0, 12)}…** joined the server`]);
  });
});
