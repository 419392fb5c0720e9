import { GRAPH_APP_PERMISSIONS } from '../src/upstream/graph/graphPermissions';
import { JAMF_REQUIRED_PRIVILEGES } from '../src/upstream/jamf/jamfPrivileges';
import { DEMO_FLEET_IDS } from './demoFleetIds';
import type { DemoFleet, GraphCompliancePartnerRecord } from './fleetTypes';

/**
 * Switches the demo tenant's connector, Conditional Access and Entra apps into the bad states
 * `connector status` and `ca audit` must recognise, and back. Each scenario mutates the live
 * `DemoFleet` the simulators serve, so the next request sees it; `healthy` undoes them all.
 * Mac states are left alone (the generated fleet already has every verdict).
 */
export const DEMO_SCENARIOS = [
  'healthy',
  'stale-heartbeat',
  'never-reported',
  'unresponsive',
  'all-users',
  'no-group',
  'macos-not-onboarded',
  'no-partner',
  'missing-exclusion',
  'missing-connector-app',
  'missing-registration-app',
  'missing-permission',
  'missing-jamf-privilege',
] as const;

export type DemoScenario = (typeof DEMO_SCENARIOS)[number];

const MINUTE = 60_000;
const PARTNER_NAME = 'Jamf Device Compliance';
const ALL_USERS_TARGET = '#microsoft.graph.allLicensedUsersAssignmentTarget';
const SP = DEMO_FLEET_IDS.servicePrincipals;
const APP_NAMES = {
  cloudConnector: 'Cloud Connector for Device Compliance',
  userRegistration: 'User registration app for Device Compliance',
} as const;

/** Intune's `lastHeartbeatDateTime` for a partner that never sent one. */
export const NEVER = '0001-01-01T00:00:00Z';

const ago = (now: Date, ms: number): string => new Date(now.getTime() - ms).toISOString();

/** The Jamf partner, recreated as the generator makes it when a scenario removed it. */
function partnerOf(fleet: DemoFleet, now: Date): GraphCompliancePartnerRecord {
  let p = fleet.graph.compliancePartners.find((x) => x.id === DEMO_FLEET_IDS.compliancePartnerId);
  if (!p) {
    p = {
      id: DEMO_FLEET_IDS.compliancePartnerId,
      displayName: PARTNER_NAME,
      lastHeartbeatDateTime: ago(now, 3 * MINUTE),
      partnerState: 'enabled',
      macOsOnboarded: true,
      iosOnboarded: false,
      androidOnboarded: false,
      macOsEnrollmentAssignments: [],
      iosEnrollmentAssignments: [],
      androidEnrollmentAssignments: [],
    };
    fleet.graph.compliancePartners.push(p);
  }
  return p;
}

const requireCompliantMac = (fleet: DemoFleet) =>
  fleet.graph.caPolicies.find((p) => p.id === DEMO_FLEET_IDS.caPolicies.requireCompliantMac);

function removeServicePrincipal(fleet: DemoFleet, id: string): void {
  fleet.graph.servicePrincipals = fleet.graph.servicePrincipals.filter((sp) => sp.id !== id);
}

/** Back to the generated, healthy state: enabled, fresh heartbeat, group assignment, exclusion, both apps. */
export function makeHealthy(fleet: DemoFleet, now: Date = new Date()): void {
  const p = partnerOf(fleet, now);
  p.displayName = PARTNER_NAME;
  p.partnerState = 'enabled';
  p.lastHeartbeatDateTime = ago(now, 3 * MINUTE);
  p.macOsOnboarded = true;
  p.macOsEnrollmentAssignments = [
    { target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: fleet.connectorGroupId } },
  ];
  const policy = requireCompliantMac(fleet);
  if (policy && !policy.conditions.applications.excludeApplications.includes(SP.userRegistration.appId))
    policy.conditions.applications.excludeApplications.push(SP.userRegistration.appId);
  delete fleet.graph.grantedPermissions;
  delete fleet.jamf.apiPrivileges;
  for (const key of ['cloudConnector', 'userRegistration'] as const) {
    if (!fleet.graph.servicePrincipals.some((sp) => sp.id === SP[key].id))
      fleet.graph.servicePrincipals.push({ ...SP[key], displayName: APP_NAMES[key] });
  }
}

/** Still `enabled`, but Intune has not heard from Jamf Pro for six hours. */
export function makeHeartbeatStale(fleet: DemoFleet, now: Date = new Date()): void {
  partnerOf(fleet, now).lastHeartbeatDateTime = ago(now, 6 * 60 * MINUTE);
}

/**
 * Jamf Pro never reported: Intune serves the minimum date, not `null` (the property is
 * non-nullable in the v1.0 CSDL).
 */
export function makeNeverReported(fleet: DemoFleet, now: Date = new Date()): void {
  partnerOf(fleet, now).lastHeartbeatDateTime = NEVER;
}

/** Intune gave up on the partner: state `unresponsive`, last heartbeat three days ago. */
export function makeUnresponsive(fleet: DemoFleet, now: Date = new Date()): void {
  const p = partnerOf(fleet, now);
  p.partnerState = 'unresponsive';
  p.lastHeartbeatDateTime = ago(now, 3 * 24 * 60 * MINUTE);
}

