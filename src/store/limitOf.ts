/** A `LIMIT` from a caller's count: a whole number, never negative. */
export const limitOf = (n: number): number => Math.max(0, Math.floor(n));
