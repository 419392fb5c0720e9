import { overallStatus, type SetupReport, type SetupCheckStatus } from '../compliance/setupCheckTypes';

const MARK: Record<SetupCheckStatus, string> = { pass: '✓', fail: '✗', warn: '!', skip: '–' };

/** Markdown for a terminal: emphasis and code marks dropped, escaped characters as typed. */
const plain = (s: string): string =>
  s.replace(/\\([\\`*_[\]()<>~])|\*\*|\*|`/g, (_m, escaped?: string) => escaped ?? '');

/**
 * The report as terminal lines for `npm run doctor`: `✓`/`✗`/`!`/`–` and the title, what was
 * found, and the fix under it; a summary line last.
 */
export function formatSetupReport(report: SetupReport): string {
  const lines: string[] = [];
  for (const c of report.checks) {
    lines.push(`${MARK[c.status]} ${c.title}: ${plain(c.detail)}`);
    if (c.fix && (c.status === 'fail' || c.status === 'warn')) lines.push(`    fix: ${plain(c.fix)}`);
  }
  const count = (s: SetupCheckStatus) => report.checks.filter((c) => c.status === s).length;
  const overall = overallStatus(report.checks);
  lines.push(
    '',
    `${overall === 'fail' ? 'Not ready' : overall === 'warn' ? 'Ready, with warnings' : 'Ready'} (✓ ${count('pass')}  ✗ ${count('fail')}  ! ${count('warn')}  – ${count('skip')})`,
  );
  return lines.join('\n');
}
