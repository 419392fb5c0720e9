/**
 * Fixed ids of the demo tenant's configuration objects. They do not depend on the fleet's seed or
 * size, so tests, the Playground config and the other simulators can name them directly.
 */
export const DEMO_FLEET_IDS = {
  /** Jamf smart groups. */
  jamfGroups: { allManagedClients: '1', applicable: '2', compliance: '3', macOs15: '4' },
  /** Jamf computer policies (Classic API ids). */
  jamfPolicies: { registration: 1, rosetta: 2, companyPortalUpdate: 3 },
  /** The Entra user group the connector's macOS assignment targets. */
  connectorGroupId: '0d6e1f2a-0000-4000-9000-000000000041',
  allEmployeesGroupId: '0d6e1f2a-0000-4000-9000-000000000042',
  compliancePartnerId: '0d6e1f2a-0000-4000-a000-000000000051',
  caPolicies: {
    requireCompliantMac: '0d6e1f2a-0000-4000-b000-000000000061',
    reportOnlyAllPlatforms: '0d6e1f2a-0000-4000-b000-000000000062',
  },
  servicePrincipals: {
    cloudConnector: {
      id: '0d6e1f2a-0000-4000-c000-000000000071',
      appId: '5a2f3c4d-6e7f-4a1b-8c2d-3e4f5a6b7c8d',
    },
    userRegistration: {
      id: '0d6e1f2a-0000-4000-c000-000000000072',
      appId: 'b03c10a8-71c7-45f9-b44a-3335ab76e970',
    },
    intune: { id: '0d6e1f2a-0000-4000-c000-000000000073', appId: '0000000a-0000-0000-c000-000000000000' },
  },
} as const;

/** Jamf smart group names (the seed article's examples). */
export const DEMO_JAMF_GROUP_NAMES = {
  allManagedClients: 'All Managed Clients',
  applicable: 'Jamf-Intune Applicable Group',
  compliance: 'Jamf-Intune Compliance Group',
  macOs15: 'macOS 15 or later',
} as const;
