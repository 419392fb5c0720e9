import fc from 'fast-check';
import { stableJson } from '../../src/fleet/stableHash';
import { macRecord } from './complianceFixtures';

/** The definition: JSON.stringify with a replacer that sorts every object's keys. */
const sortedJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  ) ?? 'null';

describe('stableJson', () => {
  it('is JSON.stringify with sorted keys (so stored hashes stay valid)', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: false, withBoxedValues: false, withMap: false, withSet: false }),
        (v) => {
          expect(stableJson(v)).toBe(sortedJson(v));
        },
      ),
      { seed: 22, numRuns: 1000 },
    );
    const record = {
      ...macRecord(),
      extra: { b: undefined, a: [undefined, () => 1, new Date(0)], '\u2028': 'x' },
    };
    expect(stableJson(record)).toBe(sortedJson(record));
  });
});
