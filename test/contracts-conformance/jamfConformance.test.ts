/**
 * Jamf Pro contract conformance: every route the Jamf simulator serves answers — on success and
 * on each error it produces — in the shapes of the published contracts (OpenAPI 11.30.1 for
 * `/api`, the Classic swagger for `/JSSResource`), and every request the real `JamfClient` sends
 * is one the contract allows (method + path, query parameters and their values, RSQL filter and
 * sort fields, request bodies). The route table comes from the simulator itself
 * (`JAMF_SIM_ROUTES`): a route added there without a case here fails the first test.
 */
import { JAMF_SIM_ROUTES, matchJamfRoute, type JamfSimRoute } from '../../demo/jamfSimRoutes';
import { DEFAULT_COMPUTER_SECTIONS, JamfClient } from '../../src/upstream/jamf';
import { computerIdIn, reportedSince, rsqlEquals } from '../../src/upstream/jamf/rsql';
import type { JamfWebhookSettings } from '../../src/compliance/jamfWebhookTypes';
import { checkJamfRequest, documentedFields } from '../helpers/checkJamfRequest';
import { classicOperation } from '../helpers/classicSwagger';
import { jamfOperation, validateJamfResponse, validateJamfSchema } from '../helpers/contracts';
import { CLIENT_ID, CLIENT_SECRET, jamfHarness, type JamfHarness } from '../integration/jamfHarness';
import { JAMF_UNDOCUMENTED_401, JAMF_UNDOCUMENTED_STATUSES } from './jamfDeviations';

interface Exchange {
  method: string;
  path: string;
  status: number;
  body: unknown;
  /** The simulator route the request hit (undefined: none). */
  route?: JamfSimRoute;
}

interface RouteCase {
  /** Statuses this case must see the route answer (success and errors). */
  statuses: number[];
  run: (send: (method: string, path: string, o?: SendOptions) => Promise<Exchange>) => Promise<void>;
}

