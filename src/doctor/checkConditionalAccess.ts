import type { CaAudit } from '../compliance/auditConditionalAccess';
import type { SetupCheck } from '../compliance/setupCheckTypes';

type Result = Omit<SetupCheck, 'id' | 'title'>;

/**
 * `ca audit`'s findings as one line: an enforced policy that blocks Macs from registering fails,
 * a report-only one that would warns. The audit's tenant-wide notes (the registration app not
 * found) belong to the registration app's check and are not repeated.
 */
export function checkConditionalAccess(audit: CaAudit): Result {
  const problems = audit.findings.flatMap((f) =>
    f.problems.filter((p) => p.level !== 'note').map((p) => ({ policy: f.displayName, ...p })),
  );
  const blocking = problems.filter((p) => p.level === 'problem');
  const shown = blocking.length > 0 ? blocking : problems;
  if (shown.length === 0) {
    return {
      status: 'pass',
      detail: `No Conditional Access policy keeps Macs from registering (${audit.counts.relevant} require a compliant device).`,
    };
  }
  return {
    status: blocking.length > 0 ? 'fail' : 'warn',
    detail: shown.map((p) => `“${p.policy}”: ${p.detail}`).join(' '),
    fix: [...new Set(shown.map((p) => p.fix))].join(' ') + ' (`ca audit` shows every policy.)',
  };
}
