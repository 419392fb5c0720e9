// Module-level copies: under jest's vm context every `Math.x` is a slow global lookup, and these
// run millions of times for a large fleet.
const { imul, floor } = Math;

/** A deterministic random source: the same seed gives the same demo fleet on every machine. */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** Uniform real in [min, max). */
  between(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Shuffles in place (Fisher–Yates) and returns the array. */
  shuffle<T>(items: T[]): T[];
  /** A version-4-shaped GUID, lower case. */
  uuid(): string;
  /** `length` characters drawn from `alphabet`. */
  chars(alphabet: string, length: number): string;
}

/**
 * mulberry32: tiny, fast and good enough for test data. Not `Math.random`, so fleets are
 * reproducible, and not crypto, because nothing here is secret.
 */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => nextUint32() / 4294967296;
  const int = (min: number, max: number): number => min + floor(next() * (max - min + 1));
  // Byte table, not Number#toString(16): the latter is slow for values above 2^31.
  const hex8 = (): string => {
    const x = nextUint32();
    return (
      (HEX_BYTES[x >>> 24] as string) +
      HEX_BYTES[(x >>> 16) & 255] +
      HEX_BYTES[(x >>> 8) & 255] +
      HEX_BYTES[x & 255]
    );
  };
  return {
    next,
    int,
    between: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[floor(next() * items.length)] as T;
    },
    shuffle: <T>(items: T[]): T[] => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = floor(next() * (i + 1));
        [items[i], items[j]] = [items[j] as T, items[i] as T];
      }
      return items;
    },
    uuid: () => {
      const a = hex8();
      const b = hex8();
      const c = hex8();
      const d = hex8();
      const variant = '89ab'[floor(next() * 4)];
      return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
    },
    chars: (alphabet, length) => {
      let s = '';
      for (let i = 0; i < length; i++) s += alphabet[floor(next() * alphabet.length)];
      return s;
    },
  };
}

const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
