import { createHash } from 'node:crypto';

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * JSON with object keys sorted at every level: the same value gives the same text whatever key
 * order it was built (or read back from PostgreSQL's jsonb) in. Written out by hand — the text
 * `JSON.stringify` with a key-sorting replacer gives, without copying every object on the way
 * (hashing a re-joined Mac was most of a webhook refresh's join).
 */
export function stableJson(value: unknown): string {
  return write(value, '') ?? 'null';
}

/** An array index as a property key ("0", "17"; not "01" or "4294967295"). */
const isIndex = (k: string): boolean => {
  const n = Number(k) >>> 0;
  return String(n) === k && n !== 4294967295;
};

/**
 * Keys in the order the sorting replacer's rebuilt object has them: JavaScript puts index-like
 * keys first in numeric order (as `Object.keys` already gives them), then the rest as sorted.
 */
function sortedKeys(o: Record<string, unknown>): string[] {
  const keys = Object.keys(o);
  let indexes = 0;
  while (indexes < keys.length && isIndex(keys[indexes] as string)) indexes++;
  if (indexes === 0) return keys.sort(byCodeUnit);
  return [...keys.slice(0, indexes), ...keys.slice(indexes).sort(byCodeUnit)];
}

/** The JSON text of `v` (under `key`, for `toJSON`), or undefined where JSON leaves a value out. */
function write(v: unknown, key: string): string | undefined {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function')
    v = (v as { toJSON: (key: string) => unknown }).toJSON(key);
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(v);
    case 'bigint':
      return JSON.stringify(v); // throws, as JSON.stringify does
    case 'object': {
      if (v === null) return 'null';
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) out += (i > 0 ? ',' : '') + (write(v[i], String(i)) ?? 'null');
        return `${out}]`;
      }
      const o = v as Record<string, unknown>;
      let out = '{';
      let first = true;
      for (const k of sortedKeys(o)) {
        const text = write(o[k], k);
        if (text === undefined) continue;
        out += `${first ? '' : ','}${JSON.stringify(k)}:${text}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      return undefined; // undefined, functions, symbols
  }
}

/** SHA-1 of `stableJson(value)`, hex: a row's hash, so an incremental sync rewrites only rows that changed. */
export function stableHash(value: unknown): string {
  return createHash('sha1').update(stableJson(value)).digest('hex');
}
