import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDeathLog, type DeathEvent } from '../../parsers/index.js';
import { embedSize, EMBED_LIMITS } from '../../src/discord/format/index.js';
import { backlogSummary, COLOURS, escapeName, renderDeath } from '../../src/feeds/render/index.js';
import { realDeathLogs } from '../helpers/fixtures.js';
import { asRead, unescapedMarkdown } from './render-text.js';

const KILLER = '0002aaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const VICTIM = '0002bbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const AT = Date.parse('2025-05-15T20:14:07Z');
const ctx = { serverName: 'EU #1 PvP', killerStreak: null };

function death(over: Partial<DeathEvent>): DeathEvent {
  return {
    kind: 'kill', time: AT, killerName: 'Fatalben0', killerId: KILLER, victimName: 'Rogue731', victimId: VICTIM,
    weapon: 'MR5', distance: 20, line: 1, ...over,
  };
}

function suicide(weapon: string, suicideCause: NonNullable<DeathEvent['suicideCause']>): DeathEvent {
  return death({ kind: 'suicide', suicideCause, killerName: 'Rogue731', killerId: VICTIM, weapon, distance: 0 });
}

function fieldsOf(event: DeathEvent, killerStreak: number | null = null): Record<string, string> {
  const embed = renderDeath(event, { ...ctx, killerStreak });
  return Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value]));
}

describe('killfeed: PvP kills', () => {
  it('GIVEN a 9-field kill THEN a member reads killer and victim with platforms, weapon, distance, streak, server and time', () => {
    const embed = renderDeath(death({ killerPlatform: 'PS5', victimPlatform: 'XSX' }), { ...ctx, killerStreak: 3 });
    expect(asRead(embed.description ?? '')).toBe('Fatalben0 (PS5) killed Rogue731 (Xbox)');
    expect(embed.title).toBe('Kill');
    expect(fieldsOf(death({}), 3)).toEqual({ Weapon: 'MR5', Distance: '20 m', Streak: '3' });
    expect(embed.footer?.text).toBe('EU #1 PvP');
    expect(embed.timestamp).toBe('2025-05-15T20:14:07.000Z');
    expect(embed.color).toBe(COLOURS.kill);
  });

  it('GIVEN a 7-field kill and no known streak THEN no platform and no streak are made up', () => {
    const embed = renderDeath(death({}), ctx);
    expect(asRead(embed.description ?? '')).toBe('Fatalben0 killed Rogue731');
    expect(fieldsOf(death({}))).toEqual({ Weapon: 'MR5', Distance: '20 m' });
  });

  it('GIVEN kills at 299 m and 300 m THEN only the 300 m one is a long shot, in its own colour', () => {
    expect(renderDeath(death({ distance: 299 }), ctx).title).toBe('Kill');
    const long = renderDeath(death({ distance: 374, weapon: 'M99' }), ctx);
    expect(long.title).toBe('Long shot: 374 m');
    expect(long.color).toBe(COLOURS.longShot);
  });

  it('GIVEN streaks of 4, 5, 6, 10 and 20 THEN 5, 10 and 20 are milestones and the others plain kills', () => {
    const titles = [4, 5, 6, 10, 20].map((s) => renderDeath(death({}), { ...ctx, killerStreak: s }).title);
    expect(titles).toEqual(['Kill', '5 kills in a row', 'Kill', '10 kills in a row', '20 kills in a row']);
    expect(renderDeath(death({ distance: 310 }), { ...ctx, killerStreak: 15 }).title).toBe('Long shot: 310 m · 15 kills in a row');
  });

  it('GIVEN vehicle kills THEN they read as being run over, not as a weapon called land_vehicle', () => {
    expect(asRead(renderDeath(death({ weapon: 'land_vehicle' }), ctx).description ?? '')).toBe('Fatalben0 ran over Rogue731 with a vehicle');
    expect(asRead(renderDeath(death({ weapon: 'boat' }), ctx).description ?? '')).toBe('Fatalben0 ran down Rogue731 with a boat');
    expect(fieldsOf(death({ weapon: 'land_vehicle' })).Weapon).toBe('A vehicle');
    expect(renderDeath(death({ weapon: 'boat' }), ctx).color).toBe(COLOURS.vehicle);
  });
});

describe('killfeed: suicides and environment deaths', () => {
  it('GIVEN a relocation, a fall and explosive and other suicides THEN each has its own wording and no kill fields', () => {
    const read = (e: DeathEvent): string => asRead(renderDeath(e, ctx).description ?? '');
    expect(read(suicide('suicide_by_relocation', 'relocation'))).toBe('Rogue731 relocated');
    expect(read(suicide('falling', 'fall'))).toBe('Rogue731 fell to their death');
    expect(read(suicide('R-5', 'other'))).toBe('Rogue731 blew themselves up with R-5');
    expect(read(suicide('Dynamite', 'other'))).toBe('Rogue731 blew themselves up with Dynamite');
    expect(read(suicide('Folding Knife', 'other'))).toBe('Rogue731 killed themselves with Folding Knife');
    expect(renderDeath(suicide('falling', 'fall'), ctx).fields).toBeUndefined();
    expect(renderDeath(suicide('suicide_by_relocation', 'relocation'), ctx).title).toBe('Relocated');
  });

  it('GIVEN an environment death (no killer) THEN the victim died with no one named as killer', () => {
    const embed = renderDeath(death({ kind: 'environment', killerName: '', killerId: '', weapon: '', distance: 1, victimPlatform: 'PS5' }), ctx);
    expect(asRead(embed.description ?? '')).toBe('Rogue731 (PS5) died with no one to blame');
    expect(embed.color).toBe(COLOURS.environment);
    expect(embed.fields).toBeUndefined();
  });
});

