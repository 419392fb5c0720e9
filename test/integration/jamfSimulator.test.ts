/**
 * The Jamf Pro simulator over real HTTPS: every endpoint's answers checked against the Jamf Pro
 * 11.30.1 OpenAPI contract, plus the behaviour the client relies on (auth, RSQL, paging, sections,
 * smart-group writes keeping memberships consistent, faults, the request log).
 */
import { rsqlComparisons } from '../../demo/parseRsql';
import { smartGroupPredicate } from '../../demo/smartGroupPredicate';
import { rsqlEquals } from '../../src/upstream/jamf/rsql';
import {
  validateJamfRequest,
  validateJamfResponse,
  validateJamfSchema,
  type ContractResult,
} from '../helpers/contracts';
import { CLIENT_ID, CLIENT_SECRET, jamfHarness, type JamfHarness, type RawResponse } from './jamfHarness';

const ALL_SECTIONS = [
  'GENERAL',
  'HARDWARE',
  'OPERATING_SYSTEM',
  'DISK_ENCRYPTION',
  'APPLICATIONS',
  'USER_AND_LOCATION',
  'GROUP_MEMBERSHIPS',
  'SECURITY',
  'EXTENSION_ATTRIBUTES',
];
const qs = (params: [string, string][]) => params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
const SG = '/api/v3/computer-groups/smart-groups';

let h: JamfHarness;
let token: string;
beforeAll(async () => {
  h = await jamfHarness({ size: 300 });
  token = await h.token();
});
afterAll(() => h.close());

// The contract is in the repository (test/contracts): a missing one is a failure.
const contractIt = it;

/** The answer must match the contract's schema for this path, method and status. */
function expectContract(method: string, path: string, r: RawResponse): void {
  const result: ContractResult = validateJamfResponse(method, path.split('?')[0] ?? path, r.status, r.body);
  expect({ path, errors: result.errors }).toEqual({ path, errors: [] });
}

/** For statuses the contract leaves undocumented (e.g. a 400 on inventory), the body is still an ApiError. */
function expectApiError(r: RawResponse, status: number): void {
  expect(r.status).toBe(status);
  expect(validateJamfSchema('ApiError', r.body).errors).toEqual([]);
  expect(r.body).toMatchObject({
    httpStatus: status,
    errors: [expect.objectContaining({ field: expect.any(String) })],
  });
}

