/**
 * The gateway side: HELLO, IDENTIFY (token checked), READY and GUILD_CREATE, heartbeats, RESUME with
 * replay of missed dispatches, INVALID_SESSION, and the test hooks that drop or invalidate a session.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { guildCreateJson } from './shapes.js';
import type { World } from './state.js';

interface Session {
  id: string;
  seq: number;
  /** Dispatches sent in this session, kept for RESUME (the most recent ones). */
  sent: { s: number; t: string; d: unknown }[];
  socket: WebSocket | null;
}

const KEPT_DISPATCHES = 1000;

/** Options the gateway needs from the stand-in. */
export interface GatewayOptions {
  token: string;
  heartbeatIntervalMs: number;
  /** `ws://host:port`, sent as READY's `resume_gateway_url`. */
  url: () => string;
}

/** One bot's gateway sessions (one shard): the latest identified or resumed session gets the dispatches. */
export class Gateway {
  private readonly sessions = new Map<string, Session>();
  private active: Session | null = null;
  private readonly sockets = new Set<WebSocket>();
  private readonly counts = { ready: 0, resumed: 0 };
  private readonly events = new EventEmitter();
  private readonly beats = { count: 0, worstGapRatio: 0 };

  constructor(private readonly world: World, private readonly o: GatewayOptions) {}

  /** Serves one new WebSocket connection. */
  accept(socket: WebSocket): void {
    this.sockets.add(socket);
    let lastBeat: number | null = null;
    socket.on('close', () => {
      this.sockets.delete(socket);
      for (const s of this.sessions.values()) if (s.socket === socket) s.socket = null;
    });
    socket.on('message', (raw) => {
      let payload: { op?: number; d?: Record<string, unknown> | number | null };
      try {
        payload = JSON.parse(String(raw)) as typeof payload;
      } catch {
        socket.close(4002, 'Error while decoding payload.');
        return;
      }
      if (payload.op === 1) {
        const now = performance.now();
        if (lastBeat !== null) this.recordBeat(now - lastBeat);
        lastBeat = now;
        send(socket, { op: 11, d: null, s: null, t: null });
      } else if (payload.op === 2) this.identify(socket, payload.d as Record<string, unknown>);
      else if (payload.op === 6) this.resume(socket, payload.d as Record<string, unknown>);
      else if (payload.op !== 3 && payload.op !== 4 && payload.op !== 8) socket.close(4001, 'Unknown opcode.');
    });
    send(socket, { op: 10, d: { heartbeat_interval: this.o.heartbeatIntervalMs, _trace: ['["dev-discord"]'] }, s: null, t: null });
  }

  /** Sends a dispatch to the active session (kept for a RESUME if the bot is disconnected now). */
  dispatch(t: string, d: unknown): void {
    const session = this.active;
    if (!session) return;
    session.seq += 1;
    const entry = { s: session.seq, t, d };
    session.sent.push(entry);
    if (session.sent.length > KEPT_DISPATCHES) session.sent.shift();
    if (session.socket) send(session.socket, { op: 0, ...entry });
  }

  /** Closes the bot's connection; 4000 (the default) lets it resume. */
  drop(code = 4000): void {
    this.active?.socket?.close(code, 'Dropped by the test.');
  }

  /** Sends INVALID_SESSION; a session that cannot be resumed is forgotten. */
  invalidate(resumable: boolean): void {
    const session = this.active;
    if (!session?.socket) return;
    send(session.socket, { op: 9, d: resumable, s: null, t: null });
    if (!resumable) {
      this.sessions.delete(session.id);
      this.active = null;
    }
  }

  /** Whether a bot has identified (its session may be disconnected now, waiting to resume). */
  hasSession(): boolean {
    return this.active !== null;
  }

  connected(): boolean {
    return this.active?.socket?.readyState === 1;
  }

  heartbeats(): { count: number; worstGapRatio: number } {
    return { ...this.beats };
  }

  /** Resolves once `count` sessions of this kind have started. */
  waitFor(kind: 'ready' | 'resumed', count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.counts[kind] < count) return;
        this.events.off(kind, check);
        resolve();
      };
      this.events.on(kind, check);
      check();
    });
  }

  close(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  private recordBeat(gapMs: number): void {
    this.beats.count += 1;
    this.beats.worstGapRatio = Math.max(this.beats.worstGapRatio, gapMs / this.o.heartbeatIntervalMs);
  }

  private identify(socket: WebSocket, d: Record<string, unknown>): void {
    if (d.token !== this.o.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    const session: Session = { id: randomBytes(16).toString('hex'), seq: 0, sent: [], socket };
    this.sessions.set(session.id, session);
    this.active = session;
    const guilds = [...this.world.guilds.values()].filter((g) => g.botPresent);
    this.dispatch('READY', {
      v: 10, user: this.world.botUser, guilds: guilds.map((g) => ({ id: g.id, unavailable: true })), session_id: session.id,
      session_type: 'normal', resume_gateway_url: this.o.url(), shard: [0, 1], application: { id: this.world.applicationId, flags: 0 },
      private_channels: [], presences: [], relationships: [], guild_join_requests: [], geo_ordered_rtc_regions: [], auth: {},
      user_settings: {}, _trace: ['["dev-discord"]'],
    });
    for (const g of guilds) this.dispatch('GUILD_CREATE', guildCreateJson(this.world, g));
    this.count('ready');
  }

  private resume(socket: WebSocket, d: Record<string, unknown>): void {
    if (d.token !== this.o.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    const session = this.sessions.get(String(d.session_id));
    if (!session) {
      send(socket, { op: 9, d: false, s: null, t: null });
      return;
    }
    if (session.socket && session.socket !== socket) session.socket.close(4000, 'Session resumed elsewhere.');
    session.socket = socket;
    this.active = session;
    const after = Number(d.seq ?? 0);
    for (const entry of session.sent) if (entry.s > after) send(socket, { op: 0, ...entry });
    this.dispatch('RESUMED', { _trace: ['["dev-discord"]'] });
    this.count('resumed');
  }

  private count(kind: 'ready' | 'resumed'): void {
    this.counts[kind] += 1;
    this.events.emit(kind);
  }
}

function send(socket: WebSocket, payload: unknown): void {
  if (socket.readyState === 1) socket.send(JSON.stringify(payload));
}
