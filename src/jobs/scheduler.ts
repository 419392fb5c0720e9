import type { Logger } from '../log';

/** When a job runs: every N ms (first run at start), or once a day at an hour (UTC). */
export type JobSchedule = { everyMs: number } | { dailyAtHourUtc: number; catchUpOnStart?: boolean };

export interface ScheduledJob {
  name: string;
  schedule: JobSchedule;
  /** Runs on every instance, never claimed (e.g. reloading an in-memory cache). */
  perInstance?: boolean;
  run(now: Date): Promise<unknown>;
}

export interface SchedulerDeps {
  logger: Logger;
  now?: () => Date;
  /**
   * Claims a due time for this instance (`BotStore.claimJobRun`); resolves true for the first
   * claimer only. With several instances on one database each due time then fires once. Without
   * it every due time runs here (one instance, tests).
   */
  claim?: (job: string, dueAt: string) => Promise<boolean>;
}

const DAY_MS = 86_400_000;

/** Milliseconds from `now` to the next `hour`:00 UTC (strictly later). */
export function msUntilHourUtc(now: Date, hour: number): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour);
  return next > now.getTime() ? next - now.getTime() : next + DAY_MS - now.getTime();
}

/**
 * The due time at or before `now` (interval: the epoch-aligned slot `now` falls in; daily:
 * today's hour when it has passed, else yesterday's). Every instance computes the same instants
 * whenever it started, which is what lets them agree on who runs which one.
 */
export function currentDueTime(schedule: JobSchedule, now: Date): number {
  const t = now.getTime();
  if ('everyMs' in schedule) return Math.floor(t / schedule.everyMs) * schedule.everyMs;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), schedule.dailyAtHourUtc);
  return today <= t ? today : today - DAY_MS;
}

/** The first due time strictly after both `now` and `previous`. */
export function nextDueTime(schedule: JobSchedule, now: Date, previous: number): number {
  const period = 'everyMs' in schedule ? schedule.everyMs : DAY_MS;
  let next = currentDueTime(schedule, now) + period;
  while (next <= previous) next += period;
  return next;
}

/**
 * Runs periodic jobs with plain timers (no cron syntax is needed yet). Due times are fixed
 * instants (interval jobs on epoch-aligned slots, daily jobs at the hour), so instances that
 * started at different moments agree on them; with `claim`, only the instance that claims a due
 * time runs it. An interval job runs at start for the slot it starts in (unless another
 * instance already did), a daily one at start only with `catchUpOnStart`. A run never overlaps
 * the same job's previous run: the next due time is chosen when it ends. A job that throws is
 * logged and runs again at its next time; it never takes the process down. Timers are unref'd,
 * so they alone keep nothing alive; `stop()` clears them and waits for runs in progress.
 */
export class Scheduler {
  private readonly jobs: ScheduledJob[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
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

  /** Runs a job now, outside its schedule and without a claim (tests, "run now" buttons); never throws. */
  async runNow(name: string): Promise<void> {
    const job = this.job(name);
    await this.execute(job, this.deps.logger.child({ job: job.name }));
  }

  /**
   * Runs a job for one due time if this instance claims it (always, without `claim`); resolves
   * whether it ran here. The timers call this; tests call it to race instances. Never throws for
   * a known job: a failed claim or run is logged.
   */
  async runDue(name: string, dueAt: Date): Promise<boolean> {
    const job = this.job(name);
    const log = this.deps.logger.child({ job: job.name, dueAt: dueAt.toISOString() });
    if (this.deps.claim && !job.perInstance) {
      let mine: boolean;
      try {
        mine = await this.deps.claim(job.name, dueAt.toISOString());
      } catch (err) {
        log.error({ err }, 'could not claim the due time; skipped, the job runs again at its next time');
        return false;
      }
      if (!mine) {
        log.debug('due time already claimed by another instance');
        return false;
      }
    }
    await this.execute(job, log);
    return true;
  }

  private job(name: string): ScheduledJob {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) throw new Error(`no scheduled job named ${name}`);
    return job;
  }

  private begin(job: ScheduledJob): void {
    const s = job.schedule;
    const now = this.now();
    const current = currentDueTime(s, now);
    const runsAtStart =
      'everyMs' in s || (s.catchUpOnStart === true && now.getUTCHours() >= s.dailyAtHourUtc);
    this.at(runsAtStart ? current : nextDueTime(s, now, current), job);
  }

  /** Arms a timer for one due time; when it ends, arms the next. */
  private at(dueAt: number, job: ScheduledJob): void {
    if (!this.started) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        const run = this.runDue(job.name, new Date(dueAt)).finally(() => {
          this.running.delete(run);
          this.at(nextDueTime(job.schedule, this.now(), dueAt), job);
        });
        this.running.add(run);
      },
      Math.max(0, dueAt - this.now().getTime()),
    );
    timer.unref();
    this.timers.add(timer);
  }

  private async execute(job: ScheduledJob, log: Logger): Promise<void> {
    const started = Date.now();
    try {
      await job.run(this.now());
      log.debug({ ms: Date.now() - started }, 'job done');
    } catch (err) {
      log.error({ err, ms: Date.now() - started }, 'job failed; it runs again at its next time');
    }
  }
}