describe('contract: every endpoint answers in Jamf Pro 11.30.1 shapes', () => {
  contractIt('POST /v1/oauth/token (200, 400) and the client-credentials form', async () => {
    const form = { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET };
    expect(validateJamfRequest('POST', '/api/v1/oauth/token', form).errors).toEqual([]);
    const ok = await h.raw('POST', '/api/v1/oauth/token', { form });
    expect(ok.status).toBe(200);
    expectContract('POST', '/api/v1/oauth/token', ok);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 60 });
    const bad = await h.raw('POST', '/api/v1/oauth/token', { form: { client_id: CLIENT_ID } });
    expect(bad.status).toBe(400);
    expectContract('POST', '/api/v1/oauth/token', bad);
    const wrong = await h.raw('POST', '/api/v1/oauth/token', { form: { ...form, client_secret: 'nope' } });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  contractIt('POST /v1/auth/token (basic) and /v1/auth/keep-alive', async () => {
    const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
    const ok = await h.raw('POST', '/api/v1/auth/token', { headers: { authorization: basic } });
    expect(ok.status).toBe(200);
    expectContract('POST', '/api/v1/auth/token', ok);
    const t = (ok.body as { token: string }).token;
    const kept = await h.raw('POST', '/api/v1/auth/keep-alive', { token: t });
    expect(kept.status).toBe(200);
    expectContract('POST', '/api/v1/auth/keep-alive', kept);
    expect((await h.raw('GET', '/api/v4/computers-inventory', { token: t })).status).toBe(401);
    const refused = await h.raw('POST', '/api/v1/auth/token', { headers: { authorization: 'Basic eDp5' } });
    expect(refused.status).toBe(401);
    expectContract('POST', '/api/v1/auth/token', refused);
  });

  contractIt('GET /v4/computers-inventory with every section, the whole fleet', async () => {
    const sections = ALL_SECTIONS.map((s): [string, string] => ['section', s]);
    const path = `/api/v4/computers-inventory?${qs([...sections, ['page-size', '2000']])}`;
    const r = await h.raw('GET', path, { token });
    expect(r.status).toBe(200);
    expectContract('GET', path, r);
    expect((r.body as { results: unknown[] }).results).toHaveLength(h.fleet.jamf.computers.length);
  });

  contractIt('GET /v4/computers-inventory/{id} (200, 404)', async () => {
    const sections = qs(ALL_SECTIONS.map((s): [string, string] => ['section', s]));
    for (const id of [
      '1',
      h.fleet.edgeCases.macWithoutUser,
      h.fleet.edgeCases.duplicateName.computerIds[0],
    ]) {
      const r = await h.raw('GET', `/api/v4/computers-inventory/${id}?${sections}`, { token });
      expect(r.status).toBe(200);
      expectContract('GET', `/api/v4/computers-inventory/${id}`, r);
    }
    const missing = await h.raw('GET', '/api/v4/computers-inventory/999999', { token });
    expect(missing.status).toBe(404);
    expectContract('GET', '/api/v4/computers-inventory/999999', missing);
  });

  contractIt(
    'smart groups: list, get, create, update, delete, membership (every documented status)',
    async () => {
      const list = await h.raw('GET', `${SG}?page=0&page-size=100`, { token });
      expectContract('GET', SG, list);
      expect(list.body).toMatchObject({ totalCount: h.fleet.jamf.smartGroups.length });

      for (const id of ['2', '3']) {
        expectContract('GET', `${SG}/${id}`, await h.raw('GET', `${SG}/${id}`, { token }));
        const members = await h.raw('GET', `/api/v3/computer-groups/smart-group-membership/${id}`, { token });
        expectContract('GET', `/api/v3/computer-groups/smart-group-membership/${id}`, members);
      }
      expectContract('GET', `${SG}/999`, await h.raw('GET', `${SG}/999`, { token }));
      const noMembers = await h.raw('GET', '/api/v3/computer-groups/smart-group-membership/999', { token });
      expect(noMembers.status).toBe(404);
      expectContract('GET', '/api/v3/computer-groups/smart-group-membership/999', noMembers);

      const body = {
        name: 'Contract test group',
        description: 'made by a test',
        siteId: null,
        criteria: [
          {
            name: 'Application Title',
            priority: 0,
            andOr: 'and',
            searchType: 'is',
            value: 'CompanyPortal.app',
            openingParen: false,
            closingParen: false,
          },
        ],
      };
      expect(validateJamfRequest('POST', SG, body).errors).toEqual([]);
      const created = await h.raw('POST', SG, { token, body });
      expect(created.status).toBe(201);
      expectContract('POST', SG, created);
      const id = (created.body as { id: string }).id;
      expect((created.body as { href: string }).href).toBe(`${h.sim.url}${SG}/${id}`);

      const dup = await h.raw('POST', SG, { token, body });
      expect(dup.status).toBe(422);
      expectContract('POST', SG, dup);
      const invalid = await h.raw('POST', SG, {
        token,
        body: { ...body, name: 'Bad priorities', criteria: [{ ...body.criteria[0], priority: 3 }] },
      });
      expect(invalid.status).toBe(400);
      expectContract('POST', SG, invalid);

      const updated = await h.raw('PUT', `${SG}/${id}`, { token, body: { ...body, name: 'Renamed group' } });
      expect(updated.status).toBe(202);
      expectContract('PUT', `${SG}/${id}`, updated);
      expectContract('PUT', `${SG}/999`, await h.raw('PUT', `${SG}/999`, { token, body }));

      const deleted = await h.raw('DELETE', `${SG}/${id}`, { token });
      expect(deleted.status).toBe(204);
      expectContract('DELETE', `${SG}/${id}`, deleted);
      expectContract('DELETE', `${SG}/${id}`, await h.raw('DELETE', `${SG}/${id}`, { token }));
    },
  );

  contractIt('GET /v1/conditional-access/device-compliance-information/computer/{id}', async () => {
    for (const id of Object.keys(h.fleet.jamf.compliance).slice(0, 40)) {
      const path = `/api/v1/conditional-access/device-compliance-information/computer/${id}`;
      const r = await h.raw('GET', path, { token });
      expect(r.status).toBe(200);
      expectContract('GET', path, r);
    }
  });
});

