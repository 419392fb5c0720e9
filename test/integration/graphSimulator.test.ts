import {
  CONNECTOR_GROUP_ID,
  NESTED_GROUP_ID,
  PARENT_GROUP_ID,
  PARTNER_ID,
  TEST_CLIENT_ID,
  TEST_TENANT_ID,
} from './graphTestFleet';
import { startGraphHarness, type GraphHarness } from './graphTestHarness';

/** The simulated Graph and Entra, spoken to over HTTPS without the Graph SDK. */
describe('Graph simulator', () => {
  let h: GraphHarness;
  let auth: Record<string, string>;
  beforeAll(async () => {
    h = await startGraphHarness({ extraMacs: 250 });
    auth = { authorization: `Bearer ${await h.token()}` };
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sim.faults.clear();
    h.sim.requests.clear();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    h.raw(path, { headers: { ...auth, ...headers } });
  const send = (method: string, path: string, body: unknown) =>
    h.raw(path, {
      method,
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const q = (params: Record<string, string>) => '?' + new URLSearchParams(params).toString();

  describe('Entra endpoints', () => {
    it('serves tenant discovery pointing back at itself', async () => {
      const r = await h.raw(`/${TEST_TENANT_ID}/v2.0/.well-known/openid-configuration`);
      expect(r.status).toBe(200);
      expect(r.body.token_endpoint).toBe(`${h.sim.authorityHost}/${TEST_TENANT_ID}/oauth2/v2.0/token`);
      expect(r.body.issuer).toBe(`${h.sim.authorityHost}/${TEST_TENANT_ID}/v2.0`);
      const keys = await h.raw(r.body.jwks_uri);
      expect(keys.body.keys[0]).toMatchObject({ kty: 'EC', alg: 'ES256' });
      const instance = await h.raw(
        `/common/discovery/instance?api-version=1.1&authorization_endpoint=${r.body.authorization_endpoint}`,
      );
      expect(instance.body.tenant_discovery_endpoint).toContain('/v2.0/.well-known/openid-configuration');
    });

    it('answers a wrong secret with invalid_client / AADSTS7000215, and an unknown tenant with AADSTS90002', async () => {
      const form = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: TEST_CLIENT_ID,
        client_secret: 'nope',
        scope: 'https://graph.microsoft.com/.default',
      });
      const r = await h.raw(`/${TEST_TENANT_ID}/oauth2/v2.0/token`, {
        method: 'POST',
        body: form.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
      expect(r.body.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided/);
      const t = await h.raw(
        `${h.sim.authorityHost}/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration`,
      );
      expect(t.status).toBe(400);
      expect(t.body.error_codes).toEqual([90002]);
    });

    it('issues a JWT-shaped token with expires_in', async () => {
      const token = await h.token();
      const [, payload] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
      expect(claims).toMatchObject({
        aud: 'https://graph.microsoft.com',
        tid: TEST_TENANT_ID,
        appid: TEST_CLIENT_ID,
      });
      expect(claims.exp - claims.iat).toBe(3600);
    });
  });

  describe('authentication', () => {
    it.each([
      ['no token', {}, 'Access token is empty.'],
      ['garbage', { authorization: 'Bearer abc' }, 'IDX14100'],
      ['forged', { authorization: 'Bearer eyJhbGciOiJFUzI1NiJ9.eyJ0aWQiOiJ4In0.c2ln' }, 'Invalid signature.'],
    ])('401 InvalidAuthenticationToken for %s', async (_name, headers, message) => {
      const r = await h.raw('/devices', { headers });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('InvalidAuthenticationToken');
      expect(r.body.error.message).toContain(message);
      expect(r.body.error.innerError).toMatchObject({
        'request-id': expect.any(String),
        date: expect.any(String),
      });
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it('rejects tokens issued before expireTokensNow, accepts later ones', async () => {
      const before = { authorization: `Bearer ${await h.token()}` };
      h.sim.faults.expireTokensNow();
      expect((await h.raw('/users', { headers: before })).status).toBe(401);
      expect(
        (await h.raw('/users', { headers: { authorization: `Bearer ${await h.token()}` } })).status,
      ).toBe(200);
      auth = { authorization: `Bearer ${await h.token()}` };
    });
  });

  describe('devices', () => {
    it('pages with @odata.nextLink and an opaque $skiptoken bound to the query', async () => {
      const first = await get(`/devices${q({ $top: '100', $select: 'id,displayName' })}`);
      expect(first.body['@odata.context']).toBe(`${h.sim.url}/$metadata#devices(id,displayName)`);
      expect(first.body.value).toHaveLength(100);
      expect(Object.keys(first.body.value[0])).toEqual(['id', 'displayName']);
      const seen = new Set<string>(first.body.value.map((d: { id: string }) => d.id));
      let next: string | undefined = first.body['@odata.nextLink'];
      expect(next).toMatch(/\$skiptoken=/);
      while (next) {
        const page = await get(next);
        for (const d of page.body.value) seen.add(d.id);
        next = page.body['@odata.nextLink'];
      }
      expect(seen.size).toBe(h.fleet.graph.devices.length);
      const token = new URL(first.body['@odata.nextLink']).searchParams.get('$skiptoken') as string;
      const tampered = await get(`/devices${q({ $top: '5', $skiptoken: token })}`);
      expect(tampered.status).toBe(400);
      expect(tampered.body.error.code).toBe('Directory_ExpiredPageToken');
    });

    it('filters on deviceId, displayName (eq, startswith) and operatingSystem, and expands owners', async () => {
      const d = h.fleet.graph.devices[1]!;
      const byId = await get(`/devices${q({ $filter: `deviceId eq '${d.deviceId}'` })}`);
      expect(byId.body.value.map((x: { id: string }) => x.id)).toEqual([d.id]);
      const byName = await get(
        `/devices${q({ $filter: "displayName eq 'MIRIAM O''BRIEN''S MAC MINI'", $expand: 'registeredOwners($select=id,userPrincipalName)' })}`,
      );
      expect(byName.body.value).toHaveLength(1);
      expect(byName.body.value[0].registeredOwners).toEqual([
        {
          '@odata.type': '#microsoft.graph.user',
          id: h.fleet.graph.users[1]!.id,
          userPrincipalName: 'miriam.obrien@contoso.example',
        },
      ]);
      const starts = await get(
        `/devices${q({ $filter: "startswith(displayName,'FLEET-MAC-0001')", $top: '999' })}`,
      );
      expect(starts.body.value).toHaveLength(10);
      const windows = await get(`/devices${q({ $filter: "operatingSystem eq 'Windows'" })}`);
      expect(windows.body.value.map((x: { displayName: string }) => x.displayName)).toEqual(['Alex-PC']);
      expect(h.sim.requests.entries[0]?.filter).toEqual({
        kind: 'compare',
        op: 'eq',
        property: 'deviceId',
        value: d.deviceId,
      });
    });

    it('serves /devices/{id}, the deviceId alternate key and registeredOwners; 404 with Graph’s error body', async () => {
      const d = h.fleet.graph.devices[0]!;
      const one = await get(`/devices/${d.id}`);
      expect(one.body['@odata.context']).toBe(`${h.sim.url}/$metadata#devices/$entity`);
      expect(one.body).not.toHaveProperty('registeredOwnerIds');
      const alt = await get(`/devices(deviceId='${d.deviceId}')`);
      expect(alt.body.id).toBe(d.id);
      const owners = await get(`/devices/${d.id}/registeredOwners`);
      expect(owners.body['@odata.context']).toBe(`${h.sim.url}/$metadata#directoryObjects`);
      expect(owners.body.value[0]['@odata.type']).toBe('#microsoft.graph.user');
      const missing = await get(`/devices(deviceId='no''such')`);
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('Request_ResourceNotFound');
      expect(h.sim.requests.counts()).toMatchObject({
        'GET /devices/{id}': 1,
        "GET /devices(deviceId='{id}')": 2,
      });
    });

    it.each([
      [{ $filter: "displayName eq 'x" }, 400, 'BadRequest'],
      [{ $filter: "displayName like 'x'" }, 400, 'BadRequest'],
      [{ $filter: "serialNumber eq 'x'" }, 400, 'BadRequest'],
      [{ $filter: "deviceCategory eq 'x'" }, 400, 'Request_UnsupportedQuery'],
      [{ $filter: "displayName ne 'x'" }, 400, 'Request_UnsupportedQuery'],
      [{ $count: 'true' }, 400, 'Request_BadRequest'],
      [{ $top: '1000' }, 400, 'Request_BadRequest'],
      [{ $select: 'id,serialNumber' }, 400, 'BadRequest'],
      [{ $expand: 'memberOf' }, 400, 'BadRequest'],
    ])('%p → %d %s', async (params, status, code) => {
      const r = await get(`/devices${q(params)}`);
      expect(r.status).toBe(status);
      expect(r.body.error.code).toBe(code);
      expect(typeof r.body.error.message).toBe('string');
      expect(r.body.error.innerError['request-id']).toEqual(expect.any(String));
    });

    it('allows ne and $count with ConsistencyLevel: eventual', async () => {
      const r = await get(`/devices${q({ $filter: "operatingSystem ne 'macOS'", $count: 'true' })}`, {
        ConsistencyLevel: 'eventual',
      });
      expect(r.status).toBe(200);
      expect(r.body['@odata.count']).toBe(2);
      expect(h.sim.requests.entries[0]?.headers.consistencyLevel).toBe('eventual');
    });
  });

  describe('users and groups', () => {
    it('finds users by upn/mail (eq, startswith), by id or UPN, with Graph’s default projection', async () => {
      const r = await get(
        `/users${q({ $filter: "mail eq 'miriam.o''brien@contoso.example' or userPrincipalName eq 'x'" })}`,
      );
      expect(r.body.value).toHaveLength(1);
      expect(Object.keys(r.body.value[0]).sort()).toEqual(
        [
          'businessPhones',
          'displayName',
          'givenName',
          'id',
          'jobTitle',
          'mail',
          'mobilePhone',
          'officeLocation',
          'preferredLanguage',
          'surname',
          'userPrincipalName',
        ].sort(),
      );
      const s = await get(
        `/users${q({ $filter: "startswith(userPrincipalName,'JOSE')", $select: 'id,accountEnabled' })}`,
      );
      expect(s.body.value).toEqual([{ id: h.fleet.graph.users[2]!.id, accountEnabled: true }]);
      expect((await get('/users/alex.wilber@contoso.example')).body.id).toBe(h.fleet.graph.users[0]!.id);
      const devices = await get(`/users/${h.fleet.graph.users[0]!.id}/registeredDevices`);
      expect(devices.body.value.map((d: { displayName: string }) => d.displayName)).toEqual([
        'Alex’s MacBook Pro',
        'Shared Mac',
        'Alex-PC',
      ]);
      expect((await get(`/users/${h.fleet.graph.users[0]!.id}/ownedDevices`)).body.value).toHaveLength(3);
    });

    it('checkMemberGroups is transitive and limited to 20 ids', async () => {
      const megan = h.fleet.graph.users[3]!.id;
      const r = await send('POST', `/users/${megan}/checkMemberGroups`, {
        groupIds: [CONNECTOR_GROUP_ID, PARENT_GROUP_ID, NESTED_GROUP_ID],
      });
      expect(r.body).toEqual({
        '@odata.context': `${h.sim.url}/$metadata#Collection(Edm.String)`,
        value: [PARENT_GROUP_ID, NESTED_GROUP_ID],
      });
      const tooMany = await send('POST', `/users/${megan}/checkMemberGroups`, {
        groupIds: Array.from({ length: 21 }, (_, i) => `g${i}`),
      });
      expect(tooMany.status).toBe(400);
    });

    it('lists members and transitive members, paged, with $select', async () => {
      const direct = await get(`/groups/${PARENT_GROUP_ID}/members${q({ $select: 'id' })}`);
      expect(direct.body.value.map((m: { '@odata.type': string }) => m['@odata.type'])).toEqual([
        '#microsoft.graph.user',
        '#microsoft.graph.group',
      ]);
      const all = await get(`/groups/${PARENT_GROUP_ID}/transitiveMembers${q({ $select: 'id', $top: '2' })}`);
      expect(all.body.value).toHaveLength(2);
      const rest = await get(all.body['@odata.nextLink']);
      expect(rest.body.value.map((m: { '@odata.type': string }) => m['@odata.type'])).toEqual([
        '#microsoft.graph.user',
        '#microsoft.graph.device',
      ]);
      expect(
        (await get(`/groups${q({ $filter: "displayName eq 'jamf compliance users'" })}`)).body.value[0].id,
      ).toBe(CONNECTOR_GROUP_ID);
      expect((await get(`/groups${q({ $filter: `id eq '${NESTED_GROUP_ID}'` })}`)).body.value).toHaveLength(
        1,
      );
    });

    it.each([
      [
        { displayName: 'G', mailEnabled: false, securityEnabled: true },
        "A value is required for property 'mailNickname'",
      ],
      [
        { displayName: 'G', mailNickname: 'has space', mailEnabled: false, securityEnabled: true },
        "'mailNickname'",
      ],
      [
        { displayName: 'G', mailNickname: 'g', mailEnabled: true, securityEnabled: true },
        'mail-enabled security',
      ],
      [
        {
          displayName: 'G',
          mailNickname: 'g',
          mailEnabled: false,
          securityEnabled: true,
          groupTypes: ['DynamicMembership'],
          membershipRuleProcessingState: 'On',
        },
        "'membershipRule'",
      ],
      [
        {
          displayName: 'G',
          mailNickname: 'g',
          mailEnabled: false,
          securityEnabled: true,
          groupTypes: ['DynamicMembership'],
          membershipRule: '(user.department -eq "IT")',
        },
        "'membershipRuleProcessingState'",
      ],
      [
        {
          displayName: 'G',
          mailNickname: 'g',
          mailEnabled: false,
          securityEnabled: true,
          membershipRule: '(user.x -eq "y")',
        },
        'DynamicMembership',
      ],
      [
        { displayName: 'G', mailNickname: 'g', mailEnabled: false, securityEnabled: true, colour: 'red' },
        "Property 'colour' does not exist",
      ],
    ])('POST /groups rejects %p', async (body, message) => {
      const r = await send('POST', '/groups', body);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toContain(message);
    });

    it('POST /groups creates a dynamic security group', async () => {
      const r = await send('POST', '/groups', {
        displayName: 'Jamf Compliance – Pilot',
        mailNickname: 'jamf-pilot',
        mailEnabled: false,
        securityEnabled: true,
        groupTypes: ['DynamicMembership'],
        membershipRule: '(user.department -eq "Design")',
        membershipRuleProcessingState: 'On',
      });
      expect(r.status).toBe(201);
      expect(r.body['@odata.context']).toBe(`${h.sim.url}/$metadata#groups/$entity`);
      expect((await get(`/groups/${r.body.id}`)).body.displayName).toBe('Jamf Compliance – Pilot');
    });
  });

  describe('Intune, Conditional Access, service principals', () => {
    it('PATCHes partner assignments and checks the targets', async () => {
      const path = `/deviceManagement/complianceManagementPartners/${PARTNER_ID}`;
      const bad = await send('PATCH', path, {
        macOsEnrollmentAssignments: [{ target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget' } }],
      });
      expect(bad.status).toBe(400);
      const ok = await send('PATCH', path, {
        macOsEnrollmentAssignments: [
          { target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: NESTED_GROUP_ID } },
        ],
      });
      expect(ok.status).toBe(200);
      expect(ok.body.macOsEnrollmentAssignments[0].target.groupId).toBe(NESTED_GROUP_ID);
      expect(
        (await get('/deviceManagement/complianceManagementPartners')).body.value[0]
          .macOsEnrollmentAssignments,
      ).toHaveLength(1);
    });

    it('lists CA policies and finds service principals by displayName, appId and alternate key', async () => {
      const ca = await get('/identity/conditionalAccess/policies');
      expect(ca.body['@odata.context']).toBe(`${h.sim.url}/$metadata#identity/conditionalAccess/policies`);
      expect(ca.body.value).toHaveLength(2);
      const sp = await get(
        `/servicePrincipals${q({ $filter: "displayName eq 'Cloud Connector for Device Compliance'" })}`,
      );
      expect(sp.body.value).toHaveLength(1);
      const byApp = await get(
        `/servicePrincipals${q({ $filter: "appId eq 'b03c10a8-71c7-45f9-b44a-3335ab76e970'" })}`,
      );
      expect(byApp.body.value[0].displayName).toBe('User registration app for Device Compliance');
      expect((await get("/servicePrincipals(appId='b03c10a8-71c7-45f9-b44a-3335ab76e970')")).status).toBe(
        200,
      );
    });
  });

  describe('$batch', () => {
    it('applies a Graph fault that names a path to that path inside a batch too (a hang does not)', async () => {
      h.sim.faults.failNext(1, { path: '/users', status: 503 });
      h.sim.faults.hangNext(1, { path: '/groups' });
      const r = await send('POST', '/$batch', {
        requests: [
          { id: 'a', method: 'GET', url: '/users?$select=id' },
          { id: 'b', method: 'GET', url: `/groups/${CONNECTOR_GROUP_ID}` },
        ],
      });
      expect(r.status).toBe(200);
      const byId = Object.fromEntries(r.body.responses.map((x: { id: string }) => [x.id, x]));
      expect(byId.a.status).toBe(503);
      expect(byId.b.status).toBe(200);
      h.sim.faults.clear();
    });

    it('answers each step with its own status; a throttle fault lands inside a 200', async () => {
      h.sim.faults.throttleNext(1, { target: 'batchItem', path: '/users', retryAfterSeconds: 7 });
      const r = await send('POST', '/$batch', {
        requests: [
          { id: 'a', method: 'GET', url: '/users?$select=id' },
          { id: 'b', method: 'GET', url: '/devices/nope' },
          { id: 'c', method: 'GET', url: `/groups/${CONNECTOR_GROUP_ID}` },
          { id: 'd', method: 'POST', url: '/groups', body: { displayName: 'x' } },
        ],
      });
      expect(r.status).toBe(200);
      const byId = Object.fromEntries(r.body.responses.map((x: { id: string }) => [x.id, x]));
      expect(byId.a).toMatchObject({ status: 429, headers: { 'Retry-After': '7' } });
      expect(byId.b.status).toBe(404);
      expect(byId.c).toMatchObject({ status: 200, body: { id: CONNECTOR_GROUP_ID } });
      expect(byId.d.status).toBe(400);
      expect(h.sim.requests.entries.filter((e) => e.viaBatch).map((e) => e.endpoint)).toEqual([
        'GET /users',
        'GET /devices/{id}',
        'GET /groups/{id}',
      ]);
    });

    it('refuses more than 20 steps', async () => {
      const requests = Array.from({ length: 21 }, (_, i) => ({
        id: String(i),
        method: 'GET',
        url: '/users',
      }));
      const r = await send('POST', '/$batch', { requests });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/maximum of 20/);
    });
  });

  describe('faults and the request log', () => {
    it('throttles the next N with Retry-After, then serves again', async () => {
      h.sim.faults.throttleNext(2, { path: '/users', retryAfterSeconds: 3 });
      const a = await get('/users');
      expect(a.status).toBe(429);
      expect(a.headers.get('retry-after')).toBe('3');
      expect(a.body.error.code).toBe('TooManyRequests');
      expect((await get('/devices?$top=1')).status).toBe(200);
      expect((await get('/users')).status).toBe(429);
      expect((await get('/users')).status).toBe(200);
    });

    it('resets a connection, and a hung request is dropped when the client gives up', async () => {
      h.sim.faults.resetNext(1);
      await expect(get('/users')).rejects.toThrow();
      h.sim.faults.hangNext(1);
      const started = Date.now();
      await expect(h.raw('/users', { headers: auth, signal: AbortSignal.timeout(300) })).rejects.toThrow();
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect((await get('/users?$top=1')).status).toBe(200);
      expect(h.sim.requests.entries.map((e) => e.fault).filter(Boolean)).toEqual(['reset', 'hang']);
    });

    it('adds latency to every answer', async () => {
      h.sim.faults.latencyMs = 150;
      const started = Date.now();
      expect((await get('/users?$top=1')).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    });

    it('never logs the Authorization header', async () => {
      await get('/users');
      const logged = JSON.stringify(h.sim.requests.entries);
      expect(logged).not.toContain(auth.authorization!.slice(7));
      expect(h.sim.requests.entries[0]?.headers.hasBearer).toBe(true);
    });
  });
});
