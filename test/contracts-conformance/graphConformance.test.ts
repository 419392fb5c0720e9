/**
 * Microsoft Graph contract conformance: every endpoint the Graph simulator serves resolves in the
 * v1.0 CSDL (entity set / singleton → keys → navigations / bound actions) and answers — on
 * success and on each error it produces — with entities whose every property is declared on its
 * type with a fitting value and never `null` where the CSDL says `Nullable="false"`; every
 * property the client reads (its zod schemas) exists on the type it reads; every request the
 * client sends selects, expands and filters only what the CSDL and Microsoft's advanced-query
 * table allow (a filter that needs advanced queries carries `ConsistencyLevel: eventual` and
 * `$count=true`). The endpoint list comes from the simulator itself (`GRAPH_SIM_ENDPOINTS`): an
 * endpoint added there without a case here fails the first test.
 */
import type { ZodType } from 'zod';
import { parseGraphFilter } from '../../demo/graphFilterParser';
import { directoryFilterSupport, directoryFilterType, filterClauses } from '../../demo/graphFilterSupport';
import type { GraphSimLogEntry } from '../../demo/graphSimRequestLog';
import { entraEndpoint } from '../../demo/graphSimEntra';
import { graphEndpointOf } from '../../demo/graphSimRoutes';
import { GRAPH_SIM_ENDPOINTS } from '../../demo/graphSimulator';
import { TeamsAppInstallations } from '../../demo/teamsAppInstallations';
import { listGroupMemberUsers } from '../../src/lookup/listGroupMemberUsers';
import { findUsersByEmail } from '../../src/lookup/findUsersByEmail';
import { GraphClient } from '../../src/upstream/graph/graphClient';
import { GRAPH_READ_SCHEMAS } from '../../src/upstream/graph/graphMappers';
import { checkAgainstCsdl, csdlProperties, findCsdlProperty, resolveCsdlPath } from '../helpers/csdl';
import {
  CONNECTOR_GROUP_ID,
  PARENT_GROUP_ID,
  PARTNER_ID,
  REGISTRATION_APP_ID,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
  TEST_TENANT_ID,
} from '../integration/graphTestFleet';
import { startGraphHarness, type GraphHarness } from '../integration/graphTestHarness';
import { NON_DIRECTORY_FILTERS } from './graphNonDirectoryFilters';

const MANIFEST_ID = '6f1e2d3c-0000-4000-8000-00000000b07a';

let h: GraphHarness;
let apps: TeamsAppInstallations;
let token: string;
beforeAll(async () => {
  apps = new TeamsAppInstallations(MANIFEST_ID);
  h = await startGraphHarness({ teamsApps: apps });
  token = await h.token();
});
afterAll(() => h.close());

interface Exchange {
  method: string;
  path: string;
  status: number;
  // Graph JSON of any shape; each check narrows what it reads.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  endpoint: string;
}

interface SendOptions {
  token?: string | null;
  headers?: Record<string, string>;
  body?: unknown;
  form?: Record<string, string>;
}

type Send = (method: string, path: string, o?: SendOptions) => Promise<Exchange>;

interface EndpointCase {
  /** Statuses this case must see the endpoint answer. */
  statuses: number[];
  run: (send: Send) => Promise<void>;
}

const alex = () => h.fleet.graph.users[0]!;
const mac = () => h.fleet.graph.devices[0]!;
const sp = () => h.fleet.graph.servicePrincipals[0]!;
const MISSING = '00000000-0000-4000-8000-000000000404';
const enc = encodeURIComponent;
const tokenForm = {
  grant_type: 'client_credentials',
  client_id: TEST_CLIENT_ID,
  client_secret: TEST_CLIENT_SECRET,
  scope: 'https://graph.microsoft.com/.default',
};

