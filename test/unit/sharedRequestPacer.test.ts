import { SharedRequestPacer, type SharedSendRate } from '../../src/broadcasts/sharedRequestPacer';
import { silentLogger } from '../../src/log';

/** The PostgreSQL statement's arithmetic in memory (one key), with the calls it received. */
function memoryRate(): SharedSendRate & { nextAt: number; holds: number[]; fail: number } {
  const rate = {
    nextAt: 0,
    holds: [] as number[],
    fail: 0,
    async reserveSendSlot(_key: string, intervalMs: number) {
      if (rate.fail > 0) {
        rate.fail--;
        throw new Error('connection refused');
      }
      const slot = Math.max(rate.nextAt, Date.now());
      rate.nextAt = slot + intervalMs;
      return Math.max(0, slot - Date.now());
    },
    async holdSends(_key: string, ms: number) {
      rate.holds.push(ms);
      rate.nextAt = Math.max(rate.nextAt, Date.now() + ms);
    },
  };
  return rate;
}

const pacer = (rate: SharedSendRate, perSecond = 100, maxLateMs = 30) =>
  new SharedRequestPacer({
    rate,
    key: 'app:tenant',
    perSecond,
    perConversation: [{ limit: 7, windowMs: 1000 }],
    maxLateMs,
    logger: silentLogger(),
  });

describe('SharedRequestPacer (the shared slot table in memory)', () => {
  it('spaces requests so a late one never puts more than the ceiling in a 1 s window', () => {
    const p = pacer(memoryRate(), 50);
    // (1000 + 2 × 30) / 49 ms between slots: 46.2 per second.
    expect(p.spacedPerSecond).toBeCloseTo(46.23, 1);
    p.close();
  });

  it('gives up a slot it woke too late for, and takes the next one', async () => {
    const rate = memoryRate();
    let stalls = 1;
    const p = new SharedRequestPacer({
      rate,
      key: 'k',
      perSecond: 100,
      perConversation: [],
      maxLateMs: 30,
      logger: silentLogger(),
      // The first sleep stalls like a blocked event loop.
      sleep: (ms) => new Promise((r) => setTimeout(r, ms + (stalls-- > 0 ? 80 : 0))),
    });
    rate.nextAt = Date.now() + 20;
    await p.acquire(null);
    expect(p.stats).toMatchObject({ granted: 1, late: 1 });
    p.close();
  });

  it('waits and asks again while the store does not answer', async () => {
    const rate = memoryRate();
    rate.fail = 2;
    const p = pacer(rate);
    await p.acquire('a:1');
    expect(p.stats).toMatchObject({ granted: 1, storeErrors: 2 });
    p.close();
  });

  it('shares a Retry-After with the other instances, and a waiting request takes a slot after it', async () => {
    const rate = memoryRate();
    const p = pacer(rate);
    const q = pacer(rate);
    await p.acquire(null);
    const started = Date.now();
    p.pauseUntil(Date.now() + 300);
    await new Promise((r) => setTimeout(r, 10));
    expect(rate.holds).toHaveLength(1);
    await q.acquire(null); // another instance: held by the shared row
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    p.close();
    q.close();
  });
});
