/** Minutes between Entra re-checks: Jamf → Intune → Entra usually lands within the first few. */
export const THANK_YOU_BACKOFF_MINUTES: readonly number[] = [2, 5, 10, 20, 40, 60];

/**
 * When to re-check Entra after `attempts` checks: the backoff's step (the last one repeats),
 * never later than `giveUpAt` so the final check happens at the end of the window.
 */
export function nextThankYouCheck(attempts: number, now: Date, giveUpAt: string): string {
  const steps = THANK_YOU_BACKOFF_MINUTES;
  const minutes = steps[Math.min(attempts, steps.length - 1)] ?? 60;
  const next = Math.min(now.getTime() + minutes * 60_000, Date.parse(giveUpAt));
  return new Date(Math.max(next, now.getTime())).toISOString();
}
