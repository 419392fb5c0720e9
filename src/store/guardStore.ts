import { StoreUnavailableError, type StoreUnavailableReason } from '../errors';
import type { StoreHealth } from './storeHealth';
import { storeUnavailableReason } from './storeUnavailableReason';

/** What to say about each reason, after the database's name. */
const SAYS: Record<StoreUnavailableReason, string> = {
  unreachable: 'cannot be reached',
  read_only: 'is read-only',
  full: 'is full',
};

/** Turns a driver error into `StoreUnavailableError` when it means an outage; anything else as it was. */
export function toStoreError(err: unknown, database: string): unknown {
  if (err instanceof StoreUnavailableError) return err;
  const reason = storeUnavailableReason(err);
  if (!reason) return err;
  const message = (err as { message?: unknown }).message;
  const detail = typeof message === 'string' ? message : String(err);
  return new StoreUnavailableError(reason, `The database (${database}) ${SAYS[reason]}: ${detail}`, {
    cause: err,
  });
}

/** Not guarded: start-up and shutdown report their own failures (main exits with the message). */
const UNGUARDED = new Set<PropertyKey>(['ready', 'close', 'constructor']);

/**
 * The store as every caller sees it: each method's outage error (a connection refused or cut,
 * `SQLITE_READONLY`, `SQLITE_FULL`, …) becomes one `StoreUnavailableError`, and `health` hears
 * of each failure and success. One wrapper at the boundary, so neither engine's many statements
 * nor their callers need to know the drivers' codes. Synchronous methods stay synchronous.
 */
export function guardStore<T extends object>(store: T, health: StoreHealth, database: string): T {
  // By function, not name: a method replaced later (a test's spy) is wrapped afresh.
  const wrapped = new WeakMap<object, unknown>();
  const fail = (err: unknown): never => {
    const e = toStoreError(err, database);
    if (e instanceof StoreUnavailableError) health.failed(e);
    throw e;
  };
  return new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function' || UNGUARDED.has(key)) return value;
      const method = value as (...args: unknown[]) => unknown;
      let fn = wrapped.get(method);
      if (!fn) {
        fn = (...args: unknown[]): unknown => {
          let result: unknown;
          try {
            result = method.apply(target, args);
          } catch (err) {
            return fail(err);
          }
          // Duck-typed: a promise from another realm (jest's module contexts) is not `instanceof Promise`.
          if (!isThenable(result)) return result;
          return result.then((v: unknown) => {
            health.succeeded();
            return v;
          }, fail);
        };
        wrapped.set(method, fn);
      }
      return fn;
    },
  });
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}
