import { Counter, Gauge, type Registry } from 'prom-client';
import type { Client } from 'discord.js';

/** The slice of the Discord client its metrics read: the REST manager's events and the gateway state. */
export interface DiscordMetricsSource {
  rest: Pick<Client['rest'], 'on' | 'off'>;
  isReady(): boolean;
}

/**
 * Discord REST requests by method and status (429 included), the rate-limit waits discord.js's
 * queue sat out (by scope), and whether the gateway session is ready. Status codes and methods are
 * small closed sets; routes are not used as labels (they carry channel and guild ids).
 * Returns the unsubscribe from the REST events.
 */
export function registerDiscordMetrics(registry: Registry, client: DiscordMetricsSource): () => void {
  const registers = [registry];
  const requests = new Counter({ name: 'killfeed_discord_rest_requests_total', help: 'Responses Discord\'s REST API gave the bot, by method and HTTP status (429: rate limited).', labelNames: ['method', 'status'] as const, registers });
  const limited = new Counter({ name: 'killfeed_discord_rest_rate_limited_total', help: 'Times discord.js held requests back for a rate limit, by scope (user, global, shared).', labelNames: ['scope'] as const, registers });
  for (const scope of ['user', 'global', 'shared']) limited.inc({ scope }, 0);
  new Gauge({ name: 'killfeed_discord_gateway_ready', help: '1 while the Discord gateway session is ready, else 0.', registers, collect() { this.set(client.isReady() ? 1 : 0); } });
  const onResponse = (request: { method: string }, response: { status: number }): void => {
    requests.inc({ method: request.method.toUpperCase(), status: String(response.status) });
  };
  const onLimited = (info: { scope: string }): void => limited.inc({ scope: info.scope });
  client.rest.on('response', onResponse);
  client.rest.on('rateLimited', onLimited);
  return () => {
    client.rest.off('response', onResponse);
    client.rest.off('rateLimited', onLimited);
  };
}
