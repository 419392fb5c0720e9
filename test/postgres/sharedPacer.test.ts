import { SharedRequestPacer } from '../../src/broadcasts/sharedRequestPacer';
import { silentLogger } from '../../src/log';
import type { PgBotStore } from '../../src/store/pgBotStore';
import { maxInWindow } from './maxInWindow';
import { freshSchema, openTestStore, testDatabaseUrl } from './pgTestDatabase';

testDatabaseUrl();

/**
 * Three instances' pacers on one PostgreSQL database (their own pools): together they stay under
 * one ceiling, and a 429 seen by one holds the others.
 */
describe('SharedRequestPacer across three instances', () => {
  let stores: PgBotStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    stores = [];
  });

  const pacers = async (perSecond: number) => {
    const schema = await freshSchema('pace');
    stores = await Promise.all([1, 2, 3].map(() => openTestStore({ schema })));
    return stores.map(
      (rate) =>
        new SharedRequestPacer({
          rate,
          key: 'app:tenant',
          perSecond,
          perConversation: [],
          logger: silentLogger(),
        }),
    );
  };

  it('keeps the combined rate under the ceiling in every 1 s window, and near it', async () => {
    const three = await pacers(100);
    const grants: number[] = [];
    const started = Date.now();
    // 8 concurrent senders per instance, 300 requests in all.
    await Promise.all(
      three.flatMap((p) =>
        Array.from({ length: 8 }, async () => {
          for (let i = 0; i < 12; i++) {
            await p.acquire(null);
            grants.push(Date.now());
          }
        }),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    expect(grants).toHaveLength(288);
    expect(maxInWindow(grants, 1000)).toBeLessThanOrEqual(100);
    // 97 % spacing: 288 requests take ~2.97 s; well under 2x that even on a loaded machine.
    expect(seconds).toBeGreaterThan(2.5);
    expect(seconds).toBeLessThan(6);
  });

  it('a Retry-After seen by one instance holds the others', async () => {
    const [a, b] = await pacers(50);
    await a!.acquire(null);
    const before = Date.now();
    a!.pauseUntil(Date.now() + 700);
    await new Promise((r) => setTimeout(r, 50)); // the hold reaches the database
    await b!.acquire(null);
    expect(Date.now() - before).toBeGreaterThanOrEqual(650);
  });
});
