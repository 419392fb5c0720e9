import type { CaAudit, CaLevel, CaPolicyFinding } from '../compliance/auditConditionalAccess';
import type { ContainerStyle, TextLine } from './cardParts';
import { formatWhen } from './formatDate';
import { escapeMarkdown } from './escapeMarkdown';

const MARKER: Record<CaLevel, string> = { problem: '❌', warning: '⚠️', note: 'ℹ️' };
const CONTROL: Record<string, string> = {
  compliantDevice: 'compliant device',
  domainJoinedDevice: 'hybrid-joined device',
  mfa: 'MFA',
  block: 'block',
  approvedApplication: 'approved app',
  compliantApplication: 'app protection policy',
  passwordChange: 'password change',
};
function exclusionText(f: CaPolicyFinding): string {
  if (f.exclusion === 'excluded') return '✅ Excludes the User registration app';
  if (f.exclusion === 'not_needed')
    return '— Exclusion not needed (does not cover the registration sign-in from a Mac)';
  const level = f.problems.find((p) => p.code === 'missing_registration_exclusion')?.level ?? 'problem';
  return `${MARKER[level]} Does not exclude the User registration app`;
}

/** Policy names are typed by admins: escape them where the audit's texts quote them. */
const escapeNames = (text: string, names: readonly string[]): string =>
  names.reduce((t, n) => t.split(n).join(escapeMarkdown(n)), text);

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function summaryLine(audit: CaAudit): string {
  const c = audit.counts;
  if (c.relevant === 0) return 'No policy requires a compliant or hybrid-joined device.';
  const states = [
    c.on ? `${c.on} on` : '',
    c.reportOnly ? `${c.reportOnly} report-only` : '',
    c.off ? `${c.off} off` : '',
  ].filter(Boolean);
  const first = `${plural(c.relevant, 'policy requires', 'policies require')} a compliant or hybrid-joined device (${states.join(', ')}).`;
  const missing = c.missingExclusion
    ? ` ${plural(c.missingExclusion, 'does', 'do')} not exclude the User registration app.`
    : ' Every one that needs it excludes the User registration app.';
  const blocking = c.blocking ? ` ${plural(c.blocking, 'blocks', 'block')} Macs now.` : '';
  return `${first}${missing}${blocking}`;
}

const grantText = (f: CaPolicyFinding): string =>
  f.controls.map((c) => CONTROL[c] ?? c).join(f.operator === 'AND' ? ' and ' : ' or ');

/** The `caAudit` template's model. */
export interface CaAuditCardModel {
  headerStyle: ContainerStyle;
  headerLabel: string;
  summary: string;
  policies: readonly {
    name: string;
    details: string;
    exclusion: string;
    problems: readonly { marker: string; detail: string; fix: string }[];
  }[];
  notes: readonly TextLine[];
  caveat: string;
  checkedAt: string;
}

/**
 * The `ca audit` card's view model: a coloured summary, then one block per policy with its
 * state (report-only said so), what it requires, whether it excludes the User registration app,
 * and each problem with its fix; tenant-wide notes and the baseline-scopes caveat last.
 */
export function caAuditCardModel(audit: CaAudit, opts: { now: Date }): CaAuditCardModel {
  const levels = [
    ...audit.findings.flatMap((f) => f.problems.map((p) => p.level)),
    ...audit.notes.map((n) => n.level),
  ];
  const worst: CaLevel | null = levels.includes('problem')
    ? 'problem'
    : levels.includes('warning')
      ? 'warning'
      : null;
  return {
    headerStyle: worst === 'problem' ? 'attention' : worst === 'warning' ? 'warning' : 'good',
    headerLabel:
      worst === 'problem'
        ? 'Conditional Access blocks Mac registration'
        : worst === 'warning'
          ? 'Conditional Access needs a look'
          : 'Conditional Access is ready for Jamf',
    summary: summaryLine(audit),
    policies: audit.findings.map((f) => ({
      name: escapeMarkdown(f.displayName),
      details: [
        f.stateLabel,
        `requires ${grantText(f)}`,
        f.targetsAllResources ? 'all resources' : 'selected resources',
        f.appliesToMacs ? 'applies to macOS' : 'not for macOS',
      ].join(' · '),
      exclusion: exclusionText(f),
      problems: f.problems.map((p) => ({
        marker: MARKER[p.level],
        detail: p.detail,
        fix: escapeNames(p.fix, [f.displayName]),
      })),
    })),
    notes: audit.notes.map((n) => ({ text: `${MARKER[n.level]} ${n.text}` })),
    caveat: escapeNames(
      audit.caveat ?? '',
      audit.findings.map((f) => f.displayName),
    ),
    checkedAt: `Checked ${formatWhen(opts.now.toISOString(), opts.now)}`,
  };
}