/** One case per simulator endpoint: requests that make it answer each status it can. */
const ENDPOINT_CASES: Record<string, EndpointCase> = {
  'GET /devices': {
    statuses: [200, 400, 401],
    run: async (send) => {
      await send('GET', '/v1.0/devices');
      await send('GET', `/v1.0/devices?$expand=${enc('registeredOwners($select=id,userPrincipalName)')}`);
      await send('GET', `/v1.0/devices?$filter=${enc("startswith(deviceId,'a')")}`);
      await send('GET', `/v1.0/devices?$filter=${enc("operatingSystem ne 'macOS'")}`);
      await send('GET', '/v1.0/devices', { token: null });
    },
  },
  'GET /devices/delta': {
    statuses: [200, 400],
    run: async (send) => {
      const first = await send('GET', '/v1.0/devices/delta');
      h.sim.putDevice({ ...mac(), isCompliant: !mac().isCompliant });
      h.sim.deleteDevice(h.fleet.graph.devices[h.fleet.graph.devices.length - 1]!.id);
      let link: string | undefined = first.body['@odata.nextLink'];
      while (link) link = (await send('GET', link)).body['@odata.nextLink'];
      await send('GET', '/v1.0/devices/delta?$deltatoken=latest');
      await send('GET', '/v1.0/devices/delta?$deltatoken=not-a-token');
      await send('GET', '/v1.0/devices/delta?$expand=registeredOwners');
    },
  },
  "GET /devices(deviceId='{id}')": {
    statuses: [200, 404],
    run: async (send) => {
      await send('GET', `/v1.0/devices(deviceId='${mac().deviceId}')?$expand=registeredOwners`);
      await send('GET', `/v1.0/devices(deviceId='${MISSING}')`);
    },
  },
  'GET /devices/{id}': {
    statuses: [200, 400, 404],
    run: async (send) => {
      await send('GET', `/v1.0/devices/${mac().id}`);
      await send('GET', `/v1.0/devices/${mac().id}?$select=nope`);
      await send('GET', `/v1.0/devices/${MISSING}`);
    },
  },
  'GET /devices/{id}/registeredOwners': {
    statuses: [200, 404],
    run: async (send) => {
      await send('GET', `/v1.0/devices/${mac().id}/registeredOwners`);
      await send('GET', `/v1.0/devices/${MISSING}/registeredOwners`);
    },
  },
  'GET /devices/{id}/registeredUsers': {
    statuses: [200, 404],
    run: async (send) => {
      await send('GET', `/v1.0/devices/${mac().id}/registeredUsers`);
      await send('GET', `/v1.0/devices/${MISSING}/registeredUsers`);
    },
  },
  'GET /users': {
    statuses: [200, 400],
    run: async (send) => {
      await send('GET', '/v1.0/users');
      await send(
        'GET',
        '/v1.0/users?$select=id,userPrincipalName,displayName,givenName,surname,mail,accountEnabled',
      );
      await send('GET', `/v1.0/users?$filter=${enc("endswith(mail,'@contoso.example')")}`);
      await send('GET', `/v1.0/users?$filter=${enc("endswith(mail,'@contoso.example')")}&$count=true`, {
        headers: { consistencylevel: 'eventual' },
      });
    },
  },
  'GET /users/delta': {
    statuses: [200, 400],
    run: async (send) => {
      const first = await send('GET', '/v1.0/users/delta?$select=id,userPrincipalName,displayName,mail');
      h.sim.putUser({ ...alex(), displayName: 'Alex (renamed)' });
      await send('GET', first.body['@odata.deltaLink']);
      await send('GET', `/v1.0/users/delta?$filter=${enc("mail eq 'x@contoso.example'")}`);
    },
  },
  'GET /users/{id}': {
    statuses: [200, 404],
    run: async (send) => {
      await send('GET', `/v1.0/users/${alex().userPrincipalName}`);
      await send('GET', `/v1.0/users/${alex().id}?$select=id,userPrincipalName,displayName,mail`);
      await send('GET', `/v1.0/users/${MISSING}`);
    },
  },
  'GET /users/{id}/registeredDevices': {
    statuses: [200, 404],
    run: async (send) => {
      await send('GET', `/v1.0/users/${alex().id}/registeredDevices`);
      await send('GET', `/v1.0/users/${MISSING}/registeredDevices`);
    },
  },
  'GET /users/{id}/ownedDevices': {
    statuses: [200, 404],
    run: async (send) => {
      await send('GET', `/v1.0/users/${alex().id}/ownedDevices`);
      await send('GET', `/v1.0/users/${MISSING}/ownedDevices`);
    },
  },
  'GET /users/{id}/teamwork/installedApps': {
    statuses: [200, 400, 404],
    run: async (send) => {
      await send('GET', `/v1.0/users/${alex().id}/teamwork/installedApps?$expand=teamsApp`);
      await send(
        'GET',
        `/v1.0/users/${alex().id}/teamwork/installedApps?$expand=teamsApp&$filter=${enc(`teamsApp/externalId eq '${MANIFEST_ID}'`)}`,
      );
      await send('GET', `/v1.0/users/${alex().id}/teamwork/installedApps?$expand=nope`);
      await send('GET', `/v1.0/users/${MISSING}/teamwork/installedApps`);
    },
  },
  'POST /users/{id}/teamwork/installedApps': {
    statuses: [201, 409, 404],
    run: async (send) => {
      const user = h.fleet.graph.users[1]!;
      apps.uninstall(user.id);
      const body = {
        'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${apps.app.id}`,
      };
      await send('POST', `/v1.0/users/${user.id}/teamwork/installedApps`, { body });
      await send('POST', `/v1.0/users/${user.id}/teamwork/installedApps`, { body });
      await send('POST', `/v1.0/users/${MISSING}/teamwork/installedApps`, { body });
    },
  },
  'GET /users/{id}/teamwork/installedApps/{id}': {
    statuses: [200, 404],
    run: async (send) => {
      await send('GET', `/v1.0/users/${alex().id}/teamwork/installedApps/${apps.installationId(alex().id)}`);
      await send('GET', `/v1.0/users/${alex().id}/teamwork/installedApps/nope`);
    },
  },
  'GET /users/{id}/teamwork/installedApps/{id}/chat': {
    statuses: [200, 404],
    run: async (send) => {
      await send(
        'GET',
        `/v1.0/users/${alex().id}/teamwork/installedApps/${apps.installationId(alex().id)}/chat`,
      );
      await send('GET', `/v1.0/users/${alex().id}/teamwork/installedApps/nope/chat`);
    },
  },
  'POST /users/{id}/checkMemberGroups': {
    statuses: [200, 400, 404],
    run: async (send) => {
      await send('POST', `/v1.0/users/${alex().id}/checkMemberGroups`, {
        body: { groupIds: [CONNECTOR_GROUP_ID, PARENT_GROUP_ID] },
      });
      await send('POST', `/v1.0/users/${alex().id}/checkMemberGroups`, { body: { groupIds: 'x' } });
      await send('POST', `/v1.0/users/${MISSING}/checkMemberGroups`, { body: { groupIds: [] } });
    },
  },
  'GET /groups': {
    statuses: [200, 400],
    run: async (send) => {
      await send('GET', '/v1.0/groups');
      await send('GET', `/v1.0/groups?$filter=${enc("description eq 'x'")}`);
    },
  },
  'POST /groups': {
    statuses: [201, 400],
    run: async (send) => {
      const group = {
        displayName: 'Conformance group',
        mailNickname: 'conformance-group',
        mailEnabled: false,
        securityEnabled: true,
        groupTypes: ['DynamicMembership'],
        membershipRule: '(user.accountEnabled -eq true)',
        membershipRuleProcessingState: 'Paused',
      };
      await send('POST', '/v1.0/groups', { body: group });
      await send('POST', '/v1.0/groups', { body: { displayName: 'no nickname' } });
    },
  },
  'GET /groups/delta': {
    statuses: [200, 400],
    run: async (send) => {
      const filter = enc(`id eq '${CONNECTOR_GROUP_ID}' or id eq '${PARENT_GROUP_ID}'`);
      const first = await send('GET', `/v1.0/groups/delta?$select=members&$filter=${filter}`);
      const connector = h.fleet.graph.groups.find((g) => g.id === CONNECTOR_GROUP_ID)!;
      h.sim.removeGroupMember(CONNECTOR_GROUP_ID, connector.memberIds[0]!);
      h.sim.addGroupMember(CONNECTOR_GROUP_ID, h.fleet.graph.users[h.fleet.graph.users.length - 1]!.id);
      await send('GET', first.body['@odata.deltaLink']);
      await send('GET', '/v1.0/groups/delta?$select=displayName,members');
      await send('GET', '/v1.0/groups/delta?$orderby=displayName');
    },
  },
  'GET /groups/{id}': {
    statuses: [200, 404],
    run: async (send) => {
      await send('GET', `/v1.0/groups/${CONNECTOR_GROUP_ID}`);
      await send('GET', `/v1.0/groups/${MISSING}`);
    },
  },
  'GET /groups/{id}/members': {
    statuses: [200, 404],
    run: async (send) => {
      await send('GET', `/v1.0/groups/${PARENT_GROUP_ID}/members`);
      await send('GET', `/v1.0/groups/${MISSING}/members`);
    },
  },
  'POST /groups/{id}/members/$ref': {
    statuses: [204, 400, 404],
    run: async (send) => {
      const outside = h.fleet.graph.users[2]!;
      if (h.fleet.graph.groups.find((g) => g.id === CONNECTOR_GROUP_ID)!.memberIds.includes(outside.id))
        h.sim.removeGroupMember(CONNECTOR_GROUP_ID, outside.id);
      const ref = (id: string) => ({
        '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}`,
      });
      await send('POST', `/v1.0/groups/${CONNECTOR_GROUP_ID}/members/$ref`, { body: ref(outside.id) });
      // Already a member, then no @odata.id at all.
      await send('POST', `/v1.0/groups/${CONNECTOR_GROUP_ID}/members/$ref`, { body: ref(outside.id) });
      await send('POST', `/v1.0/groups/${CONNECTOR_GROUP_ID}/members/$ref`, { body: {} });
      await send('POST', `/v1.0/groups/${MISSING}/members/$ref`, { body: ref(outside.id) });
      await send('POST', `/v1.0/groups/${CONNECTOR_GROUP_ID}/members/$ref`, { body: ref(MISSING) });
    },
  },
  'GET /groups/{id}/transitiveMembers': {
    statuses: [200, 404],
    run: async (send) => {
      await send(
        'GET',
        `/v1.0/groups/${PARENT_GROUP_ID}/transitiveMembers?$select=id,userPrincipalName,mail,displayName`,
      );
      await send('GET', `/v1.0/groups/${MISSING}/transitiveMembers`);
    },
  },
  'GET /deviceManagement/complianceManagementPartners': {
    statuses: [200],
    run: async (send) => {
      await send('GET', '/v1.0/deviceManagement/complianceManagementPartners');
    },
  },
  'GET /deviceManagement/complianceManagementPartners/{id}': {
    statuses: [200, 404],
    run: async (send) => {
      await send('GET', `/v1.0/deviceManagement/complianceManagementPartners/${PARTNER_ID}`);
      await send('GET', `/v1.0/deviceManagement/complianceManagementPartners/${MISSING}`);
    },
  },
  'PATCH /deviceManagement/complianceManagementPartners/{id}': {
    statuses: [200, 404],
    run: async (send) => {
      const body = {
        macOsEnrollmentAssignments: [
          {
            target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: CONNECTOR_GROUP_ID },
          },
        ],
      };
      await send('PATCH', `/v1.0/deviceManagement/complianceManagementPartners/${PARTNER_ID}`, { body });
      await send('PATCH', `/v1.0/deviceManagement/complianceManagementPartners/${MISSING}`, { body });
    },
  },
  'GET /identity/conditionalAccess/policies': {
    statuses: [200],
    run: async (send) => {
      await send('GET', '/v1.0/identity/conditionalAccess/policies');
    },
  },
  'GET /identity/conditionalAccess/policies/{id}': {
    statuses: [200, 404],
    run: async (send) => {
      await send('GET', `/v1.0/identity/conditionalAccess/policies/${h.fleet.graph.caPolicies[0]!.id}`);
      await send('GET', `/v1.0/identity/conditionalAccess/policies/${MISSING}`);
    },
  },
  'GET /appCatalogs/teamsApps': {
    statuses: [200],
    run: async (send) => {
      await send('GET', `/v1.0/appCatalogs/teamsApps?$filter=${enc(`externalId eq '${MANIFEST_ID}'`)}`);
    },
  },
  'GET /appCatalogs/teamsApps/{id}': {
    statuses: [200, 404],
    run: async (send) => {
      await send('GET', `/v1.0/appCatalogs/teamsApps/${apps.app.id}`);
      await send('GET', `/v1.0/appCatalogs/teamsApps/${MISSING}`);
    },
  },
  'GET /servicePrincipals': {
    statuses: [200],
    run: async (send) => {
      await send('GET', `/v1.0/servicePrincipals?$filter=${enc(`appId eq '${REGISTRATION_APP_ID}'`)}`);
      await send('GET', '/v1.0/servicePrincipals');
    },
  },
  'GET /servicePrincipals/{id}': {
    statuses: [200, 404],
    run: async (send) => {
      await send('GET', `/v1.0/servicePrincipals/${sp().id}`);
      await send('GET', `/v1.0/servicePrincipals/${MISSING}`);
    },
  },
  "GET /servicePrincipals(appId='{appId}')": {
    statuses: [200, 404],
    run: async (send) => {
      await send('GET', `/v1.0/servicePrincipals(appId='${sp().appId}')`);
      await send('GET', `/v1.0/servicePrincipals(appId='${MISSING}')`);
    },
  },
  'POST /$batch': {
    statuses: [200, 400],
    run: async (send) => {
      await send('POST', '/v1.0/$batch', {
        body: {
          requests: [
            { id: '1', method: 'GET', url: `/users/${alex().id}?$select=id,userPrincipalName` },
            { id: '2', method: 'GET', url: `/devices/${MISSING}` },
          ],
        },
      });
      await send('POST', '/v1.0/$batch', { body: { requests: [] } });
    },
  },
  'GET /{tenant}/v2.0/.well-known/openid-configuration': {
    statuses: [200, 400],
    run: async (send) => {
      await send('GET', `/${TEST_TENANT_ID}/v2.0/.well-known/openid-configuration`, { token: null });
      // An unknown tenant: the harness sends only known-tenant paths to the authority host by itself.
      await send('GET', `${h.sim.authorityHost}/${MISSING}/v2.0/.well-known/openid-configuration`, {
        token: null,
      });
    },
  },
  'GET /common/discovery/instance': {
    statuses: [200],
    run: async (send) => {
      await send('GET', '/common/discovery/instance?api-version=1.1', { token: null });
    },
  },
  'GET /{tenant}/discovery/v2.0/keys': {
    statuses: [200],
    run: async (send) => {
      await send('GET', `/${TEST_TENANT_ID}/discovery/v2.0/keys`, { token: null });
    },
  },
  'POST /{tenant}/oauth2/v2.0/token': {
    statuses: [200, 400, 401],
    run: async (send) => {
      await send('POST', `/${TEST_TENANT_ID}/oauth2/v2.0/token`, { form: tokenForm, token: null });
      await send('POST', `/${TEST_TENANT_ID}/oauth2/v2.0/token`, {
        form: { ...tokenForm, grant_type: 'password' },
        token: null,
      });
      await send('POST', `/${TEST_TENANT_ID}/oauth2/v2.0/token`, {
        form: { ...tokenForm, client_secret: 'wrong' },
        token: null,
      });
    },
  },
};

