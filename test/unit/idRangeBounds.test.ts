import { idRangeBounds } from '../../src/upstream/jamf/idRangeBounds';

const ids = (n: number, from = 1): string[] => Array.from({ length: n }, (_, i) => String(from + i));

describe('idRangeBounds', () => {
  it('splits 50,000 ids into 5 ranges of 5 whole pages of 2,000', () => {
    expect(idRangeBounds(ids(50_000), 2000, 5)).toEqual(['10000', '20000', '30000', '40000']);
  });

  it('sorts numerically, not as text, and ignores ids that are not numbers', () => {
    const shuffled = [...ids(6, 8), 'x', '100', '99'];
    expect(idRangeBounds(shuffled, 2, 5)).toEqual(['9', '11', '13']);
  });

  it('gives one range (no bounds) for less than two pages', () => {
    expect(idRangeBounds(ids(2000), 2000, 5)).toEqual([]);
    expect(idRangeBounds([], 2000, 5)).toEqual([]);
  });

  it('never uses more ranges than pages', () => {
    expect(idRangeBounds(ids(5000), 2000, 5)).toEqual(['2000', '4000']);
  });
});
