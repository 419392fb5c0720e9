import fc from 'fast-check';
import { sameJson } from '../../src/fleet/sameJson';
import { stableHash } from '../../src/fleet/stableHash';

describe('sameJson', () => {
  it('agrees with stableHash: equal exactly when the hashes are', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(sameJson(a, b)).toBe(stableHash(a) === stableHash(b));
        expect(sameJson(a, structuredClone(a))).toBe(true);
      }),
      { seed: 22, numRuns: 500 },
    );
  });

  it('ignores key order and keys holding undefined; not array order', () => {
    expect(sameJson({ a: 1, b: [1, { c: 2, d: null }] }, { b: [1, { d: null, c: 2 }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: [] }, { a: {} })).toBe(false);
    expect(sameJson('1', 1)).toBe(false);
  });
});