/** The simulator endpoint a request belongs to, worked out the way the simulator routes it. */
function endpointOf(method: string, url: string): string {
  const path = (url.startsWith('https://') ? new URL(url).pathname : url).split('?')[0] ?? '';
  if (path.startsWith('/v1.0/'))
    return graphEndpointOf(h.fleet, h.sim.url, method, path.slice('/v1.0'.length), apps);
  return entraEndpoint(method, path) ?? `${method} ?`;
}

/** Graph's error envelope, as every Graph error answer carries it. */
function checkGraphError(x: Exchange): string[] {
  const e = x.body?.error;
  const ok =
    typeof e?.code === 'string' &&
    typeof e?.message === 'string' &&
    typeof e?.innerError?.date === 'string' &&
    typeof e?.innerError?.['request-id'] === 'string';
  return ok ? [] : [`${x.method} ${x.path} → ${x.status}: not Graph's error envelope`];
}

/** The Microsoft identity platform's shapes (these endpoints are not Graph, so not in the CSDL). */
function checkEntra(endpoint: string, x: Exchange): string[] {
  const where = `${x.method} ${x.path} → ${x.status}`;
  const b = x.body ?? {};
  if (x.status >= 400) {
    return typeof b.error === 'string' && typeof b.error_description === 'string'
      ? []
      : [`${where}: not an OAuth error body`];
  }
  const need: Record<string, string[]> = {
    'GET /{tenant}/v2.0/.well-known/openid-configuration': ['issuer', 'token_endpoint', 'jwks_uri'],
    'GET /common/discovery/instance': ['tenant_discovery_endpoint'],
    'GET /{tenant}/discovery/v2.0/keys': ['keys'],
    'POST /{tenant}/oauth2/v2.0/token': ['access_token', 'token_type', 'expires_in'],
  };
  return (need[endpoint] ?? []).filter((k) => b[k] === undefined).map((k) => `${where}: no ${k}`);
}

