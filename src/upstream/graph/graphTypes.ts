import type { UpstreamError } from '../../errors';

/**
 * What the Graph client returns besides the shared domain types (`EntraDevice`, `EntraUser`):
 * groups, the Intune compliance partner, Conditional Access policies, service principals and
 * `$batch` results — plain data, flattened from Graph's wire shapes.
 */

export interface EntraGroup {
  id: string;
  displayName: string;
  description: string | null;
  mailNickname: string | null;
  securityEnabled: boolean;
  mailEnabled: boolean;
  groupTypes: string[];
  /** Set for dynamic groups. */
  membershipRule: string | null;
  membershipRuleProcessingState: string | null;
}

/** A new Entra security group; a `membershipRule` makes it a dynamic user group (needs Entra ID P1). */
export interface NewSecurityGroup {
  displayName: string;
  mailNickname: string;
  description?: string;
  membershipRule?: string;
  /** Default `On`. */
  membershipRuleProcessingState?: 'On' | 'Paused';
}

export type {
  CompliancePartner,
  PartnerAssignmentTarget,
  PartnerPlatform,
  PartnerState,
} from '../../compliance/compliancePartner';
export { PARTNER_STATES } from '../../compliance/compliancePartner';

export type ConditionalAccessState = 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced';

/** The parts of a Conditional Access policy the audit reasons about. */
export interface ConditionalAccessPolicy {
  id: string;
  displayName: string;
  state: ConditionalAccessState;
  includeApplications: string[];
  excludeApplications: string[];
  includeUserActions: string[];
  includeUsers: string[];
  excludeUsers: string[];
  includeGroups: string[];
  excludeGroups: string[];
  includePlatforms: string[];
  excludePlatforms: string[];
  /** `AND` | `OR`, null without grant controls. */
  grantOperator: string | null;
  builtInControls: string[];
  includeRoles: string[];
  excludeRoles: string[];
  clientAppTypes: string[];
  /** `conditions.devices.deviceFilter`, null without one. */
  deviceFilter: { mode: string; rule: string } | null;
  /** `grantControls.authenticationStrength.displayName` (or its id), null when none is required. */
  authenticationStrength: string | null;
}

export interface ServicePrincipalInfo {
  id: string;
  appId: string;
  displayName: string;
}

/** One step of a `$batch`; `url` is relative to the version (`/users/{id}`). */
export interface GraphBatchRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Safe to repeat after a timeout or 5xx. Default: GET, and per step every method but POST. */
  idempotent?: boolean;
}

/** A step's final answer; `error` is set for anything but 2xx (after the retries it was worth). */
export interface GraphBatchResult {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  error?: UpstreamError;
}
