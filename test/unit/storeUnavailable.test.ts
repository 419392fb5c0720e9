import { errorCard } from '../../src/cards/errorCard';
import { StoreUnavailableError, UserInputError } from '../../src/errors';
import { silentLogger, type Logger } from '../../src/log';
import { guardStore, toStoreError } from '../../src/store/guardStore';
import { StoreHealth } from '../../src/store/storeHealth';
import { storeUnavailableReason } from '../../src/store/storeUnavailableReason';
import { cardText } from '../helpers/botHarness';
import { checkCard } from '../helpers/validateCard';

const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

/** A logger that keeps each line's message. */
function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = silentLogger();
  for (const level of ['error', 'warn', 'info'] as const) {
    (logger as unknown as Record<string, unknown>)[level] = (_o: unknown, msg?: string) => {
      lines.push(`${level}: ${msg ?? String(_o)}`);
    };
  }
  return { logger, lines };
}

describe('which driver errors mean the database is unavailable', () => {
  it.each([
    { err: coded('attempt to write a readonly database', 'SQLITE_READONLY'), reason: 'read_only' },
    { err: coded('attempt to write a readonly database', 'SQLITE_READONLY_DIRECTORY'), reason: 'read_only' },
    { err: coded('database or disk is full', 'SQLITE_FULL'), reason: 'full' },
    { err: coded('disk I/O error', 'SQLITE_IOERR_WRITE'), reason: 'unreachable' },
    { err: coded('unable to open database file', 'SQLITE_CANTOPEN'), reason: 'unreachable' },
    { err: coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), reason: 'unreachable' },
    { err: coded('terminating connection due to administrator command', '57P01'), reason: 'unreachable' },
    { err: coded('the database system is starting up', '57P03'), reason: 'unreachable' },
    { err: coded('connection failure', '08006'), reason: 'unreachable' },
    { err: coded('cannot execute INSERT in a read-only transaction', '25006'), reason: 'read_only' },
    { err: coded('could not extend file: No space left on device', '53100'), reason: 'full' },
    { err: new Error('Connection terminated unexpectedly'), reason: 'unreachable' },
    { err: new Error('timeout exceeded when trying to connect'), reason: 'unreachable' },
    {
      err: new AggregateError(
        [coded('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')],
        'connect to every address failed',
      ),
      reason: 'unreachable',
    },
  ])('$err.message → $reason', ({ err, reason }) => {
    expect(storeUnavailableReason(err)).toBe(reason);
  });

  it.each(
    [
      coded('UNIQUE constraint failed: campaigns.id', 'SQLITE_CONSTRAINT_PRIMARYKEY'),
      coded('duplicate key value violates unique constraint', '23505'),
      coded('syntax error at or near "SELEC"', '42601'),
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      'not an error',
    ].map((err) => ({ err, label: err instanceof Error ? err.message : err })),
  )('$label is not an outage', ({ err }) => {
    expect(storeUnavailableReason(err)).toBeNull();
  });

  it('names the database without its password and keeps the driver error as the cause', () => {
    const driver = coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED');
    const e = toStoreError(driver, 'postgres://bot@db.example.com:5432/bot');
    expect(e).toBeInstanceOf(StoreUnavailableError);
    expect((e as StoreUnavailableError).message).toBe(
      'The database (postgres://bot@db.example.com:5432/bot) cannot be reached: connect ECONNREFUSED 127.0.0.1:5432',
    );
    expect((e as Error).cause).toBe(driver);
    const bug = new TypeError('x');
    expect(toStoreError(bug, 'db')).toBe(bug);
  });
});