/** A success answer against the CSDL element its route resolves to. */
function checkGraphSuccess(template: string, x: Exchange): string[] {
  const where = `${x.method} ${x.path}`;
  if (x.body === undefined) return x.status === 201 || x.status === 204 ? [] : [`${where}: no body`];
  const r = resolveCsdlPath(template);
  const edm = r.type.startsWith('Edm.');
  const context = String(x.body['@odata.context'] ?? '');
  if (!context.startsWith(`${h.sim.url}/$metadata#`))
    return [`${where}: @odata.context ${context} is not the service's`];
  const entity = !edm && (!r.collection || x.method !== 'GET');
  if (entity && !context.endsWith('/$entity'))
    return [`${where}: an entity's @odata.context must end in /$entity`];
  if ((r.collection && x.method === 'GET') || edm) {
    if (!Array.isArray(x.body.value)) return [`${where}: a collection answer without value[]`];
    if (edm)
      return x.body.value.every((v: unknown) => typeof v === 'string') ? [] : [`${where}: not ${r.type}`];
    return x.body.value.flatMap((item: unknown, i: number) =>
      checkAgainstCsdl(r.type, item, `${where} value[${i}]`),
    );
  }
  return checkAgainstCsdl(r.type, x.body, where);
}

function checkAnswer(endpoint: string, x: Exchange): string[] {
  const [, template] = endpoint.split(' ') as [string, string];
  if (!x.path.startsWith('/v1.0')) return checkEntra(endpoint, x);
  if (x.status >= 400) return checkGraphError(x);
  if (endpoint === 'POST /$batch') {
    const responses = x.body?.responses;
    if (!Array.isArray(responses)) return [`${x.path}: no responses[]`];
    return responses.flatMap((s: { id?: unknown; status?: unknown; body?: unknown }) =>
      typeof s.id === 'string' && typeof s.status === 'number'
        ? []
        : [`${x.path}: a batch response without id/status`],
    );
  }
  return checkGraphSuccess(template, x);
}

