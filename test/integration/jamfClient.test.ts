/**
 * JamfClient against the Jamf Pro simulator over real HTTPS on 127.0.0.1: paging, tokens, the
 * concurrency cap, retries (429 + Retry-After, 5xx, resets, hangs), escaping, and that every
 * call ends in a value or a typed error that leaks neither the secret nor a token.
 */
import { Writable } from 'node:stream';
import { Agent } from 'node:https';
import axios from 'axios';
import pino from 'pino';
import { UpstreamError } from '../../src/errors';
import { rsqlComparisons } from '../../demo/parseRsql';
import { JamfClient } from '../../src/upstream/jamf';
import { validateJamfRequest } from '../helpers/contracts';
import { readContract } from '../helpers/readContract';
import { CLIENT_SECRET, FAST_RETRY, jamfHarness, type JamfHarness } from './jamfHarness';

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

let h: JamfHarness;
beforeAll(async () => {
  h = await jamfHarness({ size: 300 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.faults.clear();
  h.sim.requests.clear();
});

const inventoryRequests = () =>
  h.sim.requests.entries.filter((e) => e.path === '/api/v4/computers-inventory');
const tokenRequests = () => h.sim.requests.entries.filter((e) => e.path === '/api/v1/oauth/token');

/** The error a promise rejects with, which must be a typed UpstreamError. */
async function failure(p: Promise<unknown>): Promise<UpstreamError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UpstreamError);
  return e as UpstreamError;
}

