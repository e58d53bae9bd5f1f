import { ObjectId, type UpdateFilter } from 'mongodb';
import { isPollSeconds, POLL_SECONDS_EXPECTED } from '../../config/poll-interval.js';
import type { StoreContext } from './context.js';
import { SftpCredentials } from './credentials.js';
import type { ServerDoc } from './documents.js';
import { StoreInputError } from './errors.js';
import { SourceErrors } from '../sources/errors.js';
import { openSecret, sealSecret, type SealedSecret } from './secrets.js';
import { isDuplicateKey, requireInteger, requireText } from './validate.js';

/** A game server as anyone may see it: no credential, only whether one is set. */
export interface GameServer {
  id: string;
  guildId: string;
  name: string;
  host: string;
  port: number;
  username: string;
  paths: { deathLogs?: string; serverLog?: string };
  /** The server's own interval between reads; null: POLL_INTERVAL_SECONDS. */
  pollSeconds: number | null;
  enabled: boolean;
  /** Set for a server read from a local folder instead of SFTP (then host and username are empty). */
  localPath: string | null;
  hostKey: string | null;
  legacyAlgorithms: boolean;
  hasPassword: boolean;
  hasPrivateKey: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * What an admin gives to add a server: SFTP host, user and at least one of `password` and
 * `privateKey`; or, for a server whose files are on the bot's own machine, only `localPath`.
 */
export interface NewGameServer {
  name: string;
  host?: string;
  port?: number;
  username?: string;
  localPath?: string;
  hostKey?: string;
  legacyAlgorithms?: boolean;
  password?: string;
  privateKey?: string;
  passphrase?: string;
  paths?: { deathLogs?: string; serverLog?: string };
  /** Leave out to read at POLL_INTERVAL_SECONDS. */
  pollSeconds?: number;
  enabled?: boolean;
}

/**
 * Changes to a server; `pollSeconds: null` drops its own interval (back to POLL_INTERVAL_SECONDS),
 * `hostKey: null` forgets the pinned host key (the next connection trusts the key it is shown).
 */
export type GameServerPatch = Partial<Omit<NewGameServer, 'name' | 'pollSeconds' | 'hostKey'>> & { name?: string; pollSeconds?: number | null; hostKey?: string | null };

/** The game servers of one guild. Every filter carries the guild id. */
export interface ServersRepo {
  add(input: NewGameServer): Promise<GameServer>;
  list(): Promise<GameServer[]>;
  get(serverId: string): Promise<GameServer | null>;
  findByName(name: string): Promise<GameServer | null>;
  update(serverId: string, patch: GameServerPatch): Promise<GameServer>;
  /**
   * A new SFTP login in place of the old one: address and secrets as given, every secret left out
   * removed (an old password kept beside a new key would be tried first, and could hide a broken
   * key), and the host key pin forgotten (whoever types the login again trusts the key shown now).
   */
  setLogin(serverId: string, login: SftpLogin): Promise<GameServer>;
  /** Removes the server with its stats, cursors and online list. False when the guild has no such server. */
  remove(serverId: string): Promise<boolean>;
  /** Decrypted login secrets, for the SFTP layer only. */
  credentials(serverId: string): Promise<SftpCredentials>;
}

/** A whole SFTP login, as the login form gives it: at least one of `password` and `privateKey`. */
export type SftpLogin = Required<Pick<NewGameServer, 'host' | 'port' | 'username'>> & Pick<NewGameServer, 'password' | 'privateKey' | 'passphrase'>;

const SECRET_FIELDS = ['password', 'privateKey', 'passphrase'] as const;

export function createServersRepo(ctx: StoreContext, guildId: string): ServersRepo {
  const { servers, stats, ingest, online, pendingParts, outbox } = ctx.collections;
  const mustGet = async (serverId: string): Promise<ServerDoc> => {
    const doc = await servers.findOne({ _id: serverId, guildId });
    if (!doc) throw new StoreInputError('No game server with that id in this Discord server.');
    return doc;
  };
  return {
    async add(input) {
      const id = new ObjectId().toHexString();
      const now = new Date();
      const local = input.localPath === undefined ? undefined : localFolder(input.localPath);
      const doc: ServerDoc = {
        _id: id, guildId, ...identity(input),
        sftp: local ? { host: '', port: 22, username: '' } : { ...address({ ...input, host: input.host ?? '', username: input.username ?? '' }), ...sealAll(ctx, id, input), ...sftpExtras(input) },
        ...(local ? { localPath: local } : {}),
        paths: input.paths ?? {}, ...(input.pollSeconds === undefined ? {} : { pollSeconds: pollSeconds(input.pollSeconds) }), enabled: input.enabled ?? true,
        createdAt: now, updatedAt: now,
      };
      if (!local && !doc.sftp.password && !doc.sftp.privateKey) throw new StoreInputError('Give a password or a private key for the SFTP login.');
      await insertUnique(() => servers.insertOne(doc), doc.name);
      return toGameServer(doc);
    },
    async list() {
      return (await servers.find({ guildId }).sort({ nameKey: 1 }).toArray()).map(toGameServer);
    },
    async get(serverId) {
      const doc = await servers.findOne({ _id: serverId, guildId });
      return doc ? toGameServer(doc) : null;
    },
    async findByName(name) {
      const doc = await servers.findOne({ guildId, nameKey: name.trim().toLowerCase() });
      return doc ? toGameServer(doc) : null;
    },
    async update(serverId, patch) {
      const current = await mustGet(serverId);
      const set = patchFields(ctx, current, patch);
      const updated = await insertUnique(() => servers.findOneAndUpdate({ _id: serverId, guildId }, set, { returnDocument: 'after' }), patch.name ?? current.name);
      if (!updated) throw new StoreInputError('No game server with that id in this Discord server.');
      return toGameServer(updated);
    },
    async setLogin(serverId, login) {
      const current = await mustGet(serverId);
      if (current.localPath !== undefined) throw new StoreInputError(`**${current.name}** is read from a folder on the bot's machine: it has no login.`);
      const sftp = address(login);
      const sealed = sealAll(ctx, serverId, login);
      if (!sealed.password && !sealed.privateKey) throw new StoreInputError('Give a password or a private key for the SFTP login.');
      const set: Record<string, unknown> = { updatedAt: new Date(), 'sftp.host': sftp.host, 'sftp.port': sftp.port, 'sftp.username': sftp.username };
      for (const [field, value] of Object.entries(sealed)) set[`sftp.${field}`] = value;
      const unset: Record<string, ''> = { 'sftp.hostKey': '' };
      for (const field of SECRET_FIELDS) if (!sealed[field]) unset[`sftp.${field}`] = '';
      const updated = await servers.findOneAndUpdate({ _id: serverId, guildId }, { $set: set, $unset: unset }, { returnDocument: 'after' });
      if (!updated) throw new StoreInputError('No game server with that id in this Discord server.');
      return toGameServer(updated);
    },
    async remove(serverId) {
      const gone = await servers.deleteOne({ _id: serverId, guildId });
      if (gone.deletedCount === 0) return false;
      await stats.deleteMany({ guildId, serverId });
      await ingest.deleteOne({ _id: serverId, guildId });
      await pendingParts.deleteMany({ guildId, serverId });
      await online.deleteOne({ _id: serverId, guildId });
      // Feed items still waiting go with their server: its killfeed must not post after it is removed.
      await outbox.deleteMany({ guildId, serverId });
      return true;
    },
    async credentials(serverId) {
      const { sftp } = await mustGet(serverId);
      const open = (s: SealedSecret | undefined): string | undefined => (s ? openSecret(ctx.secretsKey, s, serverId) : undefined);
      try {
        return new SftpCredentials({ password: open(sftp.password), privateKey: open(sftp.privateKey), passphrase: open(sftp.passphrase) });
      } catch (error) {
        // A SECRETS_KEY other than the one the login was sealed with: the source cannot be read until
        // someone acts, and openSecret's words say what to do, so they reach /server test, add and history.
        throw SourceErrors.badConfig(error instanceof Error ? error.message : String(error));
      }
    },
  };
}

function identity(input: { name: string }): { name: string; nameKey: string } {
  const name = requireText(input.name, 'The server name', 64);
  return { name, nameKey: name.toLowerCase() };
}

function address(input: GameServerPatch & { host: string; username: string }): { host: string; port: number; username: string } {
  return {
    host: requireText(input.host, 'The SFTP host', 253),
    port: requireInteger(input.port ?? 22, 'The SFTP port', 1, 65535),
    username: requireText(input.username, 'The SFTP user name', 128),
  };
}

function localFolder(path: string): string {
  const folder = requireText(path, 'The local folder', 1024);
  if (!folder.startsWith('/')) throw new StoreInputError(`The local folder "${folder}" must be an absolute path, like /srv/deadside/Saved.`);
  return folder;
}

/** Host-key pin and algorithm choice; a pin must look like `ssh-keygen -l` prints it. */
function sftpExtras(input: { hostKey?: string | null; legacyAlgorithms?: boolean }): { hostKey?: string; legacyAlgorithms?: boolean } {
  const out: { hostKey?: string; legacyAlgorithms?: boolean } = {};
  if (input.hostKey !== undefined && input.hostKey !== null) {
    if (!/^SHA256:[A-Za-z0-9+/]{43}=?$/.test(input.hostKey)) throw new StoreInputError('The host key must be a SHA-256 fingerprint as `ssh-keygen -l` prints it (SHA256:...).');
    out.hostKey = input.hostKey;
  }
  if (input.legacyAlgorithms !== undefined) out.legacyAlgorithms = input.legacyAlgorithms;
  return out;
}

function pollSeconds(value: number): number {
  if (!isPollSeconds(value)) throw new StoreInputError(`The poll interval ${String(value)} is not allowed: give ${POLL_SECONDS_EXPECTED}, or none to use POLL_INTERVAL_SECONDS.`);
  return value;
}

function sealAll(ctx: StoreContext, serverId: string, input: GameServerPatch): Partial<Record<(typeof SECRET_FIELDS)[number], SealedSecret>> {
  const out: Partial<Record<(typeof SECRET_FIELDS)[number], SealedSecret>> = {};
  for (const field of SECRET_FIELDS) {
    const value = input[field];
    if (typeof value === 'string' && value !== '') out[field] = sealSecret(ctx.secretsKey, value, serverId);
  }
  return out;
}

function patchFields(ctx: StoreContext, current: ServerDoc, patch: GameServerPatch): UpdateFilter<ServerDoc> {
  const set: Record<string, unknown> = { updatedAt: new Date() };
  if (patch.name !== undefined) Object.assign(set, identity({ name: patch.name }));
  if (current.localPath !== undefined || patch.localPath !== undefined) {
    if (patch.localPath !== undefined) set.localPath = localFolder(patch.localPath);
  } else {
    const { host, port, username } = current.sftp;
    const sftp = address({ host, port, username, ...definedOnly(patch) });
    Object.assign(set, { 'sftp.host': sftp.host, 'sftp.port': sftp.port, 'sftp.username': sftp.username });
    for (const [field, sealed] of Object.entries(sealAll(ctx, current._id, patch))) set[`sftp.${field}`] = sealed;
    for (const [field, value] of Object.entries(sftpExtras(patch))) set[`sftp.${field}`] = value;
  }
  if (patch.paths !== undefined) set.paths = patch.paths;
  if (patch.pollSeconds != null) set.pollSeconds = pollSeconds(patch.pollSeconds);
  if (patch.enabled !== undefined) set.enabled = patch.enabled;
  const unset: Record<string, ''> = {};
  if (patch.pollSeconds === null) unset.pollSeconds = '';
  if (patch.hostKey === null) unset['sftp.hostKey'] = '';
  return Object.keys(unset).length > 0 ? { $set: set, $unset: unset } : { $set: set };
}

function definedOnly(patch: GameServerPatch): { host?: string; port?: number; username?: string } {
  const out: { host?: string; port?: number; username?: string } = {};
  if (patch.host !== undefined) out.host = patch.host;
  if (patch.port !== undefined) out.port = patch.port;
  if (patch.username !== undefined) out.username = patch.username;
  return out;
}

async function insertUnique<T>(write: () => Promise<T>, name: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isDuplicateKey(error)) throw new StoreInputError(`A game server named "${name}" already exists here. Pick another name.`);
    throw error;
  }
}

function toGameServer(doc: ServerDoc): GameServer {
  return {
    id: doc._id, guildId: doc.guildId, name: doc.name, host: doc.sftp.host, port: doc.sftp.port,
    username: doc.sftp.username, paths: { ...doc.paths }, pollSeconds: doc.pollSeconds ?? null, enabled: doc.enabled,
    localPath: doc.localPath ?? null, hostKey: doc.sftp.hostKey ?? null, legacyAlgorithms: doc.sftp.legacyAlgorithms ?? false,
    hasPassword: doc.sftp.password !== undefined, hasPrivateKey: doc.sftp.privateKey !== undefined,
    createdAt: doc.createdAt, updatedAt: doc.updatedAt,
  };
}