/** The macOS assignment targets *all users*, which the seed article says breaks the connection. */
export function assignAllUsers(fleet: DemoFleet, now: Date = new Date()): void {
  partnerOf(fleet, now).macOsEnrollmentAssignments = [{ target: { '@odata.type': ALL_USERS_TARGET } }];
}

/** The macOS assignment has no group at all. */
export function removeAssignments(fleet: DemoFleet, now: Date = new Date()): void {
  partnerOf(fleet, now).macOsEnrollmentAssignments = [];
}

/** The partner exists, but not for macOS. */
export function offboardMacOs(fleet: DemoFleet, now: Date = new Date()): void {
  partnerOf(fleet, now).macOsOnboarded = false;
}

/** No Jamf compliance partner in Intune at all. */
export function removePartner(fleet: DemoFleet): void {
  fleet.graph.compliancePartners = fleet.graph.compliancePartners.filter(
    (p) => p.id !== DEMO_FLEET_IDS.compliancePartnerId,
  );
}

/** The enforced "Require compliant device – Macs" policy no longer excludes the User registration app. */
export function removeRegistrationExclusion(fleet: DemoFleet): void {
  const policy = requireCompliantMac(fleet);
  if (!policy) return;
  policy.conditions.applications.excludeApplications =
    policy.conditions.applications.excludeApplications.filter((id) => id !== SP.userRegistration.appId);
}

/** The *Cloud Connector for Device Compliance* service principal is gone. */
export function removeCloudConnectorApp(fleet: DemoFleet): void {
  removeServicePrincipal(fleet, SP.cloudConnector.id);
}

/** The *User registration app for Device Compliance* service principal is gone. */
export function removeRegistrationApp(fleet: DemoFleet): void {
  removeServicePrincipal(fleet, SP.userRegistration.id);
}

/** The permission `missing-permission` takes away: `ca audit` needs it. */
export const MISSING_PERMISSION = 'Policy.Read.All';

/**
 * The bot's app lacks one Graph permission its docs list (admin consent never given for it).
 * Tokens issued from now on lack the role; one already issued keeps it until it expires.
 */
export function removePermission(fleet: DemoFleet, permission: string = MISSING_PERMISSION): void {
  fleet.graph.grantedPermissions = (fleet.graph.grantedPermissions ?? [...GRAPH_APP_PERMISSIONS]).filter(
    (p) => p !== permission,
  );
}

/** The privilege `missing-jamf-privilege` takes away: `onboard group` reads the Self Service policy with it. */
export const MISSING_JAMF_PRIVILEGE = 'Read Policies';

/** The bot's Jamf Pro API role lacks one privilege its docs list (the one most often forgotten). */
export function removeJamfPrivilege(fleet: DemoFleet, privilege: string = MISSING_JAMF_PRIVILEGE): void {
  fleet.jamf.apiPrivileges = (fleet.jamf.apiPrivileges ?? [...JAMF_REQUIRED_PRIVILEGES]).filter(
    (p) => p !== privilege,
  );
}

/**
 * A tenant where the integration was never set up, for `onboard group` to start from: the Jamf
 * partner exists in Intune (connecting Jamf Pro to Intune is done in Jamf Pro) but its macOS
 * assignment is empty, the Entra user group that would scope it does not exist, and Jamf Pro has
 * neither the *Applicable* nor the *Compliance* smart group. Conditional Access and the Entra
 * apps are left as generated. Not a `DEMO_SCENARIO` (the `healthy` reset cannot undo it): it is
 * `startDemoTenant({ fresh: true })`.
 */
export function makeNotOnboarded(fleet: DemoFleet, now: Date = new Date()): void {
  partnerOf(fleet, now).macOsEnrollmentAssignments = [];
  fleet.graph.groups = fleet.graph.groups.filter((g) => g.id !== fleet.connectorGroupId);
  const gone = new Set<string>([DEMO_FLEET_IDS.jamfGroups.applicable, DEMO_FLEET_IDS.jamfGroups.compliance]);
  fleet.jamf.smartGroups = fleet.jamf.smartGroups.filter((g) => !gone.has(g.id));
  fleet.jamf.policies = fleet.jamf.policies.filter(
    (p) => p.general.id !== DEMO_FLEET_IDS.jamfPolicies.registration,
  );
  for (const c of fleet.jamf.computers) {
    c.groupMemberships = c.groupMemberships.filter((m) => !gone.has(m.groupId));
  }
}

const APPLY: Record<DemoScenario, (fleet: DemoFleet, now: Date) => void> = {
  healthy: makeHealthy,
  'stale-heartbeat': makeHeartbeatStale,
  'never-reported': makeNeverReported,
  unresponsive: makeUnresponsive,
  'all-users': assignAllUsers,
  'no-group': removeAssignments,
  'macos-not-onboarded': offboardMacOs,
  'no-partner': removePartner,
  'missing-exclusion': removeRegistrationExclusion,
  'missing-connector-app': removeCloudConnectorApp,
  'missing-registration-app': removeRegistrationApp,
  'missing-permission': (fleet) => removePermission(fleet),
  'missing-jamf-privilege': (fleet) => removeJamfPrivilege(fleet),
};

/** Applies scenarios in order (`healthy` first resets), e.g. from `DEMO_SCENARIO=stale-heartbeat,all-users`. */
export function applyDemoScenarios(
  fleet: DemoFleet,
  scenarios: readonly DemoScenario[],
  now: Date = new Date(),
): void {
  for (const s of scenarios) APPLY[s](fleet, now);
}
