import { checkAgainstCsdl } from '../helpers/csdl';
import { CONNECTOR_GROUP_ID, PARENT_GROUP_ID, PARTNER_ID } from './graphTestFleet';
import { startGraphHarness, type GraphHarness } from './graphTestHarness';

/**
 * Everything the simulated Graph serves fits Graph's v1.0 metadata: each item of each entity
 * set (and each single entity) is checked property by property against its CSDL type.
 */
describe('Graph simulator responses validate against contracts/graph-v1.0.csdl.xml', () => {
  let h: GraphHarness;
  let headers: Record<string, string>;
  beforeAll(async () => {
    h = await startGraphHarness();
    headers = { authorization: `Bearer ${await h.token()}` };
  });
  afterAll(() => h.close());

  const alex = () => h.fleet.graph.users[0]!;
  const mac = () => h.fleet.graph.devices[0]!;

  const collections: [string, () => string, string][] = [
    ['devices', () => '/devices', 'device'],
    [
      'devices + $expand owners',
      () => '/devices?$expand=registeredOwners($select=id,userPrincipalName)',
      'device',
    ],
    ['users (default projection)', () => '/users', 'user'],
    [
      'users (all stored fields)',
      () => '/users?$select=id,userPrincipalName,displayName,givenName,surname,mail,accountEnabled',
      'user',
    ],
    ['device registeredOwners', () => `/devices/${mac().id}/registeredOwners`, 'directoryObject'],
    ['user registeredDevices', () => `/users/${alex().id}/registeredDevices`, 'directoryObject'],
    ['user ownedDevices', () => `/users/${alex().id}/ownedDevices`, 'directoryObject'],
    ['groups', () => '/groups', 'group'],
    ['group members', () => `/groups/${PARENT_GROUP_ID}/members`, 'directoryObject'],
    ['group transitiveMembers', () => `/groups/${PARENT_GROUP_ID}/transitiveMembers`, 'directoryObject'],
    [
      'complianceManagementPartners',
      () => '/deviceManagement/complianceManagementPartners',
      'complianceManagementPartner',
    ],
    ['conditional access policies', () => '/identity/conditionalAccess/policies', 'conditionalAccessPolicy'],
    ['servicePrincipals', () => '/servicePrincipals', 'servicePrincipal'],
  ];

  it.each(collections)('%s', async (_name, path, type) => {
    const r = await h.raw(path(), { headers });
    expect(r.status).toBe(200);
    expect(r.body['@odata.context']).toMatch(new RegExp(`^${h.sim.url.replace(/[.]/g, '\\.')}/\\$metadata#`));
    expect(r.body.value.length).toBeGreaterThan(0);
    const problems = r.body.value.flatMap((item: unknown, i: number) =>
      checkAgainstCsdl(type, item, `value[${i}]`),
    );
    expect(problems).toEqual([]);
  });

  const entities: [string, () => string, string][] = [
    ['device by id', () => `/devices/${mac().id}`, 'device'],
    ['device by deviceId', () => `/devices(deviceId='${mac().deviceId}')?$expand=registeredOwners`, 'device'],
    ['user by UPN', () => `/users/${alex().userPrincipalName}`, 'user'],
    ['group', () => `/groups/${CONNECTOR_GROUP_ID}`, 'group'],
    [
      'partner',
      () => `/deviceManagement/complianceManagementPartners/${PARTNER_ID}`,
      'complianceManagementPartner',
    ],
    [
      'CA policy',
      () => `/identity/conditionalAccess/policies/${h.fleet.graph.caPolicies[0]!.id}`,
      'conditionalAccessPolicy',
    ],
    [
      'service principal',
      () => `/servicePrincipals/${h.fleet.graph.servicePrincipals[0]!.id}`,
      'servicePrincipal',
    ],
  ];

  it.each(entities)('%s', async (_name, path, type) => {
    const r = await h.raw(path(), { headers });
    expect(r.status).toBe(200);
    expect(r.body['@odata.context']).toMatch(/\/\$entity$/);
    expect(checkAgainstCsdl(type, r.body)).toEqual([]);
  });

  it('created groups and patched partners fit too', async () => {
    const post = (method: string, path: string, body: unknown) =>
      h.raw(path, {
        method,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const g = await post('POST', '/groups', {
      displayName: 'Contract check',
      mailNickname: 'contract-check',
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: ['DynamicMembership'],
      membershipRule: '(user.accountEnabled -eq true)',
      membershipRuleProcessingState: 'Paused',
    });
    expect(g.status).toBe(201);
    expect(checkAgainstCsdl('group', g.body)).toEqual([]);
    const p = await post('PATCH', `/deviceManagement/complianceManagementPartners/${PARTNER_ID}`, {
      macOsEnrollmentAssignments: [
        { target: { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget' } },
      ],
    });
    expect(checkAgainstCsdl('complianceManagementPartner', p.body)).toEqual([]);
  });
});
