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
  // Counters rebuilt each scrape from the watch's own running totals: a server watched again starts
  // from 0, which Prometheus reads as a counter reset, as it should.
  new Counter({
    name: 'killfeed_ingest_rows_total', help: 'Log rows read from a game server since it was watched.', labelNames, registers,
    collect() {
      this.reset();
      for (const s of servers()) this.inc({ server_id: s.serverId }, s.rowsRead);
    },
  });
  new Counter({
    name: 'killfeed_ingest_malformed_rows_total', help: 'Rows of a game server\'s logs that could not be read as events.', labelNames, registers,
    collect() {
      this.reset();
      for (const s of servers()) this.inc({ server_id: s.serverId }, s.malformedRows);
    },
  });
  new Gauge({
    name: 'killfeed_ingest_lag_seconds', help: 'Seconds between the newest event read from a game server and the moment it was read.', labelNames, registers,
    collect() {
      this.reset();
      for (const s of servers()) if (s.lagSeconds !== null) this.set({ server_id: s.serverId }, s.lagSeconds);
    },
  });
  new Gauge({
    name: 'killfeed_ingest_consecutive_failures', help: 'Reads of a game server that failed in a row (0 when the last one worked).', labelNames, registers,
    collect() {
      this.reset();
      for (const s of servers()) this.set({ server_id: s.serverId }, s.consecutiveFailures);
    },
  });
  new Gauge({
    name: 'killfeed_ingest_last_success_timestamp_seconds', help: 'When a game server was last read without error (Unix time).', labelNames, registers,
    collect() {
      this.reset();
      for (const s of servers()) if (s.lastSuccessAt !== null) this.set({ server_id: s.serverId }, Date.parse(s.lastSuccessAt) / 1000);
    },
  });
}
