import type { StoreUnavailableReason } from '../errors';

/** Socket errors of a connection that could not be made or was cut. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs that mean the server cannot serve right now: class 08 (connection
 * exception), 57P01–57P03 (terminated by an administrator, crash shutdown, starting up or
 * shutting down), 53300 (too many connections); 25006 (a read-only transaction: a standby
 * after failover) and 53100 (disk full).
 */
function pgReason(code: string): StoreUnavailableReason | null {
  if (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code)) return 'unreachable';
  if (code === '25006') return 'read_only';
  if (code === '53100') return 'full';
  return null;
}

/** node-postgres's own messages for a connection that ended or never came (no code). */
const PG_CONNECTION_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/;

/**
 * Whether a driver error means the database is unavailable (and why), rather than a bug or bad
 * data: better-sqlite3's `SQLITE_*` codes, PostgreSQL's SQLSTATEs, socket errors and
 * node-postgres's connection messages. Null for anything else (a constraint, a syntax error).
 */
export function storeUnavailableReason(err: unknown): StoreUnavailableReason | null {
  // Read by shape, not `instanceof Error`: a native driver's error class may come from another
  // realm (better-sqlite3 loaded once, shared by jest's module contexts).
  if (typeof err !== 'object' || err === null) return null;
  const { code, message, errors } = err as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_READONLY')) return 'read_only';
    if (code === 'SQLITE_FULL') return 'full';
    if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) return 'unreachable';
    if (NETWORK_CODES.has(code)) return 'unreachable';
    if (/^[0-9A-Z]{5}$/.test(code)) {
      const reason = pgReason(code);
      if (reason) return reason;
    }
  }
  if (typeof message === 'string' && PG_CONNECTION_MESSAGE.test(message)) return 'unreachable';
  // Node's connect to several addresses fails with an AggregateError of socket errors.
  if (Array.isArray(errors)) return errors.some((e) => storeUnavailableReason(e)) ? 'unreachable' : null;
  return null;
}
