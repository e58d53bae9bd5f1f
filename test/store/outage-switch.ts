import { createServer, connect, type Socket } from 'node:net';
import type { TestDatabase } from './helpers.js';

/** A way to make the database refuse connections for a while and come back with its data. */
export interface OutageSwitch {
  uri: string;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Against dev-mongo: its own pause/resume. Against a real MongoDB (MONGODB_URI, one host): a TCP
 * relay in front of it that stops listening and drops its sockets, which the driver sees exactly as
 * a server going away.
 */
export async function outageSwitch(db: TestDatabase): Promise<OutageSwitch> {
  if (db.dev) {
    const dev = db.dev;
    return { uri: dev.uri, down: () => dev.pause(), up: () => dev.resume(), close: async () => undefined };
  }
  const target = /^mongodb:\/\/(?:[^@/]*@)?([^:/?,]+):(\d+)\/?(\?.*)?$/.exec(db.uri);
  if (!target) throw new Error('The outage tests need MONGODB_URI to name one host:port (mongodb://host:port/?directConnection=true).');
  const [, host = '', port = '', query = ''] = target;
  const sockets = new Set<Socket>();
  const relay = () => createServer((client) => {
    const upstream = connect(Number(port), host);
    for (const s of [client, upstream]) { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => s.destroy()); }
    client.pipe(upstream).pipe(client);
  });
  let server = relay();
  const listenOn = (p: number) => new Promise<number>((resolve) => server.listen(p, '127.0.0.1', () => {
    const a = server.address();
    resolve(typeof a === 'object' && a ? a.port : p);
  }));
  const localPort = await listenOn(0);
  const stop = async (): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  const params = new URLSearchParams(query.replace(/^\?/, ''));
  params.set('directConnection', 'true');
  return {
    uri: db.uri.replace(`${host}:${port}`, `127.0.0.1:${localPort}`).replace(/\?.*$/, '').replace(/\/?$/, `/?${params}`),
    down: stop,
    up: async () => { server = relay(); await listenOn(localPort); },
    close: stop,
  };
}
