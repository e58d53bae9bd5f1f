import { Counter, Gauge, type Registry } from 'prom-client';
import type { ServerHealth } from '../ingest/health.js';
import { ScrapeSnapshot } from './scrape-snapshot.js';

/**
 * Per game server reading, labelled by server id only (a name can change and repeat; the id is
 * stable). The series are rebuilt from the watched servers at each scrape, so a server no longer
 * watched drops out and the label set stays bounded by the servers watched.
 */
export function registerIngestMetrics(registry: Registry, health: () => readonly ServerHealth[], snapshots: ScrapeSnapshot<unknown>[]): void {
  const registers = [registry];
  const snapshot = new ScrapeSnapshot(health);
  snapshots.push(snapshot);
  const servers = (): readonly ServerHealth[] => snapshot.get();
  const labelNames = ['server_id'] as const;
  /** One series per watched server, set at each scrape from its health (null: no series for that server). */
  const perServer = (Kind: typeof Counter | typeof Gauge, name: string, help: string, value: (s: ServerHealth) => number | null): void => {
    new Kind({
      name, help, labelNames, registers,
      collect(this: Counter<'server_id'> | Gauge<'server_id'>) {
        this.reset();
        for (const s of servers()) {
          const v = value(s);
          if (v === null) continue;
          if (this instanceof Counter) this.inc({ server_id: s.serverId }, v);
          else this.set({ server_id: s.serverId }, v);
        }
      },
    });
  };
  // Counters rebuilt each scrape from the watch's own running totals: a server watched again starts
  // from 0, which Prometheus reads as a counter reset, as it should.
  perServer(Counter, 'killfeed_ingest_rows_total', 'Log rows read from a game server since it was watched.', (s) => s.rowsRead);
  perServer(Counter, 'killfeed_ingest_malformed_rows_total', 'Rows of a game server\'s logs that could not be read as events.', (s) => s.malformedRows);
  perServer(Gauge, 'killfeed_ingest_lag_seconds', 'Seconds between the newest event read from a game server and the moment it was read.', (s) => s.lagSeconds);
  perServer(Gauge, 'killfeed_ingest_consecutive_failures', 'Reads of a game server that failed in a row (0 when the last one worked).', (s) => s.consecutiveFailures);
  perServer(Gauge, 'killfeed_ingest_last_success_timestamp_seconds', 'When a game server was last read without error (Unix time).',
    (s) => (s.lastSuccessAt === null ? null : Date.parse(s.lastSuccessAt) / 1000));
}
