import { collectReasons } from './collectReasons';
import { describeDuration } from './describeDuration';
import {
  REASON_CODES,
  type Diagnosis,
  type DiagnosisContext,
  type Reason,
  type ReasonCode,
  type Severity,
  type Verdict,
} from './diagnosisTypes';
import { readMacFacts, type MacFacts } from './readMacFacts';
import { REASON_LABELS } from './reasonLabels';
import type { ComplianceCriteria, MacRecord } from './types';

const RANK = new Map<ReasonCode, number>(REASON_CODES.map((code, i) => [code, i]));
const rank = (r: Reason): number => RANK.get(r.code) ?? REASON_CODES.length;

/** Amber where nothing is broken yet (out of scope, or inside the normal delay); red where someone must act. */
const SEVERITY: Record<Verdict, Severity> = {
  compliant: 'good',
  not_applicable: 'warning',
  waiting_first_report: 'warning',
  not_registered: 'attention',
  not_compliant: 'attention',
  out_of_sync: 'attention',
  stale: 'attention',
};

/** The compliance criteria themselves, as opposed to prerequisites: what "not compliant" is about. */
const CRITERIA_CODES: readonly ReasonCode[] = [
  'inventory_old',
  'company_portal_missing',
  'filevault_not_all_encrypted',
];

/**
 * Precedence, by what a person must do first:
 * 1. `not_applicable` — outside the Applicable group nothing else about the integration applies.
 * 2. `stale` — every other fact is as old as the last inventory; the Mac must report first.
 * 3. `not_registered` — nothing reaches Entra ID until the device exists there.
 * 4. `not_compliant` — Jamf itself says no; waiting cannot help, the next report says "not compliant" too.
 * 5. `out_of_sync` / `waiting_first_report` — Jamf says yes, Entra not yet: waiting up to
 *    `syncDelayHours` (inclusive) is normal, strictly longer is out of sync.
 * 6. `compliant` — Jamf says yes and Entra agrees (it may still carry warnings).
 */
/** The verdict from a Mac's facts alone (no texts): what `diagnoseMac` decides, for callers that need only that. */
export function decideVerdict(f: MacFacts): Verdict {
  if (!f.applicable) return 'not_applicable';
  if (f.stale) return 'stale';
  if (!f.registered) return 'not_registered';
  if (!f.jamfCompliant) return 'not_compliant';
  if (f.entraCompliant) return 'compliant';
  return f.syncOverdue ? 'out_of_sync' : 'waiting_first_report';
}

function headlineFor(verdict: Verdict, f: MacFacts, reasons: readonly Reason[]): string {
  switch (verdict) {
    case 'compliant':
      return 'Compliant: Jamf Pro and Entra ID agree.';
    case 'not_applicable':
      return 'Not in scope: this Mac is not in the Applicable group.';
    case 'stale':
      return f.inventoryAgeMs === null
        ? 'Stale: Jamf Pro has no inventory from this Mac.'
        : `Stale: no inventory from this Mac for ${describeDuration(f.inventoryAgeMs)}.`;
    case 'not_registered':
      return 'Not registered with Entra ID yet.';
    case 'not_compliant': {
      const first = reasons.find((r) => CRITERIA_CODES.includes(r.code));
      return first
        ? `Not compliant: ${REASON_LABELS[first.code]}.`
        : 'Not compliant: Jamf Pro does not count it compliant.';
    }
    case 'out_of_sync':
      return 'Out of sync: Jamf Pro counts it compliant, Entra ID does not.';
    case 'waiting_first_report':
      return "Registered: waiting for Jamf Pro's first compliance report to reach Entra ID.";
  }
}

/**
 * One Mac's verdict, the reasons behind it (each tied to a criterion, with the fix and who
 * does it) and the first thing to do. Pure: `now` is passed in, missing data never throws —
 * an absent date counts as "no inventory" / "unknown", an absent Entra device as "not registered".
 */
export function diagnoseMac(
  record: MacRecord,
  criteria: ComplianceCriteria,
  now: Date,
  context: DiagnosisContext = {},
): Diagnosis {
  const facts = readMacFacts(record, criteria, now);
  const verdict = decideVerdict(facts);
  const reasons = collectReasons(record, facts, verdict, criteria, context).sort((a, b) => rank(a) - rank(b));
  return {
    verdict,
    headline: headlineFor(verdict, facts, reasons),
    severity: SEVERITY[verdict],
    reasons,
    nextStep: reasons.find((r) => r.level === 'problem') ?? null,
  };
}
