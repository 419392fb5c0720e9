import { msUntilHourUtc, Scheduler } from '../../src/jobs/scheduler';
import { silentLogger } from '../../src/log';

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

  it('msUntilHourUtc is strictly in the future', () => {
    expect(msUntilHourUtc(new Date('2026-11-24T05:00:00Z'), 6)).toBe(3_600_000);
    expect(msUntilHourUtc(new Date('2026-11-24T06:00:00Z'), 6)).toBe(24 * 3_600_000);
  });
});
