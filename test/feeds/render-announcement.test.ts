import { describe, expect, it } from 'vitest';
import {
  applyServerEvents, createServerState, parseServerLog, type PlayerPresence, type ServerAnnouncement,
} from '../../parsers/index.js';
import { embedSize, EMBED_LIMITS } from '../../src/discord/format/index.js';
import { COLOURS, feedKindOf, missionName, renderAnnouncement } from '../../src/feeds/render/index.js';
import { fixtureBytes } from '../helpers/fixtures.js';
import { asRead } from './render-text.js';

const ctx = { serverName: 'EU #1 PvP' };
const AT = Date.parse('2025-05-17T02:15:20Z');

function read(a: ServerAnnouncement): string {
  return asRead(renderAnnouncement(a, ctx).description ?? '');
}

function player(over: Partial<PlayerPresence>): PlayerPresence {
  return { eosId: '0002e69a65204b669c20238266782d7b', name: 'Njshh', platform: 'PS5', status: 'online', since: AT - 72 * 60_000, ...over };
}

describe('connections and events from a server log', () => {
  it('GIVEN the synthetic Deadside.log THEN its announcements read as a member expects, each in its feed', () => {
    const parsed = parseServerLog(fixtureBytes('serverlog/Deadside.synthetic.log'), { final: true });
    const { announcements } = applyServerEvents(createServerState(), parsed.events);
    expect(announcements.map((a) => [feedKindOf(a), read(a)])).toEqual([
      ['connections', '📥 ExHyper (PS5) joined the server'],
      ['connections', '📥 Njshh (PS5) joined the server'],
      ['events', '🎯 Military 02 is ready (level 3)'],
      ['events', '✈️ An airdrop is on its way'],
      ['connections', '📤 Njshh (PS5) left the server after 11m 14s'],
    ]);
    for (const a of announcements) {
      const embed = renderAnnouncement(a, ctx);
      expect(embed.footer?.text).toBe('EU #1 PvP');
      expect(embed.timestamp).toBe(new Date(a.time ?? 0).toISOString());
    }
  });
});

describe('connections', () => {
  it('GIVEN the ways a player leaves THEN each reads plainly, with the server\'s reason when it gave one', () => {
    const left = (cause: Extract<ServerAnnouncement, { kind: 'player-left' }>['cause'], reason: string | null): string =>
      read({ kind: 'player-left', line: 9, time: AT, player: player({}), cause, reason });
    expect(left('timed-out', null)).toBe('📤 Njshh (PS5) lost connection (timed out) after 1h 12m');
    expect(left('logged-out', 'LostConnection')).toBe('📤 Njshh (PS5) left the server (lost connection) after 1h 12m');
    expect(left('logged-out', 'Kicked by admin: *spam*')).toBe('📤 Njshh (PS5) left the server (Kicked by admin: *spam*) after 1h 12m');
    expect(left('connection-cleanup', null)).toBe('📤 Njshh (PS5) left the server after 1h 12m');
  });

  it('GIVEN a player known only by id, or with no time of arrival THEN the feed says what it knows and no more', () => {
    expect(read({ kind: 'player-joined', line: 1, time: null, player: player({ name: null, platform: null }) }))
      .toBe('📥 Player 0002e69a6520… joined the server');
    expect(read({ kind: 'player-left', line: 2, time: AT, player: player({ since: null }), cause: 'unregistered', reason: null }))
      .toBe('📤 Njshh (PS5) left the server');
    expect(renderAnnouncement({ kind: 'player-joined', line: 1, time: null, player: player({}) }, ctx).timestamp).toBeUndefined();
  });

  it('GIVEN a joining player named in markdown THEN the name is shown as typed', () => {
    expect(read({ kind: 'player-joined', line: 1, time: AT, player: player({ name: '**x**_||y||' }) })).toBe('📥 **x**_||y|| (PS5) joined the server');
    const embed = renderAnnouncement({ kind: 'player-joined', line: 1, time: AT, player: player({ name: 'n'.repeat(300) }) }, ctx);
    expect(embedSize(embed)).toBeLessThanOrEqual(EMBED_LIMITS.total);
    expect(embed.color).toBe(COLOURS.joined);
  });
});

describe('the queue', () => {
  it('GIVEN a player waiting for a full server and one giving up THEN both read plainly in the connections feed', () => {
    const waiting: ServerAnnouncement = { kind: 'player-queued', line: 1, time: AT, player: player({ status: 'queued', since: AT }), position: 3, maxPlayers: 50 };
    const gaveUp: ServerAnnouncement = { kind: 'player-left-queue', line: 2, time: AT, player: player({ status: 'queued', since: AT - 130_000 }), cause: 'channel-closed', reason: null };
    expect(read(waiting)).toBe('⏳ Njshh (PS5) is waiting in the queue (position 3, the server is full at 50)');
    expect(read(gaveUp)).toBe('↩️ Njshh (PS5) left the queue after waiting 2m 10s');
    expect([feedKindOf(waiting), feedKindOf(gaveUp)]).toEqual(['connections', 'connections']);
    expect(renderAnnouncement(gaveUp, ctx).color).toBe(COLOURS.queue);
  });
});

describe('events', () => {
  it('GIVEN a helicrash, a roaming trader and a convoy THEN each has its own title and words', () => {
    const started = (category: 'helicrash' | 'roaming-trader' | 'convoy'): [string | undefined, string] => {
      const embed = renderAnnouncement({ kind: 'world-event-started', line: 1, time: AT, category, eventId: 'x', state: 'ACTIVE' }, ctx);
      return [embed.title, asRead(embed.description ?? '')];
    };
    expect(started('helicrash')).toEqual(['Helicrash', '🚁 A helicopter has crashed']);
    expect(started('roaming-trader')).toEqual(['Roaming trader', '🛒 A roaming trader is out']);
    expect(started('convoy')).toEqual(['Convoy', '🚚 A convoy is on the move']);
  });

  it('GIVEN mission ids as servers write them THEN the place is named without the engine\'s prefix and suffix', () => {
    expect(missionName('GA_Military_02_mis1')).toBe('Military 02');
    expect(missionName('GA_Airport_Mis2')).toBe('Airport');
    expect(missionName('GA_')).toBe('GA_');
    expect(read({ kind: 'mission-ready', line: 1, time: AT, missionId: 'GA_Bunker_*x*_mis1', level: 4 })).toBe('🎯 Bunker *x* is ready (level 4)');
  });
});
