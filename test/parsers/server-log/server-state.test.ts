import { describe, expect, it } from 'vitest';
import {
  applyServerEvents, compileMissionLevels, createServerState, parseServerLog,
  resetServerState, type ServerState, type ServerStateOptions,
} from '../../../parsers/server-log/index.js';
import { readServerLogFixture } from './fixture.js';

const EXHYPER = '000240ecc1ba45d59962bc2d34e0177e';
const NJSHH = '0002e69a65204b669c20238266782d7b';
const ROGUE = '00022ac42542497589f654e6ac2c0a6f';

/** Players in a status, in the order they were first seen (what the online list shows). */
const inStatus = (status: 'online' | 'queued') => (state: ServerState) => [...state.players.values()].filter((p) => p.status === status);
const onlinePlayers = inStatus('online');
const queuedPlayers = inStatus('queued');

/** Parses log text and applies it to `state`. */
function apply(text: string, state: ServerState = createServerState(), options: ServerStateOptions = {}) {
  return applyServerEvents(state, parseServerLog(text).events, options);
}

describe('the synthetic Deadside.log applied to a new server state', () => {
  const { state, announcements, counts } = applyServerEvents(createServerState(), parseServerLog(readServerLogFixture()).events);

  it('GIVEN the whole fixture THEN only ExHyper is online and nobody is queued', () => {
    expect(onlinePlayers(state)).toEqual([
      { eosId: EXHYPER, name: 'ExHyper', platform: 'PS5', status: 'online', since: Date.UTC(2025, 4, 17, 2, 3, 14, 733) },
    ]);
    expect(queuedPlayers(state)).toEqual([]);
  });

  it('GIVEN Njshh registered then closed twice THEN one join and one leave are announced for Njshh', () => {
    const njshh = announcements.filter((a) => 'player' in a && a.player.eosId === NJSHH).map((a) => a.kind);
    expect(njshh).toEqual(['player-joined', 'player-left']);
  });

  it('GIVEN Rogue731 queued then closed THEN it counts as leaving the queue and is never announced', () => {
    expect(counts.leftQueue).toBe(1);
    expect(announcements.some((a) => 'player' in a && a.player.eosId === ROGUE)).toBe(false);
  });

  it('GIVEN the command line, the vehicles and the airdrop THEN the server figures match the log', () => {
    expect(state.maxPlayers).toBe(50);
    expect(state.vehiclesTotal).toBe(0);
    expect(state.airdrop).toBe('Dead');
    expect(announcements.filter((a) => a.kind === 'airdrop-flying')).toHaveLength(1);
  });

  it('GIVEN GA_Military_02_mis1 READY and a settlement going INITIAL THEN only the military mission is announced', () => {
    expect(announcements.filter((a) => a.kind === 'mission-ready')).toMatchObject([{ missionId: 'GA_Military_02_mis1', level: 3, line: 11 }]);
    expect(counts.otherMissionStates).toBe(1);
    expect(state.missions.get('GA_Settle_05_ChernyLog_mis1')).toBe('INITIAL');
  });

  it('GIVEN the whole fixture THEN the announcements come in log order', () => {
    expect(announcements.map((a) => a.kind)).toEqual(['player-joined', 'player-joined', 'mission-ready', 'airdrop-flying', 'player-left']);
  });
});

describe('restarts', () => {
  const running = apply(new TextDecoder().decode(readServerLogFixture())).state;

  it('GIVEN a new "Log file open" line THEN online players, queue and world state are cleared, slots kept', () => {
    const queued = apply(`LogNet: Join request: /x?eosid=|${ROGUE}?Name=Rogue731\n`, running).state;
    expect(queuedPlayers(queued)).toHaveLength(1);
    const { state, announcements, counts } = apply('Log file open, 05/18/25 00:00:01\n', queued);
    expect(state.players.size).toBe(0);
    expect(state.missions.size).toBe(0);
    expect(state.maxPlayers).toBe(50);
    expect(announcements).toEqual([]);
    expect(counts.restarts).toBe(1);
  });

  it('GIVEN resetServerState THEN nobody is online and the old state is untouched', () => {
    const reset = resetServerState(running);
    expect(onlinePlayers(reset)).toEqual([]);
    expect(onlinePlayers(running)).toHaveLength(1);
  });
});

