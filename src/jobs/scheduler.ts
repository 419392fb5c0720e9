import type { Logger } from '../log';

/** When a job runs: every N ms (first run at start), or once a day at an hour (UTC). */
export type JobSchedule = { everyMs: number } | { dailyAtHourUtc: number; catchUpOnStart?: boolean };

export interface ScheduledJob {
  name: string;
  schedule: JobSchedule;
  run(now: Date): Promise<unknown>;
}

export interface SchedulerDeps {
  logger: Logger;
  now?: () => Date;
}

const DAY_MS = 86_400_000;

/** Milliseconds from `now` to the next `hour`:00 UTC (strictly later). */
export function msUntilHourUtc(now: Date, hour: number): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour);
  return next > now.getTime() ? next - now.getTime() : next + DAY_MS - now.getTime();
}

/**
 * Runs periodic jobs with plain timers (no cron syntax is needed yet). A run never overlaps the
 * same job's previous run: the next one is scheduled when it ends. A job that throws is logged
 * and runs again at its next time; it never takes the process down. Timers are unref'd, so they
 * alone keep nothing alive; `stop()` clears them and waits for runs in progress.
 */
export class Scheduler {
  private readonly jobs: ScheduledJob[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private started = false;

  constructor(private readonly deps: SchedulerDeps) {}

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  add(job: ScheduledJob): this {
    this.jobs.push(job);
    if (this.started) this.begin(job);
    return this;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const job of this.jobs) this.begin(job);
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  /** Runs a job now, outside its schedule (tests, "run now" buttons); never throws. */
  async runNow(name: string): Promise<void> {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) throw new Error(`no scheduled job named ${name}`);
    await this.execute(job);
  }

  private begin(job: ScheduledJob): void {
    const s = job.schedule;
    if ('everyMs' in s) this.after(0, job);
    else {
      const now = this.now();
      if (s.catchUpOnStart && now.getUTCHours() >= s.dailyAtHourUtc) this.after(0, job);
      else this.after(msUntilHourUtc(now, s.dailyAtHourUtc), job);
    }
  }

  private after(ms: number, job: ScheduledJob): void {
    if (!this.started) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const run = this.execute(job).finally(() => {
        this.running.delete(run);
        const s = job.schedule;
        this.after('everyMs' in s ? s.everyMs : msUntilHourUtc(this.now(), s.dailyAtHourUtc), job);
      });
      this.running.add(run);
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private async execute(job: ScheduledJob): Promise<void> {
    const log = this.deps.logger.child({ job: job.name });
    const started = Date.now();
    try {
      await job.run(this.now());
      log.debug({ ms: Date.now() - started }, 'job done');
    } catch (err) {
      log.error({ err, ms: Date.now() - started }, 'job failed; it runs again at its next time');
    }
  }
}
