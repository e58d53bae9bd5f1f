/**
 * TTL indexes: removes documents whose indexed date is older than `expireAfterSeconds`, as mongod's
 * TTL monitor does (it runs every 60 s; this one runs as often as the server is told).
 */
import type { Catalog } from './catalog.js';
import { pathValues } from './doc-paths.js';

/** One pass over every TTL index; returns how many documents it removed. */
export function sweepExpired(catalog: Catalog, now = Date.now()): number {
  let removed = 0;
  for (const coll of catalog.all()) {
    for (const index of coll.indexes.values()) {
      const ttl = index.spec.expireAfterSeconds;
      // mongod ignores the option on compound indexes.
      if (ttl === undefined || index.fields.length !== 1) continue;
      const field = index.fields[0] as string;
      const cutoff = now - ttl * 1000;
      for (const doc of [...coll.docs.values()]) {
        if (isExpired(pathValues(doc, field), cutoff)) {
          coll.remove(doc);
          removed += 1;
        }
      }
    }
  }
  return removed;
}

/** An array of dates expires with its earliest date; non-dates never expire. */
function isExpired(values: unknown[], cutoff: number): boolean {
  const times = values.filter((v): v is Date => v instanceof Date).map((d) => d.getTime());
  return times.length > 0 && Math.min(...times) <= cutoff;
}
