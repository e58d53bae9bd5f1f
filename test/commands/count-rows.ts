/**
 * The counting rules of docs/deadside-formats.md written out again, plainly, over the CSV text: what
 * the tests expect a player's figures to be, counted from the rows and not read from the store.
 * Deliberately separate from parsers/ so a mistake there cannot hide in both.
 */
export interface Counted {
  id: string;
  name: string;
  kills: number;
  deaths: number;
  suicides: number;
  longest: number;
  best: number;
  current: number;
  weapons: Map<string, number>;
  /** Kills on each victim (EOS id), and deaths by each killer. */
  victims: Map<string, number>;
  killers: Map<string, number>;
}

export interface CountedRows {
  players: Map<string, Counted>;
  rows: number;
  kills: number;
  environment: number;
  suicides: number;
  malformed: number;
}

const TIME = /^\d{4}\.\d\d\.\d\d-\d\d\.\d\d\.\d\d$/;

/** Counts files given in file-name order, rows in line order. */
export function countRows(texts: readonly string[]): CountedRows {
  const out: CountedRows = { players: new Map(), rows: 0, kills: 0, environment: 0, suicides: 0, malformed: 0 };
  const player = (id: string, name: string): Counted => {
    let p = out.players.get(id);
    if (!p) out.players.set(id, (p = { id, name, kills: 0, deaths: 0, suicides: 0, longest: 0, best: 0, current: 0, weapons: new Map(), victims: new Map(), killers: new Map() }));
    p.name = name;
    return p;
  };
  const add = (m: Map<string, number>, k: string): void => { m.set(k, (m.get(k) ?? 0) + 1); };
  for (const text of texts) {
    for (const raw of text.replace(/^\uFEFF/, '').split('\n')) {
      const line = raw.replace(/\r$/, '');
      if (line === '') continue;
      out.rows += 1;
      const f = line.split(';');
      if (f.at(-1) === '') f.pop();
      const [time = '', killerName = '', killerId = '', victimName = '', victimId = '', weapon = '', distance = ''] = f;
      if ((f.length !== 7 && f.length !== 9) || !TIME.test(time) || !/^\d+$/.test(distance) || victimId === '') {
        out.malformed += 1;
        continue;
      }
      const victim = player(victimId, victimName);
      if (killerName === '' && killerId === '') {
        out.environment += 1;
        victim.deaths += 1;
        victim.current = 0;
      } else if (killerId === victimId) {
        out.suicides += 1;
        victim.suicides += 1;
        victim.current = 0;
      } else {
        out.kills += 1;
        const killer = player(killerId, killerName);
        killer.kills += 1;
        killer.current += 1;
        killer.best = Math.max(killer.best, killer.current);
        killer.longest = Math.max(killer.longest, Number(distance));
        add(killer.weapons, weapon);
        add(killer.victims, victimId);
        victim.deaths += 1;
        victim.current = 0;
        add(victim.killers, killerId);
      }
    }
  }
  return out;
}

/** The largest entry; ties go to the smallest key, as the bot breaks them. */
export function most(m: ReadonlyMap<string, number>): [string, number] | null {
  let best: [string, number] | null = null;
  for (const [k, n] of m) if (!best || n > best[1] || (n === best[1] && k < best[0])) best = [k, n];
  return best;
}