describe('Graph simulator endpoints answer in the v1.0 contract', () => {
  it('has a conformance case for every endpoint the simulator serves, and none for one it does not', () => {
    expect(Object.keys(ENDPOINT_CASES).sort()).toEqual([...GRAPH_SIM_ENDPOINTS].sort());
  });

  it('every Graph route is an entity set, singleton, key, navigation or bound action of the CSDL', () => {
    const graphRoutes = GRAPH_SIM_ENDPOINTS.filter(
      (e) => !e.includes('{tenant}') && !e.includes('/common/') && e !== 'POST /$batch',
    );
    const unresolved = graphRoutes.flatMap((e) => {
      try {
        resolveCsdlPath(e.split(' ')[1] as string);
        return [];
      } catch (err) {
        return [(err as Error).message];
      }
    });
    expect(unresolved).toEqual([]);
  });

  it.each(GRAPH_SIM_ENDPOINTS.map((e) => [e]))('%s', async (endpoint) => {
    const seen: Exchange[] = [];
    const send: Send = async (method, path, o = {}) => {
      const headers: Record<string, string> = { ...o.headers };
      const bearer = o.token === undefined ? token : o.token;
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      let body: string | undefined;
      if (o.form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(o.form).toString();
      } else if (o.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(o.body);
      }
      const r = await h.raw(path, { method, headers, body });
      const x = { method, path, status: r.status, body: r.body, endpoint: endpointOf(method, path) };
      seen.push(x);
      return x;
    };
    await ENDPOINT_CASES[endpoint]!.run(send);
    const mine = seen.filter((x) => x.endpoint === endpoint);
    expect([...new Set(mine.map((x) => x.status))].sort()).toEqual(
      [...ENDPOINT_CASES[endpoint]!.statuses].sort(),
    );
    expect(mine.flatMap((x) => checkAnswer(endpoint, x))).toEqual([]);
    // Something was actually checked: an entity, or a collection with items in it.
    const withBody = mine.filter((x) => x.status < 300 && x.body !== undefined);
    if (withBody.length > 0)
      expect(withBody.some((x) => !Array.isArray(x.body.value) || x.body.value.length > 0)).toBe(true);
  });
});