interface SendOptions {
  token?: string | null;
  body?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

const SG = '/api/v3/computer-groups/smart-groups';
const COMPLIANCE = '/api/v1/conditional-access/device-compliance-information/computer';
/** Every section the client can ask for. */
const ALL_SECTIONS = [...DEFAULT_COMPUTER_SECTIONS, 'DISK_ENCRYPTION', 'SECURITY', 'EXTENSION_ATTRIBUTES'];
const sections = ALL_SECTIONS.map((s) => `section=${s}`).join('&');
const FORM = { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET };
const GROUP_BODY = {
  name: 'Conformance group',
  description: 'made by the conformance suite',
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

/** A webhook write of the documented elements (demo/classicWebhookShape.ts). */
const webhookXml = (name: string, extra = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><webhook><name>${name}</name><enabled>true</enabled>` +
  '<url>https://bot.example/api/webhooks/jamf</url><content_type>application/json</content_type>' +
  '<event>ComputerInventoryCompleted</event><connection_timeout>5</connection_timeout>' +
  `<read_timeout>5</read_timeout><authentication_type>HEADER</authentication_type><header>{"X-Secret":"s"}</header>${extra}</webhook>`;
const WEBHOOKS = '/JSSResource/webhooks';

let h: JamfHarness;
beforeAll(async () => {
  h = await jamfHarness({ size: 120 });
});
afterAll(() => h.close());

/** One case per simulator route: the requests that make it answer each status it can. */
const ROUTE_CASES: Record<JamfSimRoute, RouteCase> = {
  'POST /api/v1/oauth/token': {
    statuses: [200, 400, 401],
    run: async (send) => {
      await send('POST', '/api/v1/oauth/token', { form: FORM, token: null });
      await send('POST', '/api/v1/oauth/token', { form: { client_id: CLIENT_ID }, token: null });
      await send('POST', '/api/v1/oauth/token', { form: { ...FORM, grant_type: 'password' }, token: null });
      await send('POST', '/api/v1/oauth/token', { form: { ...FORM, client_secret: 'nope' }, token: null });
    },
  },
  'POST /api/v1/auth/token': {
    statuses: [200, 401],
    run: async (send) => {
      const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
      await send('POST', '/api/v1/auth/token', { headers: { authorization: basic }, token: null });
      await send('POST', '/api/v1/auth/token', { headers: { authorization: 'Basic eDp5' }, token: null });
    },
  },
  'POST /api/v1/auth/keep-alive': {
    statuses: [200, 401],
    run: async (send) => {
      await send('POST', '/api/v1/auth/keep-alive', { token: await h.token() });
      await send('POST', '/api/v1/auth/keep-alive', { token: 'forged' });
    },
  },
  'POST /api/v1/auth/invalidate-token': {
    statuses: [204, 401],
    run: async (send) => {
      const t = await h.token();
      await send('POST', '/api/v1/auth/invalidate-token', { token: t });
      await send('POST', '/api/v1/auth/invalidate-token', { token: t });
    },
  },
  'GET /api/v1/auth': {
    statuses: [200, 401],
    run: async (send) => {
      await send('GET', '/api/v1/auth');
      await send('GET', '/api/v1/auth', { token: null });
    },
  },
  'GET /api/v4/computers-inventory': {
    statuses: [200, 400, 401],
    run: async (send) => {
      await send('GET', `/api/v4/computers-inventory?${sections}&page-size=2000`);
      // The fleet sync's reads: changed since an instant, named ids, the keyset id listing.
      const since = encodeURIComponent(reportedSince('2025-01-01T00:00:00Z'));
      await send(
        'GET',
        `/api/v4/computers-inventory?${sections}&sort=id:asc&filter=${since}&page=1&page-size=7`,
      );
      await send(
        'GET',
        `/api/v4/computers-inventory?filter=${encodeURIComponent(computerIdIn(['1', '2', '3']))}`,
      );
      await send(
        'GET',
        `/api/v4/computers-inventory?section=GENERAL&sort=id:asc&filter=id>40&page-size=2000`,
      );
      await send('GET', `/api/v4/computers-inventory?filter=${encodeURIComponent('general.name=="x')}`);
      await send(
        'GET',
        `/api/v4/computers-inventory?filter=${encodeURIComponent('general.reportDate>=2025-01-01T00:00:00+02:00')}`,
      );
      await send('GET', '/api/v4/computers-inventory?section=NOPE');
      await send('GET', '/api/v4/computers-inventory', { token: null });
    },
  },
  'GET /api/v4/computers-inventory/{id}': {
    statuses: [200, 404, 401],
    run: async (send) => {
      for (const id of [
        '1',
        h.fleet.edgeCases.macWithoutUser,
        h.fleet.edgeCases.duplicateName.computerIds[0],
      ])
        await send('GET', `/api/v4/computers-inventory/${id}?${sections}`);
      await send('GET', '/api/v4/computers-inventory/999999');
      await send('GET', '/api/v4/computers-inventory/1', { token: null });
    },
  },
  'GET /api/v3/computer-groups/smart-groups': {
    statuses: [200, 400, 401],
    run: async (send) => {
      await send('GET', `${SG}?page=0&page-size=100&sort=id:asc`);
      await send(
        'GET',
        `${SG}?filter=${encodeURIComponent(rsqlEquals('name', 'Jamf-Intune Compliance Group'))}`,
      );
      await send('GET', `${SG}?filter=${encodeURIComponent('(name==x')}`);
      await send('GET', SG, { token: null });
    },
  },
  'POST /api/v3/computer-groups/smart-groups': {
    statuses: [201, 400, 422, 401],
    run: async (send) => {
      await send('POST', SG, { body: GROUP_BODY });
      await send('POST', SG, { body: GROUP_BODY });
      await send('POST', SG, {
        body: {
          ...GROUP_BODY,
          name: 'Bad priorities',
          criteria: [{ ...GROUP_BODY.criteria[0], priority: 3 }],
        },
      });
      await send('POST', SG, { body: GROUP_BODY, token: null });
    },
  },
  'GET /api/v3/computer-groups/smart-groups/{id}': {
    statuses: [200, 404, 401],
    run: async (send) => {
      for (const id of ['2', '3']) await send('GET', `${SG}/${id}`);
      await send('GET', `${SG}/999`);
      await send('GET', `${SG}/2`, { token: null });
    },
  },
  'PUT /api/v3/computer-groups/smart-groups/{id}': {
    statuses: [202, 400, 404, 401],
    run: async (send) => {
      const created = await send('POST', SG, { body: { ...GROUP_BODY, name: 'To be renamed' } });
      const id = (created.body as { id: string }).id;
      await send('PUT', `${SG}/${id}`, { body: { ...GROUP_BODY, name: 'Renamed by the suite' } });
      await send('PUT', `${SG}/${id}`, {
        body: { ...GROUP_BODY, name: 'Bad', criteria: [{ ...GROUP_BODY.criteria[0], priority: 5 }] },
      });
      await send('PUT', `${SG}/999`, { body: GROUP_BODY });
      await send('PUT', `${SG}/${id}`, { body: GROUP_BODY, token: null });
    },
  },
  'DELETE /api/v3/computer-groups/smart-groups/{id}': {
    statuses: [204, 404, 401],
    run: async (send) => {
      const created = await send('POST', SG, { body: { ...GROUP_BODY, name: 'To be deleted' } });
      const id = (created.body as { id: string }).id;
      await send('DELETE', `${SG}/${id}`, { token: null });
      await send('DELETE', `${SG}/${id}`);
      await send('DELETE', `${SG}/${id}`);
    },
  },
  'GET /api/v3/computer-groups/smart-group-membership/{id}': {
    statuses: [200, 404, 401],
    run: async (send) => {
      for (const id of ['2', '3']) await send('GET', `/api/v3/computer-groups/smart-group-membership/${id}`);
      await send('GET', '/api/v3/computer-groups/smart-group-membership/999');
      await send('GET', '/api/v3/computer-groups/smart-group-membership/2', { token: null });
    },
  },
  'GET /api/v1/conditional-access/device-compliance-information/computer/{id}': {
    statuses: [200, 404, 401],
    run: async (send) => {
      for (const id of Object.keys(h.fleet.jamf.compliance).slice(0, 30))
        await send('GET', `${COMPLIANCE}/${id}`);
      await send('GET', `${COMPLIANCE}/999999`);
      await send('GET', `${COMPLIANCE}/1`, { token: null });
    },
  },
  'GET /JSSResource/policies': {
    statuses: [200, 401],
    run: async (send) => {
      await send('GET', '/JSSResource/policies');
      await send('GET', '/JSSResource/policies', { token: null });
    },
  },
  'GET /JSSResource/policies/id/{id}': {
    statuses: [200, 404, 401],
    run: async (send) => {
      for (const p of h.fleet.jamf.policies) await send('GET', `/JSSResource/policies/id/${p.general.id}`);
      await send('GET', '/JSSResource/policies/id/999999');
      await send('GET', '/JSSResource/policies/id/1', { token: null });
    },
  },
  'GET /JSSResource/webhooks': {
    statuses: [200, 401],
    run: async (send) => {
      await send('POST', `${WEBHOOKS}/id/0`, { body: webhookXml('Listed webhook') });
      await send('GET', WEBHOOKS);
      await send('GET', WEBHOOKS, { token: null });
    },
  },
  'GET /JSSResource/webhooks/id/{id}': {
    statuses: [200, 404, 401],
    run: async (send) => {
      const made = await send('POST', `${WEBHOOKS}/id/0`, { body: webhookXml('Read webhook') });
      const id = /<id>(\d+)<\/id>/.exec(String(made.body))?.[1] ?? '0';
      await send('GET', `${WEBHOOKS}/id/${id}`);
      await send('GET', `${WEBHOOKS}/id/999999`);
      await send('GET', `${WEBHOOKS}/id/${id}`, { token: null });
    },
  },
  'POST /JSSResource/webhooks/id/{id}': {
    statuses: [201, 400, 409, 401],
    run: async (send) => {
      await send('POST', `${WEBHOOKS}/id/0`, { body: webhookXml('Created webhook') });
      await send('POST', `${WEBHOOKS}/id/0`, { body: webhookXml('Created webhook') });
      await send('POST', `${WEBHOOKS}/id/0`, { body: webhookXml('Bad webhook', '<colour>red</colour>') });
      await send('POST', `${WEBHOOKS}/id/0`, { body: '{"webhook":{}}' });
      await send('POST', `${WEBHOOKS}/id/0`, { body: webhookXml('x'), token: null });
    },
  },
  'PUT /JSSResource/webhooks/id/{id}': {
    statuses: [201, 400, 404, 401],
    run: async (send) => {
      const made = await send('POST', `${WEBHOOKS}/id/0`, { body: webhookXml('Webhook to update') });
      const id = /<id>(\d+)<\/id>/.exec(String(made.body))?.[1] ?? '0';
      await send('PUT', `${WEBHOOKS}/id/${id}`, { body: webhookXml('Webhook updated') });
      await send('PUT', `${WEBHOOKS}/id/${id}`, {
        body: webhookXml('Webhook updated', '<smart_group_id>3</smart_group_id>'),
      });
      await send('PUT', `${WEBHOOKS}/id/999999`, { body: webhookXml('Nothing') });
      await send('PUT', `${WEBHOOKS}/id/${id}`, { body: webhookXml('x'), token: null });
    },
  },
  'POST /api/v1/computers/{id}/recalculate-smart-groups': {
    statuses: [200, 404, 401],
    run: async (send) => {
      await send('POST', '/api/v1/computers/1/recalculate-smart-groups');
      await send('POST', '/api/v1/computers/999999/recalculate-smart-groups');
      await send('POST', '/api/v1/computers/1/recalculate-smart-groups', { token: null });
    },
  },
  'POST /api/v2/mdm/blank-push': {
    statuses: [200, 400, 401],
    run: async (send) => {
      const known = h.fleet.jamf.computers[0]?.general.managementId ?? '';
      await send('POST', '/api/v2/mdm/blank-push', { body: { clientManagementIds: [known] } });
      await send('POST', '/api/v2/mdm/blank-push', {
        body: { clientManagementIds: [known, '00000000-0000-4000-8000-000000000000'] },
      });
      await send('POST', '/api/v2/mdm/blank-push', { body: { clientManagementIds: [] } });
      await send('POST', '/api/v2/mdm/blank-push', { body: { ids: [known] } });
      await send('POST', '/api/v2/mdm/blank-push', { body: { clientManagementIds: [known] }, token: null });
    },
  },
};

/** Problems with one answer: its status documented (or a listed deviation) and its body in contract shape. */
function checkAnswer(route: JamfSimRoute, x: Exchange): string[] {
  const where = `${x.method} ${x.path} → ${x.status}`;
  const [, template] = route.split(' ') as [string, string];
  const classic = template.startsWith('/JSSResource/');
  const documented = classic
    ? (classicOperation(x.method, x.path.split('?')[0] ?? '')?.statuses ?? [])
    : (jamfOperation(x.method, x.path.split('?')[0] ?? '')?.statuses ?? []);
  if (documented.length === 0) return [`${where}: the contract has no such operation`];
  if (documented.includes(String(x.status))) {
    if (classic) return []; // the Classic swagger has no response schemas
    return validateJamfResponse(x.method, x.path.split('?')[0] ?? '', x.status, x.body).errors.map(
      (e) => `${where}: ${e}`,
    );
  }
  const protectedRoute = !route.endsWith('/oauth/token') && !route.endsWith('/auth/token');
  const listed =
    JAMF_UNDOCUMENTED_STATUSES[route]?.[x.status] ??
    (x.status === 401 && protectedRoute ? JAMF_UNDOCUMENTED_401 : undefined);
  if (!listed) return [`${where}: status not documented by the contract and not a listed deviation`];
  if (route === 'POST /api/v1/oauth/token') {
    const ok = typeof (x.body as { error?: unknown } | undefined)?.error === 'string';
    return ok ? [] : [`${where}: not an OAuth error body`];
  }
  if (classic && (x.status === 404 || (x.status >= 200 && x.status < 300))) return [];
  return validateJamfSchema('ApiError', x.body).errors.map((e) => `${where}: ApiError ${e}`);
}

describe('Jamf simulator routes answer in contract shapes', () => {
  it('has a conformance case for every route the simulator serves, and no case for a route it does not', () => {
    expect(Object.keys(ROUTE_CASES).sort()).toEqual([...JAMF_SIM_ROUTES].sort());
  });

  it('serves only operations the contracts have', () => {
    const missing = JAMF_SIM_ROUTES.filter((r) => {
      const [method, template] = r.split(' ') as [string, string];
      const path = template.replace(/\{[^}]+\}/g, '1');
      return template.startsWith('/JSSResource/')
        ? classicOperation(method, path) === null
        : jamfOperation(method, path) === null;
    });
    expect(missing).toEqual([]);
  });

  it.each(JAMF_SIM_ROUTES.map((r) => [r]))('%s', async (route) => {
    const token = await h.token();
    const seen: Exchange[] = [];
    const send = async (method: string, path: string, o: SendOptions = {}): Promise<Exchange> => {
      const r = await h.raw(method, path, {
        token: o.token === null ? undefined : (o.token ?? token),
        body: o.body,
        form: o.form,
        headers: o.headers,
      });
      const x = {
        method,
        path,
        status: r.status,
        body: r.body,
        route: matchJamfRoute(method, path.split('?')[0] ?? '')?.route,
      };
      seen.push(x);
      return x;
    };
    await ROUTE_CASES[route].run(send);
    expect(seen.filter((x) => x.route === undefined)).toEqual([]);
    // Only this route's answers are judged (a case may create what it needs through another).
    const mine = seen.filter((x) => x.route === route);
    expect([...new Set(mine.map((x) => x.status))].sort()).toEqual([...ROUTE_CASES[route].statuses].sort());
    expect(mine.flatMap((x) => checkAnswer(route, x))).toEqual([]);
  });

  it('answers injected faults (throttling, server errors) with an ApiError', async () => {
    const token = await h.token();
    h.sim.faults.throttleNext(1, { retryAfterSeconds: 2 });
    const throttled = await h.raw('GET', '/api/v4/computers-inventory/1', { token });
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('2');
    expect(validateJamfSchema('ApiError', throttled.body).errors).toEqual([]);
    // A long throttle aimed at the second inventory page read: the first passes.
    h.sim.faults.throttleNext(1, { path: '/api/v4/computers-inventory', skip: 1, retryAfterSeconds: 120 });
    expect((await h.raw('GET', '/api/v4/computers-inventory?page=0', { token })).status).toBe(200);
    const long = await h.raw('GET', '/api/v4/computers-inventory?page=1', { token });
    expect(long.status).toBe(429);
    expect(long.headers['retry-after']).toBe('120');
    expect(validateJamfSchema('ApiError', long.body).errors).toEqual([]);
    for (const status of [500, 503, 403]) {
      h.sim.faults.failNext(1, { status });
      const r = await h.raw('GET', '/api/v4/computers-inventory/1', { token });
      expect(r.status).toBe(status);
      expect(validateJamfSchema('ApiError', r.body).errors).toEqual([]);
    }
  });
});

describe('documented field lists are read from the contract', () => {
  it('finds the inventory filter and sort fields and the smart-group filter fields', () => {
    const inv = jamfOperation('GET', '/api/v4/computers-inventory');
    const filter = inv?.parameters.find((p) => p.name === 'filter');
    const sort = inv?.parameters.find((p) => p.name === 'sort');
    expect(documentedFields(filter?.description, 'query')).toEqual(
      expect.arrayContaining(['general.name', 'hardware.serialNumber', 'userAndLocation.email', 'id']),
    );
    expect(documentedFields(sort?.description, 'sort')).toEqual(
      expect.arrayContaining(['id', 'general.name']),
    );
    expect(documentedFields(sort?.description, 'sort')).not.toContain('hardware.serialNumber');
    const sg = jamfOperation('GET', SG)?.parameters.find((p) => p.name === 'filter');
    expect(documentedFields(sg?.description, 'query')).toEqual(['id', 'name', 'siteId']);
  });

  it('flags what the contract does not allow', () => {
    const entry = (query: Record<string, string[]>) => ({
      method: 'GET',
      path: '/api/v4/computers-inventory',
      query,
      at: 0,
    });
    expect(checkJamfRequest(entry({ filter: ['purchasing.vendor=="x";general.name=="y"'] }))).toEqual([]);
    expect(
      checkJamfRequest(
        entry({
          filter: [
            'hardware.serialNumber=="x";diskEncryption.bootPartitionEncryptionDetails.partitionFileVault2State=="ENCRYPTED"',
          ],
        }),
      ),
    ).toEqual([
      expect.stringContaining(
        'filter field diskEncryption.bootPartitionEncryptionDetails.partitionFileVault2State is not documented',
      ),
    ]);
    expect(checkJamfRequest(entry({ sort: ['hardware.serialNumber:asc'] }))).toEqual([
      expect.stringContaining('sort field hardware.serialNumber is not documented as sortable'),
    ]);
    expect(checkJamfRequest(entry({ section: ['NOPE'] }))).toEqual([expect.stringContaining('section=NOPE')]);
    expect(checkJamfRequest(entry({ 'page-size': ['lots'] }))).toEqual([
      expect.stringContaining('not an integer'),
    ]);
    expect(checkJamfRequest(entry({ limit: ['5'] }))).toEqual([
      expect.stringContaining('limit is not declared'),
    ]);
    expect(
      checkJamfRequest({ method: 'GET', path: '/JSSResource/policies/name/x', query: {}, at: 0 }),
    ).toEqual([]);
    expect(checkJamfRequest({ method: 'GET', path: '/JSSResource/nothing', query: {}, at: 0 })).toEqual([
      expect.stringContaining('no such operation in the Classic swagger'),
    ]);
    expect(
      checkJamfRequest({
        method: 'POST',
        path: SG,
        query: {},
        body: { name: 'x', criteria: [{ name: 'a', priority: 'first' }] },
        at: 0,
      }),
    ).not.toEqual([]);
  });
});

const WEBHOOK_SETTINGS = (name: string): JamfWebhookSettings => ({
  name: `${name} ${Math.random().toString(36).slice(2, 8)}`,
  enabled: true,
  url: 'https://bot.example/api/webhooks/jamf',
  contentType: 'application/json',
  event: 'ComputerInventoryCompleted',
  connectionTimeout: 5,
  readTimeout: 5,
  authenticationType: 'HEADER',
  headers: { 'X-Jamf-Webhook-Secret': 'conformance & <secret> "quoted"' },
  smartGroupId: null,
});

describe('every request the Jamf client sends is one the contract allows', () => {
  /** Every public JamfClient method, driven against the simulator. */
  const CLIENT_CALLS: Record<string, (c: JamfClient) => Promise<unknown>> = {
    listComputers: async (c) => {
      await c.listComputers();
      await c.listComputers({
        sections: ['GENERAL', 'DISK_ENCRYPTION', 'SECURITY', 'EXTENSION_ATTRIBUTES'],
        pageSize: 50,
      });
      await c.listComputers({ filter: rsqlEquals('general.name', 'nothing') });
    },
    searchComputers: (c) => c.searchComputers({ filter: rsqlEquals('general.name', 'Alex*'), limit: 5 }),
    findComputers: (c) =>
      c.findComputers({ serial: 'C02DEMO0001', name: 'x*', userEmail: 'a@b.example', username: 'alex' }),
    findComputersBySerial: (c) => c.findComputersBySerial('C02DEMO0001'),
    findComputersByName: (c) => c.findComputersByName('Alex’s MacBook*'),
    findComputersByUserEmail: (c) => c.findComputersByUserEmail('alex.wilber@jamfdemo.example'),
    getComputersPage: async (c) => {
      await c.getComputersPage({ page: 0, pageSize: 25 });
      await c.getComputersPage({
        page: 1,
        pageSize: 10,
        sections: ['GENERAL', 'DISK_ENCRYPTION'],
        filter: reportedSince(new Date(Date.now() - 30 * 86_400_000)),
      });
      await c.getComputersPage({ page: 0, pageSize: 10, filter: computerIdIn(['1', '5', '9']) });
    },
    listComputerIds: async (c) => {
      await c.listComputerIds();
      // Split into keyset ranges read at once (`id>a;id<=b`, RSQL `;` is AND).
      await c.listComputerIds({ knownIds: Array.from({ length: 4001 }, (_, i) => String(i + 1)) });
    },
    getComputer: async (c) => {
      await c.getComputer('1');
      await c.getComputer('999999');
    },
    listSmartGroups: (c) => c.listSmartGroups(),
    findSmartGroupByName: (c) => c.findSmartGroupByName('Jamf-Intune Compliance Group'),
    getSmartGroup: (c) => c.getSmartGroup('3'),
    createSmartGroup: (c) =>
      c.createSmartGroup({
        name: 'Client conformance group',
        criteria: [{ name: 'Application Title', searchType: 'is', value: 'CompanyPortal.app' }],
      }),
    updateSmartGroup: async (c) => {
      const { id } = await c.createSmartGroup({
        name: 'Client group to update',
        criteria: [{ name: 'Serial Number', searchType: 'is', value: 'C02DEMO0001' }],
      });
      await c.updateSmartGroup(id, {
        name: 'Client group updated',
        description: 'updated',
        criteria: [
          { name: 'Serial Number', searchType: 'is', value: 'C02DEMO0001' },
          { name: 'Computer Name', searchType: 'like', value: 'lab', andOr: 'or' },
        ],
      });
    },
    deleteSmartGroup: async (c) => {
      const { id } = await c.createSmartGroup({
        name: 'Client group to delete',
        criteria: [{ name: 'Serial Number', searchType: 'is', value: 'C02DEMO0001' }],
      });
      await c.deleteSmartGroup(id);
    },
    getSmartGroupMembers: (c) => c.getSmartGroupMembers('3'),
    getComplianceInfo: async (c) => {
      await c.getComplianceInfo(Object.keys(h.fleet.jamf.compliance)[0] ?? '1');
      await c.getComplianceInfo('999999');
    },
    listPolicies: (c) => c.listPolicies(),
    getPrivileges: (c) => c.getPrivileges(),
    listWebhooks: (c) => c.listWebhooks(),
    getWebhook: async (c) => {
      const { id } = await c.createWebhook(WEBHOOK_SETTINGS('Client webhook to read'));
      await c.getWebhook(id);
      await c.getWebhook('999999');
    },
    createWebhook: (c) => c.createWebhook(WEBHOOK_SETTINGS('Client webhook')),
    updateWebhook: async (c) => {
      const { id } = await c.createWebhook(WEBHOOK_SETTINGS('Client webhook to update'));
      await c.updateWebhook(id, { ...WEBHOOK_SETTINGS('Client webhook to update'), enabled: false });
      await c.updateWebhook(id, {
        ...WEBHOOK_SETTINGS('Client webhook to update'),
        event: 'SmartGroupComputerMembershipChange',
        smartGroupId: '3',
        contentType: 'text/xml',
      });
    },
    getManagementId: async (c) => {
      await c.getManagementId('1');
      await c.getManagementId('999999');
    },
    getManagementIds: async (c) => {
      const ids = h.fleet.jamf.computers.slice(0, 3).map((x) => x.id);
      const found = await c.getManagementIds([...ids, '999999']);
      expect([...found.keys()].sort()).toEqual([...ids].sort());
      expect(found.get(ids[0]!)).toBe(h.fleet.jamf.computers[0]?.general.managementId);
    },
    recalculateSmartGroups: async (c) => {
      await c.recalculateSmartGroups('1');
    },
    blankPush: async (c) => {
      await c.blankPush([h.fleet.jamf.computers[0]?.general.managementId ?? 'x']);
    },
    getPolicy: async (c) => {
      await c.getPolicy(String(h.fleet.jamf.policies[0]?.general.id ?? 1));
      await c.getPolicy('999999');
    },
  };
  /** Not API calls: plumbing and the implementation's private helpers. */
  const NOT_CALLS = new Set([
    'constructor',
    'close',
    'allPages',
    'call',
    // Private: listComputerIds' pages, driven through it.
    'listIdRange',
    'authorized',
    'token',
    'fetchToken',
    'send',
  ]);

  it('drives every public method of the client', () => {
    const methods = Object.getOwnPropertyNames(JamfClient.prototype).filter((n) => !NOT_CALLS.has(n));
    expect(Object.keys(CLIENT_CALLS).sort()).toEqual(methods.sort());
  });

  it.each(Object.keys(CLIENT_CALLS).map((k) => [k]))('%s', async (name) => {
    const client = h.client();
    h.sim.requests.clear();
    await CLIENT_CALLS[name]!(client);
    // A refresh after the server forgot the token is part of every call's traffic too.
    h.sim.faults.expireTokens();
    await CLIENT_CALLS[name]!(client).catch(() => undefined);
    const entries = h.sim.requests.entries;
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.filter((e) => e.route === undefined).map((e) => `${e.method} ${e.path}`)).toEqual([]);
    expect(entries.flatMap(checkJamfRequest)).toEqual([]);
  });
});
