import { describe, expect, it } from 'vitest';
import type { DeathEvent } from '../../parsers/index.js';
import { embedSize } from '../../src/discord/format/embed.js';
import { foldSummary, MESSAGE_LIMITS, nextMessage } from '../../src/feeds/message-batch.js';
import { emptyTally } from '../../src/store/batch-tally.js';
import { feedEntries } from '../../src/store/feed-entries.js';
import type { OutboxDoc } from '../../src/store/outbox.js';

const eos = (name: string): string => `0002${Buffer.from(name).toString('hex').padEnd(28, '0').slice(0, 28)}`;
const death = (killer: string, victim: string, line: number, kind: DeathEvent['kind'] = 'kill'): DeathEvent => ({
  kind, time: Date.UTC(2025, 4, 15, 12, 0, line), killerName: killer, killerId: killer === '' ? '' : eos(killer),
  victimName: victim, victimId: eos(victim), weapon: 'AK-mod', distance: 100, line,
});
const doc = (i: number, event: DeathEvent, serverName = 'EU 1', nonce?: string): OutboxDoc => ({
  _id: `s:1:0:${i}`, guildId: 'g', serverId: 's', seq: 1, i, at: 0, purpose: 'killfeed', serverName,
  item: { type: 'death', event, killerStreak: 1 }, ...(nonce === undefined ? {} : { nonce }),
});

/** Every message `nextMessage` makes of `docs`, as the poster would post them one after another. */
function messagesOf(docs: OutboxDoc[]): OutboxDoc[][] {
  const out: OutboxDoc[][] = [];
  for (let rest = docs; rest.length > 0;) {
    const m = nextMessage(rest);
    if (!m || m.docs.length === 0) throw new Error('no progress');
    expect(m.embeds.length).toBeLessThanOrEqual(MESSAGE_LIMITS.embeds);
    expect(m.embeds.reduce((n, e) => n + embedSize(e), 0)).toBeLessThanOrEqual(MESSAGE_LIMITS.characters);
    out.push(m.docs);
    rest = rest.slice(m.docs.length);
  }
  return out;
}

describe('a feed message', () => {
  it('GIVEN 23 plain kills THEN messages of 10, 10 and 3 embeds, in order', () => {
    const docs = Array.from({ length: 23 }, (_, i) => doc(i, death('Hunter', `V${i}`, i)));
    const messages = messagesOf(docs);
    expect(messages.map((m) => m.length)).toEqual([10, 10, 3]);
    expect(messages.flat()).toEqual(docs);
  });

  it('GIVEN kills whose embeds are long (long names) THEN each message stays within 6,000 characters, and every item goes out once in order', () => {
    const long = (c: string): string => c.repeat(250);
    const docs = Array.from({ length: 12 }, (_, i) => doc(i, death(long('K'), `${long('v')}${i}`, i), long('S').repeat(4)));
    const messages = messagesOf(docs);
    expect(messages.length).toBeGreaterThan(2);
    expect(messages.flat()).toEqual(docs);
  });

  it('GIVEN the oldest items claimed with a nonce (a post not confirmed before a crash) THEN exactly those go again, with that nonce', () => {
    const docs = [doc(0, death('A', 'V0', 0), 'EU 1', 'n1'), doc(1, death('A', 'V1', 1), 'EU 1', 'n1'), doc(2, death('A', 'V2', 2))];
    const again = nextMessage(docs);
    expect(again?.nonce).toBe('n1');
    expect(again?.docs.map((d) => d._id)).toEqual(['s:1:0:0', 's:1:0:1']);
    expect(nextMessage(docs.slice(2))?.nonce).toBeNull();
  });

  it('GIVEN folded items, a summary among them THEN the summary counts them all from the oldest time', () => {
    const kills = [doc(0, death('A', 'V0', 5)), doc(1, death('A', 'V1', 9))];
    const earlier: OutboxDoc = { ...doc(2, death('A', 'V2', 0)), item: { type: 'summary', deaths: 30, announcements: 2, since: Date.UTC(2025, 4, 15, 11) } };
    expect(foldSummary([earlier, ...kills])).toEqual({ type: 'summary', deaths: 32, announcements: 2, since: Date.UTC(2025, 4, 15, 11) });
  });
});

describe('the killer\'s streak on a feed item', () => {
  it('GIVEN stored streaks and a batch of kills, deaths and a suicide THEN each kill shows the killer\'s streak after it', () => {
    const tally = emptyTally();
    // As readStreakBases leaves it: Hunter had 4 before this batch.
    tally.players.set(eos('Hunter'), { baseStreak: 4 } as never);
    const drafts = [
      death('Hunter', 'Bob', 1), death('Hunter', 'Carl', 2), death('Bob', 'Hunter', 3),
      death('Hunter', 'Dan', 4), death('', 'Hunter', 5, 'environment'), death('Hunter', 'Eve', 6),
      death('Hunter', 'Hunter', 7, 'suicide'), death('Hunter', 'Fay', 8), death('Bob', 'Gus', 9),
    ].map((event) => ({ purpose: 'killfeed' as const, serverName: 'EU 1', event }));
    const streaks = feedEntries(tally, drafts).map((e) => (e.item.type === 'death' ? e.item.killerStreak : 'x'));
    expect(streaks).toEqual([5, 6, 1, 1, null, 1, null, 1, 2]);
  });
});