describe('nullability', () => {
  it('a null where the CSDL says Nullable="false" is a failure', () => {
    expect(
      checkAgainstCsdl('complianceManagementPartner', { id: PARTNER_ID, lastHeartbeatDateTime: null }),
    ).toEqual([
      expect.stringContaining('lastHeartbeatDateTime: null, but Edm.DateTimeOffset is not nullable'),
    ]);
    expect(checkAgainstCsdl('device', { id: 'x', displayName: null })).toEqual([]);
  });
});

/** Unwraps optional/nullable/transform layers down to the schema that says what is read. */
function unwrap(schema: ZodType): ZodType {
  let s = schema;
  for (;;) {
    const def = s._zod.def as { type: string; innerType?: ZodType; in?: ZodType };
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
}

/** Every property a zod object schema reads, checked on the CSDL type, nested objects included. */
function readProblems(type: string, schema: ZodType, where: string): string[] {
  const s = unwrap(schema);
  const def = s._zod.def as { type: string; shape?: Record<string, ZodType>; element?: ZodType };
  if (def.type === 'array' && def.element) return readProblems(type, def.element, `${where}[]`);
  if (def.type !== 'object' || !def.shape) return [];
  return Object.entries(def.shape).flatMap(([name, sub]) => {
    if (name.startsWith('@odata.')) return [];
    const found = findCsdlProperty(type, name);
    if (!found) return [`${where}.${name}: not a property of ${type} or a type derived from it`];
    const element = /^Collection\((.*)\)$/.exec(found.property.type)?.[1] ?? found.property.type;
    return element.startsWith('Edm.') ? [] : readProblems(element, sub, `${where}.${name}`);
  });
}

describe('every property the client reads exists in the CSDL', () => {
  it.each(Object.entries(GRAPH_READ_SCHEMAS))('%s', (type, schema) => {
    expect(readProblems(type, schema as ZodType, type)).toEqual([]);
  });

  it('catches a property the CSDL does not have', async () => {
    const { z } = await import('zod');
    expect(readProblems('microsoft.graph.device', z.object({ serialNumber: z.string() }), 'device')).toEqual([
      'device.serialNumber: not a property of microsoft.graph.device or a type derived from it',
    ]);
  });
});

/** `$select=a,b` / `nav($select=a,b)` names against the type. */
function selectProblems(type: string, names: string, where: string): string[] {
  return names
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n && !findCsdlProperty(type, n))
    .map((n) => `${where}: $select ${n} is not a property of ${type}`);
}

/** What the client asked for, against the CSDL and the advanced-query table. */
function checkGraphRequest(e: GraphSimLogEntry): string[] {
  const where = `${e.method} ${e.path}${e.viaBatch ? ' (in $batch)' : ''}`;
  if (e.endpoint.endsWith(' ?')) return [`${where}: no simulator route (and no contract) for it`];
  if (e.endpoint === 'POST /$batch' || !e.endpoint.includes(' /')) return [];
  if (e.endpoint.includes('{tenant}') || e.endpoint.includes('/common/')) return [];
  const template = e.endpoint.split(' ')[1] as string;
  const r = resolveCsdlPath(template);
  const problems: string[] = [];
  const q = e.query;
  if (q.$select) problems.push(...selectProblems(r.type, q.$select, where));
  if (q.$expand) {
    const m = /^([A-Za-z]+)(?:\(\$select=([^)]*)\))?$/.exec(q.$expand);
    const nav = m ? csdlProperties(r.type).get(m[1] as string) : undefined;
    if (!m || !nav?.navigation)
      problems.push(`${where}: $expand ${q.$expand} is not a navigation of ${r.type}`);
    else if (m[2])
      problems.push(...selectProblems(/^Collection\((.*)\)$/.exec(nav.type)?.[1] ?? nav.type, m[2], where));
  }
  if (q.$top && !(Number(q.$top) >= 1 && Number(q.$top) <= 999))
    problems.push(`${where}: $top ${q.$top} out of 1..999`);
  const advanced = e.headers.consistencyLevel?.toLowerCase() === 'eventual' && q.$count === 'true';
  if (q.$filter) {
    const directory = directoryFilterType(r.type);
    for (const clause of filterClauses(parseGraphFilter(q.$filter))) {
      const what = `${clause.property} ${clause.operator}`;
      if (directory) {
        const support = directoryFilterSupport(directory, clause);
        if (support === null) problems.push(`${where}: Graph does not support $filter ${what} on ${r.type}`);
        else if (support === 'advanced' && !advanced)
          problems.push(`${where}: $filter ${what} needs ConsistencyLevel: eventual and $count=true`);
      } else if (
        !NON_DIRECTORY_FILTERS[r.type]?.some(
          (f) => f.property === clause.property && f.operator === clause.operator,
        )
      ) {
        problems.push(`${where}: $filter ${what} on ${r.type} is not one its API reference documents`);
      }
    }
  }
  if (q.$count === 'true' && e.headers.consistencyLevel?.toLowerCase() !== 'eventual')
    problems.push(`${where}: $count=true without ConsistencyLevel: eventual`);
  if (e.body !== undefined && (e.method === 'POST' || e.method === 'PATCH') && !r.type.startsWith('Edm.')) {
    if (template.endsWith('/$ref')) {
      // An OData reference body: exactly `@odata.id`, the directory object's URL.
      const ref = e.body as Record<string, unknown> | null;
      if (
        !ref ||
        Object.keys(ref).join() !== '@odata.id' ||
        !/^https:\/\/graph\.microsoft\.com\/v1\.0\/directoryObjects\/[0-9a-f-]{36}$/i.test(
          String(ref['@odata.id']),
        )
      )
        problems.push(`${where} body: not an OData reference {"@odata.id": ".../directoryObjects/{id}"}`);
    } else if (!template.endsWith('/checkMemberGroups'))
      problems.push(...checkAgainstCsdl(r.type, e.body, `${where} body`));
  }
  return problems;
}

