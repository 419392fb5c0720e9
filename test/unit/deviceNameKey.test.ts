import fc from 'fast-check';
import { deviceNameKey } from '../../src/compliance/deviceNameKey';

describe('deviceNameKey', () => {
  it('ignores apostrophe style, Unicode form, case and spacing', () => {
    expect(deviceNameKey('Zo\u00eb\u2019s  MacBook Pro ')).toBe(deviceNameKey("zoe\u0308's macbook pro"));
    expect(deviceNameKey('O\u2018Connor`s Mac')).toBe("o'connor's mac");
  });

  it('keeps names that differ in letters apart', () => {
    expect(deviceNameKey('Zoë’s Mac')).not.toBe(deviceNameKey('Zoe’s Mac'));
    expect(deviceNameKey('MacBook Pro')).not.toBe(deviceNameKey('MacBook Pro 2'));
  });

  it('a missing or blank name has an empty key', () => {
    expect(deviceNameKey(null)).toBe('');
    expect(deviceNameKey(undefined)).toBe('');
    expect(deviceNameKey(' \t ')).toBe('');
  });

  it('gives plain ASCII names (the fast path) the same key as the full Unicode treatment', () => {
    const full = (n: string) =>
      n
        .normalize('NFKC')
        .replace(/[\u2018\u2019\u02bc\u00b4\u0060]/g, "'")
        .replace(/\s+/g, ' ')
        .trim()
        .toLowerCase();
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii' }), (n) => deviceNameKey(n) === full(n)),
      { numRuns: 2_000 },
    );
    expect(deviceNameKey('O`Connor  Mac')).toBe("o'connor mac");
  });
});
