import { Cron } from 'croner';
import type { Logger } from '../log';
import type { CampaignSchedule } from '../compliance/campaignTypes';
import type { JobClaims } from '../store/ports/jobClaims';
import type { ScheduleStore } from '../store/ports/scheduleStore';

/** A cron expression and zone croner accepts, or the problem in words. */
export function checkCron(cron: string, timeZone: string): string | null {
  if (cron.length > 100) return 'That cron expression is too long.';
  try {
    const job = new Cron(cron, { timezone: timeZone, paused: true });
    const next = job.nextRun();
    job.stop();
    return next ? null : `“${cron}” never fires.`;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return /timezone|time zone|Invalid time/i.test(why)
      ? `“${timeZone}” is not a time zone I know — use an IANA name such as Europe/Paris.`
      : `“${cron}” is not a cron expression I can read (${why}). Five fields: minute hour day month weekday, e.g. "0 9 * * MON".`;
  }
}

/**
 * Runs the stored cron schedules (croner, time-zone aware). Each due time fires once across
 * instances: the run is claimed in the store (`claimJobRun`) before anything happens, so two
 * instances — or a restart inside the same minute — never start the same run twice.
 */
export class CampaignSchedules {
  private readonly jobs = new Map<string, Cron>();
  private started = false;

  constructor(
    private readonly deps: {
      store: Pick<ScheduleStore, 'listSchedules'> & JobClaims;
      owner: string;
      fire: (schedule: CampaignSchedule, dueAt: Date) => Promise<void>;
      logger: Logger;
    },
  ) {}

  async start(): Promise<void> {
    this.started = true;
    for (const s of await this.deps.store.listSchedules()) this.add(s);
  }

  add(s: CampaignSchedule): void {
    if (!this.started) return;
    this.remove(s.id);
    const job = new Cron(s.cron, { timezone: s.timeZone, unref: true, protect: true }, async (self) => {
      const due = self.currentRun() ?? new Date();
      due.setUTCMilliseconds(0);
      await this.run(s, due);
    });
    this.jobs.set(s.id, job);
  }

  remove(id: string): void {
    this.jobs.get(id)?.stop();
    this.jobs.delete(id);
  }

  /** Fires one due time of a schedule, unless another instance (or an earlier call) did. */
  async run(s: CampaignSchedule, dueAt: Date): Promise<boolean> {
    const log = this.deps.logger.child({ schedule: s.id, dueAt: dueAt.toISOString() });
    try {
      if (!(await this.deps.store.claimJobRun(`schedule:${s.id}`, dueAt.toISOString(), this.deps.owner))) {
        log.info('scheduled campaign already started by another instance');
        return false;
      }
      await this.deps.fire(s, dueAt);
      return true;
    } catch (err) {
      log.error({ err }, 'scheduled campaign failed to start');
      return false;
    }
  }

  /** The next time each schedule fires. */
  nextRun(id: string): Date | null {
    return this.jobs.get(id)?.nextRun() ?? null;
  }

  stop(): void {
    this.started = false;
    for (const job of this.jobs.values()) job.stop();
    this.jobs.clear();
  }
}