describe('every request the Graph client sends is one the contract allows', () => {
  type Drive = (c: GraphClient) => Promise<unknown>;
  /** Every public GraphClient method, driven against the simulator. */
  const CLIENT_CALLS: Record<string, Drive> = {
    listMacDevices: async (c) => {
      await c.listMacDevices();
      await c.listMacDevices({ expandOwners: true });
    },
    getDeviceByDeviceId: (c) => c.getDeviceByDeviceId(mac().deviceId),
    findDevicesByName: (c) => c.findDevicesByName("Miriam O'Brien's Mac mini"),
    findUser: (c) => c.findUser(alex().userPrincipalName),
    getUser: (c) => c.getUser(alex().id),
    getUserLanguage: (c) => c.getUserLanguage(alex().id),
    getUserDevices: (c) => c.getUserDevices(alex().id),
    listGroupMemberIds: async (c) => {
      await c.listGroupMemberIds(PARENT_GROUP_ID);
      await c.listGroupMemberIds(PARENT_GROUP_ID, { transitive: true, usersOnly: true });
    },
    checkMemberGroups: (c) => c.checkMemberGroups(alex().id, [CONNECTOR_GROUP_ID, PARENT_GROUP_ID]),
    findGroups: async (c) => {
      await c.findGroups(CONNECTOR_GROUP_ID);
      await c.findGroups('Jamf');
    },
    getGroup: (c) => c.getGroup(CONNECTOR_GROUP_ID),
    addGroupMember: async (c) => {
      // A member taken out first (earlier cases may have added everyone), then added back.
      const user = h.fleet.graph.users[1]!;
      if (h.fleet.graph.groups.find((g) => g.id === CONNECTOR_GROUP_ID)!.memberIds.includes(user.id))
        h.sim.removeGroupMember(CONNECTOR_GROUP_ID, user.id);
      await c.addGroupMember(CONNECTOR_GROUP_ID, user.id);
    },
    findGroupsByName: (c) => c.findGroupsByName('Jamf Compliance Users'),
    createGroup: async (c) => {
      await c.createGroup({ displayName: 'Client group', mailNickname: 'client-group' });
      await c.createGroup({
        displayName: 'Client dynamic group',
        mailNickname: 'client-dynamic',
        description: 'made by the conformance suite',
        membershipRule: '(user.accountEnabled -eq true)',
      });
    },
    listCompliancePartners: (c) => c.listCompliancePartners(),
    updatePartnerAssignments: (c) => c.updatePartnerAssignments(PARTNER_ID, 'macOs', [CONNECTOR_GROUP_ID]),
    setPartnerAssignments: (c) =>
      c.setPartnerAssignments(PARTNER_ID, 'macOs', [
        { kind: 'group', groupId: CONNECTOR_GROUP_ID },
        { kind: 'allUsers', odataType: '#microsoft.graph.allLicensedUsersAssignmentTarget' },
      ]),
    listConditionalAccessPolicies: (c) => c.listConditionalAccessPolicies(),
    findServicePrincipal: async (c) => {
      await c.findServicePrincipal({ appId: REGISTRATION_APP_ID });
      await c.findServicePrincipal({ displayName: 'Cloud Connector for Device Compliance' });
    },
    findCatalogAppId: (c) => c.findCatalogAppId(MANIFEST_ID),
    installAppForUser: (c) => c.installAppForUser(h.fleet.graph.users[2]!.id, apps.app.id),
    findUserAppInstallation: (c) => c.findUserAppInstallation(alex().id, MANIFEST_ID),
    getInstallationChatId: (c) => c.getInstallationChatId(alex().id, apps.installationId(alex().id)),
    macDevicesWithOwnersPage: async (c) => {
      const first = await c.macDevicesWithOwnersPage(null);
      if (first.nextLink) await c.macDevicesWithOwnersPage(first.nextLink);
    },
    deviceDeltaPage: async (c) => {
      const first = await c.deviceDeltaPage({ round: 'initial' });
      if (first.nextLink) await c.deviceDeltaPage({ link: first.nextLink });
      await c.deviceDeltaPage({ round: 'latest' });
    },
    userDeltaPage: async (c) => {
      const first = await c.userDeltaPage({ round: 'initial' });
      await c.userDeltaPage({ link: (first.deltaLink ?? first.nextLink)! });
    },
    groupMembersDeltaPage: async (c) => {
      const first = await c.groupMembersDeltaPage({
        round: 'initial',
        groupIds: [CONNECTOR_GROUP_ID, PARENT_GROUP_ID],
      });
      await c.groupMembersDeltaPage({ link: (first.deltaLink ?? first.nextLink)! });
    },
    getDeviceOwners: (c) => c.getDeviceOwners(h.fleet.graph.devices.slice(0, 3).map((d) => d.id)),
    batch: (c) =>
      c.batch([
        { method: 'GET', url: `/users/${alex().id}?$select=id,userPrincipalName` },
        { method: 'GET', url: `/groups/${CONNECTOR_GROUP_ID}?$select=id,displayName` },
      ]),
  };
  /** Not API calls: plumbing, private helpers, and tokenClaims (it reads the identity platform's token; no Graph route). */
  const NOT_CALLS = new Set([
    'constructor',
    'close',
    'getAll',
    'getOrNull',
    'tokenClaims',
    'macDevicesUrl',
    'deltaRead',
  ]);

  it('drives every public method of the client', () => {
    const methods = Object.getOwnPropertyNames(GraphClient.prototype).filter((n) => !NOT_CALLS.has(n));
    expect(Object.keys(CLIENT_CALLS).sort()).toEqual(methods.sort());
  });

  const drive = async (run: Drive): Promise<GraphSimLogEntry[]> => {
    const client = h.client();
    const before = h.sim.requests.entries.length;
    await run(client);
    return h.sim.requests.entries.slice(before);
  };

  it.each(Object.keys(CLIENT_CALLS).map((k) => [k]))('%s', async (name) => {
    const entries = await drive(CLIENT_CALLS[name]!);
    expect(entries.filter((e) => !e.endpoint.includes('{tenant}')).length).toBeGreaterThan(0);
    expect(entries.flatMap(checkGraphRequest)).toEqual([]);
  });

  it('the lookups that build their own Graph URLs (findUsersByEmail, listGroupMemberUsers)', async () => {
    const entries = await drive(async (c) => {
      await findUsersByEmail(c, [alex().userPrincipalName, "miriam.o'brien@contoso.example"]);
      await listGroupMemberUsers(c, PARENT_GROUP_ID);
    });
    expect(entries.filter((e) => e.viaBatch).length).toBeGreaterThan(0);
    expect(entries.flatMap(checkGraphRequest)).toEqual([]);
  });

  it('flags a filter that needs advanced queries when the request lacks them', () => {
    const entry = (
      filter: string,
      headers: GraphSimLogEntry['headers'] = { hasBearer: true },
      count?: string,
    ): GraphSimLogEntry => ({
      at: 0,
      method: 'GET',
      path: '/users',
      endpoint: 'GET /users',
      query: { $filter: filter, ...(count ? { $count: count } : {}) },
      headers,
      viaBatch: false,
    });
    expect(checkGraphRequest(entry("endswith(mail,'@x.example')"))).toEqual([
      expect.stringContaining('needs ConsistencyLevel: eventual and $count=true'),
    ]);
    expect(
      checkGraphRequest(
        entry("endswith(mail,'@x.example')", { hasBearer: true, consistencyLevel: 'eventual' }, 'true'),
      ),
    ).toEqual([]);
    expect(checkGraphRequest(entry("startswith(jobTitle,'x') or accountEnabled eq true"))).toEqual([]);
    expect(checkGraphRequest(entry("mobilePhone eq '1'"))).toHaveLength(1);
    expect(checkGraphRequest(entry('not(accountEnabled eq true)'))).toHaveLength(1);
    expect(checkGraphRequest(entry("faxNumber ge 'x'"))).toEqual([
      expect.stringContaining('does not support'),
    ]);
  });
});