describe('auth', () => {
  it('requires a valid bearer token everywhere but the token endpoints', async () => {
    for (const path of [
      '/api/v4/computers-inventory',
      '/api/v4/computers-inventory/1',
      SG,
      `${SG}/2`,
      '/api/v3/computer-groups/smart-group-membership/2',
      '/api/v1/conditional-access/device-compliance-information/computer/1',
    ]) {
      expectApiError(await h.raw('GET', path), 401);
      expectApiError(await h.raw('GET', path, { token: 'forged' }), 401);
    }
  });

  it('expires tokens after their lifetime, and all at once on demand', async () => {
    const short = await jamfHarness({ size: 10, tokenTtlSeconds: 0.2 });
    try {
      const t = await short.token();
      expect((await short.raw('GET', '/api/v4/computers-inventory/1', { token: t })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 250));
      expect((await short.raw('GET', '/api/v4/computers-inventory/1', { token: t })).status).toBe(401);
    } finally {
      await short.close();
    }
    const t2 = await h.token();
    h.sim.faults.expireTokens();
    expect((await h.raw('GET', '/api/v4/computers-inventory/1', { token: t2 })).status).toBe(401);
    token = await h.token();
  });
});

describe('inventory queries', () => {
  const list = (params: [string, string][]) =>
    h.raw('GET', `/api/v4/computers-inventory?${qs(params)}`, { token });

  it('returns only the requested sections (GENERAL by default; the others null), id and udid always', async () => {
    const filled = (r: Record<string, unknown> | undefined) =>
      Object.keys(r ?? {})
        .filter((k) => r?.[k] !== null)
        .sort();
    const r = await list([['filter', 'id=="1"']]);
    const [c] = (r.body as { results: Record<string, unknown>[] }).results;
    expect(filled(c)).toEqual(['general', 'id', 'udid']);
    const two = await list([
      ['filter', 'id=="1"'],
      ['section', 'HARDWARE'],
      ['section', 'user_and_location'],
    ]);
    const [d] = (two.body as { results: Record<string, unknown>[] }).results;
    expect(filled(d)).toEqual(['hardware', 'id', 'udid', 'userAndLocation']);
    expectApiError(await list([['section', 'NOPE']]), 400);
  });

  it('filters on the fields the bot uses, with wildcards, and ignores case', async () => {
    const alex = h.fleet.jamf.computers[0];
    const by = async (filter: string) =>
      (
        (
          await list([
            ['filter', filter],
            ['section', 'HARDWARE'],
          ])
        ).body as { results: { id: string }[] }
      ).results.map((c) => c.id);
    expect(await by(rsqlEquals('hardware.serialNumber', 'c02demo0001'))).toEqual([alex?.id]);
    expect(await by(rsqlEquals('userAndLocation.email', 'ALEX.WILBER@jamfdemo.example'))).toEqual([alex?.id]);
    expect(await by(rsqlEquals('userAndLocation.username', 'alex.wilber'))).toEqual([alex?.id]);
    expect(await by(rsqlEquals('general.name', 'Alex’s MacBook*'))).toContain(alex?.id);
    expect(await by('id=in=("1","2");general.name!="nothing"')).toEqual(['1', '2']);
    expect(await by('id=="1",id=="3"')).toEqual(['1', '3']);
    const dup = h.fleet.edgeCases.duplicateName;
    expect((await by(rsqlEquals('general.name', dup.name))).sort()).toEqual(
      expect.arrayContaining([...dup.computerIds]),
    );
  });

  it('answers a malformed filter or an unknown field with 400 the way Jamf does, and logs the parse', async () => {
    for (const filter of ['general.name=="unterminated', 'general.name==a b', '(id==1', 'id=like=1']) {
      const r = await list([['filter', filter]]);
      expectApiError(r, 400);
      expect(r.body).toMatchObject({ errors: [{ code: 'INVALID_RSQL_FILTER', field: 'filter' }] });
    }
    const unknown = await list([['filter', 'purchasing.colour=="x"']]);
    expectApiError(unknown, 400);
    expect(JSON.stringify(unknown.body)).toContain('Cannot filter by field [purchasing.colour]');
    await list([['filter', rsqlEquals('general.name', '"),name==*')]]);
    const last = h.sim.requests.entries.at(-1);
    expect(rsqlComparisons(last?.filter ?? null)).toEqual([
      { type: 'comparison', selector: 'general.name', operator: '==', values: ['"),name==*'] },
    ]);
  });

  it('pages in a stable order with totalCount, and sorts on allowed fields only', async () => {
    const ids: string[] = [];
    for (let page = 0; ; page++) {
      const r = await list([
        ['page', String(page)],
        ['page-size', '37'],
        ['sort', 'general.name:asc'],
      ]);
      const body = r.body as { totalCount: number; results: { id: string; general: { name: string } }[] };
      expect(body.totalCount).toBe(h.fleet.jamf.computers.length);
      if (body.results.length === 0) break;
      ids.push(...body.results.map((c) => c.id));
    }
    expect(ids).toHaveLength(h.fleet.jamf.computers.length);
    expect(new Set(ids).size).toBe(ids.length);
    const desc = await list([
      ['sort', 'id:desc'],
      ['page-size', '3'],
    ]);
    expect((desc.body as { results: { id: string }[] }).results.map((c) => c.id)).toEqual([
      '300',
      '299',
      '298',
    ]);
    expectApiError(await list([['sort', 'hardware.serialNumber:asc']]), 400);
    expectApiError(await list([['page-size', '0']]), 400);
    expectApiError(await list([['page-size', '2001']]), 400);
  });
});