describe('reading the fleet', () => {
  it('follows every page (concurrently after the first) and maps to domain records', async () => {
    h.sim.faults.setLatency(5);
    const computers = await h.client({ pageSize: 25 }).listComputers();
    expect(computers).toHaveLength(300);
    expect(new Set(computers.map((c) => c.id)).size).toBe(300);
    const pages = inventoryRequests();
    expect(pages).toHaveLength(12);
    expect(pages.map((p) => Number(p.query.page?.[0])).sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect(pages[0]?.query).toMatchObject({
      'page-size': ['25'],
      sort: ['id:asc'],
      section: [
        'GENERAL',
        'HARDWARE',
        'OPERATING_SYSTEM',
        'APPLICATIONS',
        'USER_AND_LOCATION',
        'GROUP_MEMBERSHIPS',
      ],
    });
    expect(h.sim.requests.peakInFlight).toBeGreaterThan(1);
    const alex = computers.find((c) => c.serialNumber === 'C02DEMO0001');
    expect(alex).toMatchObject({
      name: 'Alex’s MacBook Pro',
      email: 'alex.wilber@jamfdemo.example',
      fileVault2Status: 'ALL_ENCRYPTED',
    });
    expect(alex?.groups.map((g) => g.groupName)).toContain('Jamf-Intune Compliance Group');
    const noUser = computers.find((c) => c.id === h.fleet.edgeCases.macWithoutUser);
    expect([noUser?.email, noUser?.username, noUser?.realName]).toEqual([null, null, null]);
  });

  it('never has more than maxConcurrency requests in flight', async () => {
    // Counted where the client sends them: the simulator's own count also holds requests the
    // client gave up on (timeouts) and lags when the machine is busy.
    const counting = (maxConcurrency?: number) => {
      const http = axios.create({ httpsAgent: new Agent({ ca: h.tls.caCert, keepAlive: true }) });
      const seen = { inFlight: 0, peak: 0 };
      http.interceptors.request.use((config) => {
        seen.peak = Math.max(seen.peak, ++seen.inFlight);
        return config;
      });
      const done = () => seen.inFlight--;
      http.interceptors.response.use(
        (r) => (done(), r),
        (e: unknown) => (done(), Promise.reject(e)),
      );
      return {
        client: h.client({ pageSize: 10, http, ...(maxConcurrency ? { maxConcurrency } : {}) }),
        seen,
      };
    };
    h.sim.faults.setLatency(15);
    const five = counting();
    await Promise.all([
      five.client.listComputers({ sections: ['GENERAL'] }),
      ...Array.from({ length: 20 }, (_, i) => five.client.getComplianceInfo(String(i + 1))),
    ]);
    expect(five.seen.peak).toBeLessThanOrEqual(5);
    expect(five.seen.peak).toBeGreaterThanOrEqual(4);
    const two = counting(2);
    await two.client.listComputers({ sections: ['GENERAL'] });
    expect(two.seen.peak).toBe(2);
  });

  it('reads computer policies through the Classic API, on paths the Classic contract lists', async () => {
    const client = h.client();
    const list = await client.listPolicies();
    expect(list).toEqual(expect.arrayContaining([{ id: '1', name: 'Register with Microsoft Entra ID' }]));
    expect(await client.getPolicy('1')).toEqual({
      id: '1',
      name: 'Register with Microsoft Entra ID',
      enabled: true,
      allComputers: false,
      groups: [{ id: '2', name: 'Jamf-Intune Applicable Group' }],
      inSelfService: true,
      selfServiceName: 'Register with Microsoft Entra ID',
    });
    expect(await client.getPolicy('999')).toBeNull();
    await expect(client.getPolicy('1 or 1')).rejects.toThrow();
    const classic = readContract('jamf-pro-classic-api-11.30.1.swagger.yaml');
    expect(classic).toMatch(/^ {2}\/policies:$/m);
    expect(classic).toMatch(/^ {2}'\/policies\/id\/\{id\}':$/m);
  });

  it('gets one computer, smart groups, members and compliance info', async () => {
    const client = h.client();
    expect(await client.getComputer('1')).toMatchObject({ id: '1', serialNumber: 'C02DEMO0001' });
    expect(await client.getComputer('999999')).toBeNull();
    const groups = await client.listSmartGroups();
    expect(groups.map((g) => g.name)).toEqual(
      expect.arrayContaining(['Jamf-Intune Applicable Group', 'Jamf-Intune Compliance Group']),
    );
    const compliance = await client.findSmartGroupByName('jamf-intune compliance group');
    expect(compliance?.id).toBe('3');
    expect(await client.findSmartGroupByName('"),name==*')).toBeNull();
    expect((await client.getSmartGroup('3'))?.criteria.map((c) => c.name)).toEqual([
      'Last Inventory Update',
      'Application Title',
      'FileVault 2 Partition Encryption State',
    ]);
    expect(await client.getSmartGroup('999')).toBeNull();
    const members = await client.getSmartGroupMembers('3');
    expect(members).toEqual(h.fleet.jamf.smartGroups.find((g) => g.id === '3')?.members);
    expect(await client.getSmartGroupMembers('999')).toBeNull();
    const info = await client.getComplianceInfo('1');
    const deviceIds = h.fleet.jamf.compliance['1']?.[0]?.complianceVendorDeviceInformation.deviceIds;
    expect(info).toEqual({
      computerId: '1',
      applicable: true,
      complianceState: 'COMPLIANT',
      entraDeviceIds: deviceIds,
    });
    expect(await client.getComplianceInfo('999999')).toBeNull();
  });

  it("reads compliance info in the schema example's array shape too", async () => {
    const other = await jamfHarness({ size: 10, complianceInfoShape: 'array' });
    try {
      const info = await other.client().getComplianceInfo('1');
      expect(info?.entraDeviceIds).toEqual(
        other.fleet.jamf.compliance['1']?.[0]?.complianceVendorDeviceInformation.deviceIds,
      );
    } finally {
      await other.close();
    }
  });

  it('creates, updates and deletes a smart group with contract-valid bodies', async () => {
    const client = h.client();
    const input = {
      name: 'Onboarding: Applicable',
      criteria: [{ name: 'Application Title', searchType: 'is', value: 'CompanyPortal.app' }],
    };
    const { id } = await client.createSmartGroup(input);
    const posted = h.sim.requests.entries.find(
      (e) => e.method === 'POST' && e.path.endsWith('/smart-groups'),
    );
    expect(validateJamfRequest('POST', posted?.path ?? '', posted?.body).errors).toEqual([]);
    expect((await client.getSmartGroupMembers(id))?.length).toBe(
      h.fleet.jamf.smartGroups.find((g) => g.id === '2')?.members.length,
    );
    const dup = await failure(client.createSmartGroup(input));
    expect(dup).toMatchObject({ code: 'bad_request', status: 422 });
    const updated = await client.updateSmartGroup(id, { ...input, name: 'Onboarding: renamed' });
    expect(updated).toMatchObject({
      id,
      name: 'Onboarding: renamed',
      criteria: [{ priority: 0, andOr: 'and' }],
    });
    await client.deleteSmartGroup(id);
    expect(await client.getSmartGroup(id)).toBeNull();
  });
});

describe('escaping user input in filters', () => {
  const hostile = [
    '"),name==*',
    '"),general.name==*,(general.name=="',
    "' or 1 eq 1",
    '\\";id==1',
    'a,b;c',
    'Zoë 李伟 💻',
  ];

  it.each(hostile)('sends %j as one literal value of one comparison', async (value) => {
    const found = await h.client().findComputersByName(value);
    expect(found).toEqual([]);
    const last = inventoryRequests().at(-1);
    expect(rsqlComparisons(last?.filter ?? null)).toEqual([
      { type: 'comparison', selector: 'general.name', operator: '==', values: [value] },
    ]);
  });

  it('finds names and e-mails with apostrophes, unicode and duplicates', async () => {
    const client = h.client();
    const dara = await client.findComputersByUserEmail(h.fleet.edgeCases.apostropheUser);
    expect(dara.map((c) => c.name)).toEqual(["Dara's MacBook Air"]);
    expect((await client.findComputersByName('李伟的 MacBook Pro')).length).toBeGreaterThanOrEqual(1);
    const dup = await client.findComputersByName(h.fleet.edgeCases.duplicateName.name);
    expect(dup.map((c) => c.id)).toEqual(
      expect.arrayContaining([...h.fleet.edgeCases.duplicateName.computerIds]),
    );
    expect(await client.findComputersBySerial(' c02demo0004 ')).toMatchObject([
      { serialNumber: 'C02DEMO0004' },
    ]);
    expect(
      await client.findComputers({ serial: 'C02DEMO0005', userEmail: 'patti.fernandez@jamfdemo.example' }),
    ).toHaveLength(1);
    expect(await client.findComputers({ name: '   ' })).toEqual([]);
  });

  it('filters wildcard results exactly, since Jamf reads * even inside quotes', async () => {
    const client = h.client();
    expect(await client.findComputersByName('*')).toEqual([]);
    expect(inventoryRequests().at(-1)?.filter).toMatchObject({ values: ['*'] });
    expect(await client.findComputersByName('Alex’s MacBook*')).toEqual([]);
  });

  it('refuses a 10 kB search before sending it, and ids that are not numbers', async () => {
    const client = h.client();
    const tooLong = await failure(client.findComputersByName('x'.repeat(10_000)));
    expect(tooLong.code).toBe('bad_request');
    expect(inventoryRequests()).toHaveLength(0);
    for (const id of ['../1', '1/../2', '', 'abc'])
      expect((await failure(client.getComputer(id))).code).toBe('bad_request');
    expect(h.sim.requests.entries.filter((e) => e.path.startsWith('/api/v4'))).toHaveLength(0);
  });
});

describe('tokens', () => {
  it('caches the token, and after every token is expired mid-run refreshes once for all and finishes', async () => {
    h.sim.faults.setLatency(10);
    const client = h.client({ pageSize: 10 });
    const run = client.listComputers({ sections: ['GENERAL'] });
    while (inventoryRequests().length < 8) await new Promise((r) => setTimeout(r, 2));
    h.sim.faults.expireTokens();
    const computers = await run;
    expect(computers).toHaveLength(300);
    expect(h.sim.requests.entries.filter((e) => e.status === 401).length).toBeGreaterThan(0);
    expect(tokenRequests()).toHaveLength(2);
    await client.getComputer('1');
    expect(tokenRequests()).toHaveLength(2);
  });

  it('renews a token before it expires', async () => {
    const short = await jamfHarness({ size: 10, tokenTtlSeconds: 0.5 });
    try {
      const client = short.client();
      await client.getComputer('1');
      await new Promise((r) => setTimeout(r, 420)); // past 4/5 of the lifetime, before expiry
      await client.getComputer('2');
      const entries = short.sim.requests.entries;
      expect(entries.filter((e) => e.path === '/api/v1/oauth/token')).toHaveLength(2);
      expect(entries.filter((e) => e.status === 401)).toHaveLength(0);
    } finally {
      await short.close();
    }
  });

  it('a wrong secret is `unauthorized`, tried once, and the message says what to check', async () => {
    const e = await failure(h.client({ clientSecret: 'wrong' }).listComputers());
    expect(e).toMatchObject({ service: 'jamf', code: 'unauthorized', status: 401 });
    expect(e.message).toMatch(/client id and secret/);
    expect(tokenRequests()).toHaveLength(1);
    expect(inventoryRequests()).toHaveLength(0);
  });
});

describe('retries and failures', () => {
  it('rides out a 429 storm, waiting as long as Retry-After says', async () => {
    h.sim.faults.throttleNext(8, { retryAfterSeconds: 0.06, path: '/api/v4' });
    const client = h.client({ pageSize: 50, retryPolicy: { ...FAST_RETRY, maxAttempts: 10 } });
    const computers = await client.listComputers({ sections: ['GENERAL'] });
    expect(computers).toHaveLength(300);
    const entries = inventoryRequests();
    const throttled = entries.filter((e) => e.status === 429);
    expect(throttled).toHaveLength(8);
    for (const t of throttled) {
      const retry = entries.find((e) => e.at > t.at && e.query.page?.[0] === t.query.page?.[0]);
      expect(retry).toBeDefined();
      expect((retry?.at ?? 0) - t.at).toBeGreaterThanOrEqual(55);
    }
  });

  it('gives up on an endless 429 storm with `throttled` and the server’s Retry-After', async () => {
    h.sim.faults.throttleNext(100, { retryAfterSeconds: 0.02, path: '/api/v4' });
    const e = await failure(h.client().getComputer('1'));
    expect(e).toMatchObject({ code: 'throttled', status: 429, retryAfterMs: 20 });
    expect(
      inventoryRequests().length + h.sim.requests.entries.filter((x) => x.path.startsWith('/api/v4/')).length,
    ).toBe(5);
  });

  it('retries 5xx, then succeeds; persistent 5xx ends `unavailable`', async () => {
    h.sim.faults.failNext(2, { status: 503, path: '/api/v4' }).failNext(1, { status: 500, path: '/api/v4' });
    expect(await h.client().getComputer('1')).toMatchObject({ id: '1' });
    h.sim.faults.failNext(50, { status: 502, path: '/api/v4' });
    expect(await failure(h.client().getComputer('1'))).toMatchObject({ code: 'unavailable', status: 502 });
  });

  it('does not repeat a POST the server may have carried out (5xx), but does after a 429', async () => {
    const client = h.client();
    h.sim.faults.failNext(1, { status: 500, method: 'POST', path: '/api/v3' });
    const e = await failure(client.createSmartGroup({ name: 'Maybe created', criteria: [] }));
    expect(e).toMatchObject({ code: 'unavailable', status: 500 });
    expect(
      h.sim.requests.entries.filter((x) => x.method === 'POST' && x.path.startsWith('/api/v3')),
    ).toHaveLength(1);
    h.sim.faults.throttleNext(1, { retryAfterSeconds: 0.01, method: 'POST', path: '/api/v3' });
    const { id } = await client.createSmartGroup({ name: 'Created after a 429', criteria: [] });
    await client.deleteSmartGroup(id);
  });

  it('turns a hang into `timeout` after timeoutMs, and retries it', async () => {
    h.sim.faults.hangNext(1, { path: '/api/v4' });
    const started = Date.now();
    const e = await failure(
      h.client({ timeoutMs: 150, retryPolicy: { ...FAST_RETRY, maxAttempts: 1 } }).getComputer('1'),
    );
    expect(e).toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeLessThan(1500);
    h.sim.faults.hangNext(1, { path: '/api/v4' });
    expect(await h.client({ timeoutMs: 150 }).getComputer('1')).toMatchObject({ id: '1' });
  });

  it('retries a reset connection; endless resets end `unavailable`', async () => {
    h.sim.faults.resetNext(2, { path: '/api/v4' });
    expect(await h.client().getComputer('2')).toMatchObject({ id: '2' });
    h.sim.faults.resetNext(50);
    expect((await failure(h.client().getComputer('2'))).code).toBe('unavailable');
  });

  it('one failing page fails the listing with a typed error and stops the rest', async () => {
    h.sim.faults.setLatency(5);
    const client = h.client({ pageSize: 10, retryPolicy: { ...FAST_RETRY, maxAttempts: 1 } });
    await client.getComputer('1'); // token first, so the fault below lands on a page
    h.sim.requests.clear();
    h.sim.faults.failNext(1, { status: 500, path: '/api/v4/computers-inventory' });
    const e = await failure(client.listComputers({ sections: ['GENERAL'] }));
    expect(e.code).toBe('unavailable');
    expect(inventoryRequests().length).toBeLessThan(30);
  });

  it('rejects an untrusted certificate without retrying', async () => {
    const untrusting = new JamfClient({
      baseUrl: h.sim.url,
      clientId: 'x',
      clientSecret: CLIENT_SECRET,
      timeoutMs: 1000,
    });
    try {
      const e = await failure(untrusting.getComputer('1'));
      expect(e.code).toBe('unavailable');
      expect(e.message).toMatch(/certificate/);
      expect(h.sim.requests.entries).toHaveLength(0);
    } finally {
      untrusting.close();
    }
  });

  it('a broken answer is `bad_response`', async () => {
    const broken = axios.create({ httpsAgent: new Agent({ ca: h.tls.caCert }) });
    broken.interceptors.response.use((res) => {
      if (res.config.url?.includes('/api/v4/')) res.data = '<html>login</html>';
      return res;
    });
    const e = await failure(h.client({ http: broken }).getComputer('1'));
    expect(e.code).toBe('bad_response');
  });
});

describe('secrets stay secret', () => {
  it('no error message, error field or log line carries the client secret or a token', async () => {
    const tokens = new Set<string>();
    const spy = axios.create({ httpsAgent: new Agent({ ca: h.tls.caCert, keepAlive: true }) });
    spy.interceptors.request.use((config) => {
      const auth = String(config.headers?.Authorization ?? '');
      if (auth.startsWith('Bearer ')) tokens.add(auth.slice(7));
      return config;
    });
    const lines: string[] = [];
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    const client = h.client({
      http: spy,
      logger,
      timeoutMs: 150,
      retryPolicy: { ...FAST_RETRY, maxAttempts: 2 },
    });
    const errors: UpstreamError[] = [];
    const scenario = async (setUp: () => void, call: () => Promise<unknown>) => {
      h.sim.faults.clear();
      setUp();
      errors.push(await failure(call()));
    };
    await client.getComputer('1');
    await scenario(
      () => h.sim.faults.throttleNext(5, { retryAfterSeconds: 0.01, path: '/api/v4' }),
      () => client.getComputer('1'),
    );
    await scenario(
      () => h.sim.faults.failNext(5, { path: '/api/v4' }),
      () => client.listComputers(),
    );
    await scenario(
      () => h.sim.faults.hangNext(2, { path: '/api/v4' }),
      () => client.getComputer('1'),
    );
    await scenario(
      () => h.sim.faults.resetNext(2, { path: '/api/v4' }),
      () => client.getComputer('1'),
    );
    await scenario(
      () => {
        h.sim.faults.expireTokens();
        h.sim.faults.failNext(5, { path: '/api/v1/oauth/token', status: 503 });
      },
      () => client.getComputer('1'),
    );
    h.sim.faults.clear();
    errors.push(await failure(h.client({ clientSecret: `${CLIENT_SECRET}-x`, logger }).getComputer('1')));

    expect(tokens.size).toBeGreaterThan(0);
    expect(lines.length).toBeGreaterThan(0);
    const dumps = [
      ...errors.map((e) =>
        JSON.stringify({ ...e, message: e.message, stack: e.stack, cause: String(e.cause) }),
      ),
      ...lines,
    ];
    for (const d of dumps) {
      expect(d).not.toContain(CLIENT_SECRET);
      for (const t of tokens) expect(d).not.toContain(t);
    }
    expect(errors.map((e) => e.code)).toEqual([
      'throttled',
      'unavailable',
      'timeout',
      'unavailable',
      'unavailable',
      'unauthorized',
    ]);
  });
});
