import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { ProgressCardPace } from '../../src/broadcasts/progressCardPace';
import { refreshProgressCard } from '../../src/broadcasts/refreshProgressCard';
import type { AdaptiveCard } from '../../src/cards/renderCard';
import type { Campaign } from '../../src/compliance/campaignTypes';
import { createLogger, silentLogger } from '../../src/log';
import { memoryRateLimiters, pgRateLimiters, type LimiterQueryClient } from '../../src/store/rateLimiters';
import { createUserRateLimit } from '../../src/teams/userRateLimit';
import { END_USER, messageActivity } from '../helpers/activities';
import { startBot } from '../helpers/botHarness';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', destination }) };
}

/** A `pg`-like client over a map, in RateLimiterPostgres's table layout; `down` makes it fail. */
function fakeDatabase() {
  const rows = new Map<string, { points: number; expire: number | null }>();
  const db = {
    down: false,
    hang: false,
    rows,
    queries: 0,
    client: {
      async query(q) {
        db.queries++;
        if (db.hang) return new Promise<never>(() => undefined);
        if (db.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        if (!q.text.includes('INSERT INTO')) return { rows: [], rowCount: 0 };
        const [key, points, expire, now] = q.values as [string, number, number | null, number];
        const row = rows.get(key);
        const fresh = !row || (row.expire !== null && row.expire <= now);
        const next = fresh ? { points, expire } : { points: row.points + points, expire: row.expire };
        rows.set(key, next);
        return { rows: [next], rowCount: 1 };
      },
    } satisfies LimiterQueryClient,
  };
  return db;
}

describe('the per-user command limit, counted in a shared database', () => {
  it('counts in the database: two instances on one database limit a user once', async () => {
    const db = fakeDatabase();
    const one = createUserRateLimit({
      commands: 3,
      windowSeconds: 60,
      limiters: pgRateLimiters(db.client, silentLogger()),
    });
    const two = createUserRateLimit({
      commands: 3,
      windowSeconds: 60,
      limiters: pgRateLimiters(db.client, silentLogger()),
    });
    const verdicts = [];
    for (let i = 0; i < 6; i++) verdicts.push((await (i % 2 ? two : one).take('alice')).verdict);
    expect(verdicts).toEqual(['ok', 'ok', 'ok', 'slow-down', 'quiet', 'quiet']);
    expect(db.rows.get('commands:alice')?.points).toBe(6);
  });

  it('fails open when the database fails: the count goes on in memory, with one warning per outage', async () => {
    const db = fakeDatabase();
    const { lines, logger } = capture();
    const limit = createUserRateLimit({
      commands: 3,
      windowSeconds: 60,
      // Asks the database again at once after a failure (the pause has its own test).
      limiters: pgRateLimiters(db.client, logger, { retryAfterMs: 0 }),
    });
    db.down = true;
    const verdicts = [];
    for (let i = 0; i < 5; i++) verdicts.push((await limit.take('bob')).verdict);
    // Not every command refused: this instance's own count applies until the database answers.
    expect(verdicts).toEqual(['ok', 'ok', 'ok', 'slow-down', 'quiet']);
    expect(lines.filter((l) => l.level === 40)).toEqual([
      expect.objectContaining({
        msg: 'shared rate limits: the database did not answer; each instance limits on its own until it does',
      }),
    ]);
    db.down = false;
    expect((await limit.take('carol')).verdict).toBe('ok');
    expect(lines.at(-1)).toMatchObject({ level: 30, msg: 'shared rate limits: the database answers again' });
    db.down = true;
    await limit.take('carol');
    await limit.take('carol');
    expect(lines.filter((l) => l.level === 40)).toHaveLength(2);
  });

  it('does not hold a command for a database that does not answer', async () => {
    const db = fakeDatabase();
    db.hang = true;
    const { lines, logger } = capture();
    const limit = createUserRateLimit({
      commands: 3,
      windowSeconds: 60,
      limiters: pgRateLimiters(db.client, logger, { queryTimeoutMs: 50 }),
    });
    const started = Date.now();
    expect((await limit.take('dave')).verdict).toBe('ok');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(lines.filter((l) => l.level === 40)).toHaveLength(1);
  });

  it('after a failure leaves the database alone for a while: no query per command during an outage', async () => {
    const db = fakeDatabase();
    db.hang = true;
    const limit = createUserRateLimit({
      commands: 3,
      windowSeconds: 60,
      limiters: pgRateLimiters(db.client, silentLogger(), { queryTimeoutMs: 50, retryAfterMs: 300 }),
    });
    await limit.take('erin');
    const asked = db.queries;
    const started = Date.now();
    for (let i = 0; i < 5; i++) await limit.take('erin');
    expect(Date.now() - started).toBeLessThan(50); // answered in memory, nobody waited
    expect(db.queries).toBe(asked);
    db.hang = false;
    await new Promise((r) => setTimeout(r, 350));
    await limit.take('frank');
    expect(db.queries).toBeGreaterThan(asked);
    expect(db.rows.get('commands:frank')?.points).toBe(1);
  });

  it('hands pg its own query_timeout, so a late query gives its connection back', async () => {
    const seen: unknown[] = [];
    const client: LimiterQueryClient = {
      async query(q) {
        seen.push(q.query_timeout);
        return { rows: [{ points: 1, expire: null }], rowCount: 1 };
      },
    };
    await createUserRateLimit({
      commands: 3,
      windowSeconds: 60,
      limiters: pgRateLimiters(client, silentLogger(), { queryTimeoutMs: 1_234 }),
    }).take('gina');
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([1_234]));
  });

  it('keeps the in-memory limiter for one process (SQLite): nothing is written to rate_limits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'limits-'));
    const path = join(dir, 'bot.sqlite');
    const bot = await startBot({ DATABASE_PATH: path, RATE_LIMIT_COMMANDS: '2' }, { size: 20 });
    try {
      const from = {
        ...END_USER,
        teamsId: '29:sqlite-user',
        aadObjectId: '00000000-0000-4000-8000-0000000000a1',
      };
      for (let i = 0; i < 4; i++)
        await bot.post(messageActivity('help', { from, serviceUrl: bot.connector.serviceUrl }));
      expect(bot.connector.sent()).toHaveLength(3); // 2 answers + "slow down"
      const db = new Database(path, { readonly: true });
      try {
        expect(db.prepare('SELECT count(*) AS n FROM rate_limits').get()).toEqual({ n: 0 });
      } finally {
        db.close();
      }
    } finally {
      await bot.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the progress card pace', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-01T10:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  /** Lets the pacers' promise chains run (fake timers do not). */
  const settle = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };

  it('paces two pacers on one store as one: one update per window, the last change shown at its end', async () => {
    // One limiter both pacers count on, as two instances share one database.
    const store = new RateLimiterMemory({ keyPrefix: 'progress-card', points: 1, duration: 3 });
    const updates: { by: string; at: number }[] = [];
    const pacer = (by: string) =>
      new ProgressCardPace({
        everySeconds: 3,
        limiters: () => store,
        update: async () => void updates.push({ by, at: Date.now() }),
        logger: silentLogger(),
      });
    const [one, two] = [pacer('one'), pacer('two')];
    const start = Date.now();
    for (let t = 0; t < 10_000; t += 100) {
      one.changed('c-00000001', false);
      two.changed('c-00000001', false);
      await settle();
      await jest.advanceTimersByTimeAsync(100);
    }
    await jest.advanceTimersByTimeAsync(10_000);
    await settle();
    const times = updates.map((u) => u.at - start);
    // 10 s of changes at a 3 s pace: updates at 0, 3, 6, 9 s and one at 12 s for the last
    // changes; the other pacer's pending retry may add one more, a window later.
    expect(times.slice(0, 5)).toEqual([0, 3000, 6000, 9000, 12000]);
    expect(updates.length).toBeLessThanOrEqual(6);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(3000);
    one.stop();
    two.stop();
  });

  it('shows the end of a campaign at once, then stops pacing it', async () => {
    const updates: number[] = [];
    const pace = new ProgressCardPace({
      everySeconds: 60,
      limiters: memoryRateLimiters,
      update: async () => void updates.push(Date.now()),
      logger: silentLogger(),
    });
    const start = Date.now();
    pace.changed('c-00000002', false);
    await settle();
    pace.changed('c-00000002', false);
    await settle();
    pace.changed('c-00000002', true);
    await settle();
    expect(updates.map((t) => t - start)).toEqual([0, 0]);
    await jest.advanceTimersByTimeAsync(120_000);
    expect(updates).toHaveLength(2);
  });

  it('an update that fails is logged and the pace goes on: the next change is shown', async () => {
    const { lines, logger } = capture();
    const updates: number[] = [];
    let fail = true;
    const pace = new ProgressCardPace({
      everySeconds: 1,
      limiters: memoryRateLimiters,
      update: async () => {
        updates.push(Date.now());
        if (fail) throw new Error('Teams answered 502');
      },
      logger,
    });
    pace.changed('c-00000003', false);
    await settle();
    fail = false;
    await jest.advanceTimersByTimeAsync(1_500);
    pace.changed('c-00000003', false);
    await settle();
    expect(updates).toHaveLength(2);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'could not update the progress card' }));
    // A failing final update does not leave an unhandled rejection behind either.
    fail = true;
    pace.changed('c-00000003', true);
    await settle();
    expect(updates).toHaveLength(3);
    pace.stop();
  });

  it('keeps nothing for a campaign with nothing waiting (one that ended on another instance)', async () => {
    const pace = new ProgressCardPace({
      everySeconds: 1,
      limiters: memoryRateLimiters,
      update: async () => undefined,
      logger: silentLogger(),
    });
    const entries = (pace as unknown as { entries: Map<string, unknown> }).entries;
    pace.changed('c-00000004', false);
    await settle();
    expect(entries.size).toBe(0);
    pace.changed('c-00000004', false); // within the window: a retry waits
    await settle();
    expect(entries.size).toBe(1);
    await jest.advanceTimersByTimeAsync(1_500);
    await settle();
    expect(entries.size).toBe(0);
    pace.stop();
  });

  it('stop: an update in flight schedules nothing after it', async () => {
    const updates: string[] = [];
    let release!: () => void;
    const pace = new ProgressCardPace({
      everySeconds: 1,
      limiters: memoryRateLimiters,
      update: (id) => {
        updates.push(id);
        return new Promise<void>((resolve) => (release = resolve));
      },
      logger: silentLogger(),
    });
    pace.changed('c-00000005', false);
    await settle();
    pace.changed('c-00000005', false); // arrives while the update is in flight: "again"
    pace.stop();
    release();
    await settle();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(updates).toEqual(['c-00000005']);
  });
});

