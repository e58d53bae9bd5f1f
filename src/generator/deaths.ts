import { weightedPicker } from './random.js';

/**
 * What one death looks like on a real server: the mix of outcomes and weapons follows the real
 * fixtures (about 73% PvP kills, 21% relocations, 5% falls, 1% explosive suicides, 0.2% environment
 * deaths), and players have skill so that streaks and leaderboards look real. Shared by the history
 * generator (death-log.ts) and the live server (live-server.ts).
 */
export interface Player { id: string; name: string; platform: string; skill: number }

const WEAPONS: readonly (readonly [string, number])[] = [
  ['IZH-43', 239], ['BB-19', 133], ['MR5', 123], ['AK-SU', 97], ['UAG', 73], ['AK-SM', 73], ['Mosin', 72],
  ['AK-mod', 66], ['Skar', 65], ['AR4-M', 57], ['Mosin-K', 39], ['TTk', 37], ['Scorp', 34], ['UMR45', 33],
  ['Grom', 33], ['IZH-70', 31], ['VSD', 30], ['RPK-mod', 27], ['AR4', 26], ['M99', 23], ['M133', 23],
  ['Sawed-Off Shotgun', 21], ['Fasam', 20], ['land_vehicle', 19], ['PP-3000', 19], ['MS590', 18],
  ['MG-36', 18], ['Folding Knife', 17], ['S85', 15], ['NK417', 11], ['P900', 7], ["Woodcutter's Axe", 5],
  ['Berta M9', 5], ['Fire Axe', 4], ['Combat Knife', 4], ['C1911', 4], ['boat', 1],
];
const EXPLOSIVES = ['F-10', 'R-5', 'Dynamite', 'Stronger Explosive Charge'];
const NAME_PARTS = ['Ghost', 'Wolf', 'Raven', 'Sniper', 'Bear', 'Viper', 'Nomad', 'Frost', 'Hunter', 'Shadow', 'Dusty', 'Rook'];
type Outcome = 'kill' | 'relocation' | 'fall' | 'explosive' | 'environment';
const pickOutcome = weightedPicker<Outcome>([['kill', 727], ['relocation', 210], ['fall', 52], ['explosive', 9], ['environment', 2]]);
const pickWeapon = weightedPicker(WEAPONS);


/**
 * The fields after the timestamp of a row in which `victim` dies, killed by one of `roster` (or by
 * themselves, or the world): killer name and id, victim name and id, weapon, distance, and the two
 * platforms in the 9-field format.
 */
export function deathFields(rand: () => number, roster: readonly Player[], victim: Player, format: 7 | 9): string[] {
  const outcome = roster.length < 2 ? 'relocation' : pickOutcome(rand());
  let killer: Player | null = victim;
  let weapon: string;
  let distance = 0;
  if (outcome === 'kill') {
    killer = pickKiller(rand, roster, victim);
    weapon = pickWeapon(rand());
    distance = Math.floor(rand() ** 3 * (weapon.startsWith('M99') || weapon.startsWith('Mosin') || weapon === 'VSD' ? 800 : 250));
  } else if (outcome === 'environment') {
    killer = null;
    weapon = '';
  } else {
    weapon = outcome === 'relocation' ? 'suicide_by_relocation' : outcome === 'fall' ? 'falling' : (EXPLOSIVES[Math.floor(rand() * EXPLOSIVES.length)] ?? 'F-10');
  }
  const fields = [killer?.name ?? '', killer?.id ?? '', victim.name, victim.id, weapon, String(distance)];
  if (format === 9) fields.push(killer?.platform ?? victim.platform, victim.platform);
  return fields;
}

export function makePlayers(rand: () => number, count: number): Player[] {
  const players: Player[] = [];
  for (let i = 0; i < count; i += 1) {
    const hex = Array.from({ length: 28 }, () => Math.floor(rand() * 16).toString(16)).join('');
    const name = `${pick(rand, NAME_PARTS)}${pick(rand, NAME_PARTS)}${i % 3 === 0 ? '_' : ''}${Math.floor(rand() * 1000)}`;
    players.push({ id: `0002${hex}`, name, platform: rand() < 0.55 ? 'PS5' : 'XSX', skill: rand() ** 2 });
  }
  return players;
}

/** Better players kill more often: draw two and keep the more skilled one. */
export function pickKiller(rand: () => number, roster: readonly Player[], victim: Player): Player {
  for (;;) {
    const a = pick(rand, roster);
    const b = pick(rand, roster);
    const k = a.skill >= b.skill ? a : b;
    if (k.id !== victim.id) return k;
  }
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error('cannot pick from an empty list');
  return item;
}

/** `YYYY.MM.DD-HH.MM.SS` in UTC. */
export function stamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}.${iso.slice(5, 7)}.${iso.slice(8, 10)}-${iso.slice(11, 13)}.${iso.slice(14, 16)}.${iso.slice(17, 19)}`;
}
