import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DevMessage } from '../../src/dev-discord/types.js';
import type { GameServer, GuildStore } from '../../src/store/index.js';
import { startBotHarness, type BotHarness } from '../discord/harness.js';
import { realDeathLogs } from '../helpers/fixtures.js';
import { countRows, type CountedRows } from './count-rows.js';

/** Made-up players whose names try the bot: spaces, emoji, markdown, other scripts, namesakes, a long one. */
export const ODD = {
  bear: { id: `0002${'b'.repeat(28)}`, name: 'Big Dad 🐻' },
  under: { id: `0002${'c'.repeat(28)}`, name: '_Under_Score_' },
  star: { id: `0002${'d'.repeat(28)}`, name: 'Zoë **Star** `tick`' },
  wide: { id: `0002${'e'.repeat(28)}`, name: 'ｗｉｄｅ　名前 #1' },
  twinA: { id: `0002${'1'.repeat(28)}`, name: 'Twin' },
  twinB: { id: `0002${'2'.repeat(28)}`, name: 'Twin' },
  everyone: { id: `0002${'f'.repeat(28)}`, name: '@everyone' },
  long: { id: `0002${'a'.repeat(28)}`, name: `Long ${'Ω'.repeat(295)}` },
} as const;

type Odd = (typeof ODD)[keyof typeof ODD];

/** Today's day file of the odd names (so `period: day` finds them), rows a minute apart. */
function oddDeathLog(today: string): string {
  const kill = (k: Odd, v: Odd, weapon: string, metres: number) => [k.name, k.id, v.name, v.id, weapon, String(metres), 'PS5', 'XSX'];
  const rows: string[][] = [
    kill(ODD.bear, ODD.under, 'AK-mod', 120),
    kill(ODD.bear, ODD.star, 'AK-mod', 80),
    kill(ODD.under, ODD.bear, 'M99', 300),
    kill(ODD.bear, ODD.under, 'SVD', 45),
    kill(ODD.twinA, ODD.twinB, 'Combat Knife', 2),
    [ODD.star.name, ODD.star.id, ODD.star.name, ODD.star.id, 'falling', '0', 'PS5', 'PS5'],
    ['', '', ODD.wide.name, ODD.wide.id, '', '1', '', 'XSX'],
    kill(ODD.everyone, ODD.bear, 'Dynamite ☢', 12),
    kill(ODD.long, ODD.wide, 'MR5', 33),
    kill(ODD.wide, ODD.long, 'MR5', 34),
  ];
  return rows.map((r, i) => `${today}-00.${String(i).padStart(2, '0')}.00;${r.join(';')};\n`).join('');
}

export interface PlayerWorld {
  h: BotHarness;
  guild: GuildStore;
  /** The four real death logs (symlinked, never copied). */
  fixtures: GameServer;
  /** The odd names, today. */
  odd: GameServer;
  /** A server of the stand-in's second guild. */
  elsewhere: GameServer;
  /** Counted from the rows: the real fixtures, and the odd names. */
  real: CountedRows;
  oddCounts: CountedRows;
  stop(): Promise<void>;
}

function gameFolder(files: { name: string; link?: string; text?: string }[]): string {
  const root = mkdtempSync(join(tmpdir(), 'killfeed-players-'));
  const deaths = join(root, 'Deadside', 'Saved', 'actual1', 'deathlogs', 'world_0');
  mkdirSync(deaths, { recursive: true });
  mkdirSync(join(root, 'Deadside', 'Saved', 'Logs'), { recursive: true });
  writeFileSync(join(root, 'Deadside', 'Saved', 'Logs', 'Deadside.log'), 'Log file open, 05/15/25 09:00:00\n');
  for (const f of files) {
    if (f.link) symlinkSync(f.link, join(deaths, f.name));
    else writeFileSync(join(deaths, f.name), f.text ?? '');
  }
  return root;
}

/**
 * The bot against the Discord stand-in (two guilds), with two paused local-folder game servers in
 * the first guild whose figures come from history runs in the bot: the real fixtures and the odd names.
 */
export async function startPlayerWorld(): Promise<PlayerWorld> {
  const today = new Date().toISOString().slice(0, 10).replaceAll('-', '.');
  const logs = realDeathLogs();
  const oddText = oddDeathLog(today);
  const roots = [gameFolder(logs.map((l) => ({ name: l.name, link: l.path }))), gameFolder([{ name: `${today}-00.00.00.csv`, text: oddText }])];
  const h = await startBotHarness({ discord: { guilds: 2 } });
  const guild = h.app.store.guild(h.guild.id);
  const [fixtures, odd] = [
    await guild.servers.add({ name: 'Fixtures', localPath: roots[0] ?? '', enabled: false }),
    await guild.servers.add({ name: 'Odd Names', localPath: roots[1] ?? '', enabled: false }),
  ];
  for (const server of [fixtures, odd]) await h.app.history.start(guild, server, { fresh: false }).run.result;
  const elsewhere = await h.app.store.guild(h.dev.guilds[1]?.id ?? '').servers.add({ name: 'Elsewhere', localPath: roots[1] ?? '', enabled: false });
  return {
    h, guild, fixtures, odd, elsewhere,
    real: countRows(logs.map((l) => readFileSync(l.path, 'utf8'))),
    oddCounts: countRows([oddText]),
    async stop() {
      await h.stop();
      for (const root of roots) rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface Field { name: string; value: string; inline?: boolean }

/** An embed's fields by name. */
export function fieldsOf(m: DevMessage, embed = 0): Map<string, string> {
  const fields = (m.embeds[embed]?.fields ?? []) as Field[];
  return new Map(fields.map((f) => [f.name, f.value]));
}

/** The answer once the deferred reply was edited into one. */
export const answered = (m: DevMessage): boolean => m.content !== '' || m.embeds.length > 0;
