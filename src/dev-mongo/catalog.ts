/**
 * Every database and collection the server holds, in memory for as long as the server object lives
 * (a pause/resume keeps it, as a restarted mongod keeps its disk).
 */
import { Collection } from './collection.js';
import { errors } from './errors.js';

export class Catalog {
  private readonly databases = new Map<string, Map<string, Collection>>();

  /** The collection, or undefined when it was never written to or created. */
  get(db: string, name: string): Collection | undefined {
    return this.databases.get(db)?.get(name);
  }

  /** The collection, created implicitly as mongod does on the first write or index. */
  ensure(db: string, name: string): Collection {
    assertCollectionName(db, name);
    let colls = this.databases.get(db);
    if (!colls) this.databases.set(db, (colls = new Map()));
    let coll = colls.get(name);
    if (!coll) colls.set(name, (coll = new Collection(db, name)));
    return coll;
  }

  /** Creates explicitly; false when it already exists. */
  create(db: string, name: string): boolean {
    if (this.get(db, name)) return false;
    this.ensure(db, name);
    return true;
  }

  drop(db: string, name: string): boolean {
    const colls = this.databases.get(db);
    const dropped = colls?.delete(name) ?? false;
    if (colls?.size === 0) this.databases.delete(db);
    return dropped;
  }

  dropDatabase(db: string): void {
    this.databases.delete(db);
  }

  collections(db: string): Collection[] {
    return [...(this.databases.get(db)?.values() ?? [])];
  }

  databaseNames(): string[] {
    return [...this.databases.keys()];
  }

  all(): Collection[] {
    return [...this.databases.values()].flatMap((colls) => [...colls.values()]);
  }
}

function assertCollectionName(db: string, name: string): void {
  if (db.length === 0 || /[/\\. "$]/.test(db)) {
    throw errors.invalidNamespace(`Invalid database name: '${db}'`);
  }
  if (typeof name !== 'string' || name.length === 0 || name.includes('$') || name.startsWith('system.')) {
    throw errors.invalidNamespace(`Invalid collection name: ${String(name)}`);
  }
}
