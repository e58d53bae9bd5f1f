import fc from 'fast-check';
import { aggregate } from 'mingo';
import type { Document } from 'bson';
import { describe, expect, it } from 'vitest';
import { applyFastPipeline } from '../../src/dev-mongo/pipeline-fast.js';
import { NeedsGeneralPath } from '../../src/dev-mongo/update-fast.js';

// Numbers weigh most: the store's pipelines are arithmetic, and `$add` declines anything else.
const scalar = fc.oneof(
  { arbitrary: fc.integer({ min: -3, max: 3 }), weight: 6 },
  { arbitrary: fc.double({ min: -5, max: 5, noNaN: true }), weight: 2 },
  { arbitrary: fc.constantFrom('a', 'b', '', '$x'), weight: 1 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: fc.constantFrom(new Date(1000), new Date(2000)), weight: 1 },
);
// Mostly present scalars, so that most cases take the fast path; the rest check that it declines.
const fieldValue = fc.oneof(
  { arbitrary: scalar, weight: 8 },
  { arbitrary: fc.array(scalar, { maxLength: 2 }), weight: 1 },
  { arbitrary: fc.record({ x: scalar }, { requiredKeys: [] }), weight: 1 },
);
const doc = fc.record({ n: fieldValue, s: fieldValue, m: fc.record({ x: fieldValue, y: scalar }, { requiredKeys: ['y'] }) }, { requiredKeys: ['n', 's', 'm'] });
const path = fc.oneof({ arbitrary: fc.constantFrom('$n', '$s', '$m.x', '$m.y'), weight: 6 }, fc.constantFrom('$missing', '$m.x.deep'));

const expr: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  leaf: fc.oneof(path, scalar, scalar.map((v) => ({ $literal: v }))),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((a) => ({ $add: a })),
    fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((a) => ({ $max: a })),
    fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((a) => ({ $min: a })),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((a) => ({ $ifNull: a })),
    fc.tuple(tie('node'), tie('node')).map((a) => ({ $eq: a })),
    fc.tuple(tie('node'), tie('node'), tie('node')).map(([c, t, e]) => ({ $cond: [c, t, e] })),
    fc.tuple(tie('node'), tie('node'), tie('node')).map(([c, t, e]) => ({ $cond: { if: c, then: t, else: e } })),
  ),
})).node;
const target = fc.constantFrom('n', 's', 'out', 'm.x', 'm.z', 'fresh.inner');
const stage = fc.dictionary(target, expr, { minKeys: 1, maxKeys: 3 }).map((spec) => ({ $set: spec }));
const pipeline = fc.array(stage, { minLength: 1, maxLength: 2 });

/** What mingo makes of the pipeline, or the error it throws. */
function mingoResult(d: Document, p: Document[]): { doc?: Document; failed?: true } {
  try {
    return { doc: (aggregate([structuredClone(d)], p) as Document[])[0] ?? {} };
  } catch {
    return { failed: true };
  }
}

describe('dev-mongo fast update pipelines', () => {
  it('GIVEN random $set pipelines and documents THEN the result equals mingo\'s, or it declines', () => {
    let handled = 0;
    fc.assert(
      fc.property(pipeline, doc, (p, d) => {
        const before = structuredClone(d);
        let fast: Document;
        try {
          fast = applyFastPipeline(d, p);
        } catch (err) {
          if (err instanceof NeedsGeneralPath) return;
          throw err;
        }
        handled += 1;
        expect(d).toEqual(before); // the stored document is never changed in place
        const reference = mingoResult(d, p);
        expect(reference.failed).toBeUndefined();
        expect(JSON.stringify(fast)).toBe(JSON.stringify(reference.doc));
      }),
      { numRuns: 10_000 },
    );
    // The comparison means something only if the fast path took most cases.
    expect(handled).toBeGreaterThan(1500);
  });

  it('GIVEN the store\'s streak join on a new and on a stored player THEN it computes the joined figures', () => {
    const join = [{ $set: {
      kills: { $add: [{ $ifNull: ['$kills', 0] }, 3] },
      bestStreak: { $max: [{ $ifNull: ['$bestStreak', 0] }, 2, { $add: [{ $ifNull: ['$streak', 0] }, 1] }] },
      streak: { $add: [{ $ifNull: ['$streak', 0] }, 1] },
      'weapons.AK-SU': { $add: [{ $ifNull: ['$weapons.AK-SU', 0] }, 3] },
      name: { $literal: '$Ghost' },
    } }];
    expect(applyFastPipeline({ _id: 'p' }, join)).toEqual({ _id: 'p', kills: 3, bestStreak: 2, streak: 1, weapons: { 'AK-SU': 3 }, name: '$Ghost' });
    expect(applyFastPipeline({ _id: 'p', kills: 4, streak: 5, bestStreak: 5, weapons: { 'AK-SU': 1 } }, join))
      .toEqual({ _id: 'p', kills: 7, streak: 6, bestStreak: 6, weapons: { 'AK-SU': 4 }, name: '$Ghost' });
  });

  it('GIVEN stages or operators it does not handle THEN it declines so mingo decides', () => {
    const declines = (p: Document[], d: Document = {}) => expect(() => applyFastPipeline(d, p)).toThrow(NeedsGeneralPath);
    declines([{ $unset: 'a' }]);
    declines([{ $set: { a: { $concat: ['x', 'y'] } } }]);
    declines([{ $set: { a: '$$ROOT' } }]);
    declines([{ $set: { a: { $eq: ['$missing', null] } } }]);
    declines([{ $set: { a: '$list' } }], { list: [1, 2] });
    declines([{ $set: { 'a.b': 1 } }], { a: 5 });
  });
});
