import fc from 'fast-check';
import { Query } from 'mingo';
import { describe, expect, it } from 'vitest';
import { compileFastFilter, matchFastFilter } from '../../src/dev-mongo/fast-filter.js';

const scalar = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom('a', 'b', 'c'),
  fc.boolean(),
  fc.constantFrom(new Date(1000), new Date(2000)),
);
const fieldValue = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.constant(null));
const doc = fc.record({ n: fieldValue, s: fieldValue, nested: fc.record({ x: fieldValue }) }, { requiredKeys: [] });
const path = fc.constantFrom('n', 's', 'nested.x', 'missing');
const operator = fc.oneof(
  fc.tuple(fc.constantFrom('$eq', '$ne', '$gt', '$gte', '$lt', '$lte'), scalar).map(([op, v]) => ({ [op]: v })),
  fc.tuple(fc.constantFrom('$in', '$nin'), fc.array(scalar, { maxLength: 3 })).map(([op, v]) => ({ [op]: v })),
);
const filter = fc.dictionary(path, fc.oneof(scalar, operator), { maxKeys: 2 });

describe('dev-mongo fast filter', () => {
  it('GIVEN random scalar filters and documents THEN it decides exactly as mingo does', () => {
    fc.assert(
      fc.property(filter, doc, (f, d) => {
        const fast = compileFastFilter(f);
        expect(fast).toBeDefined();
        const expected = new Query(f).test(d);
        expect(fast?.(d)).toBe(expected);
        expect(matchFastFilter(f, d)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('GIVEN operators it does not handle THEN it declines so mingo decides', () => {
    expect(matchFastFilter({ a: { $exists: true } }, { a: 1 })).toBeUndefined();
    expect(matchFastFilter({ $or: [{ a: 1 }] }, { a: 1 })).toBeUndefined();
    expect(compileFastFilter({ $or: [{ a: 1 }] })).toBeUndefined();
    expect(compileFastFilter({ a: { $exists: true } })).toBeUndefined();
    expect(compileFastFilter({ a: { b: 1 } })).toBeUndefined();
    expect(compileFastFilter({ a: /x/ })).toBeUndefined();
    expect(compileFastFilter({ a: null })).toBeUndefined();
  });
});
