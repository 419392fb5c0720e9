import type { CaAudit } from '../compliance/auditConditionalAccess';
import { markdownLiteral } from '../compliance/markdownLiteral';
import type { SetupCheck } from '../compliance/setupCheckTypes';

type Result = Omit<SetupCheck, 'id' | 'title'>;

/**
 * `ca audit`'s blockers as one line: an enforced policy that keeps Macs from registering fails.
 * A report-only policy blocks nobody, so it is only mentioned (`ca audit` has the details). The
 * audit's tenant-wide notes (the registration app not found) belong to the registration app's
 * check and are not repeated.
 */
export function checkConditionalAccess(audit: CaAudit): Result {
  const problems = audit.findings.flatMap((f) => f.problems.map((p) => ({ policy: f.displayName, ...p })));
  const blocking = problems.filter((p) => p.level === 'problem');
  const wouldBlock = new Set(problems.filter((p) => p.level === 'warning').map((p) => p.policy)).size;
  const later =
    wouldBlock > 0
      ? ` ${wouldBlock} report-only polic${wouldBlock === 1 ? 'y' : 'ies'} would block once turned on: see \`ca audit\`.`
      : '';
  if (blocking.length === 0) {
    return {
      status: 'pass',
      detail: `No enforced Conditional Access policy keeps Macs from registering (${audit.counts.relevant} require a compliant device).${later}`,
    };
  }
  return {
    status: 'fail',
    detail: blocking.map((p) => `“${markdownLiteral(p.policy)}”: ${p.detail}`).join(' ') + later,
    fix: [...new Set(blocking.map((p) => p.fix))].join(' ') + ' (`ca audit` shows every policy.)',
  };
}
