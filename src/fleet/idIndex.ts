/**
 * A multimap from a key to ids, for the fleet's reverse indexes: a key held by one id (most
 * are) keeps the id string itself, only a shared key gets a Set — at 50,000 Macs a Set per key
 * would cost megabytes for nothing.
 */
export class IdIndex {
  private readonly map = new Map<string, string | Set<string>>();

  add(key: string, id: string): void {
    if (key === '') return;
    const held = this.map.get(key);
    if (held === undefined) this.map.set(key, id);
    else if (typeof held === 'string') {
      if (held !== id) this.map.set(key, new Set([held, id]));
    } else held.add(id);
  }

  delete(key: string, id: string): void {
    const held = this.map.get(key);
    if (held === undefined) return;
    if (typeof held === 'string') {
      if (held === id) this.map.delete(key);
      return;
    }
    held.delete(id);
    if (held.size === 1) this.map.set(key, held.values().next().value as string);
  }

  /** The ids under `key` (none for the empty key). */
  get(key: string): Iterable<string> {
    const held = this.map.get(key);
    return held === undefined ? [] : typeof held === 'string' ? [held] : held;
  }
}