describe('smart group writes keep memberships consistent', () => {
  it('creates, updates and deletes, re-evaluating members and each computer’s groupMemberships', async () => {
    const body = {
      name: 'Macs without FileVault',
      criteria: [
        {
          name: 'FileVault 2 Partition Encryption State',
          priority: 0,
          andOr: 'and',
          searchType: 'is not',
          value: 'All Partitions Encrypted',
        },
        {
          name: 'Application Title',
          priority: 1,
          andOr: 'or',
          searchType: 'is',
          value: 'CompanyPortal.app',
          openingParen: true,
        },
        {
          name: 'Computer Name',
          priority: 2,
          andOr: 'and',
          searchType: 'like',
          value: 'lab',
          closingParen: true,
        },
      ],
    };
    const created = await h.raw('POST', SG, { token, body });
    const id = (created.body as { id: string }).id;
    const group = h.fleet.jamf.smartGroups.find((g) => g.id === id);
    const expected = h.fleet.jamf.computers
      .filter(smartGroupPredicate(group?.criteria ?? [], Date.now()))
      .map((c) => c.id);
    expect(expected.length).toBeGreaterThan(0);
    const members = await h.raw('GET', `/api/v3/computer-groups/smart-group-membership/${id}`, { token });
    expect(members.body).toEqual({ members: expected.map(Number) });
    const holders = h.fleet.jamf.computers.filter((c) => c.groupMemberships.some((m) => m.groupId === id));
    expect(holders.map((c) => c.id)).toEqual(expected);

    await h.raw('PUT', `${SG}/${id}`, {
      token,
      body: {
        name: 'Alex only',
        criteria: [
          { name: 'Serial Number', priority: 0, andOr: 'and', searchType: 'is', value: 'C02DEMO0001' },
        ],
      },
    });
    expect(
      (await h.raw('GET', `/api/v3/computer-groups/smart-group-membership/${id}`, { token })).body,
    ).toEqual({ members: [1] });
    expect(h.fleet.jamf.computers[0]?.groupMemberships.find((m) => m.groupId === id)?.groupName).toBe(
      'Alex only',
    );

    await h.raw('DELETE', `${SG}/${id}`, { token });
    expect(h.fleet.jamf.computers.some((c) => c.groupMemberships.some((m) => m.groupId === id))).toBe(false);
  });

  it('lists with an RSQL name filter', async () => {
    const r = await h.raw(
      'GET',
      `${SG}?${qs([['filter', rsqlEquals('name', 'jamf-intune compliance group')]])}`,
      { token },
    );
    expect(r.body).toMatchObject({
      totalCount: 1,
      results: [{ id: '3', name: 'Jamf-Intune Compliance Group' }],
    });
  });
});