describe('player life cycle details', () => {
  it('GIVEN apply THEN the state passed in is not changed', () => {
    const before = createServerState();
    apply(`LogOnline: Warning: Player |${NJSHH} successfully registered!\n`, before);
    expect(before.players.size).toBe(0);
  });

  it('GIVEN a registration with no join request seen THEN the player is announced online without a name', () => {
    const { announcements } = apply(`LogOnline: Warning: Player |${NJSHH} successfully registered!\n`);
    expect(announcements).toMatchObject([{ kind: 'player-joined', player: { eosId: NJSHH, name: null } }]);
  });

  it('GIVEN newer name-only lines THEN join succeeded and logged out follow names, matching known players', () => {
    const queued = apply(`LogNet: Join request: /x?eosid=|${NJSHH}?Name=Njshh\n`).state;
    const { state, announcements } = apply([
      'LogNet: Join succeeded: Njshh',
      'LogNet: Join succeeded: ODIO_-ETERNO',
      'LogOnline: Player ltEOS Njshh  has logged out by reason: LostConnection',
      'LogOnline: Player ltEOS Nobody has logged out by reason: Kicked',
    ].join('\n') + '\n', queued);
    expect(onlinePlayers(state).map((p) => p.name)).toEqual(['ODIO_-ETERNO']);
    expect(announcements).toMatchObject([
      { kind: 'player-joined', player: { eosId: NJSHH, name: 'Njshh' } },
      { kind: 'player-joined', player: { eosId: null, name: 'ODIO_-ETERNO' } },
      { kind: 'player-left', player: { eosId: NJSHH }, cause: 'logged-out', reason: 'LostConnection' },
    ]);
  });

  it('GIVEN a timed-out online player THEN the leave is announced with that cause', () => {
    const online = apply(`LogOnline: Warning: Player |${NJSHH} successfully registered!\n`).state;
    const { announcements } = apply(`LogNet: Warning: Connection TIMED OUT. UniqueId: EOS:|${NJSHH}\n`, online);
    expect(announcements).toMatchObject([{ kind: 'player-left', cause: 'timed-out' }]);
  });
});

describe('world events', () => {
  it('GIVEN encounters and patrol points THEN they are counted, never announced', () => {
    const { announcements, counts } = apply([
      'LogSFPS: Mission GA_Military_01_Enc_02 switched to READY',
      'LogSFPS: Mission GA_Military_01_Enc_02 will respawn in 60',
      'LogSFPS: Mission GA_PatrolPoint_07 switched to READY',
    ].join('\n') + '\n');
    expect(announcements).toEqual([]);
    expect(counts).toMatchObject({ encounters: 2, patrolPoints: 1 });
  });

  it('GIVEN an edited level table THEN READY is announced by that table, ignoring case', () => {
    const line = 'LogSFPS: Mission GA_Settle_05_ChernyLog_mis1 switched to READY\n';
    expect(apply(line).announcements).toEqual([]);
    expect(apply(line, createServerState(), { missionLevels: { 'ga_settle_*': 4 } }).announcements)
      .toMatchObject([{ kind: 'mission-ready', level: 4 }]);
  });

  it('GIVEN an exact id and a pattern THEN the exact id wins', () => {
    const level = compileMissionLevels({ 'GA_Military_*': 3, GA_Military_04_Mis1: 5 });
    expect(level('GA_Military_04_Mis1')).toBe(5);
    expect(level('GA_Military_02_mis1')).toBe(3);
    expect(level('GA_Sawmill_01_Mis1')).toBeNull();
  });

  it('GIVEN a bad level THEN the table is refused with the key named', () => {
    expect(() => compileMissionLevels({ GA_X: Number.NaN })).toThrow(/Mission level for "GA_X"/);
  });

  it('GIVEN a helicrash going ACTIVE then IN_PROGRESS then COMPLETED THEN it is announced once', () => {
    const { announcements, state } = apply([
      'LogSFPS: GameplayEvent BP_HelicrashEvent_C_1 switched to INITIAL',
      'LogSFPS: GameplayEvent BP_HelicrashEvent_C_1 switched to ACTIVE',
      'LogSFPS: GameplayEvent BP_HelicrashEvent_C_1 switched to IN_PROGRESS',
      'LogSFPS: GameplayEvent BP_HelicrashEvent_C_1 switched to COMPLETED',
      'LogSFPS: GameplayEvent BP_RoamingTraderEvent_3 switched to STARTED',
    ].join('\n') + '\n');
    expect(announcements).toMatchObject([
      { kind: 'world-event-started', category: 'helicrash', state: 'ACTIVE' },
      { kind: 'world-event-started', category: 'roaming-trader', state: 'STARTED' },
    ]);
    expect(state.gameplayEvents.get('BP_HelicrashEvent_C_1')).toBe('COMPLETED');
  });

  it('GIVEN two airdrops THEN each Flying is announced once', () => {
    const drop = 'LogSFPS: AirDrop switched to Flying\nLogSFPS: AirDrop switched to Flying\nLogSFPS: AirDrop switched to Dead\n';
    expect(apply(drop + drop).announcements.filter((a) => a.kind === 'airdrop-flying')).toHaveLength(2);
  });
});
