/**
 * `target` with every method call counted in `counts` (by method name): how many requests a sync
 * asked each source for, without each phase keeping its own tally. Retries inside the clients
 * are not counted; a page asked again after a throttle pause is.
 */
export function countCalls<T extends object>(target: T, counts: Record<string, number>): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      const value: unknown = Reflect.get(t, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]): unknown => {
        counts[prop] = (counts[prop] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(t, args);
      };
    },
  });
}
