import { END_USER, messageActivity } from '../helpers/activities';
import { startBot, type BotHarness } from '../helpers/botHarness';
import { silentLogger } from '../../src/log';
import { ProgressCardPace } from '../../src/broadcasts/progressCardPace';
import type { PgBotStore } from '../../src/store/pgBotStore';
import { freshSchema, openTestStore, testDatabaseUrl, withAdmin } from './pgTestDatabase';

testDatabaseUrl();

const person = (n: number) => ({
  ...END_USER,
  teamsId: `29:limited-${n}`,
  aadObjectId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
});

/**
 * Issue 21: two instances of the bot on one PostgreSQL database count a user's commands once —
 * the per-user limit (RATE_LIMIT_COMMANDS) holds across them, not per instance.
 */
describe('the per-user rate limit across two instances on PostgreSQL', () => {
  let a: BotHarness;
  let b: BotHarness;
  let schema: string;

  beforeAll(async () => {
    schema = await freshSchema('limits');
    const url = new URL(testDatabaseUrl());
    url.searchParams.set('options', `-c search_path=${schema}`);
    const env = { DATABASE_URL: url.toString(), RATE_LIMIT_COMMANDS: '4', RATE_LIMIT_WINDOW_SECONDS: '60' };
    [a, b] = await Promise.all([startBot(env, { size: 20 }), startBot(env, { size: 20 })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  const sentTo = (bot: BotHarness, who: ReturnType<typeof person>) =>
    bot.connector.sent().filter((s) => JSON.stringify(s).includes(who.teamsId)).length;

  it("limits a user's commands split over both instances as one: 4 answers and one 'slow down' for 10 commands", async () => {
    const alice = person(1);
    for (let i = 0; i < 10; i++) {
      const bot = i % 2 === 0 ? a : b;
      const res = await bot.post(
        messageActivity('help', { from: alice, serviceUrl: bot.connector.serviceUrl }),
      );
      expect(res.status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 200));
    const replies = [...a.connector.sent(), ...b.connector.sent()];
    expect(replies).toHaveLength(5);
    const texts = replies.map((r) => JSON.stringify(r));
    expect(texts.filter((t) => t.includes('Let me catch up for a moment'))).toHaveLength(1);
    // Each instance answered some: the count is shared, not each instance's own 4.
    expect(sentTo(a, alice)).toBeGreaterThan(0);
    expect(sentTo(b, alice)).toBeGreaterThan(0);

    // Another user has a budget of their own.
    const bob = person(2);
    const res = await b.post(messageActivity('help', { from: bob, serviceUrl: b.connector.serviceUrl }));
    expect(res.status).toBe(200);
    // The reply is sent within the turn: it is there when the POST is answered.
    expect(sentTo(b, bob)).toBe(1);

    const rows = await withAdmin(
      async (pool) =>
        (
          await pool.query<{ key: string; points: number }>(
            'SELECT key, points FROM rate_limits ORDER BY key',
          )
        ).rows,
      schema,
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { key: `commands:${alice.aadObjectId}`, points: 10 },
        { key: `commands:${bob.aadObjectId}`, points: 1 },
      ]),
    );
  });
});

describe('the progress card pace on PostgreSQL', () => {
  let store: PgBotStore;
  beforeAll(async () => {
    store = await openTestStore();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('updates a campaign card at the pace across two pacers (two instances), and the last change shows', async () => {
    const updates: { by: string; at: number }[] = [];
    const pacer = (by: string) =>
      new ProgressCardPace({
        everySeconds: 1,
        limiters: store.rateLimiters(silentLogger()),
        update: async () => void updates.push({ by, at: Date.now() }),
        logger: silentLogger(),
      });
    const [one, two] = [pacer('one'), pacer('two')];
    const start = Date.now();
    // 2.5 s of changes on both instances, every 50 ms.
    while (Date.now() - start < 2_500) {
      one.changed('c-0000aaaa', false);
      two.changed('c-0000aaaa', false);
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 2_300));
    one.stop();
    two.stop();
    // One update a second between both (a pace of its own per instance would give two), and
    // the changes of the last window shown after it ended.
    const gaps = updates.slice(1).map((u, i) => u.at - updates[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(950);
    expect(updates.length).toBeGreaterThanOrEqual(3);
    expect(updates.length).toBeLessThanOrEqual(6);
    expect(updates.at(-1)!.at).toBeGreaterThanOrEqual(start + 2_500);
  }, 15_000);
});
