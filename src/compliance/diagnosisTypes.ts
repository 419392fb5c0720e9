/**
 * The shape of a diagnosis: one verdict per Mac, the reasons behind it and who fixes what.
 * Cards, reminders and fleet counts read these; only `diagnoseMac` writes them.
 */

/** Every verdict, in precedence order: the first that applies wins (see `diagnoseMac`). */
export const VERDICTS = [
  'not_applicable',
  'stale',
  'not_registered',
  'not_compliant',
  'out_of_sync',
  'waiting_first_report',
  'compliant',
] as const;

export type Verdict = (typeof VERDICTS)[number];

/**
 * Every reason code, in the order a person should act on them: scope first, then a Mac that
 * reports at all, then the identity prerequisites IT owns, then registration, then the
 * compliance criteria, then waiting. `nextStep` is the first *problem* in this order.
 */
export const REASON_CODES = [
  'not_in_applicable_group',
  'inventory_stale',
  'no_user_assigned',
  'user_not_found_in_entra',
  'user_not_in_connector_group',
  'company_portal_missing',
  'no_entra_device',
  'entra_device_not_workplace_joined',
  'weak_join',
  'inventory_old',
  'filevault_not_all_encrypted',
  'filevault_unknown',
  'not_in_compliance_group',
  'waiting_first_report',
  'sync_delayed',
  'entra_not_compliant',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

/** The criterion (or integration prerequisite) a reason checks, so a card can point at the config. */
export type ReasonCriterion =
  | 'applicableGroup'
  | 'complianceGroup'
  | 'inventoryMaxAgeDays'
  | 'requiredApp'
  | 'requiredFileVault'
  | 'staleAfterDays'
  | 'syncDelayHours'
  /** The Jamf user ↔ Entra user ↔ connector group chain. */
  | 'connectorGroup'
  /** The Mac's Entra device record and how it was matched. */
  | 'registration';

/** Who can act on a reason: the person at the Mac, or an admin. */
export interface Fix {
  who: 'user' | 'it';
  /** Plain language; may carry Adaptive Card markdown (`**bold**`, `*italic*`). */
  text: string;
}

export interface Reason {
  code: ReasonCode;
  criterion: ReasonCriterion;
  /** `problem` keeps the Mac from being compliant; `warning` is worth knowing but blocks nothing today. */
  level: 'problem' | 'warning';
  /** The facts, e.g. "Last inventory 5 days ago (the Compliance group needs less than 2 days)". */
  detail: string;
  fix: Fix;
}

/** Card colour: good = green, warning = amber, attention = red. */
export type Severity = 'good' | 'warning' | 'attention';

export interface Diagnosis {
  verdict: Verdict;
  /** One short plain sentence for the top of a card or a reminder. */
  headline: string;
  severity: Severity;
  /** Problems and warnings, ordered as `REASON_CODES` (what to do first comes first). */
  reasons: Reason[];
  /** The first problem to act on; null when nothing blocks the Mac. */
  nextStep: Reason | null;
}

/** Names the tenant uses, so fixes can say exactly what to click or whom to add where. */
export interface DiagnosisContext {
  /** The Entra user group the Jamf connector's macOS assignment targets. */
  connectorGroupName?: string;
  /** The Self Service policy that registers the Mac with Entra ID. */
  selfServicePolicyName?: string;
}
