import { overallStatus, type SetupCheckStatus, type SetupReport } from '../compliance/setupCheckTypes';
import type { ContainerStyle } from './cardParts';
import { formatWhen } from './formatDate';

/** The `setupCheck` template's model: the setup doctor's report (`setup check`). */
export interface SetupCheckCardModel {
  headerStyle: ContainerStyle;
  headerLabel: string;
  summary: string;
  checks: readonly { line: string; detail: string; fix: string }[];
  checkedAt: string;
}

const MARK: Record<SetupCheckStatus, string> = { pass: '✅', fail: '❌', warn: '⚠️', skip: '➖' };
const HEADER = {
  pass: { style: 'good', label: 'Setup check: ready' },
  warn: { style: 'warning', label: 'Setup check: ready, with warnings' },
  fail: { style: 'attention', label: 'Setup check: not ready' },
} as const;

/**
 * The doctor's report as a card: one row per check with its mark, what was found and the fix.
 * The report's texts are already card Markdown (names an admin typed are escaped where they are
 * quoted), so they are used as they are.
 */
export function setupCheckCardModel(report: SetupReport, opts: { now: Date }): SetupCheckCardModel {
  const header = HEADER[overallStatus(report.checks)];
  const n = (s: SetupCheckStatus) => report.checks.filter((c) => c.status === s).length;
  return {
    headerStyle: header.style,
    headerLabel: header.label,
    summary: `${n('pass')} passed · ${n('fail')} failed · ${n('warn')} warnings · ${n('skip')} skipped. The same checks run from a shell with \`npm run doctor\`.`,
    checks: report.checks.map((c) => ({
      line: `${MARK[c.status]} **${c.title}**`,
      detail: c.detail,
      fix: c.fix && (c.status === 'fail' || c.status === 'warn') ? `Fix: ${c.fix}` : '',
    })),
    checkedAt: `Checked ${formatWhen(report.at.toISOString(), opts.now)}`,
  };
}
