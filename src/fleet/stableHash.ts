import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: the same value gives the same text whatever key order it was built (or read back from PostgreSQL's jsonb) in. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** SHA-1 of `stableJson(value)`, hex: a row's hash, so an incremental sync rewrites only rows that changed. */
export function stableHash(value: unknown): string {
  return createHash('sha1').update(stableJson(value)).digest('hex');
}
