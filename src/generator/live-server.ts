import { deathFields, makePlayers, pick, stamp, type Player } from './deaths.js';
import { seededRandom } from './random.js';

/**
 * A seeded simulation of a Deadside server being played: players queue, come online and leave,
 * kill and die, and the world runs its missions, airdrops and gameplay events. It writes what a real
 * server writes, a death-log row per death and `Deadside.log` lines, for the fleet bench, the offline
 * demo and load tests. Same options, same lines.
 */
export interface LiveServerOptions {
  seed: number;
  /** When the server starts (ms since the epoch, UTC). */
  start: number;
  /** Players who play on this server now and then (default 80). */
  roster?: number;
  /** Slots (`-playersmaxcount`, default 50); players past it wait in the queue. */
  maxPlayers?: number;
  /** Deaths per online player per hour (default 4: a busy server of 40 sees about 2.7 a minute). */
  deathsPerPlayerHour?: number;
  /** How long a player stays online on average, in minutes (default 40). */
  sessionMinutes?: number;
  /** How long a player stays away on average, in minutes (default 60). */
  awayMinutes?: number;
  /** World events (airdrop, mission ready, gameplay event) per hour (default 6). */
  worldEventsPerHour?: number;
}

/** What the server wrote over a stretch of time, in time order. */
export interface LiveServerOutput {
  /** Death-log rows (9 fields, each ending `;\n`), with the UTC day each belongs to (`YYYY.MM.DD`). */
  deaths: { day: string; row: string; time: number }[];
  /** `Deadside.log` lines, each ending `\n`. */
  serverLog: string[];
}

type Presence = 'offline' | 'queued' | 'online';

const MISSIONS = ['GA_Military_02_mis1', 'GA_Airport_01_mis1', 'GA_Bunker_03_mis1', 'GA_Settle_05_ChernyLog_mis1', 'GA_Loggers_01_mis1', 'GA_Farm_04_mis1'];
const GAMEPLAY_EVENTS = ['HelicrashEvent', 'RoamingTraderEvent', 'ConvoyEvent'];
/** Seconds a player waits between the join request and coming online, when a slot is free. */
const JOIN_SECONDS = 5;

export class LiveServer {
  readonly maxPlayers: number;
  readonly #rand: () => number;
  readonly #players: Player[];
  readonly #presence = new Map<string, { state: Presence; since: number }>();
  readonly #options: Required<Omit<LiveServerOptions, 'seed' | 'start' | 'roster' | 'maxPlayers'>>;
  #clock: number;
  #frame = 0;
  /** Players online now, kept as they come and go (counting them every simulated second was most of the time). */
  #online = 0;

  constructor(options: LiveServerOptions) {
    this.#rand = seededRandom(options.seed);
    this.#players = makePlayers(this.#rand, options.roster ?? 80);
    this.maxPlayers = options.maxPlayers ?? 50;
    this.#options = {
      deathsPerPlayerHour: options.deathsPerPlayerHour ?? 4, sessionMinutes: options.sessionMinutes ?? 40,
      awayMinutes: options.awayMinutes ?? 60, worldEventsPerHour: options.worldEventsPerHour ?? 6,
    };
    this.#clock = Math.floor(options.start / 1000) * 1000;
    for (const p of this.#players) this.#presence.set(p.id, { state: 'offline', since: this.#clock });
  }

  /** The first lines of a freshly opened `Deadside.log`, with the slot count on the command line. */
  openingLines(): string[] {
    const d = new Date(this.#clock);
    const two = (n: number): string => String(n).padStart(2, '0');
    const opened = `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
    return [`Log file open, ${opened}\n`, `LogInit: Command Line: -log -port=7777 -queryport=27015 -playersmaxcount=${this.maxPlayers}\n`];
  }

  /** Players online and queued now. */
  counts(): { online: number; queued: number } {
    let online = 0;
    let queued = 0;
    for (const p of this.#presence.values()) {
      if (p.state === 'online') online += 1;
      else if (p.state === 'queued') queued += 1;
    }
    return { online, queued };
  }

  /** Plays the server up to `until` (ms), a second at a time, and returns what it wrote. */
  advanceTo(until: number): LiveServerOutput {
    const out: LiveServerOutput = { deaths: [], serverLog: [] };
    while (this.#clock + 1000 <= until) {
      this.#clock += 1000;
      this.#frame = (this.#frame + 30) % 1000;
      this.#second(out);
    }
    return out;
  }

  #second(out: LiveServerOutput): void {
    const rand = this.#rand;
    const { sessionMinutes, awayMinutes, deathsPerPlayerHour, worldEventsPerHour } = this.#options;
    for (const player of this.#players) {
      const presence = this.#presence.get(player.id);
      if (!presence) continue;
      if (presence.state === 'offline' && rand() < 1 / (awayMinutes * 60)) {
        presence.state = 'queued';
        presence.since = this.#clock;
        out.serverLog.push(this.#line(`LogNet: Join request: /Game/Maps/world_0/World_0?logintype=eos?login=${player.name}?password=*?eosid=|${player.id}?ver=1.3.2.24846c?nativeplatform=${player.platform}?platformid=${player.platform}:${Math.floor(rand() * 1e15)}?Name=${player.name}?SplitscreenCount=1`));
        out.serverLog.push(this.#line(`LogBeacon: Beacon Join SFPSOnlineBeaconClient EOS:|${player.id}`));
      } else if (presence.state === 'queued' && this.#clock - presence.since >= JOIN_SECONDS * 1000 && this.#online < this.maxPlayers) {
        presence.state = 'online';
        presence.since = this.#clock;
        this.#online += 1;
        out.serverLog.push(this.#line(`LogOnline: Warning: Player |${player.id} successfully registered!`));
      } else if (presence.state !== 'offline' && rand() < 1 / (sessionMinutes * 60)) {
        if (presence.state === 'online') this.#online -= 1;
        presence.state = 'offline';
        presence.since = this.#clock;
        out.serverLog.push(this.#line(`LogNet: UChannel::Close: Sending CloseBunch. ChIndex == 0. UniqueId: EOS:|${player.id}`));
        out.serverLog.push(this.#line(`UNetConnection::Close: Connection cleanup. UniqueId: EOS:|${player.id}`));
      }
    }
    if (this.#online > 0 && rand() < (this.#online * deathsPerPlayerHour) / 3600) {
      const playing = this.#players.filter((p) => this.#presence.get(p.id)?.state === 'online');
      const row = [stamp(this.#clock), ...deathFields(rand, playing, pick(rand, playing), 9)].join(';');
      out.deaths.push({ day: stamp(this.#clock).slice(0, 10), row: `${row};\n`, time: this.#clock });
    }
    if (rand() < worldEventsPerHour / 3600) out.serverLog.push(this.#line(this.#worldEvent()));
  }

  #worldEvent(): string {
    const rand = this.#rand;
    const kind = rand();
    if (kind < 0.3) return 'LogSFPS: AirDrop switched to Flying';
    if (kind < 0.8) return `LogSFPS: Mission ${pick(rand, MISSIONS)} switched to READY`;
    return `LogSFPS: GameplayEvent ${pick(rand, GAMEPLAY_EVENTS)}_${Math.floor(rand() * 10)} switched to ACTIVE`;
  }

  #line(text: string): string {
    const ms = String(Math.floor(this.#rand() * 1000)).padStart(3, '0');
    return `[${stamp(this.#clock)}:${ms}][${String(this.#frame).padStart(3, ' ')}]${text}\n`;
  }
}
