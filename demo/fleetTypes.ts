/**
 * The demo tenant's state, in the services' own wire shapes, so the simulators serve it
 * as-is: Jamf Pro objects follow `contracts/jamf-pro-api-11.30.1.openapi.json`
 * (ComputerInventoryV4, SmartGroup v3, DeviceComplianceInformation), Graph objects follow
 * `contracts/graph-v1.0.csdl.xml` (device, user, group, complianceManagementPartner,
 * conditionalAccessPolicy, servicePrincipal). The simulators may mutate it (onboarding writes).
 */

import type { JamfSmartGroupCriterion } from '../src/upstream/jamf/jamfSmartGroup';

/** A v4 `ComputerInventoryV4` with the sections the bot reads. */
export interface JamfInventoryRecord {
  id: string;
  udid: string;
  general: {
    name: string;
    reportDate: string | null;
    lastContact: string | null;
    lastCheckIn?: string | null;
    platform: 'Mac';
    managementId?: string;
  };
  hardware: { serialNumber: string; model: string; modelIdentifier?: string; make?: string };
  operatingSystem: { name: 'macOS'; version: string; build?: string; fileVault2Status: string };
  diskEncryption?: { fileVault2Enabled?: boolean; bootPartitionEncryptionDetails?: Record<string, unknown> };
  applications: { name: string; path?: string; version?: string; bundleId?: string; macAppStore?: boolean }[];
  userAndLocation: { username: string | null; realname: string | null; email: string | null };
  groupMemberships: { groupId: string; groupName: string; groupDescription?: string; smartGroup: boolean }[];
}

/**
 * A computer policy as the Classic API returns it (`GET /JSSResource/policies/id/{id}`, JSON), in
 * the documented shape of `demo/fixtures/jamf-classic-policy.json`: the members the bot reads
 * typed, the rest (triggers, category, site, exclusions, payloads…) kept as Jamf Pro sends them.
 */
export interface JamfPolicyRecord {
  general: { id: number; name: string; enabled: boolean; [member: string]: unknown };
  scope: {
    all_computers: boolean;
    computers: { id: number; name: string; udid?: string }[];
    computer_groups: { id: number; name: string }[];
    [member: string]: unknown;
  };
  self_service: {
    use_for_self_service: boolean;
    self_service_display_name: string;
    [member: string]: unknown;
  };
  [section: string]: unknown;
}

/** v3 smart computer group, with its criteria. */
export interface JamfSmartGroupRecord {
  id: string;
  name: string;
  description?: string;
  siteId?: string | null;
  criteria: JamfSmartGroupCriterion[];
  /** Computer ids; the simulator derives `/smart-group-membership` from it. */
  members: string[];
}

/** `/api/v1/conditional-access/device-compliance-information/computer/{id}` item. */
export interface JamfComplianceRecord {
  deviceId: string;
  applicable: boolean;
  complianceState: 'UNKNOWN' | 'NON_COMPLIANT' | 'COMPLIANT';
  complianceVendor: string;
  complianceVendorDeviceInformation: { deviceIds: string[] };
}

export interface GraphUserRecord {
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName?: string | null;
  surname?: string | null;
  mail: string | null;
  accountEnabled: boolean;
  /** `preferredLanguage` (e.g. `de-DE`); unset in the generated fleet, tests set it. */
  preferredLanguage?: string | null;
}

export interface GraphDeviceRecord {
  id: string;
  deviceId: string;
  displayName: string;
  accountEnabled: boolean;
  isCompliant: boolean | null;
  isManaged: boolean | null;
  trustType: 'Workplace' | 'AzureAd' | 'ServerAd' | null;
  operatingSystem: string;
  operatingSystemVersion: string;
  registrationDateTime: string | null;
  approximateLastSignInDateTime: string | null;
  manufacturer?: string | null;
  model?: string | null;
  managementType?: string | null;
  mdmAppId?: string | null;
  /** User object ids; served through the `registeredOwners` / `registeredUsers` navigations. */
  registeredOwnerIds: string[];
}

export interface GraphGroupRecord {
  id: string;
  displayName: string;
  mailNickname: string;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  membershipRule: string | null;
  membershipRuleProcessingState: 'On' | 'Paused' | null;
  /** Member object ids (users or nested groups); `transitiveMembers` flattens nested groups. */
  memberIds: string[];
}