describe('the progress card with two instances', () => {
  const POSTED = { conversationId: '19:admins@thread.tacv2', activityId: 'p1' };
  const cardOf = (c: Campaign) =>
    ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: c.state }] }) as AdaptiveCard;
  const stateOn = (card: AdaptiveCard) => (card.body as { text: string }[])[0]!.text;

  it('a stale "running" card that lands after the final one is replaced by the final card', async () => {
    const campaign = { id: 'c-00000006', state: 'running', progressCard: POSTED } as unknown as Campaign;
    const shown: string[] = [];
    const deps = {
      getCampaign: async () => ({ ...campaign }),
      render: async (c: Campaign) => cardOf(c),
      notifier: {
        updateCard: async (_posted: unknown, card: AdaptiveCard) => {
          // Instance B's "running" is in flight when A finishes the campaign and posts the end.
          if (stateOn(card) === 'running' && campaign.state === 'running') {
            campaign.state = 'done';
            await refreshProgressCard(deps, campaign.id); // instance A
          }
          shown.push(stateOn(card));
        },
      },
    };
    // Instance B's update landed last: B is told the end may be hidden …
    expect(await refreshProgressCard(deps, campaign.id)).toBe(true);
    expect(shown).toEqual(['done', 'running']);
    // … and its card pace updates once more: the end.
    expect(await refreshProgressCard(deps, campaign.id)).toBe(false);
    expect(shown).toEqual(['done', 'running', 'done']);
  });

  it('a campaign that ended while its card was rendered: the end is sent, once', async () => {
    const campaign = { id: 'c-00000009', state: 'running', progressCard: POSTED } as unknown as Campaign;
    const updateCard = jest.fn(async (_posted: unknown, card: AdaptiveCard) => void stateOn(card));
    const hidden = await refreshProgressCard(
      {
        getCampaign: async () => ({ ...campaign }),
        render: async (c) => {
          campaign.state = 'done'; // another instance finished it meanwhile
          return cardOf(c);
        },
        notifier: { updateCard },
      },
      campaign.id,
    );
    expect(updateCard.mock.calls.map(([, card]) => stateOn(card))).toEqual(['done']);
    expect(hidden).toBe(false);
  });

  it('updates once when nothing changed meanwhile, and not at all without a progress card', async () => {
    const updateCard = jest.fn(async () => undefined);
    const running = { state: 'running', progressCard: POSTED } as unknown as Campaign;
    const render = async (c: Campaign) => cardOf(c);
    await refreshProgressCard({ getCampaign: async () => running, render, notifier: { updateCard } }, 'c-7');
    expect(updateCard).toHaveBeenCalledTimes(1);
    const none = { state: 'running', progressCard: null } as unknown as Campaign;
    await refreshProgressCard({ getCampaign: async () => none, render, notifier: { updateCard } }, 'c-8');
    expect(updateCard).toHaveBeenCalledTimes(1);
  });
});