describe('guardStore', () => {
  const fake = {
    rows: 0,
    async count() {
      return this.rows;
    },
    async write(): Promise<void> {
      throw coded('database or disk is full', 'SQLITE_FULL');
    },
    countNow(): number {
      throw coded('attempt to write a readonly database', 'SQLITE_READONLY');
    },
    async broken(): Promise<void> {
      throw coded('UNIQUE constraint failed', 'SQLITE_CONSTRAINT');
    },
    async ready(): Promise<void> {
      throw coded('connect ECONNREFUSED', 'ECONNREFUSED');
    },
  };

  it('turns outage errors of async and sync methods into StoreUnavailableError; anything else passes', async () => {
    const { logger, lines } = recordingLogger();
    const store = guardStore(fake, new StoreHealth({ logger }), 'SQLite file bot.sqlite');
    fake.rows = 3;
    await expect(store.count()).resolves.toBe(3); // `this` is the store itself
    await expect(store.write()).rejects.toMatchObject({
      name: 'StoreUnavailableError',
      reason: 'full',
      message: 'The database (SQLite file bot.sqlite) is full: database or disk is full',
    });
    expect(() => store.countNow()).toThrow(StoreUnavailableError);
    await expect(store.broken()).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });
    // A method replaced after wrapping (a test's spy) is the one called.
    const original = fake.count;
    fake.count = async () => 42;
    await expect(store.count()).resolves.toBe(42);
    fake.count = original;
    // Start-up reports its own failure (main prints it and exits).
    await expect(store.ready()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(lines).toEqual([
      'error: database unavailable (full): commands answer with the database card, campaigns and jobs wait until it is back',
      'error: database unavailable (read_only): commands answer with the database card, campaigns and jobs wait until it is back',
    ]);
  });
});

describe('StoreHealth (what /readyz says about the database)', () => {
  const unreachable = new StoreUnavailableError('unreachable', 'down');
  const full = new StoreUnavailableError('full', 'full');

  it('logs once when the database goes and once when it is back; a success a second later settles it', () => {
    let now = 0;
    const { logger, lines } = recordingLogger();
    const health = new StoreHealth({ logger, now: () => now });
    health.failed(unreachable);
    health.failed(unreachable);
    health.succeeded(); // a call already under way answered: not yet
    expect(health.state(null)).toBe('ok'); // the probe connected: settled
    expect(lines).toHaveLength(2);
    health.failed(unreachable);
    now += 500;
    health.succeeded();
    expect(lines).toHaveLength(3);
    now += 600;
    health.succeeded();
    expect(lines.map((l) => l.split(':')[0])).toEqual(['error', 'info', 'error', 'info']);
    expect(lines[1]).toBe('info: database available again');
  });

  it('keeps a full or read-only database not ready for the hold after the last failed write', () => {
    let now = 0;
    const health = new StoreHealth({ logger: silentLogger(), holdMs: 1000, now: () => now });
    expect(health.state(full)).toBe('full'); // the probe itself failed
    expect(health.state(null)).toBe('full');
    health.succeeded(); // a read: says nothing about writes
    now += 999;
    expect(health.state(null)).toBe('full');
    now += 1;
    expect(health.state(null)).toBe('ok');
  });
});

describe('the database card', () => {
  it.each([
    ['unreachable', "The bot's database is unavailable right now", 'Try again in a minute'],
    ['read_only', "The bot's database is read-only", 'writable by the bot'],
    ['full', "The bot's database is full", 'more disk space'],
  ] as const)('%s: says so, what to try, and no driver detail', (reason, title, tryThis) => {
    const card = errorCard(
      new StoreUnavailableError(reason, 'The database (postgres://bot@db:5432/bot) x: ECONNREFUSED'),
      'ab12cd34',
    );
    expect(checkCard(card).problems).toEqual([]);
    const text = cardText(card);
    expect(text).toContain(title);
    expect(text).toContain(tryThis);
    expect(text).toContain('Reference: ab12cd34');
    expect(text).not.toMatch(/ECONNREFUSED|postgres:/);
  });

  it('other errors keep their cards', () => {
    expect(cardText(errorCard(new UserInputError('bad'), 'r'))).toContain(
      "I can't do that with what you typed",
    );
  });
});
