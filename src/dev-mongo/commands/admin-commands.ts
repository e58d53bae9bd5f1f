/**
 * Handshake and server-level commands. The server presents itself as a standalone mongod 7.0:
 * no `setName` (so the driver neither retries writes nor starts transactions on its own), and
 * `logicalSessionTimeoutMinutes` set (so sessions work and an explicit transaction reaches the
 * server, which refuses it as a standalone does). No `topologyVersion`: the driver then polls
 * with plain `hello` instead of streaming awaitable ones.
 */
import type { Document } from 'bson';
import { errors } from '../errors.js';
import type { CommandContext, CommandHandler } from './context.js';

const VERSION = '7.0.0';
/** MongoDB 7.0; driver 7.x accepts 9 (4.4) to 29. */
const MAX_WIRE_VERSION = 21;

function hello(cmd: Document, ctx: CommandContext): Document {
  const legacy = cmd.isMaster !== undefined || cmd.ismaster !== undefined;
  return {
    ...(cmd.helloOk === true ? { helloOk: true } : {}),
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
}

function buildInfo(): Document {
  return {
    version: VERSION,
    gitVersion: 'dev-mongo',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: 16 * 1024 * 1024,
    storageEngines: ['dev-mongo-memory'],
    modules: [],
    ok: 1,
  };
}

const PARAMETERS: Document = {
  featureCompatibilityVersion: { version: '7.0' },
  authenticationMechanisms: [],
  transactionLifetimeLimitSeconds: 60,
};

function getParameter(cmd: Document): Document {
  const wanted = cmd.getParameter === '*' ? Object.keys(PARAMETERS) : Object.keys(cmd).filter((k) => k in PARAMETERS);
  if (wanted.length === 0) throw errors.invalidOptions('no option found to get');
  return { ...Object.fromEntries(wanted.map((k) => [k, PARAMETERS[k]])), ok: 1 };
}

function listDatabases(cmd: Document, ctx: CommandContext): Document {
  const names = ctx.catalog.databaseNames();
  if (cmd.nameOnly === true) return { databases: names.map((name) => ({ name })), ok: 1 };
  const databases = names.map((name) => ({ name, sizeOnDisk: 0, empty: ctx.catalog.collections(name).length === 0 }));
  return { databases, totalSize: 0, totalSizeMb: 0, ok: 1 };
}

function refuseTransaction(): Document {
  throw errors.transactionsUnsupported();
}

const ok = (): Document => ({ ok: 1 });

/** Handshake, diagnostics and session commands. */
export const adminCommands: Record<string, CommandHandler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping: ok,
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  listDatabases,
  endSessions: ok,
  killSessions: ok,
  killAllSessions: ok,
  refreshSessions: ok,
  abortTransaction: refuseTransaction,
  commitTransaction: refuseTransaction,
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  whatsmyuri: () => ({ you: '127.0.0.1', ok: 1 }),
  getCmdLineOpts: () => ({ argv: ['dev-mongo'], parsed: {}, ok: 1 }),
  dropDatabase: (_cmd, ctx) => {
    ctx.catalog.dropDatabase(ctx.db);
    return { dropped: ctx.db, ok: 1 };
  },
};
