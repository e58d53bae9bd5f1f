/**
 * A batch's weapons by number (the order the batch met them in), so that folding a chunk's weapon
 * kills into thousands of players and player-days is an array add, not a Map lookup by name (with
 * Maps, the lookups were the largest part of folding a history slice on the main thread).
 */
export class WeaponTable {
  readonly names: string[] = [];
  readonly #ids = new Map<string, number>();

  idOf(name: string): number {
    let id = this.#ids.get(name);
    if (id === undefined) {
      this.#ids.set(name, (id = this.names.length));
      this.names.push(name);
    }
    return id;
  }
}

/** One player's (or player-day's) kills per weapon, dense by the batch's weapon numbers. */
export class WeaponCounts {
  #counts: Float64Array;
  /** Weapons with kills. */
  size = 0;

  /** `capacity`: weapon numbers expected (the batch's table so far), so most counts never grow. */
  constructor(capacity = 8) {
    this.#counts = new Float64Array(Math.max(8, capacity));
  }

  /** Adds `n` kills with weapon `id`; true when it is the first for that weapon. */
  add(id: number, n: number): boolean {
    if (id >= this.#counts.length) {
      const grown = new Float64Array(Math.max(2 * this.#counts.length, id + 1));
      grown.set(this.#counts);
      this.#counts = grown;
    }
    const before = this.#counts[id] as number;
    this.#counts[id] = before + n;
    if (before !== 0) return false;
    this.size += 1;
    return true;
  }

  /** Calls `fn` for every weapon with kills, in weapon-number order. */
  forEach(table: WeaponTable, fn: (weapon: string, kills: number) => void): void {
    const counts = this.#counts;
    for (let id = 0; id < counts.length; id += 1) {
      const n = counts[id] as number;
      if (n !== 0) fn(table.names[id] as string, n);
    }
  }
}
