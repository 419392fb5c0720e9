/**
 * The setup doctor's result (`npm run doctor`, the `setup check` card): one entry per check, in
 * the order an admin works through them. Plain data, so the card model and the console printer
 * read the same thing.
 */

export type SetupCheckId =
  | 'graphPermissions'
  | 'jamfPrivileges'
  | 'jamfWebhooks'
  | 'connector'
  | 'teamsCatalog'
  | 'registrationApp'
  | 'conditionalAccess'
  | 'publicUrl'
  | 'database'
  | 'databaseFileSystem';

/** `pass` ✓, `fail` ✗ (users will meet errors), `warn` ! (works, at risk), `skip` – (not applicable here). */
export type SetupCheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface SetupCheck {
  id: SetupCheckId;
  /** What is checked, e.g. "Graph permissions". */
  title: string;
  status: SetupCheckStatus;
  /** What was found (one or a few sentences; Markdown-safe: no text a person typed). */
  detail: string;
  /** What to change, and where; absent when nothing is to be done. */
  fix?: string;
}

export interface SetupReport {
  checks: SetupCheck[];
  /** When the checks ran. */
  at: Date;
}

/** The worst status wins: any fail, else any warn, else pass (skips are neutral). */
export function overallStatus(checks: readonly SetupCheck[]): 'pass' | 'fail' | 'warn' {
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  if (checks.some((c) => c.status === 'warn')) return 'warn';
  return 'pass';
}
