import { describe, expect, it } from 'vitest';
import { createServerLogParser, parseServerLog } from '../../../parsers/server-log/index.js';
import { readServerLogFixture } from './fixture.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const STAMP = '[2025.05.17-02.03.10:514][412]';
const STAMP_MS = Date.UTC(2025, 4, 17, 2, 3, 10, 514);

describe('parseServerLog on the synthetic Deadside.log', () => {
  const result = parseServerLog(readServerLogFixture());

  it('GIVEN the fixture THEN every line is either read or counted unknown, and none is held back', () => {
    expect(result.counts).toEqual({ lines: 23, events: 21, unknown: 2, blank: 0, oversized: 0 });
    expect(result.carry.length).toBe(0);
    expect(result.nextLine).toBe(24);
  });

  it('GIVEN the fixture THEN the unknown lines are sampled with their line numbers', () => {
    expect(result.unknownSample.map((u) => u.line)).toEqual([3, 16]);
    expect(result.unknownSample[1]!.excerpt).toContain('CanSpawnVehicle');
  });

  it('GIVEN the first line THEN it opens the log at its own date and sets the clock for the command line', () => {
    expect(result.events[0]).toEqual({ kind: 'log-open', line: 1, time: Date.UTC(2025, 4, 17, 2, 1, 30), timeInferred: false });
    expect(result.events[1]).toMatchObject({ kind: 'max-players', maxPlayers: 50, line: 2, timeInferred: true, time: Date.UTC(2025, 4, 17, 2, 1, 30) });
  });

  it('GIVEN ExHyper joining THEN the join request gives id, name and console platform', () => {
    expect(result.events[2]).toEqual({
      kind: 'join-request', line: 4, time: STAMP_MS, timeInferred: false,
      eosId: '000240ecc1ba45d59962bc2d34e0177e', name: 'ExHyper', platform: 'PS5',
    });
  });

  it('GIVEN the event kinds in file order THEN they follow the log', () => {
    expect(result.events.map((e) => e.kind)).toEqual([
      'log-open', 'max-players', 'join-request', 'beacon-join', 'registered', 'join-request', 'beacon-join',
      'registered', 'mission-respawn', 'mission', 'mission-respawn', 'mission', 'airdrop', 'vehicle', 'airdrop',
      'join-request', 'left', 'airdrop', 'vehicle', 'left', 'left',
    ]);
  });
});

describe('one line of each kind', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['LogNet: Join request: /Game/Maps/world_0/World_0?Name=Some Body&eosid=|0002ABCDEF0123456789abcdef012345&platformid=XSX:253',
      { kind: 'join-request', eosId: '0002abcdef0123456789abcdef012345', name: 'Some Body', platform: 'XSX' }],
    ['LogBeacon: Beacon Join SFPSOnlineBeaconClient EOS:|0002e69a65204b669c20238266782d7b',
      { kind: 'beacon-join', eosId: '0002e69a65204b669c20238266782d7b' }],
    ['LogOnline: Warning: Player |0002e69a65204b669c20238266782d7b successfully registered!',
      { kind: 'registered', eosId: '0002e69a65204b669c20238266782d7b' }],
    ['LogNet: UChannel::Close: Sending CloseBunch. ChIndex == 0. Name: [UChannel] ChIndex: 0, UniqueId: EOS:|0002e69a65204b669c20238266782d7b, Channels: 9',
      { kind: 'left', cause: 'channel-closed', eosId: '0002e69a65204b669c20238266782d7b' }],
    ['LogNet: UNetConnection::Close: Connection cleanup. UniqueId: EOS:|0002e69a65204b669c20238266782d7b',
      { kind: 'left', cause: 'connection-cleanup' }],
    ['LogNet: Warning: Connection TIMED OUT. Closing connection.. Elapsed: 30.00, UniqueId: EOS:|0002e69a65204b669c20238266782d7b',
      { kind: 'left', cause: 'timed-out' }],
    ['LogOnline: Warning: Player |0002e69a65204b669c20238266782d7b successfully unregistered from the session.',
      { kind: 'left', cause: 'unregistered' }],
    ['LogNet: Join succeeded: ODIO_-ETERNO', { kind: 'join-succeeded', name: 'ODIO_-ETERNO' }],
    ['LogOnline: Player ltEOS OLD_PLAYER  has logged out by reason: LostConnection',
      { kind: 'logged-out', name: 'OLD_PLAYER', reason: 'LostConnection' }],
    ['LogSFPS: Mission GA_Beregovoy_Enc_03 switched to IN_PROGRESS',
      { kind: 'mission', missionId: 'GA_Beregovoy_Enc_03', state: 'IN_PROGRESS', noise: 'encounter' }],
    ['LogSFPS: Mission GA_Military_02_mis1 will respawn in 1303',
      { kind: 'mission-respawn', missionId: 'GA_Military_02_mis1', seconds: 1303, noise: null }],
    ['LogSFPS: AirDrop switched to Flying', { kind: 'airdrop', state: 'Flying' }],
    ['LogSFPS: GameplayEvent BP_HelicrashEvent_C_1 switched to ACTIVE',
      { kind: 'gameplay-event', eventId: 'BP_HelicrashEvent_C_1', category: 'helicrash', state: 'ACTIVE' }],
    ['LogSFPS: GameplayEvent BP_RoamingTraderEvent_2 switched to STARTED', { kind: 'gameplay-event', category: 'roaming-trader' }],
    ['LogSFPS: GameplayEvent ConvoyEvent_7 switched to COMPLETED', { kind: 'gameplay-event', category: 'convoy' }],
    ['LogSFPS: [ASFPSGameMode::NewVehicle_Del] Del vehicle BP_Boat_C_1 Total 12',
      { kind: 'vehicle', change: 'removed', vehicle: 'BP_Boat_C_1', total: 12 }],
    ['Log file closed, 05/17/25 06:00:00', { kind: 'log-closed' }],
  ];

  it.each(cases)('GIVEN %s THEN it reads as expected', (body, expected) => {
    const { events, counts } = parseServerLog(`${STAMP}${body}\n`);
    expect(counts.unknown).toBe(0);
    expect(events[0]).toMatchObject({ ...expected, line: 1, time: STAMP_MS, timeInferred: false });
  });

  it('GIVEN a join request without an EOS id THEN it is an unknown line, not a player', () => {
    const { events, counts } = parseServerLog('LogNet: Join request: /Game/Maps/world_0/World_0?Name=Ghost\n');
    expect(events).toEqual([]);
    expect(counts.unknown).toBe(1);
  });
});

