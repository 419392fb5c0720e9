import type {
  DemoFleet,
  GraphCaPolicyRecord,
  GraphDeviceRecord,
  GraphGroupRecord,
  GraphUserRecord,
} from '../../demo/fleetTypes';

/**
 * A small hand-made Graph fleet for the Graph simulator's and client's tests (independent of the
 * demo fleet generator): a few named people — one with an apostrophe, one with accents — their
 * Macs, a Windows PC, `extraMacs` anonymous Macs for paging, nested groups, the Jamf compliance
 * partner, two Conditional Access policies and the two Entra apps of the integration.
 */

export const TEST_TENANT_ID = '11111111-2222-4333-8444-555555555555';
export const TEST_CLIENT_ID = '99999999-8888-4777-8666-555555555555';
export const TEST_CLIENT_SECRET = 'test-secret-value~1234567890';
export const REGISTRATION_APP_ID = 'b03c10a8-71c7-45f9-b44a-3335ab76e970';
export const CONNECTOR_GROUP_ID = '0a0a0a0a-0000-4000-8000-00000000c0de';
export const NESTED_GROUP_ID = '0a0a0a0a-0000-4000-8000-0000000000e5';
export const PARENT_GROUP_ID = '0a0a0a0a-0000-4000-8000-0000000000a1';
export const PARTNER_ID = '7f7f7f7f-0000-4000-8000-000000000a3f';

const guid = (kind: number, n: number): string =>
  `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const DOMAIN = 'contoso.example';

function user(
  n: number,
  givenName: string,
  surname: string,
  upnLocal: string,
  mail?: string,
): GraphUserRecord {
  return {
    id: guid(1, n),
    userPrincipalName: `${upnLocal}@${DOMAIN}`,
    displayName: `${givenName} ${surname}`,
    givenName,
    surname,
    mail: mail ?? `${upnLocal}@${DOMAIN}`,
    accountEnabled: true,
  };
}

function mac(
  n: number,
  name: string,
  ownerIds: string[],
  extra: Partial<GraphDeviceRecord> = {},
): GraphDeviceRecord {
  return {
    id: guid(2, n),
    deviceId: guid(3, n),
    displayName: name,
    accountEnabled: true,
    isCompliant: n % 2 === 0,
    isManaged: true,
    trustType: 'Workplace',
    operatingSystem: 'macOS',
    operatingSystemVersion: '15.3.1',
    registrationDateTime: '2026-01-10T09:00:00Z',
    approximateLastSignInDateTime: '2026-11-20T09:00:00Z',
    manufacturer: 'Apple',
    model: 'MacBook Pro',
    managementType: null,
    mdmAppId: null,
    registeredOwnerIds: ownerIds,
    ...extra,
  };
}

export interface TestFleetOptions {
  /** Anonymous Macs added for paging tests. */
  extraMacs?: number;
}

export function buildGraphTestFleet(opts: TestFleetOptions = {}): DemoFleet {
  const alex = user(1, 'Alex', 'Wilber', 'alex.wilber');
  const miriam = user(2, 'Miriam', "O'Brien", 'miriam.obrien', `miriam.o'brien@${DOMAIN}`);
  const jose = user(3, 'José', 'Núñez', 'jose.nunez', `josé.núñez@${DOMAIN}`);
  const megan = user(4, 'Megan', 'Bowen', 'megan.bowen');
  const users = [alex, miriam, jose, megan];

  const devices: GraphDeviceRecord[] = [
    mac(1, 'Alex’s MacBook Pro', [alex.id]),
    mac(2, "Miriam O'Brien's Mac mini", [miriam.id]),
    mac(3, 'José’s MacBook Air 🍏', [jose.id], { operatingSystem: 'MacMDM' }),
    mac(4, 'Shared Mac', [alex.id, megan.id]),
    mac(5, 'Alex-PC', [alex.id], {
      operatingSystem: 'Windows',
      operatingSystemVersion: '10.0.26100',
      trustType: 'AzureAd',
    }),
  ];
  for (let i = 0; i < (opts.extraMacs ?? 0); i++) {
    devices.push(mac(1000 + i, `FLEET-MAC-${String(i).padStart(5, '0')}`, [megan.id]));
  }

  const groups: GraphGroupRecord[] = [
    {
      id: CONNECTOR_GROUP_ID,
      displayName: 'Jamf Compliance Users',
      mailNickname: 'jamfcomplianceusers',
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      membershipRule: null,
      membershipRuleProcessingState: null,
      memberIds: [alex.id, miriam.id, jose.id],
    },
    {
      id: NESTED_GROUP_ID,
      displayName: 'Mac Pilot (nested)',
      mailNickname: 'macpilot',
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      membershipRule: null,
      membershipRuleProcessingState: null,
      memberIds: [megan.id, guid(2, 4)],
    },
    {
      id: PARENT_GROUP_ID,
      displayName: 'All Mac Users',
      mailNickname: 'allmacusers',
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      membershipRule: null,
      membershipRuleProcessingState: null,
      memberIds: [alex.id, NESTED_GROUP_ID],
    },
    {
      id: guid(4, 9),
      displayName: 'Dynamic Mac owners',
      mailNickname: 'dynmac',
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: ['DynamicMembership'],
      membershipRule: '(user.department -eq "Design")',
      membershipRuleProcessingState: 'On',
      memberIds: [],
    },
  ];

  const policy = (id: number, displayName: string, excludeApplications: string[]): GraphCaPolicyRecord => ({
    id: guid(5, id),
    displayName,
    state: 'enabled',
    createdDateTime: '2026-02-01T10:00:00Z',
    modifiedDateTime: null,
    conditions: {
      applications: { includeApplications: ['All'], excludeApplications, includeUserActions: [] },
      users: { includeUsers: ['All'], excludeUsers: [], includeGroups: [], excludeGroups: [] },
      platforms: { includePlatforms: ['macOS'], excludePlatforms: [] },
      clientAppTypes: ['all'],
    },
    grantControls: { operator: 'OR', builtInControls: ['compliantDevice', 'domainJoinedDevice'] },
  });

  return {
    generatedAt: '2026-11-26T08:00:00Z',
    tenantId: TEST_TENANT_ID,
    jamf: { computers: [], smartGroups: [], policies: [], compliance: {} },
    graph: {
      users,
      devices,
      groups,
      compliancePartners: [
        {
          id: PARTNER_ID,
          displayName: 'Jamf Device Compliance',
          lastHeartbeatDateTime: '2026-11-26T07:55:00Z',
          partnerState: 'enabled',
          macOsOnboarded: true,
          iosOnboarded: false,
          androidOnboarded: false,
          macOsEnrollmentAssignments: [
            {
              target: {
                '@odata.type': '#microsoft.graph.groupAssignmentTarget',
                groupId: CONNECTOR_GROUP_ID,
              },
            },
          ],
          iosEnrollmentAssignments: [],
          androidEnrollmentAssignments: [],
        },
      ],
      caPolicies: [
        policy(1, 'Require compliant Mac (excludes registration app)', [REGISTRATION_APP_ID]),
        policy(2, 'Require compliant device for all apps', []),
      ],
      servicePrincipals: [
        {
          id: guid(6, 1),
          appId: '1b912ec3-a9dd-4c4d-a53e-76aa7adb28d7',
          displayName: 'Cloud Connector for Device Compliance',
        },
        {
          id: guid(6, 2),
          appId: REGISTRATION_APP_ID,
          displayName: 'User registration app for Device Compliance',
        },
      ],
    },
    connectorGroupId: CONNECTOR_GROUP_ID,
  };
}
