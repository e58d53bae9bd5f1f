/**
 * dev-mongo: a small in-memory server speaking the MongoDB wire protocol, for tests and the offline
 * demo where no `mongod` can be installed. The official driver connects to it as to a standalone
 * mongod 7.0. What it does not implement, it refuses with a clear error: see README.md here.
 */
import type { Logger } from '../logging/logger.js';
import { Catalog } from './catalog.js';
import { serveConnection } from './connection.js';
import { CursorStore } from './cursors.js';
import { CommandDispatcher } from './dispatch.js';
import { Listener } from './listener.js';
import { sweepExpired } from './ttl-sweeper.js';

export interface DevMongo {
  /** For `new MongoClient(uri)`: `mongodb://127.0.0.1:PORT/?directConnection=true`. */
  uri: string;
  port: number;
  /** Stops listening, drops every connection and forgets the data. */
  close(): Promise<void>;
  /** Stop accepting and drop every connection but KEEP the data (as a restarted mongod keeps its disk). */
  pause(): Promise<void>;
  /** Listen again on the same port with the same data. */
  resume(): Promise<void>;
  /** Counters: commands by name, write statements by command, round trips (messages received), connections. */
  stats(): { messages: number; commands: Record<string, number>; statements: Record<string, number>; connections: number };
}

export interface DevMongoOptions {
  /** 0 or absent: a free port chosen by the system. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  logger?: Logger;
  /** How often TTL indexes are swept, in ms (default 1000; mongod uses 60 s). */
  ttlSweepMs?: number;
}

/** Starts a server and resolves once it accepts connections. */
export async function startDevMongo(o: DevMongoOptions = {}): Promise<DevMongo> {
  const host = o.host ?? '127.0.0.1';
  const logger = o.logger?.child({ module: 'dev-mongo' });
  const catalog = new Catalog();
  const cursors = new CursorStore();
  const dispatcher = new CommandDispatcher({ catalog, cursors, logger });
  const counters = { messages: 0, connections: 0 };
  const onMessage = () => (counters.messages += 1);
  const listener = new Listener(host, (socket) => {
    counters.connections += 1;
    serveConnection(socket, counters.connections, { dispatcher, logger, onMessage });
  });
  await listener.start(o.port ?? 0);
  const sweeper = startSweeper(catalog, cursors, o.ttlSweepMs ?? 1000, logger);
  const uriHost = host.includes(':') ? `[${host}]` : host;
  logger?.info({ host, port: listener.port }, 'dev-mongo listening');
  return {
    get uri() {
      return `mongodb://${uriHost}:${listener.port}/?directConnection=true`;
    },
    get port() {
      return listener.port;
    },
    async close() {
      clearInterval(sweeper);
      await listener.stop();
      for (const coll of catalog.all()) catalog.drop(coll.db, coll.name);
    },
    async pause() {
      await listener.stop();
      logger?.info({ port: listener.port }, 'dev-mongo paused (data kept)');
    },
    async resume() {
      if (listener.listening) return;
      await listener.start(listener.port);
      logger?.info({ port: listener.port }, 'dev-mongo resumed');
    },
    stats: () => ({
      messages: counters.messages, commands: { ...dispatcher.counts }, statements: { ...dispatcher.statements }, connections: counters.connections,
    }),
  };
}

function startSweeper(catalog: Catalog, cursors: CursorStore, everyMs: number, logger: Logger | undefined): NodeJS.Timeout {
  const timer = setInterval(() => {
    const removed = sweepExpired(catalog);
    if (removed > 0) logger?.debug({ removed }, 'dev-mongo TTL sweep removed expired documents');
    cursors.sweepIdle();
  }, everyMs);
  timer.unref();
  return timer;
}
