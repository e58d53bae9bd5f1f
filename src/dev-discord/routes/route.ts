/** The shape of one HTTP route of the stand-in. */

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body (an array for bulk command registration). */
  body: unknown;
}

/** The body as an object ({} when absent or not an object). */
export function fields(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

export interface Reply {
  status: number;
  body?: unknown;
}

/** A per-route rate limit: `limit` requests per `windowMs`, per value of the `per` parameter (Discord's major parameter). */
export interface RouteLimit {
  limit: number;
  windowMs: number;
  per?: string;
  /** A sublimit counted only when the body holds one of these fields (channel renames). */
  onlyWhenBodyHas?: string[];
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** e.g. `/channels/:id/messages`; literal segments match exactly. */
  path: string;
  /** False for callback and webhook routes, which carry no Authorization header. */
  auth: boolean;
  limits?: RouteLimit[];
  /** Not counted in the global limit (interaction callbacks and webhooks, as on Discord). */
  exemptFromGlobal?: boolean;
  handle(c: RouteContext): Reply;
}

/** 200 with a JSON body. */
export const ok = (body: unknown): Reply => ({ status: 200, body });
export const noContent = (): Reply => ({ status: 204 });
