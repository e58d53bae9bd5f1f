import { describe, expect, it } from 'vitest';
import { applyServerEvents, createServerState, parseServerLog, type ServerState } from '../../../parsers/server-log/index.js';
import { readServerLogFixture } from './fixture.js';

const ROGUE = '00022ac42542497589f654e6ac2c0a6f';
const id = (n: number) => `0002${String(n).padStart(28, '0')}`;
const at = (s: number) => `[2025.05.17-03.00.${String(s).padStart(2, '0')}:000][  1]`;
const join = (n: number, s: number) => `${at(s)}LogNet: Join request: /Game/Maps/world_0/World_0?eosid=|${id(n)}?Name=P${n}?nativeplatform=XSX?SplitscreenCount=1`;
const online = (n: number, s: number) => `${at(s)}LogOnline: Warning: Player |${id(n)} successfully registered!`;
const gone = (n: number, s: number) => `${at(s)}UNetConnection::Close: Connection cleanup. UniqueId: EOS:|${id(n)}`;

function apply(lines: readonly string[], state: ServerState = createServerState()) {
  return applyServerEvents(state, parseServerLog(`${lines.join('\n')}\n`).events, { announceQueue: true });
}

describe('the queue, announced for the connections feed', () => {
  it('GIVEN the synthetic log THEN Rogue731 leaving before getting in is announced, with the wait', () => {
    const { announcements, counts } = applyServerEvents(createServerState(), parseServerLog(readServerLogFixture()).events, { announceQueue: true });
    expect(announcements.map((a) => a.kind)).toEqual(['player-joined', 'player-joined', 'mission-ready', 'airdrop-flying', 'player-left-queue', 'player-left']);
    expect(announcements.find((a) => a.kind === 'player-left-queue')).toMatchObject({
      player: { eosId: ROGUE, name: 'Rogue731', platform: 'XSX', status: 'queued', since: Date.UTC(2025, 4, 17, 2, 10, 2, 212) },
      cause: 'channel-closed', time: Date.UTC(2025, 4, 17, 2, 11, 15, 500),
    });
    expect(counts.leftQueue).toBe(1);
  });

  it('GIVEN a full server THEN a player asking to join is announced waiting with their position; with room, joining is not a queue', () => {
    const full = apply(['LogInit: Command Line: -log -playersmaxcount=2', join(1, 1), online(1, 2), join(2, 3), online(2, 4)]);
    expect(full.announcements.map((a) => a.kind)).toEqual(['player-joined', 'player-joined']);
    const waiting = apply([join(3, 5), join(4, 6)], full.state);
    expect(waiting.announcements).toMatchObject([
      { kind: 'player-queued', player: { eosId: id(3), name: 'P3', platform: 'XSX' }, position: 1, maxPlayers: 2 },
      { kind: 'player-queued', player: { eosId: id(4) }, position: 2, maxPlayers: 2 },
    ]);
    // A slot frees: P3 gets in (a join, no new queue post), P4 gives up (left the queue).
    const after = apply([gone(1, 7), online(3, 8), gone(4, 9)], waiting.state);
    expect(after.announcements.map((a) => [a.kind, 'player' in a ? a.player.name : null])).toEqual([
      ['player-left', 'P1'], ['player-joined', 'P3'], ['player-left-queue', 'P4'],
    ]);
  });

  it('GIVEN the default options THEN the queue is only counted, as before', () => {
    const { announcements, counts } = applyServerEvents(createServerState(), parseServerLog(readServerLogFixture()).events);
    expect(announcements.some((a) => a.kind === 'player-left-queue' || a.kind === 'player-queued')).toBe(false);
    expect(counts.leftQueue).toBe(1);
  });
});