describe('the simulator filters as Microsoft documents it, per property and operator', () => {
  const get = (path: string, headers: Record<string, string> = {}) =>
    h.raw(path, { headers: { authorization: `Bearer ${token}`, ...headers } });

  it('refuses an operator the property does not support (deviceId: eq only)', async () => {
    const r = await get(`/devices?$filter=${enc("startswith(deviceId,'a')")}`);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('Request_UnsupportedQuery');
    expect((await get(`/devices?$filter=${enc(`deviceId eq '${mac().deviceId}'`)}`)).status).toBe(200);
  });

  it('serves a property that is filterable only in advanced queries, and only then', async () => {
    const filter = enc('createdDateTime ge 2020-01-01T00:00:00Z');
    const plain = await get(`/users?$filter=${filter}`);
    expect(plain.status).toBe(400);
    expect(plain.body.error.code).toBe('Request_UnsupportedQuery');
    const advanced = await get(`/users?$filter=${filter}&$count=true`, { consistencylevel: 'eventual' });
    expect(advanced.status).toBe(200);
  });

  it('leaves a selected property out of member items whose type does not have it', async () => {
    const r = await get(`/groups/${PARENT_GROUP_ID}/transitiveMembers?$select=id,userPrincipalName`);
    const group = r.body.value.find(
      (m: { '@odata.type': string }) => m['@odata.type'] === '#microsoft.graph.group',
    );
    expect(group).toBeDefined();
    expect(group).not.toHaveProperty('userPrincipalName');
  });
});
