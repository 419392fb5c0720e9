import { DEFAULT_CRITERIA } from '../../src/compliance/defaultCriteria';
import { desiredSmartGroups } from '../../src/compliance/desiredSmartGroups';
import { UpstreamError } from '../../src/errors';
import { readSmartGroup } from '../../src/lookup/readOnboardingState';
import { validateJamfRequest, validateJamfResponse, validateJamfSchema } from '../helpers/contracts';
import { checkAgainstCsdl } from '../helpers/csdl';
import { startGraphHarness, type GraphHarness } from './graphTestHarness';
import { CONNECTOR_GROUP_ID, NESTED_GROUP_ID, PARTNER_ID } from './graphTestFleet';
import { jamfHarness, type JamfHarness } from './jamfHarness';

const SG = '/api/v3/computer-groups/smart-groups';

async function failure(p: Promise<unknown>): Promise<UpstreamError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UpstreamError);
    return e as UpstreamError;
  }
  throw new Error('expected a failure');
}

describe('Graph client: the writes and reads onboarding needs, against the simulator', () => {
  let h: GraphHarness;
  beforeAll(async () => {
    h = await startGraphHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  afterEach(() => h.sim.faults.clear());

  it('reads a group by id (null when missing or not an id) and by exact name, every namesake', async () => {
    const c = h.client();
    expect(await c.getGroup(CONNECTOR_GROUP_ID)).toMatchObject({ displayName: 'Jamf Compliance Users' });
    expect(await c.getGroup('0a0a0a0a-0000-4000-8000-000000000000')).toBeNull();
    expect(await c.getGroup('Jamf Compliance Users')).toBeNull();
    expect((await c.findGroupsByName('jamf compliance users')).map((g) => g.id)).toEqual([
      CONNECTOR_GROUP_ID,
    ]);
    expect(await c.findGroupsByName('Jamf Compliance')).toEqual([]); // exact, not a prefix
    await c.createGroup({ displayName: "O'Brien & Co #1", mailNickname: 'obrien-1' });
    await c.createGroup({ displayName: "O'Brien & Co #1", mailNickname: 'obrien-2' });
    expect(await c.findGroupsByName("O'Brien & Co #1")).toHaveLength(2);
    const get = h.sim.requests.entries.filter((e) => e.endpoint === 'GET /groups').at(-1);
    expect(get?.query.$filter).toBe("displayName eq 'O''Brien & Co #1'");
  });

  it('creates assigned and dynamic security groups in the real request shape, which the simulator keeps', async () => {
    const c = h.client();
    const assigned = await c.createGroup({
      displayName: 'Mac users',
      mailNickname: 'mac-users',
      description: 'd',
    });
    expect(assigned).toMatchObject({
      groupTypes: [],
      membershipRule: null,
      securityEnabled: true,
      mailEnabled: false,
    });
    const dynamic = await c.createGroup({
      displayName: 'Sales Macs',
      mailNickname: 'sales-macs',
      membershipRule: '(user.department -eq "Sales")',
    });
    expect(dynamic).toMatchObject({ groupTypes: ['DynamicMembership'], membershipRuleProcessingState: 'On' });
    const posts = h.sim.requests.entries.filter((e) => e.endpoint === 'POST /groups' && e.status === 201);
    for (const p of posts.slice(-2)) expect(checkAgainstCsdl('group', p.body)).toEqual([]);
    expect(posts.at(-1)?.body).toEqual({
      displayName: 'Sales Macs',
      mailNickname: 'sales-macs',
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: ['DynamicMembership'],
      membershipRule: '(user.department -eq "Sales")',
      membershipRuleProcessingState: 'On',
    });
    expect(h.fleet.graph.groups.find((g) => g.id === dynamic.id)).toMatchObject({
      membershipRule: '(user.department -eq "Sales")',
    });
    expect(await c.getGroup(dynamic.id)).toEqual(dynamic);
  });

  it('a body Graph rejects: 400 with Graph’s own message, which the client passes on', async () => {
    const c = h.client();
    const rule = await failure(
      c.createGroup({
        displayName: 'Bad rule',
        mailNickname: 'bad-rule',
        membershipRule: 'department is Sales',
      }),
    );
    expect(rule).toMatchObject({ code: 'bad_request', status: 400 });
    expect(rule.message).toContain(
      "Invalid value specified for property 'membershipRule' of resource 'Group'",
    );
    const raw = await h.raw('/groups', {
      method: 'POST',
      headers: { authorization: `Bearer ${await h.token()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'No nickname', mailEnabled: false, securityEnabled: true }),
    });
    expect(raw.status).toBe(400);
    expect(raw.body.error).toMatchObject({
      code: 'Request_BadRequest',
      message: "A value is required for property 'mailNickname' of resource 'Group'.",
    });
    expect(
      h.fleet.graph.groups.some((g) => g.displayName === 'Bad rule' || g.displayName === 'No nickname'),
    ).toBe(false);
  });

  it('writes the connector’s macOS assignment keeping other targets, and reads it back', async () => {
    const c = h.client();
    const p = h.fleet.graph.compliancePartners.find((x) => x.id === PARTNER_ID)!;
    p.macOsEnrollmentAssignments = [
      { target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: CONNECTOR_GROUP_ID } },
      {
        target: {
          '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget',
          groupId: NESTED_GROUP_ID,
        },
      },
    ];
    const [before] = await c.listCompliancePartners();
    const next = [
      ...before!.assignments.macOs,
      { kind: 'group' as const, groupId: '0a0a0a0a-0000-4000-8000-0000000000a1' },
    ];
    const after = await c.setPartnerAssignments(PARTNER_ID, 'macOs', next);
    expect(after.assignments.macOs).toEqual([
      { kind: 'group', groupId: CONNECTOR_GROUP_ID },
      {
        kind: 'other',
        odataType: '#microsoft.graph.exclusionGroupAssignmentTarget',
        groupId: NESTED_GROUP_ID,
      },
      { kind: 'group', groupId: '0a0a0a0a-0000-4000-8000-0000000000a1' },
    ]);
    const patch = h.sim.requests.entries.filter((e) => e.method === 'PATCH').at(-1);
    expect(checkAgainstCsdl('complianceManagementPartner', patch?.body)).toEqual([]);
    expect(p.macOsEnrollmentAssignments).toHaveLength(3);
    const bad = await failure(
      c.setPartnerAssignments(PARTNER_ID, 'macOs', [
        { kind: 'other', odataType: '#microsoft.graph.nonsense' },
      ]),
    );
    expect(bad).toMatchObject({ code: 'bad_request', status: 400 });
    expect(bad.message).toContain('macOsEnrollmentAssignments');
  });

  it('a fault per route: 403 on POST /groups only, with Graph’s permission error', async () => {
    const c = h.client();
    h.sim.faults.failNext(1, { status: 403, method: 'POST', path: '/groups' });
    expect((await c.findGroupsByName('Jamf Compliance Users')).length).toBe(1); // GETs unaffected
    const e = await failure(c.createGroup({ displayName: 'Denied', mailNickname: 'denied' }));
    expect(e).toMatchObject({ code: 'forbidden', status: 403 });
    expect(e.message).toContain('Authorization_RequestDenied');
    expect(h.fleet.graph.groups.some((g) => g.displayName === 'Denied')).toBe(false);
  });
});

describe('Jamf client: smart groups for onboarding, against the simulator and the contract', () => {
  let h: JamfHarness;
  beforeAll(async () => {
    h = await jamfHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  afterEach(() => h.sim.faults.clear());

  it('creates the configured groups in the contract’s shape; reads them back by name or id with criteria', async () => {
    const c = h.client();
    const want = desiredSmartGroups({ ...DEFAULT_CRITERIA, applicableGroup: 'Onboarding Applicable' });
    h.sim.requests.clear();
    const { id } = await c.createSmartGroup({
      ...want.applicable,
      criteria: want.applicable.criteria.map((x) => ({ ...x, andOr: 'and' as const })),
    });
    const post = h.sim.requests.entries.find((e) => e.method === 'POST' && e.path === SG);
    expect(validateJamfRequest('POST', SG, post?.body).errors).toEqual([]);
    expect(post?.status).toBe(201);
    const byName = await readSmartGroup(c, 'onboarding applicable');
    const byId = await readSmartGroup(c, id);
    expect(byName).toEqual(byId);
    expect(byName?.criteria).toEqual([
      {
        name: 'Application Title',
        priority: 0,
        andOr: 'and',
        searchType: 'is',
        value: 'CompanyPortal.app',
        openingParen: false,
        closingParen: false,
      },
    ]);
    const raw = await h.raw('GET', `${SG}/${id}`, { token: await h.token() });
    expect(validateJamfResponse('GET', `${SG}/${id}`, raw.status, raw.body).errors).toEqual([]);
    expect(await readSmartGroup(c, 'No such group')).toBeNull();
    expect(await readSmartGroup(c, '99999')).toBeNull();
  });

  it('a bad body gets Jamf’s 400 ApiError; a taken name its 422', async () => {
    const token = await h.token();
    const bad = await h.raw('POST', SG, {
      token,
      body: {
        name: 'X',
        criteria: [{ name: 'Application Title', priority: 1, andOr: 'and', searchType: 'is', value: 'a' }],
      },
    });
    expect(bad.status).toBe(400);
    expect(validateJamfResponse('POST', SG, 400, bad.body).errors).toEqual([]);
    const andOr = await h.raw('POST', SG, {
      token,
      body: {
        name: 'X',
        criteria: [{ name: 'Application Title', priority: 0, andOr: 'maybe', searchType: 'is', value: 'a' }],
      },
    });
    expect(andOr.status).toBe(400);
    const dup = await failure(h.client().createSmartGroup({ name: 'Onboarding Applicable', criteria: [] }));
    expect(dup).toMatchObject({ status: 422, code: 'bad_request' });
  });

  it('a fault per route: 403 on POST smart-groups only, with Jamf’s privilege error', async () => {
    const c = h.client();
    h.sim.faults.failNext(1, { status: 403, method: 'POST', path: SG });
    expect(await c.findSmartGroupByName('Onboarding Applicable')).not.toBeNull();
    h.sim.requests.clear();
    const e = await failure(c.createSmartGroup({ name: 'Denied group', criteria: [] }));
    expect(e).toMatchObject({ code: 'forbidden', status: 403 });
    expect(e.message).toContain('INVALID_PRIVILEGE');
    // Not retried: a POST the server refused is not sent again.
    expect(h.sim.requests.entries.filter((x) => x.method === 'POST' && x.path === SG)).toHaveLength(1);
    expect(h.fleet.jamf.smartGroups.some((g) => g.name === 'Denied group')).toBe(false);
    const raw = await (async () => {
      h.sim.faults.failNext(1, { status: 403, method: 'POST', path: SG });
      return h.raw('POST', SG, { token: await h.token(), body: { name: 'Y', criteria: [] } });
    })();
    expect(validateJamfSchema('ApiError', raw.body).errors).toEqual([]);
  });
});
