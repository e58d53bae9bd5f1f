import { EOS_ID, normalizeEosId, type LineRule } from './line-rule.js';
import type {
  BeaconJoinEvent, JoinRequestEvent, JoinSucceededEvent, LeaveCause, LeftEvent, LoggedOutEvent,
  RegisteredEvent,
} from './types.js';

const HEX_ID = /^[0-9A-Fa-f]{8,64}$/;

/** The `key=value` options of a join URL; keys lowercased, the first occurrence wins. */
function readUrlOptions(url: string): Map<string, string> {
  const options = new Map<string, string>();
  // `?` is Unreal's separator; some quoted lines use `&`.
  for (const part of url.split(/[?&]/)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).toLowerCase();
    if (!options.has(key)) options.set(key, part.slice(eq + 1));
  }
  return options;
}

function nonEmpty(value: string | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

// Names are kept as written: Unreal does not percent-encode URL options, so a `%` may be real.
const joinRequest: LineRule<JoinRequestEvent> = {
  kind: 'join-request',
  pattern: /^LogNet: Join request: (.*)$/,
  map(match, at) {
    const options = readUrlOptions(match[1] ?? '');
    const rawId = options.get('eosid') ?? '';
    const eosId = rawId.slice(rawId.lastIndexOf('|') + 1);
    if (!HEX_ID.test(eosId)) return null;
    const platform = nonEmpty(options.get('nativeplatform'))
      ?? nonEmpty(options.get('platformid')?.split(':')[0]);
    const name = nonEmpty(options.get('name')) ?? nonEmpty(options.get('login'));
    return { kind: 'join-request', ...at, eosId: normalizeEosId(eosId), name, platform };
  },
};

const beaconJoin: LineRule<BeaconJoinEvent> = {
  kind: 'beacon-join',
  pattern: new RegExp(`^LogBeacon: Beacon Join \\S+ (?:EOS:)?\\|${EOS_ID}\\b`),
  map: (match, at) => ({ kind: 'beacon-join', ...at, eosId: normalizeEosId(match[1]!) }),
};

const registered: LineRule<RegisteredEvent> = {
  kind: 'registered',
  pattern: new RegExp(`^LogOnline: (?:Warning: )?Player (?:EOS:)?\\|${EOS_ID} successfully registered`),
  map: (match, at) => ({ kind: 'registered', ...at, eosId: normalizeEosId(match[1]!) }),
};

function leftRule(cause: LeaveCause, pattern: RegExp): LineRule<LeftEvent> {
  return { kind: 'left', pattern, map: (match, at) => ({ kind: 'left', ...at, eosId: normalizeEosId(match[1]!), cause }) };
}

const joinSucceeded: LineRule<JoinSucceededEvent> = {
  kind: 'join-succeeded',
  pattern: /^LogNet: Join succeeded: (.*\S)/,
  map: (match, at) => ({ kind: 'join-succeeded', ...at, name: match[1]!.trim() }),
};

// Seen verbatim as `Player ltEOS OLD_PLAYER  has logged out` (two spaces): `ltEOS` is a tag, not the name.
const loggedOut: LineRule<LoggedOutEvent> = {
  kind: 'logged-out',
  pattern: /^LogOnline: (?:Warning: )?Player (?:ltEOS |<EOS> )?(.*?\S) +has logged out by reason: *(.*)$/,
  map: (match, at) => ({ kind: 'logged-out', ...at, name: match[1]!.trim(), reason: match[2]!.trim() }),
};

/** Rules for the player life cycle: queued, online, gone. */
export const playerRules: readonly LineRule[] = [
  joinRequest,
  beaconJoin,
  registered,
  leftRule('channel-closed', new RegExp(`UChannel::Close: Sending CloseBunch.*?UniqueId: EOS:\\|${EOS_ID}`)),
  leftRule('connection-cleanup', new RegExp(`UNetConnection::Close: .*?UniqueId: EOS:\\|${EOS_ID}`)),
  leftRule('timed-out', new RegExp(`Connection TIMED OUT.*?UniqueId: EOS:\\|${EOS_ID}`)),
  leftRule('unregistered', new RegExp(`(?:EOS:)?\\|${EOS_ID} successfully unregistered from the session`)),
  joinSucceeded,
  loggedOut,
];
