import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldKey, keyOfField } from '../../src/store/map-keys.js';

describe('map keys', () => {
  it('GIVEN any weapon name or player id THEN its field key is a safe MongoDB field name that decodes back to it', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.constantFrom('', '.', '$x', 'a.b', '123', '%41', '__proto__', 'AK-SU', "Woodcutter's Axe")), (name) => {
      const field = fieldKey(name);
      expect(field).not.toMatch(/[.\0]|^\$|^\d+$|^$/);
      expect(keyOfField(field)).toBe(name);
    }), { numRuns: 2000 });
  });

  it('GIVEN ordinary names THEN they are their own field names', () => {
    for (const name of ['IZH-43', 'Sawed-Off Shotgun', '0002a1b2c3d4e5f60718293a4b5c6d7e']) expect(fieldKey(name)).toBe(name);
  });
});
