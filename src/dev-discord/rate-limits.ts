/**
 * Rate limits as Discord applies them: fixed windows per route bucket (and per major parameter), the
 * global requests-per-second limit, `X-RateLimit-*` headers, and 429s with `retry_after`.
 */
import { createHash } from 'node:crypto';
import type { Route, RouteLimit } from './routes/route.js';
import type { Clock } from './state.js';

interface Window {
  start: number;
  count: number;
}

/** What the server adds to the answer: headers always, and a 429 body when refused. */
export interface LimitVerdict {
  headers: Record<string, string>;
  refusal?: { status: 429; body: { message: string; retry_after: number; global: boolean } };
}

/** Counts requests on the stand-in's clock. */
export class RateLimits {
  private readonly windows = new Map<string, Window>();
  private global: Window = { start: 0, count: 0 };

  constructor(private readonly clock: Clock, private readonly globalPerSecond: number) {}

  /** Checks and (when allowed) counts one request on `route`. */
  take(route: Route, params: Record<string, string>, body: unknown): LimitVerdict {
    const now = this.clock.now();
    const counted = !route.exemptFromGlobal && route.auth;
    if (counted) {
      if (now - this.global.start >= 1000) this.global = { start: now, count: 0 };
      if (this.global.count >= this.globalPerSecond) return refuse((this.global.start + 1000 - now) / 1000, true, 'global', {});
    }
    const applies = (l: RouteLimit) => !l.onlyWhenBodyHas || l.onlyWhenBodyHas.some((f) => body && typeof body === 'object' && f in body);
    const states = (route.limits ?? []).flatMap((limit, i) => (applies(limit) ? [{ limit, i }] : [])).map(({ limit, i }) => {
      const key = `${route.method} ${route.path} ${i} ${limit.per ? params[limit.per] : ''}`;
      let w = this.windows.get(key);
      if (!w || now - w.start >= limit.windowMs) {
        w = { start: now, count: 0 };
        this.windows.set(key, w);
      }
      return { limit, w, bucket: createHash('sha1').update(`${route.method} ${route.path} ${i}`).digest('hex').slice(0, 32) };
    });
    const headers = (s: (typeof states)[number], remaining: number): Record<string, string> => {
      const resetAfter = (s.w.start + s.limit.windowMs - now) / 1000;
      return {
        'x-ratelimit-limit': String(s.limit.limit), 'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-reset': ((now / 1000) + resetAfter).toFixed(3), 'x-ratelimit-reset-after': resetAfter.toFixed(3),
        'x-ratelimit-bucket': s.bucket,
      };
    };
    // The headers always describe the route's main bucket: a refusal by a sublimit (renames) leaves it
    // with requests to spare, which is how discord.js tells a sublimit from an exhausted bucket.
    const main = states[0];
    const mainHeaders = () => (main ? headers(main, Math.max(0, main.limit.limit - main.w.count)) : {});
    const full = states.find((s) => s.w.count >= s.limit.limit);
    if (full) return refuse((full.w.start + full.limit.windowMs - now) / 1000, false, 'user', mainHeaders());
    for (const s of states) s.w.count += 1;
    if (counted) this.global.count += 1;
    return { headers: mainHeaders() };
  }
}

function refuse(retryAfter: number, global: boolean, scope: string, headers: Record<string, string>): LimitVerdict {
  const seconds = Math.max(0.001, Number(retryAfter.toFixed(3)));
  return {
    headers: { ...headers, 'retry-after': String(Math.ceil(seconds)), 'x-ratelimit-scope': scope, ...(global ? { 'x-ratelimit-global': 'true' } : {}) },
    refusal: { status: 429, body: { message: 'You are being rate limited.', retry_after: seconds, global } },
  };
}
