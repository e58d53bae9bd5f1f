import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from './respond.js';

/** What the Authorization header says about the caller. */
export type Caller = 'admin' | 'anonymous' | 'wrong-token';

/**
 * Compares the bearer token with ADMIN_TOKEN in constant time: both are hashed first, so the
 * comparison runs over equal-length digests and its time says nothing about either length.
 */
export function callerOf(headers: IncomingHttpHeaders, adminToken: string | undefined): Caller {
  const header = headers.authorization;
  if (header === undefined || header === '') return 'anonymous';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1] || adminToken === undefined) return 'wrong-token';
  const given = createHash('sha256').update(match[1]).digest();
  const expected = createHash('sha256').update(adminToken).digest();
  return timingSafeEqual(given, expected) ? 'admin' : 'wrong-token';
}

/** Throws unless the caller is the admin: 403 when no token is configured, 401 when it is missing or wrong. */
export function requireAdmin(caller: Caller, adminToken: string | undefined): void {
  if (adminToken === undefined) throw new HttpError(403, 'Writes are turned off: set ADMIN_TOKEN in the bot\'s environment and restart it to use them.');
  if (caller === 'anonymous') throw new HttpError(401, 'This call needs the admin token: send "Authorization: Bearer <ADMIN_TOKEN>".');
  if (caller !== 'admin') throw new HttpError(401, 'The admin token is wrong: send "Authorization: Bearer <ADMIN_TOKEN>" with the value set in the bot\'s environment.');
}
