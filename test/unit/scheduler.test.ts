import { currentDueTime, msUntilHourUtc, nextDueTime, Scheduler } from '../../src/jobs/scheduler';
import { silentLogger } from '../../src/log';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';

describe('Scheduler', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-11-24T10:30:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('runs an interval job at start and then every interval, never overlapping itself', async () => {
    const scheduler = new Scheduler({ logger: silentLogger() });
    let runs = 0;
    let active = 0;
    let maxActive = 0;
    scheduler.add({
      name: 'every-minute',
      schedule: { everyMs: 60_000 },
      run: async () => {
        runs++;
        maxActive = Math.max(maxActive, ++active);
        await new Promise((r) => setTimeout(r, 90_000)); // slower than the interval
        active--;
      },
    });
    scheduler.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    await jest.advanceTimersByTimeAsync(90_000 + 60_000);
    expect(runs).toBe(2);
    expect(maxActive).toBe(1);
    const stopped = scheduler.stop();
    await jest.advanceTimersByTimeAsync(90_000);
    await stopped;
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    expect(runs).toBe(2);
  });

  it('logs a job that throws and runs it again at its next time', async () => {
    const errors: unknown[] = [];
    const logger = silentLogger();
    jest.spyOn(logger, 'child').mockReturnValue({
      ...logger,
      error: (o: unknown) => errors.push(o),
      debug: () => undefined,
    } as unknown as ReturnType<typeof logger.child>);
    const scheduler = new Scheduler({ logger });
    let runs = 0;
    scheduler.add({
      name: 'boom',
      schedule: { everyMs: 1_000 },
      run: async () => {
        runs++;
        throw new Error('upstream down');
      },
    });
    scheduler.start();
    await jest.advanceTimersByTimeAsync(2_500);
    expect(runs).toBe(3);
    expect(errors).toHaveLength(3);
    await scheduler.stop();
  });

  it('runs a daily job at its hour (UTC), catching up at start when the hour has passed', async () => {
    const seen: string[] = [];
    const job = (name: string, hour: number, catchUpOnStart: boolean) => ({
      name,
      schedule: { dailyAtHourUtc: hour, catchUpOnStart },
      run: async (now: Date) => void seen.push(`${name}@${now.toISOString()}`),
    });
    const scheduler = new Scheduler({ logger: silentLogger() });
    scheduler
      .add(job('six', 6, true))
      .add(job('noon', 12, true))
      .add(job('nine', 9, false));
    scheduler.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(seen).toEqual(['six@2026-11-24T10:30:00.000Z']);
    await jest.advanceTimersByTimeAsync(90 * 60_000);
    expect(seen).toContain('noon@2026-11-24T12:00:00.000Z');
    await jest.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(seen).toContain('nine@2026-11-25T09:00:00.000Z');
    expect(seen).toContain('six@2026-11-25T06:00:00.000Z');
    await scheduler.stop();
  });

  it('fires each due time once across instances sharing a store, whenever each instance started', async () => {
    const store = SqliteBotStore.open(':memory:');
    const fired: string[] = [];
    const instance = (id: string) =>
      new Scheduler({
        logger: silentLogger(),
        claim: (job, dueAt) => store.claimJobRun(job, dueAt, id),
      }).add({
        name: 'connector-check',
        schedule: { everyMs: 300_000 },
        run: async (now) => void fired.push(`${id}@${now.toISOString()}`),
      });
    const a = instance('a');
    a.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(fired).toEqual(['a@2026-11-24T10:30:00.000Z']);
    await jest.advanceTimersByTimeAsync(90_000);
    const b = instance('b'); // starts at 10:31:30, inside the slot a already ran
    b.start();
    const c = instance('c');
    c.start();
    await jest.advanceTimersByTimeAsync(30 * 60_000 - 90_000);
    // 10:30, then every 5 minutes on the clock up to 11:00: seven due times, each fired once.
    const times = fired.map((f) => f.split('@')[1]);
    expect(times).toEqual(
      Array.from({ length: 7 }, (_, k) =>
        new Date(Date.parse('2026-11-24T10:30:00Z') + k * 300_000).toISOString(),
      ),
    );
    await Promise.all([a.stop(), b.stop(), c.stop()]);
    await store.close();
  });

  it('skips a due time it cannot claim (store down), logs it, and tries the next one', async () => {
    const errors: string[] = [];
    const logger = silentLogger();
    jest.spyOn(logger, 'child').mockReturnValue({
      ...logger,
      error: (_o: unknown, msg: string) => errors.push(msg),
      debug: () => undefined,
    } as unknown as ReturnType<typeof logger.child>);
    let down = true;
    let runs = 0;
    const scheduler = new Scheduler({
      logger,
      claim: async () => {
        if (down) throw new Error('connection refused');
        return true;
      },
    }).add({ name: 'job', schedule: { everyMs: 60_000 }, run: async () => void runs++ });
    scheduler.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toBe(0);
    expect(errors).toEqual([expect.stringMatching(/could not claim the due time; skipped/)]);
    down = false;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runs).toBe(1);
    await scheduler.stop();
  });

  it('runs a per-instance job on every instance, never asking for a claim', async () => {
    const claim = jest.fn(async () => false);
    let runs = 0;
    const scheduler = new Scheduler({ logger: silentLogger(), claim }).add({
      name: 'cache',
      schedule: { everyMs: 60_000 },
      perInstance: true,
      run: async () => void runs++,
    });
    scheduler.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runs).toBe(2);
    expect(claim).not.toHaveBeenCalled();
    await scheduler.stop();
  });

  it('computes due times every instance agrees on', () => {
    const every5 = { everyMs: 300_000 };
    const at = (iso: string) => new Date(iso);
    expect(new Date(currentDueTime(every5, at('2026-11-24T10:34:59.999Z'))).toISOString()).toBe(
      '2026-11-24T10:30:00.000Z',
    );
    expect(new Date(nextDueTime(every5, at('2026-11-24T10:30:00.000Z'), 0)).toISOString()).toBe(
      '2026-11-24T10:35:00.000Z',
    );
    const daily = { dailyAtHourUtc: 6 };
    expect(new Date(currentDueTime(daily, at('2026-11-24T05:59:00Z'))).toISOString()).toBe(
      '2026-11-23T06:00:00.000Z',
    );
    expect(new Date(currentDueTime(daily, at('2026-11-24T06:00:00Z'))).toISOString()).toBe(
      '2026-11-24T06:00:00.000Z',
    );
    // A run that ends before its own due time (clock adjusted) never gets that due time again.
    const due = Date.parse('2026-11-24T06:00:00Z');
    expect(new Date(nextDueTime(daily, at('2026-11-24T05:59:59Z'), due)).toISOString()).toBe(
      '2026-11-25T06:00:00.000Z',
    );
  });

  it('msUntilHourUtc is strictly in the future', () => {
    expect(msUntilHourUtc(new Date('2026-11-24T05:00:00Z'), 6)).toBe(3_600_000);
    expect(msUntilHourUtc(new Date('2026-11-24T06:00:00Z'), 6)).toBe(24 * 3_600_000);
  });
});
