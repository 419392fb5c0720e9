import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  GRAPH_APP_PERMISSIONS,
  GRAPH_ROUTE_PERMISSIONS,
  graphPermissionFor,
} from '../../src/upstream/graph/graphPermissions';
import { CONNECTOR_GROUP_ID, PARTNER_ID } from './graphTestFleet';
import { FAST_RETRY, startGraphHarness, type GraphHarness } from './graphTestHarness';

const without = (...gone: string[]) => GRAPH_APP_PERMISSIONS.filter((p) => !gone.includes(p));
const claims = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { roles: string[] };

/**
 * The simulated Graph refuses a route whose application permission the token's `roles` lack,
 * with the error body of the workload behind it; the Graph client turns that 403 into a
 * `forbidden` error naming the permission from the same table.
 */
describe('Graph permissions in the demo tenant', () => {
  let h: GraphHarness;
  beforeAll(async () => {
    h = await startGraphHarness();
  });
  afterAll(() => h.close());
  afterEach(() => {
    delete h.fleet.graph.grantedPermissions;
  });

  const get = async (path: string) =>
    h.raw(path, { headers: { authorization: `Bearer ${await h.token()}` } });

  it('tokens carry exactly the permissions the docs list', async () => {
    expect(claims(await h.token()).roles.sort()).toEqual([...GRAPH_APP_PERMISSIONS].sort());
  });

  it('answers 403 Authorization_RequestDenied for a directory route without its role', async () => {
    expect((await get('/devices')).status).toBe(200);
    h.fleet.graph.grantedPermissions = without('Device.Read.All');
    const r = await get('/devices');
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
    });
    expect(Object.keys(r.body.error.innerError).sort()).toEqual(['client-request-id', 'date', 'request-id']);
  });

  it('accepts a higher permission that implies the one needed', async () => {
    h.fleet.graph.grantedPermissions = [
      ...without('User.Read.All', 'GroupMember.Read.All'),
      'Directory.Read.All',
    ];
    expect((await get('/users')).status).toBe(200);
    expect((await get(`/groups/${CONNECTOR_GROUP_ID}`)).status).toBe(200);
    h.fleet.graph.grantedPermissions = [
      ...without('DeviceManagementServiceConfig.Read.All'),
      'DeviceManagementServiceConfig.ReadWrite.All',
    ];
    expect((await get('/deviceManagement/complianceManagementPartners')).status).toBe(200);
  });

  it('words the refusal as Conditional Access and Intune do', async () => {
    h.fleet.graph.grantedPermissions = without(
      'Policy.Read.All',
      'DeviceManagementServiceConfig.Read.All',
      'DeviceManagementServiceConfig.ReadWrite.All',
    );
    const ca = await get('/identity/conditionalAccess/policies');
    expect(ca.status).toBe(403);
    expect(ca.body.error.code).toBe('AccessDenied');
    const intune = await get(`/deviceManagement/complianceManagementPartners/${PARTNER_ID}`);
    expect(intune.status).toBe(403);
    expect(intune.body.error.code).toBe('Forbidden');
    expect(intune.body.error.message).toContain(
      'Application must have one of the following scopes: DeviceManagementServiceConfig.Read.All',
    );
  });

  it('checks each $batch step on its own', async () => {
    h.fleet.graph.grantedPermissions = without('User.Read.All');
    const token = await h.token();
    const r = await h.raw('/$batch', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        requests: [
          { id: 'u', method: 'GET', url: '/users' },
          { id: 'g', method: 'GET', url: `/groups/${CONNECTOR_GROUP_ID}/transitiveMembers` },
        ],
      }),
    });
    expect(r.status).toBe(200);
    const byId = Object.fromEntries(
      (r.body.responses as { id: string; status: number }[]).map((x) => [x.id, x.status]),
    );
    expect(byId).toEqual({ u: 403, g: 200 });
  });

  it('the client names the missing permission on the error', async () => {
    h.fleet.graph.grantedPermissions = without('Policy.Read.All', 'User.Read.All');
    const client = h.client({ retryPolicy: FAST_RETRY });
    await expect(client.listConditionalAccessPolicies()).rejects.toMatchObject({
      service: 'graph',
      code: 'forbidden',
      status: 403,
      permission: 'Policy.Read.All',
    });
  });

  it('every route the simulator serves has a permission in the table', () => {
    for (const [m, p] of [
      ['GET', '/devices'],
      ['GET', "/devices(deviceId='abc')"],
      ['GET', '/users/alex@contoso.com/registeredDevices'],
      ['POST', '/users/u1/checkMemberGroups'],
      ['POST', '/groups'],
      ['PATCH', `/deviceManagement/complianceManagementPartners/${PARTNER_ID}`],
      ['GET', "/servicePrincipals(appId='x')"],
      ['GET', '/users/u1/teamwork/installedApps/i1/chat'],
      ['GET', '/appCatalogs/teamsApps'],
    ] as const)
      expect(graphPermissionFor(m, p)).toBeDefined();
    expect(graphPermissionFor('GET', '/me')).toBeUndefined();
    expect(GRAPH_ROUTE_PERMISSIONS.length).toBeGreaterThan(20);
  });
});

describe('the docs list the permissions the table names', () => {
  const read = (f: string) => readFileSync(path.join(__dirname, '..', '..', f), 'utf8');
  it.each(['README.md', 'docs/deploy.md'])('%s names every permission', (file) => {
    const text = read(file);
    for (const p of GRAPH_APP_PERMISSIONS)
      expect(`${file}: ${text.includes(`\`${p}\``)}`).toBe(`${file}: true`);
  });
});