describe('compliance information', () => {
  it('serves deviceIds as the schema says, or as the schema’s example shows', async () => {
    const path = '/api/v1/conditional-access/device-compliance-information/computer/1';
    const object = await h.raw('GET', path, { token });
    expect(object.body).toEqual([
      expect.objectContaining({ complianceVendorDeviceInformation: { deviceIds: [expect.any(String)] } }),
    ]);
    const arrayShaped = await jamfHarness({ size: 10, complianceInfoShape: 'array' });
    try {
      const r = await arrayShaped.raw('GET', path, { token: await arrayShaped.token() });
      expect(r.body).toEqual([
        expect.objectContaining({ complianceVendorDeviceInformation: [{ deviceIds: [expect.any(String)] }] }),
      ]);
    } finally {
      await arrayShaped.close();
    }
    expectApiError(
      await h.raw('GET', '/api/v1/conditional-access/device-compliance-information/computer/999999', {
        token,
      }),
      404,
    );
  });
});

describe('faults and the request log', () => {
  const get = () => h.raw('GET', '/api/v4/computers-inventory/1', { token });

  it('throttles with Retry-After, fails with a 5xx, matching only the given path', async () => {
    h.sim.faults.throttleNext(1, { retryAfterSeconds: 2, path: '/api/v4' }).failNext(1, { status: 502 });
    expect((await h.raw('GET', `${SG}/2`, { token })).status).toBe(502); // the throttle is for /api/v4 only
    const throttled = await get();
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('2');
    expect((await get()).status).toBe(200);
    expect(h.sim.faults.pending()).toBe(0);
  });

  it('hangs and resets connections', async () => {
    h.sim.faults.resetNext(1);
    await expect(get()).rejects.toThrow();
    h.sim.faults.hangNext(1);
    const hung = get();
    const outcome = await Promise.race([
      hung.then(() => 'answered'),
      new Promise((r) => setTimeout(() => r('waiting'), 150)),
    ]);
    expect(outcome).toBe('waiting');
    expect(h.sim.requests.inFlight).toBeGreaterThanOrEqual(1);
    hung.catch(() => undefined); // ends when the harness closes the server
  });

  it('logs method, path, query and the parsed filter, never the client secret', async () => {
    h.sim.requests.clear();
    await h.token();
    await h.raw(
      'GET',
      `/api/v4/computers-inventory?${qs([
        ['section', 'GENERAL'],
        ['section', 'HARDWARE'],
        ['filter', 'id=="1"'],
      ])}`,
      { token },
    );
    const [tokenReq, inv] = h.sim.requests.entries;
    expect(tokenReq).toMatchObject({ method: 'POST', path: '/api/v1/oauth/token', status: 200 });
    expect(JSON.stringify(tokenReq)).not.toContain(CLIENT_SECRET);
    expect(inv).toMatchObject({
      method: 'GET',
      query: { section: ['GENERAL', 'HARDWARE'], filter: ['id=="1"'] },
      status: 200,
    });
    expect(inv?.filter).toEqual({ type: 'comparison', selector: 'id', operator: '==', values: ['1'] });
  });
});