describe('line prefixes and encodings', () => {
  it('GIVEN a frame-only line after a stamped one THEN it borrows the earlier time, flagged', () => {
    const { events } = parseServerLog(`${STAMP}LogSFPS: AirDrop switched to Flying\n[977]LogSFPS: AirDrop switched to Dead\n`);
    expect(events[1]).toMatchObject({ line: 2, time: STAMP_MS, timeInferred: true });
  });

  it('GIVEN no stamp seen yet THEN the time is null and not flagged', () => {
    const { events } = parseServerLog('LogSFPS: AirDrop switched to Flying\n');
    expect(events[0]).toMatchObject({ time: null, timeInferred: false });
  });

  it('GIVEN an impossible date in the stamp THEN the line is still read, with the borrowed time', () => {
    const { events } = parseServerLog(`${STAMP}LogSFPS: AirDrop switched to Flying\n[2025.02.30-00.00.00:000][  1]LogSFPS: AirDrop switched to Dead\n`);
    expect(events[1]).toMatchObject({ state: 'Dead', time: STAMP_MS, timeInferred: true });
  });

  it('GIVEN CRLF line ends and a BOM THEN they read like LF and no BOM', () => {
    const plain = parseServerLog(readServerLogFixture());
    const text = new TextDecoder().decode(readServerLogFixture());
    const windows = parseServerLog(`\uFEFF${text.replaceAll('\n', '\r\n')}`);
    expect(windows.events).toEqual(plain.events);
    expect(windows.counts).toEqual(plain.counts);
  });

  it('GIVEN blank lines THEN they are counted as blank, not unknown', () => {
    expect(parseServerLog('\n  \r\n\n').counts).toEqual({ lines: 3, events: 0, unknown: 0, blank: 3, oversized: 0 });
  });
});

describe('createServerLogParser', () => {
  it('GIVEN a line without its newline THEN it is held back until the newline arrives', () => {
    const parser = createServerLogParser();
    expect(parser.push(utf8('LogSFPS: AirDrop switched')).events).toEqual([]);
    expect(new TextDecoder().decode(parser.carry())).toBe('LogSFPS: AirDrop switched');
    const batch = parser.push(utf8(' to Flying\n'));
    expect(batch.events).toMatchObject([{ kind: 'airdrop', state: 'Flying', line: 1 }]);
    expect(parser.carry().length).toBe(0);
    expect(parser.nextLine).toBe(2);
  });

  it('GIVEN a persisted carry and line number THEN a new parser resumes exactly there', () => {
    const first = createServerLogParser();
    first.push(utf8(`${STAMP}LogSFPS: AirDrop switched to Flying\n[  1]LogSFPS: AirDrop sw`));
    const resumed = createServerLogParser({ carry: first.carry(), nextLine: first.nextLine, lastTime: first.lastTime });
    expect(resumed.push(utf8('itched to Dead\n')).events).toEqual([
      { kind: 'airdrop', state: 'Dead', line: 2, time: STAMP_MS, timeInferred: true },
    ]);
  });

  it('GIVEN end() THEN the unterminated last line is read as a final line', () => {
    const parser = createServerLogParser();
    parser.push(utf8('LogNet: Join succeeded: Late'));
    expect(parser.end().events).toMatchObject([{ kind: 'join-succeeded', name: 'Late' }]);
    expect(parseServerLog('LogNet: Join succeeded: Late', { final: true }).events).toHaveLength(1);
  });

  it('GIVEN a bad line number THEN it refuses with a plain explanation', () => {
    expect(() => createServerLogParser({ nextLine: 0 })).toThrow(/nextLine must be a whole number from 1 up/);
  });
});
