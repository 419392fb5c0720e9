/** How long the store keeps rows that only matter for a while; the same on both databases. */

/** How long a stored onboarding plan is kept (it can be applied for an hour only). */
export const PLAN_RETENTION_MS = 7 * 86_400_000;

/** Job-run claims older than this are deleted as new ones are taken (the table stays small). */
export const JOB_RUN_RETENTION_MS = 30 * 86_400_000;

/** The plans `saveOnboardingPlan` drops: created more than a week before `createdAt`. */
export const planCutoff = (createdAt: string): string =>
  new Date(Date.parse(createdAt) - PLAN_RETENTION_MS).toISOString();

/** Finished webhook deliveries are kept a week, so a late repeat is still recognised, then deleted. */
export const WEBHOOK_RETENTION_MS = 7 * 86_400_000;

/** The finished webhook rows a finish at `at` deletes: finished more than a week before. */
export const webhookCutoff = (at: string): string =>
  new Date(Date.parse(at) - WEBHOOK_RETENTION_MS).toISOString();

/** Closed compliance spells deleted by a write at `at`: ended more than `HISTORY_RETENTION_DAYS` before. */
export const spellCutoff = (at: string, retentionDays: number): string =>
  new Date(Date.parse(at) - retentionDays * 86_400_000).toISOString();
