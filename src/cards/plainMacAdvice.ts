import { describeDuration } from '../compliance/describeDuration';
import type { Diagnosis, Reason, ReasonCode, Severity, Verdict } from '../compliance/diagnosisTypes';
import { HOUR_MS, readMacFacts, type MacFacts } from '../compliance/readMacFacts';
import type { ComplianceCriteria, MacRecord } from '../compliance/types';

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
}

/** The seed's check on the Mac itself, and its three outcomes, in one step. */
export const GATHER_AAD_INFO_COMMAND = '/usr/local/jamf/bin/jamfaad gatherAADInfo';

const UPDATE_INVENTORY =
  'Make sure your Mac is on and connected to the internet, then open **Self Service** and click **Update Inventory**.';
const CONTACT_IT = 'press **Contact IT** below.';

/** The registration steps, the one right way (Self Service) and the wrong one (Company Portal). */
export function registrationSteps(policy: string): string[] {
  return [
    'Open **Self Service** on your Mac (Finder › Applications › Self Service).',
    `Find **${policy}** and click its button.`,
    'Sign in with your work account when Microsoft asks.',
    'Wait about an hour, then ask me **status**.',
  ];
}

export const COMPANY_PORTAL_WARNING =
  'Do **not** register in the **Company Portal** app. It has to stay installed, but registering there fails with the error *AccountNotOnboarded*.';

function verdictText(verdict: Verdict, facts: MacFacts, ctx: PlainAdviceContext): [string, string] {
  switch (verdict) {
    case 'compliant':
      return [
        'All set',
        'This Mac meets the requirements: you can keep using Microsoft 365 on it. Nothing to do.',
      ];
    case 'not_applicable':
      return [
        'Not part of this rollout',
        'IT has not included this Mac in the rollout, so there is nothing you need to do for it. If you use it for work apps such as Outlook or Teams, tell IT.',
      ];
    case 'stale':
      return [
        'Has not checked in lately',
        facts.inventoryAgeMs === null
          ? 'Your Mac has never reported to IT, so I cannot tell whether it is OK.'
          : `Your Mac has not reported to IT for ${describeDuration(facts.inventoryAgeMs)}, so I cannot tell whether it is OK.`,
      ];
    case 'not_registered':
      return [
        'Not registered yet',
        'Your Mac is not registered with your work account yet. Until it is, sign-ins to Microsoft 365 from this Mac may be blocked.',
      ];
    case 'not_compliant':
      return ['Needs a fix', 'Your Mac is registered, but it does not meet the security requirements yet.'];
    case 'out_of_sync':
      return [
        'Stuck: one more step',
        `Your Mac meets the requirements, but Microsoft still has not received its status after ${describeDuration(facts.syncElapsedMs ?? 0)}.`,
      ];
    case 'waiting_first_report': {
      const left = Math.max(ctx.criteria.syncDelayHours * HOUR_MS - (facts.syncElapsedMs ?? 0), HOUR_MS);
      return [
        'Registered: almost there',
        `Your Mac is registered. Microsoft usually receives its status within ${ctx.criteria.syncDelayHours} hours: check again in about ${describeDuration(left)}.`,
      ];
    }
  }
}

/** The step for one reason, or null when it is IT-internal (a warning the person cannot act on). */
function stepFor(reason: Reason, ctx: PlainAdviceContext): { text: string; it: boolean } | null {
  const code: ReasonCode = reason.code;
  switch (code) {
    case 'not_in_applicable_group':
      return null;
    case 'inventory_stale':
    case 'inventory_old':
    case 'filevault_unknown':
      return { text: UPDATE_INVENTORY, it: false };
    case 'user_not_in_connector_group':
      return reason.level === 'problem'
        ? {
            text: `Your account is not set up for Mac compliance yet. Only IT can fix that: ${CONTACT_IT}`,
            it: true,
          }
        : null;
    case 'company_portal_missing':
      return {
        text: `The **Company Portal** app is missing from your Mac. IT installs it for you: if it has not appeared within a day, ${CONTACT_IT}`,
        it: true,
      };
    case 'no_entra_device':
      return {
        text: `Register your Mac: open **Self Service**, find **${ctx.selfServicePolicyName}**, click its button and sign in with your work account. Do not use the Company Portal app: it fails with *AccountNotOnboarded*.`,
        it: false,
      };
    case 'filevault_not_all_encrypted':
      return {
        text: 'Turn on FileVault: Apple menu › **System Settings** › **Privacy & Security** › **FileVault** › **Turn On**. Keep your Mac plugged in while it encrypts.',
        it: false,
      };
    case 'not_in_compliance_group':
      return reason.fix.who === 'user'
        ? {
            text: 'When that is done, click **Update Inventory** in **Self Service** so your Mac is checked again.',
            it: false,
          }
        : {
            text: `Your Mac passes every check I know of, yet it is not counted as compliant. IT needs to look at it: ${CONTACT_IT}`,
            it: true,
          };
    case 'waiting_first_report':
      return null; // the verdict text says when to check again
    case 'sync_delayed':
    case 'entra_not_compliant':
      // The seed's step for a registration that does not update; what it shows decides who acts next.
      return {
        text: `Open **Terminal** and run \`${GATHER_AAD_INFO_COMMAND}\`. If no sign-in window opens and it says Entra ID was *acquired*, your registration is fine: ${CONTACT_IT} If a sign-in window opens and signing in works, check again in an hour. If signing in fails, ${CONTACT_IT}`,
        it: false,
      };
    case 'no_user_assigned':
    case 'user_not_found_in_entra':
    case 'entra_device_not_workplace_joined':
    case 'weak_join':
      return reason.level === 'problem'
        ? { text: `IT needs to link this Mac to your account: ${CONTACT_IT}`, it: true }
        : null;
  }
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
  if (!diagnosis) {
    return {
      title: 'Cannot tell right now',
      severity: 'warning',
      text: 'Part of the system I check did not answer, so I cannot tell whether this Mac is OK. Try **Check again** in a few minutes.',
      steps: [],
      needsIt: false,
    };
  }
  const facts = readMacFacts(record, ctx.criteria, ctx.now);
  const [title, text] = verdictText(diagnosis.verdict, facts, ctx);
  const steps: string[] = [];
  let needsIt = false;
  if (diagnosis.verdict !== 'compliant') {
    for (const reason of diagnosis.reasons) {
      if (reason.level !== 'problem' && reason.fix.who !== 'user') continue;
      const step = stepFor(reason, ctx);
      if (!step || steps.includes(step.text)) continue;
      steps.push(step.text);
      needsIt ||= step.it;
    }
  }
  return { title, severity: diagnosis.severity, text, steps, needsIt };
}