export interface GraphCompliancePartnerRecord {
  id: string;
  displayName: string;
  /** Non-nullable in the CSDL: never reported is `0001-01-01T00:00:00Z`, never `null`. */
  lastHeartbeatDateTime: string;
  partnerState: 'unknown' | 'unavailable' | 'enabled' | 'terminated' | 'rejected' | 'unresponsive';
  macOsOnboarded: boolean;
  iosOnboarded: boolean;
  androidOnboarded: boolean;
  macOsEnrollmentAssignments: { target: { '@odata.type': string; groupId?: string } }[];
  iosEnrollmentAssignments: { target: { '@odata.type': string; groupId?: string } }[];
  androidEnrollmentAssignments: { target: { '@odata.type': string; groupId?: string } }[];
}

/** A `conditionalAccessFilter`: a device (or app) filter rule and whether it includes or excludes. */
export interface GraphCaFilterRecord {
  mode: 'include' | 'exclude';
  rule: string;
}

/**
 * A `conditionalAccessPolicy`, whole, as Graph v1.0 serves it: every condition (applications,
 * users with roles, platforms, client app types, device filter, locations, risk levels) and the
 * grant with its authentication strength, so the audit is judged on what a tenant really holds.
 */
export interface GraphCaPolicyRecord {
  id: string;
  displayName: string;
  description?: string | null;
  templateId?: string | null;
  state: 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced';
  createdDateTime?: string | null;
  modifiedDateTime?: string | null;
  conditions: {
    applications: {
      includeApplications: string[];
      excludeApplications: string[];
      includeUserActions: string[];
      includeAuthenticationContextClassReferences?: string[];
      applicationFilter?: GraphCaFilterRecord | null;
    };
    users: {
      includeUsers: string[];
      excludeUsers: string[];
      includeGroups: string[];
      excludeGroups: string[];
      includeRoles?: string[];
      excludeRoles?: string[];
      includeGuestsOrExternalUsers?: null;
      excludeGuestsOrExternalUsers?: null;
    };
    platforms?: { includePlatforms: string[]; excludePlatforms: string[] } | null;
    clientAppTypes: string[];
    devices?: { deviceFilter: GraphCaFilterRecord | null } | null;
    locations?: { includeLocations: string[]; excludeLocations: string[] } | null;
    clientApplications?: null;
    userRiskLevels?: string[];
    signInRiskLevels?: string[];
    servicePrincipalRiskLevels?: string[];
    insiderRiskLevels?: null;
    authenticationFlows?: null;
  };
  grantControls: {
    operator: 'AND' | 'OR';
    builtInControls: string[];
    customAuthenticationFactors?: string[];
    termsOfUse?: string[];
    authenticationStrength?: {
      id: string;
      displayName: string;
      description?: string | null;
      policyType: 'builtIn' | 'custom';
      requirementsSatisfied: 'none' | 'mfa';
      allowedCombinations: string[];
      createdDateTime: string;
      modifiedDateTime: string;
    } | null;
  } | null;
  sessionControls?: null;
}

export interface GraphServicePrincipalRecord {
  id: string;
  appId: string;
  displayName: string;
}

/** Everything the demo tenant holds. */
export interface DemoFleet {
  /** The instant the fleet's dates are relative to. */
  generatedAt: string;
  tenantId: string;
  jamf: {
    computers: JamfInventoryRecord[];
    smartGroups: JamfSmartGroupRecord[];
    /** Computer policies (Classic API): the Self Service registration policy and a few others. */
    policies: JamfPolicyRecord[];
    /** Keyed by Jamf computer id. */
    compliance: Record<string, JamfComplianceRecord[]>;
    /**
     * The privileges of the bot's API client's role (`GET /api/v1/auth`; a request needing one it
     * lacks is refused with 403); absent: exactly what the bot's docs list (`JAMF_REQUIRED_PRIVILEGES`).
     */
    apiPrivileges?: string[];
  };
  graph: {
    users: GraphUserRecord[];
    devices: GraphDeviceRecord[];
    groups: GraphGroupRecord[];
    compliancePartners: GraphCompliancePartnerRecord[];
    caPolicies: GraphCaPolicyRecord[];
    servicePrincipals: GraphServicePrincipalRecord[];
    /**
     * The Graph application permissions the bot's app holds (tokens carry them as `roles`);
     * absent: exactly what the bot's docs list (`GRAPH_APP_PERMISSIONS`).
     */
    grantedPermissions?: string[];
  };
  /** The Entra group the connector's macOS assignment targets. */
  connectorGroupId: string;
}
