import type { Diagnosis, Reason, ReasonCode, Severity, Verdict } from '../compliance/diagnosisTypes';
import { HOUR_MS, readMacFacts, type MacFacts } from '../compliance/readMacFacts';
import type { ComplianceCriteria, MacRecord } from '../compliance/types';
import { formatDuration } from './formatDate';
import { ENGLISH, type Translator } from './i18n/translator';

/** What the person at the Mac reads: a plain verdict, why, and numbered steps. No admin jargon. */
export interface PlainMacAdvice {
  title: string;
  severity: Severity;
  text: string;
  steps: string[];
  /** Some step needs IT: the card points at "Contact IT". */
  needsIt: boolean;
}

export interface PlainAdviceContext {
  criteria: ComplianceCriteria;
  selfServicePolicyName: string;
  now: Date;
  /** The reader's language, locale and time zone; English in UTC when absent. */
  t?: Translator;
}

/** The seed's check on the Mac itself, and its three outcomes, in one step. */
export const GATHER_AAD_INFO_COMMAND = '/usr/local/jamf/bin/jamfaad gatherAADInfo';

/** The registration steps, the one right way (Self Service); `policy` is already escaped. */
export function registrationSteps(policy: string, tr: Translator = ENGLISH): string[] {
  return [
    tr.t('register.step1'),
    tr.t('register.step2', { policy }),
    tr.t('register.step3'),
    tr.t('register.step4'),
  ];
}

/** The wrong way: Company Portal, which has to stay installed but fails with AccountNotOnboarded. */
export const companyPortalWarning = (tr: Translator = ENGLISH): string =>
  tr.t('register.companyPortalWarning');

function verdictText(verdict: Verdict, facts: MacFacts, ctx: PlainAdviceContext): [string, string] {
  const tr = ctx.t ?? ENGLISH;
  const title = tr.t(`verdict.${verdict}.title`);
  switch (verdict) {
    case 'stale':
      return [
        title,
        facts.inventoryAgeMs === null
          ? tr.t('verdict.stale.textNever')
          : tr.t('verdict.stale.text', { duration: formatDuration(facts.inventoryAgeMs, tr) }),
      ];
    case 'out_of_sync':
      return [
        title,
        tr.t('verdict.out_of_sync.text', { duration: formatDuration(facts.syncElapsedMs ?? 0, tr) }),
      ];
    case 'waiting_first_report': {
      const left = Math.max(ctx.criteria.syncDelayHours * HOUR_MS - (facts.syncElapsedMs ?? 0), HOUR_MS);
      return [
        title,
        tr.t('verdict.waiting_first_report.text', {
          hours: ctx.criteria.syncDelayHours,
          duration: formatDuration(left, tr),
        }),
      ];
    }
    default:
      return [title, tr.t(`verdict.${verdict}.text`)];
  }
}

/** The plain title of a verdict ("Needs a fix"), in the reader's language. */
export const plainVerdictTitle = (verdict: Verdict, tr: Translator = ENGLISH): string =>
  tr.t(`verdict.${verdict}.title`);

/** What a reason step needs: its code, how bad it is, and who fixes it. */
export interface PlainReason {
  code: ReasonCode;
  level: Reason['level'];
  who: Reason['fix']['who'];
}

/**
 * The step for one reason, or null when it is IT-internal (a warning the person cannot act on).
 * `policy` is the Self Service policy's name, already escaped.
 */
export function plainStep(
  reason: PlainReason,
  policy: string,
  tr: Translator = ENGLISH,
): { text: string; it: boolean } | null {
  const problem = reason.level === 'problem';
  switch (reason.code) {
    case 'not_in_applicable_group':
      return null;
    case 'inventory_stale':
    case 'inventory_old':
    case 'filevault_unknown':
      return { text: tr.t('step.updateInventory'), it: false };
    case 'user_not_in_connector_group':
      return problem ? { text: tr.t('step.accountNotSetUp'), it: true } : null;
    case 'company_portal_missing':
      return { text: tr.t('step.companyPortalMissing'), it: true };
    case 'no_entra_device':
      return { text: tr.t('step.register', { policy }), it: false };
    case 'filevault_not_all_encrypted':
      return { text: tr.t('step.fileVault'), it: false };
    case 'not_in_compliance_group':
      return reason.who === 'user'
        ? { text: tr.t('step.updateAfterFix'), it: false }
        : { text: tr.t('step.passesButNotCounted'), it: true };
    case 'waiting_first_report':
      return null; // the verdict text says when to check again
    case 'sync_delayed':
    case 'entra_not_compliant':
      // The seed's step for a registration that does not update; what it shows decides who acts next.
      return { text: tr.t('step.gatherAadInfo', { command: GATHER_AAD_INFO_COMMAND }), it: false };
    case 'no_user_assigned':
    case 'user_not_found_in_entra':
    case 'entra_device_not_workplace_joined':
    case 'weak_join':
      return problem ? { text: tr.t('step.linkToAccount'), it: true } : null;
  }
}

/** The person's steps for a list of reasons: only those they act on (or IT must), once each. */
export function plainSteps(
  reasons: readonly PlainReason[],
  policy: string,
  tr: Translator = ENGLISH,
): { steps: string[]; needsIt: boolean } {
  const steps: string[] = [];
  let needsIt = false;
  for (const reason of reasons) {
    if (reason.level !== 'problem' && reason.who !== 'user') continue;
    const step = plainStep(reason, policy, tr);
    if (!step || steps.includes(step.text)) continue;
    steps.push(step.text);
    needsIt ||= step.it;
  }
  return { steps, needsIt };
}

/**
 * The end user's reading of a diagnosis: plain words, "you", no group names or admin consoles,
 * and only the steps they can take (or "Contact IT" for the ones IT must take). Pure.
 */
export function plainMacAdvice(
  record: MacRecord,
  diagnosis: Diagnosis | null,
  ctx: PlainAdviceContext,
): PlainMacAdvice {
  const tr = ctx.t ?? ENGLISH;
  if (!diagnosis) {
    return {
      title: tr.t('verdict.unknown.title'),
      severity: 'warning',
      text: tr.t('verdict.unknown.text'),
      steps: [],
      needsIt: false,
    };
  }
  const facts = readMacFacts(record, ctx.criteria, ctx.now);
  const [title, text] = verdictText(diagnosis.verdict, facts, ctx);
  const { steps, needsIt } =
    diagnosis.verdict === 'compliant'
      ? { steps: [], needsIt: false }
      : plainSteps(
          diagnosis.reasons.map((r) => ({ code: r.code, level: r.level, who: r.fix.who })),
          ctx.selfServicePolicyName,
          tr,
        );
  return { title, severity: diagnosis.severity, text, steps, needsIt };
}