describe('killfeed: names that look like markdown', () => {
  const odd = ['**Bold**', '_under_score_', '~~gone~~', '||spoiler||', '`tick` ```block```', '> quote', 'a|b~c', '<@&123456789012345678>', '# Heading', '[x](https://e.x)', 'back\\slash', 'Ünïcødé 🔥 名前', 'Name With Spaces'];

  it.each(odd)('GIVEN the name %j THEN it reads exactly as typed and formats nothing', (name) => {
    const escaped = escapeName(name);
    expect(asRead(escaped)).toBe(name);
    expect(unescapedMarkdown(escaped)).toEqual([]);
    const embed = renderDeath(death({ killerName: name, victimName: name }), ctx);
    expect(asRead(embed.description ?? '')).toBe(`${name} killed ${name}`);
  });

  it('GIVEN any name of markdown characters, letters and emoji THEN it reads back exactly as typed, nothing left to format', () => {
    const unit = fc.oneof(fc.constantFrom('*', '_', '~', '|', '`', '<', '>', '[', ']', '(', ')', '\\', '#', '-', ' ', '@', ':', '/'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));
    // Within the 64 characters a name keeps (a longer one is cut, tested below).
    fc.assert(fc.property(fc.string({ unit, maxLength: 40 }).filter((n) => n.trim().length <= 64), (name) => {
      const escaped = escapeName(name);
      expect(unescapedMarkdown(escaped)).toEqual([]);
      expect(asRead(escaped)).toBe(name.trim() === '' ? 'Unknown player' : name.trim());
    }), { numRuns: 2_000 });
  });

  it('GIVEN a 300-character name with emoji THEN the embed stays within Discord\'s limits and still names the weapon', () => {
    const long = `${'🔥*'.repeat(100)}${'x'.repeat(100)}`;
    const embed = renderDeath(death({ killerName: long, victimName: long, weapon: long }), { ...ctx, serverName: long.repeat(10), killerStreak: 10 });
    expect(embedSize(embed)).toBeLessThanOrEqual(EMBED_LIMITS.total);
    expect((embed.description ?? '').length).toBeLessThanOrEqual(EMBED_LIMITS.description);
    expect(embed.fields?.map((f) => f.name)).toEqual(['Weapon', 'Distance', 'Streak']);
    expect(asRead(embed.description ?? '')).toMatch(/^🔥\*🔥\*.*… killed 🔥\*.*…$/u);
  });

  it('GIVEN an empty victim name THEN the feed says "Unknown player" rather than an empty bold', () => {
    expect(asRead(renderDeath(death({ victimName: ' ' }), ctx).description ?? '')).toBe('Fatalben0 killed Unknown player');
  });
});

describe('killfeed: every real row', () => {
  it('GIVEN the four real death logs THEN every row renders within limits with the wording of its kind', () => {
    const counts = { kill: 0, relocated: 0, fell: 0, suicide: 0, died: 0 };
    for (const file of realDeathLogs()) {
      for (const event of parseDeathLog(file.name, file.bytes, { final: true }).events) {
        const embed = renderDeath(event, { serverName: 'Fixture', killerStreak: 1 });
        expect(embedSize(embed)).toBeLessThanOrEqual(EMBED_LIMITS.total);
        const text = asRead(embed.description ?? '');
        if (/ (killed|ran over|ran down) /.test(text) && event.kind === 'kill') counts.kill += 1;
        else if (text.endsWith(' relocated')) counts.relocated += 1;
        else if (text.endsWith(' fell to their death')) counts.fell += 1;
        else if (/ (blew themselves up|killed themselves) with /.test(text)) counts.suicide += 1;
        else if (text.endsWith(' died with no one to blame')) counts.died += 1;
      }
    }
    // SOURCES.md: PvP kills 1,549, environment deaths 5, suicides 576 (relocations 448, falls 111).
    expect(counts).toEqual({ kill: 1549, relocated: 448, fell: 111, suicide: 576 - 448 - 111, died: 5 });
  });
});

describe('backlog summary', () => {
  it('GIVEN a channel that fell behind THEN one line says how much was skipped since when', () => {
    expect(backlogSummary({ deaths: 37, announcements: 0 }, AT)).toBe('+37 more kills since 20:14 UTC');
    expect(backlogSummary({ deaths: 1, announcements: 4 }, AT)).toBe('+1 more kill and 4 server notices since 20:14 UTC');
    expect(backlogSummary({ deaths: 0, announcements: 1 }, AT)).toBe('+1 more server notice since 20:14 UTC');
    expect(backlogSummary({ deaths: 12_345, announcements: 0 }, AT)).toBe('+12,345 more kills since 20:14 UTC');
  });
});
