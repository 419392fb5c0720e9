import { auditConditionalAccess, type CaPolicyFacts } from '../../src/compliance/auditConditionalAccess';
import { DEFAULT_CRITERIA } from '../../src/compliance/defaultCriteria';
import { desiredSmartGroups } from '../../src/compliance/desiredSmartGroups';
import type {
  GroupFacts,
  OnboardingDesired,
  OnboardingState,
  RegistrationPolicyFacts,
  SmartGroupFacts,
} from '../../src/compliance/onboardingTypes';

export const REG_APP = 'b03c10a8-71c7-45f9-b44a-3335ab76e970';
export const GROUP_ID = '11111111-2222-4333-8444-555555555555';
export const OTHER_GROUP_ID = '66666666-7777-4888-9999-000000000000';
export const PARTNER_ID = 'partner-1';

export const DESIRED: OnboardingDesired = {
  smartGroups: desiredSmartGroups(DEFAULT_CRITERIA),
  requiredApp: DEFAULT_CRITERIA.requiredApp,
};

export function group(over: Partial<GroupFacts> = {}): GroupFacts {
  return {
    id: GROUP_ID,
    displayName: 'Mac users',
    securityEnabled: true,
    mailEnabled: false,
    groupTypes: [],
    membershipRule: null,
    membershipRuleProcessingState: null,
    ...over,
  };
}

/** The smart group exactly as the configuration wants it (Jamf's wire order and names). */
export function smartGroup(
  role: 'applicable' | 'compliance',
  id = role === 'applicable' ? '2' : '3',
): SmartGroupFacts {
  const want = DESIRED.smartGroups[role];
  return {
    id,
    name: want.name,
    criteria: want.criteria.map((c, i) => ({
      ...c,
      priority: i,
      andOr: 'and',
      openingParen: false,
      closingParen: false,
    })),
  };
}

export const COMPLIANT_MAC_POLICY: CaPolicyFacts = {
  id: 'ca-1',
  displayName: 'Require compliant device – Macs',
  state: 'enabled',
  includeApplications: ['All'],
  excludeApplications: [REG_APP],
  includePlatforms: ['macOS'],
  excludePlatforms: [],
  grantOperator: 'OR',
  builtInControls: ['compliantDevice'],
};

/** The seed's Self Service registration policy, scoped to the Applicable smart group. */
export function registrationPolicy(over: Partial<RegistrationPolicyFacts> = {}): RegistrationPolicyFacts {
  return {
    id: '1',
    name: 'Register with Microsoft Entra ID',
    enabled: true,
    allComputers: false,
    groups: [{ id: '11', name: DEFAULT_CRITERIA.applicableGroup }],
    inSelfService: true,
    selfServiceName: 'Register with Microsoft Entra ID',
    ...over,
  };
}

/** A tenant where everything for "Mac users" is in place. */
export function setUpState(over: Partial<OnboardingState> = {}): OnboardingState {
  return {
    target: { kind: 'name', value: 'Mac users', rule: null },
    groups: [group()],
    connector: {
      id: PARTNER_ID,
      displayName: 'Jamf Device Compliance',
      partnerState: 'enabled',
      macOsOnboarded: true,
      assignments: { macOs: [{ kind: 'group', groupId: GROUP_ID }] },
    },
    groupNames: { [GROUP_ID]: 'Mac users' },
    smartGroups: {
      applicable: { configured: DEFAULT_CRITERIA.applicableGroup, group: smartGroup('applicable') },
      compliance: { configured: DEFAULT_CRITERIA.complianceGroup, group: smartGroup('compliance') },
    },
    companyPortal: { macs: 10, withApp: 10 },
    ca: auditConditionalAccess([COMPLIANT_MAC_POLICY], {
      registrationAppId: REG_APP,
      registrationAppFound: true,
    }),
    registrationPolicy: { expectedName: 'Register with Microsoft Entra ID', policy: registrationPolicy() },
    ...over,
  };
}

/** A tenant where nothing is set up yet (the partner exists, unassigned). */
export function freshState(over: Partial<OnboardingState> = {}): OnboardingState {
  const s = setUpState();
  return {
    ...s,
    groups: [],
    connector: { ...s.connector!, assignments: { macOs: [] } },
    groupNames: {},
    smartGroups: {
      applicable: { configured: DEFAULT_CRITERIA.applicableGroup, group: null },
      compliance: { configured: DEFAULT_CRITERIA.complianceGroup, group: null },
    },
    companyPortal: { macs: 10, withApp: 7 },
    ...over,
  };
}
