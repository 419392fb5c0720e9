import type { CampaignAudience } from '../compliance/campaignTypes';

export interface RemindOptions {
  audience: CampaignAudience;
  groupName: string | null;
  /** `YYYY-MM-DD`. */
  deadline: string | null;
}

export interface ScheduleOptions {
  cron: string;
  timeZone: string;
  audience: CampaignAudience;
  groupName: string | null;
  deadlineDays: number | null;
}

const AUDIENCES: readonly CampaignAudience[] = ['not-registered', 'non-compliant', 'all'];
export const REMIND_USAGE =
  'remind send [deadline 2026-12-31] [audience not-registered|non-compliant|all] [group "Sales"]';
export const SCHEDULE_USAGE =
  'remind schedule "0 9 * * MON" [tz Europe/Paris] [deadline-days 7] [audience …] [group "Sales"]';

/** Words, with "double quoted" or “curly quoted” values kept whole. */
export function tokenize(args: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|“([^”]*)”|(\S+)/g;
  for (let m = re.exec(args); m; m = re.exec(args)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

/** Thrown with a message a person can act on. */
export class RemindOptionError extends Error {}

function isValidDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function parseCommon(tokens: string[], now: Date, allowed: Set<string>) {
  const opts: RemindOptions & { tz: string | null; deadlineDays: number | null } = {
    audience: 'all',
    groupName: null,
    deadline: null,
    tz: null,
    deadlineDays: null,
  };
  for (let i = 0; i < tokens.length; i++) {
    const key = tokens[i]!.toLowerCase();
    const value = tokens[i + 1];
    if (!allowed.has(key)) throw new RemindOptionError(`I don't know the option “${tokens[i]}”.`);
    if (value === undefined || value === '') throw new RemindOptionError(`“${key}” needs a value.`);
    i++;
    if (key === 'audience') {
      const a = value.toLowerCase() as CampaignAudience;
      if (!AUDIENCES.includes(a)) {
        throw new RemindOptionError(`The audience is one of ${AUDIENCES.join(', ')} — not “${value}”.`);
      }
      opts.audience = a;
    } else if (key === 'group') {
      if (value.length > 256) throw new RemindOptionError('That group name is too long.');
      opts.groupName = value;
    } else if (key === 'deadline') {
      if (!isValidDay(value))
        throw new RemindOptionError(`The deadline is a date like 2026-12-31 — not “${value}”.`);
      if (value < now.toISOString().slice(0, 10))
        throw new RemindOptionError(`The deadline ${value} is in the past.`);
      opts.deadline = value;
    } else if (key === 'tz') {
      opts.tz = value;
    } else if (key === 'deadline-days') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 365) {
        throw new RemindOptionError('deadline-days is a whole number of days, 0 to 365.');
      }
      opts.deadlineDays = n;
    }
  }
  return opts;
}

/** `[deadline <date>] [audience …] [group <name>]`, after `remind send` / `remind preview`. */
export function parseRemindOptions(args: string, now: Date): RemindOptions {
  const { audience, groupName, deadline } = parseCommon(
    tokenize(args),
    now,
    new Set(['deadline', 'audience', 'group']),
  );
  return { audience, groupName, deadline };
}

/** `"<cron>" [tz <IANA zone>] [deadline-days N] [audience …] [group <name>]`, after `remind schedule`. */
export function parseScheduleOptions(
  args: string,
  now: Date,
  validate: (cron: string, timeZone: string) => string | null,
): ScheduleOptions {
  const [cron, ...rest] = tokenize(args);
  if (!cron) throw new RemindOptionError('Which schedule? Put the cron expression in quotes.');
  const o = parseCommon(rest, now, new Set(['tz', 'deadline-days', 'audience', 'group']));
  const timeZone = o.tz ?? 'UTC';
  const problem = validate(cron, timeZone);
  if (problem) throw new RemindOptionError(problem);
  return { cron, timeZone, audience: o.audience, groupName: o.groupName, deadlineDays: o.deadlineDays };
}
