import type { CaAudit } from './auditConditionalAccess';

/**
 * The onboarding plan's data: what `onboard group` read (the state), what the configuration
 * asks for (the desired), and the plan and its run. Plain data, structurally compatible with
 * the clients' types so the command can pass what it read straight in.
 */

/** What `onboard group` was asked for. */
export interface OnboardTarget {
  /** `id`: an Entra object id (the group must exist); `name`: a display name (created if missing). */
  kind: 'id' | 'name';
  value: string;
  /** A dynamic membership rule for a group the bot creates; null: an assigned group. */
  rule: string | null;
}

export interface GroupFacts {
  id: string;
  displayName: string;
  securityEnabled: boolean;
  mailEnabled: boolean;
  groupTypes: readonly string[];
  membershipRule: string | null;
  membershipRuleProcessingState: string | null;
}

/** One target of the connector's macOS enrollment assignment. */
export type AssignmentTargetFacts =
  | { kind: 'group'; groupId: string }
  | { kind: 'allUsers'; odataType: string }
  | { kind: 'other'; odataType: string; groupId?: string };

/** The Jamf compliance partner in Intune, as far as onboarding reads it. */
export interface ConnectorFacts {
  id: string;
  displayName: string;
  partnerState: string;
  macOsOnboarded: boolean;
  assignments: { macOs: readonly AssignmentTargetFacts[] };
}

/** A smart computer group criterion, in Jamf Pro v3's shape (the Jamf client and the demo's Jamf simulator use it as-is). */
export interface SmartGroupCriterionFacts {
  name: string;
  priority: number;
  andOr: 'and' | 'or';
  searchType: string;
  value: string;
  openingParen: boolean;
  closingParen: boolean;
}

export interface SmartGroupFacts {
  id: string;
  name: string;
  criteria: readonly SmartGroupCriterionFacts[];
}

export type SmartGroupRole = 'applicable' | 'compliance';

/** A smart group as the configuration wants it (criteria in order; all joined with `and`). */
export interface DesiredSmartGroup {
  name: string;
  description: string;
  criteria: { name: string; searchType: string; value: string }[];
}

/** Everything the plan is computed from, read before anything is planned. */
export interface OnboardingState {
  target: OnboardTarget;
  /** The groups the target names: by id (0 or 1), or every group with that display name. */
  groups: readonly GroupFacts[];
  /** The Jamf compliance partner in Intune; null when there is none. */
  connector: ConnectorFacts | null;
  /** Display names of groups the connector targets, where known (for the card). */
  groupNames: Readonly<Record<string, string>>;
  /** The configured smart groups (name or id from config) and what Jamf Pro has under it. */
  smartGroups: Record<SmartGroupRole, { configured: string; group: SmartGroupFacts | null }>;
  /** Macs in Jamf inventory and how many have the required app; null when it could not be read. */
  companyPortal: { macs: number; withApp: number } | null;
  /** The Conditional Access audit (`auditConditionalAccess`). */
  ca: CaAudit;
  /**
   * The Self Service registration policy (Classic API): the best candidate found, or null when
   * none looks like it; the whole field is null when Jamf Pro's policies could not be read.
   */
  registrationPolicy: { expectedName: string; policy: RegistrationPolicyFacts | null } | null;
}

/** A Jamf computer policy, as far as step 4 checks it. */
export interface RegistrationPolicyFacts {
  id: string;
  name: string;
  enabled: boolean;
  allComputers: boolean;
  groups: { id: string; name: string }[];
  inSelfService: boolean;
  selfServiceName: string;
}

export interface OnboardingDesired {
  smartGroups: Record<SmartGroupRole, DesiredSmartGroup>;
  /** e.g. `CompanyPortal.app`; null when the criteria do not require an app. */
  requiredApp: string | null;
}

/** A write Apply makes. Each is re-checked against a fresh read just before it is made. */
export type PlanAction =
  | {
      kind: 'createGroup';
      group: { displayName: string; mailNickname: string; description: string; membershipRule?: string };
    }
  | {
      kind: 'assignConnector';
      partnerId: string;
      /** `id` null: the group step 1 creates, found by name (or from step 1's result) at apply time. */
      group: { id: string | null; displayName: string };
      /** The plan showed an *all users* target that Apply removes. */
      removeAllUsers: boolean;
    }
  | { kind: 'createSmartGroup'; role: SmartGroupRole; group: DesiredSmartGroup };

export type StepKey = 'entraGroup' | 'connector' | 'smartGroups' | 'jamfApps' | 'conditionalAccess';

/**
 * `ok`: in place, nothing to do; `change`: Apply makes the changes listed; `attention`: a person
 * must fix something (Apply will not); `manual`: the APIs cannot check it, a person must.
 */
export type StepStatus = 'ok' | 'change' | 'attention' | 'manual';

export interface PlanStep {
  number: number;
  key: StepKey;
  title: string;
  status: StepStatus;
  /** What is there now, one line each. */
  current: string[];
  /** What Apply would do, one line each (status `change`). */
  changes: string[];
  /** What a person must do by hand, one line each. */
  fixes: string[];
  actions: PlanAction[];
}

export interface OnboardingPlan {
  target: OnboardTarget;
  /** The group as the steps name it. */
  groupLabel: string;
  steps: PlanStep[];
  /** Writes Apply would make. */
  changeCount: number;
  /** Steps with something a person must do (fixes). */
  attentionCount: number;
}

/** How one step went when Apply ran. */
export type StepRunState = 'pending' | 'done' | 'unchanged' | 'failed' | 'not_run';

export interface StepRun {
  number: number;
  state: StepRunState;
  /** What happened, in a line ("Created …", "Already there", the error). */
  detail: string;
}

export interface OnboardingRun {
  by: string;
  startedAt: string;
  outcome: 'running' | 'applied' | 'failed';
  steps: StepRun[];
}
