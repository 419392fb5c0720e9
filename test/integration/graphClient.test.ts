import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { filterLeaves } from '../../demo/graphFilterParser';
import { ConfigError, UpstreamError, UserInputError } from '../../src/errors';
import { createLogger } from '../../src/log';
import { wellFormed } from '../../src/upstream/graph/odata';
import type { GraphBatchRequest } from '../../src/upstream/graph/graphTypes';
import {
  CONNECTOR_GROUP_ID,
  NESTED_GROUP_ID,
  PARENT_GROUP_ID,
  PARTNER_ID,
  REGISTRATION_APP_ID,
  TEST_CLIENT_SECRET,
} from './graphTestFleet';
import { FAST_RETRY, startGraphHarness, type GraphHarness } from './graphTestHarness';

const TOKEN = 'POST /{tenant}/oauth2/v2.0/token';
const EXTRA_MACS = 3000;

/** Runs `fn`, returning how long it took and what it settled to (value or error). */
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = Date.now();
  try {
    const value = await fn();
    return { ms: Date.now() - start, value };
  } catch (error) {
    return { ms: Date.now() - start, error };
  }
}

describe('GraphClient against the simulated Graph over HTTPS', () => {
  let h: GraphHarness;
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown): void => {
    unhandled.push(e);
  };
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    h = await startGraphHarness({ extraMacs: EXTRA_MACS });
  });
  afterAll(async () => {
    await h.close();
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });
  beforeEach(() => {
    h.sim.faults.clear();
    h.sim.requests.clear();
  });

  describe('tokens (msal-node through the simulated Entra)', () => {
    it('discovers the authority, gets one token and reuses it from msal’s cache', async () => {
      const c = h.client();
      await c.listCompliancePartners();
      await c.findUser('alex.wilber@contoso.example');
      await Promise.all(Array.from({ length: 8 }, () => c.listConditionalAccessPolicies()));
      expect(h.sim.requests.count('GET /{tenant}/v2.0/.well-known/openid-configuration')).toBe(1);
      expect(h.sim.requests.count(TOKEN)).toBe(1);
      const graphRequests = h.sim.requests.entries.filter(
        (e) => e.path.startsWith('/') && !e.endpoint.includes('{tenant}'),
      );
      // The 8 concurrent reads travel as one `$batch`: 10 calls in 3 HTTPS requests, each with the token.
      const graphCalls = graphRequests.filter((e) => e.endpoint !== 'POST /$batch');
      expect(graphCalls.length).toBe(10);
      expect(graphCalls.every((e) => e.status === 200)).toBe(true);
      const https = graphRequests.filter((e) => !e.viaBatch);
      expect(https).toHaveLength(3);
      expect(https.every((e) => e.headers.hasBearer && e.status === 200)).toBe(true);
    });

    it('shares one token request between concurrent first calls', async () => {
      const c = h.client();
      await Promise.all(Array.from({ length: 10 }, () => c.listCompliancePartners()));
      expect(h.sim.requests.count(TOKEN)).toBe(1);
    });

    it('re-acquires the token once when Graph rejects it mid-run', async () => {
      const c = h.client();
      await c.listCompliancePartners();
      h.sim.faults.expireTokensNow();
      const partners = await c.listCompliancePartners();
      expect(partners[0]?.id).toBe(PARTNER_ID);
      expect(h.sim.requests.count(TOKEN)).toBe(2);
      expect(h.sim.requests.entries.filter((e) => e.status === 401)).toHaveLength(1);
    });

    it('renews a token inside msal’s 5-minute renewal window on the next call', async () => {
      // expires_in 299 s: msal (renewing 300 s early) treats the cached token as due at once.
      const short = await startGraphHarness({ tokenTtlSeconds: 299 });
      try {
        const c = short.client();
        await c.listCompliancePartners();
        await c.listCompliancePartners();
        expect(short.sim.requests.count(TOKEN)).toBe(2);
        expect(short.sim.requests.entries.filter((e) => e.status === 401)).toHaveLength(0);
      } finally {
        await short.close();
      }
    });

    it('a wrong secret is a typed `unauthorized` error, not retried, without the secret', async () => {
      const secret = 'wrong-secret-do-not-log-123';
      const r = await timed(() => h.client({ clientSecret: secret }).listCompliancePartners());
      expect(r.error).toBeInstanceOf(UpstreamError);
      expect(r.error).toMatchObject({ service: 'graph', code: 'unauthorized', status: 401 });
      expect((r.error as Error).message).toMatch(/invalid_client, AADSTS7000215/);
      expect(JSON.stringify(r.error) + (r.error as Error).message).not.toContain(secret);
      expect(h.sim.requests.count(TOKEN)).toBe(1);
    });

    it('sends a certificate credential as a client assertion (the demo tenant accepts only the secret)', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const c = h.client({
        clientSecret: undefined,
        clientCertificate: {
          thumbprintSha256: 'ab'.repeat(32),
          privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        },
      });
      const r = await timed(() => c.listCompliancePartners());
      expect(r.error).toMatchObject({ code: 'unauthorized' });
      expect((r.error as Error).message).toContain('AADSTS700027');
    });

    it('refuses to start without a credential or with an http:// base URL', () => {
      expect(() => h.client({ clientSecret: undefined })).toThrow(ConfigError);
      expect(() => h.client({ baseUrl: 'http://127.0.0.1:1/v1.0' })).toThrow(/https:\/\//);
    });

    it('a hung token endpoint times out and the call recovers on the next attempt', async () => {
      h.sim.faults.hangNext(1, { target: 'token' });
      const r = await timed(() => h.client({ timeoutMs: 300 }).listCompliancePartners());
      expect(r.error).toBeUndefined();
      expect(r.value).toHaveLength(1);
      expect(h.sim.requests.entries.filter((e) => e.fault === 'hang')).toHaveLength(1);
    });
  });

  describe('paging', () => {
    it('follows @odata.nextLink across every page, 100 at a time with owners expanded ($top=999)', async () => {
      const macs = await h.client().listMacDevices({ expandOwners: true });
      expect(macs).toHaveLength(EXTRA_MACS + 4);
      expect(new Set(macs.map((m) => m.id)).size).toBe(macs.length);
      // `$expand` on directory objects: at most 100 a page whatever `$top` says (Graph known issue 13635).
      expect(h.sim.requests.count('GET /devices')).toBe(Math.ceil((EXTRA_MACS + 4) / 100));
      const pages = h.sim.requests.entries.filter((e) => e.endpoint === 'GET /devices');
      expect(pages.every((e) => e.query.$top === '999')).toBe(true);
      expect(macs.find((m) => m.displayName === 'Shared Mac')?.ownerUpns).toEqual([
        'alex.wilber@contoso.example',
        'megan.bowen@contoso.example',
      ]);
      expect(macs.some((m) => m.operatingSystem === 'Windows')).toBe(false);
    });

    it('pages group members, transitively', async () => {
      const c = h.client();
      expect(await c.listGroupMemberIds(PARENT_GROUP_ID)).toHaveLength(2);
      const all = await c.listGroupMemberIds(PARENT_GROUP_ID, { transitive: true });
      expect(all).toContain(NESTED_GROUP_ID);
      expect(await c.listGroupMemberIds(PARENT_GROUP_ID, { transitive: true, usersOnly: true })).toEqual([
        h.fleet.graph.users[0]!.id,
        h.fleet.graph.users[3]!.id,
      ]);
    });
  });

  describe('$batch', () => {
    const steps = (n: number): GraphBatchRequest[] =>
      Array.from({ length: n }, (_, i) => ({
        method: 'GET' as const,
        url: `/devices/${h.fleet.graph.devices[i]!.id}?$select=id,displayName`,
      }));

    it('splits 45 requests into batches of ≤ 20 and retries only the throttled steps after Retry-After', async () => {
      const requests = [...steps(44), { method: 'GET' as const, url: '/devices/does-not-exist' }];
      h.sim.faults.throttleNext(2, { target: 'batchItem', retryAfterSeconds: 0.3 });
      const r = await timed(() => h.client().batch(requests));
      expect(r.error).toBeUndefined();
      const results = r.value!;
      expect(results).toHaveLength(45);
      results.slice(0, 44).forEach((res, i) => {
        expect(res.status).toBe(200);
        expect((res.body as { id: string }).id).toBe(h.fleet.graph.devices[i]!.id);
      });
      expect(results[44]).toMatchObject({
        status: 404,
        error: { code: 'not_found', service: 'graph', request: 'GET /devices/{id}' },
      });
      expect(h.sim.requests.count('POST /$batch')).toBe(4);
      const batchSteps = h.sim.requests.entries.filter((e) => e.viaBatch);
      expect(batchSteps).toHaveLength(47);
      expect(batchSteps.filter((e) => e.status === 429)).toHaveLength(2);
      expect(r.ms).toBeGreaterThanOrEqual(300);
    });

    it('gives a step that stays throttled a typed `throttled` error', async () => {
      h.sim.faults.throttleNext(10, {
        target: 'batchItem',
        path: '/devices/00000002-0000-4000-8000-000000000002',
        retryAfterSeconds: 0.05,
      });
      const results = await h.client().batch(steps(3));
      expect(results.map((x) => x.status)).toEqual([200, 429, 200]);
      expect(results[1]?.error).toMatchObject({ code: 'throttled', retryAfterMs: 50 });
      expect(h.sim.requests.count('POST /$batch')).toBe(4);
    });
  });

  describe('reads made together travel as one $batch', () => {
    const alex = 'alex.wilber@contoso.example';
    const https = () => h.sim.requests.entries.filter((e) => !e.viaBatch && !e.endpoint.includes('{tenant}'));

    it('sends the reads of one event-loop turn as one $batch and gives each caller its own answer', async () => {
      const c = h.client();
      await c.listCompliancePartners(); // the token, so only the reads below are counted
      h.sim.requests.clear();
      const [user, devices, missing, groups] = await Promise.all([
        c.findUser(alex),
        c.findDevicesByName('Alex’s MacBook Pro'),
        c.getUser('00000000-0000-4000-8000-000000000000'),
        c.checkMemberGroups(alex, [CONNECTOR_GROUP_ID, PARENT_GROUP_ID]),
      ]);
      expect(user?.displayName).toBe('Alex Wilber');
      expect(devices.map((d) => d.displayName)).toEqual(['Alex’s MacBook Pro']);
      expect(missing).toBeNull(); // a 404 step is "not there", as when sent alone
      expect(groups.sort()).toEqual([CONNECTOR_GROUP_ID, PARENT_GROUP_ID].sort());
      expect(https().map((e) => e.endpoint)).toEqual(['POST /$batch']);
      expect(h.sim.requests.entries.filter((e) => e.viaBatch)).toHaveLength(4);
    });

    it('sends a read that is alone in its turn as itself', async () => {
      const c = h.client();
      await c.findUser(alex);
      h.sim.requests.clear();
      await c.findUser(alex);
      expect(https().map((e) => e.endpoint)).toEqual(['GET /users']);
    });

    it('splits more than 20 reads into batches sent side by side', async () => {
      const c = h.client();
      await c.findUser(alex);
      h.sim.requests.clear();
      const names = h.fleet.graph.devices.slice(0, 25).map((d) => d.displayName);
      const found = await Promise.all(names.map((n) => c.findDevicesByName(n)));
      expect(found.every((f) => f.length >= 1)).toBe(true);
      expect(https().map((e) => e.endpoint)).toEqual(['POST /$batch', 'POST /$batch']);
      expect(h.sim.requests.entries.filter((e) => e.viaBatch)).toHaveLength(25);
    });

    it('fails only the caller whose step keeps failing; the others get their answers', async () => {
      const c = h.client({ retryPolicy: FAST_RETRY });
      await c.findUser(alex);
      h.sim.faults.failNext(FAST_RETRY.maxAttempts, { path: '/devices', status: 503 });
      const [user, devices] = await Promise.all([
        timed(() => c.findUser(alex)),
        timed(() => c.findDevicesByName('Alex’s MacBook Pro')),
      ]);
      expect(user.value?.displayName).toBe('Alex Wilber');
      expect(devices.error).toBeInstanceOf(UpstreamError);
      expect(devices.error).toMatchObject({ service: 'graph', code: 'unavailable', status: 503 });
      expect(h.sim.requests.entries.filter((e) => e.viaBatch && e.status === 503)).toHaveLength(
        FAST_RETRY.maxAttempts,
      );
    });

    it('gives every caller the typed error when the $batch call itself fails', async () => {
      const c = h.client({ retryPolicy: FAST_RETRY });
      await c.findUser(alex);
      h.sim.faults.failNext(FAST_RETRY.maxAttempts, { path: '/$batch', status: 502 });
      const results = await Promise.all([
        timed(() => c.findUser(alex)),
        timed(() => c.getGroup(CONNECTOR_GROUP_ID)),
      ]);
      for (const r of results) {
        expect(r.error).toBeInstanceOf(UpstreamError);
        expect(r.error).toMatchObject({ service: 'graph', code: 'unavailable', status: 502 });
      }
    });

    it('never batches a write', async () => {
      const c = h.client();
      await c.findUser(alex);
      h.sim.requests.clear();
      await Promise.all([
        c.findUser(alex),
        c.getGroup(CONNECTOR_GROUP_ID),
        c.createGroup({ displayName: 'Batch test group', mailNickname: 'batchtest', description: 'test' }),
      ]);
      expect(
        https()
          .map((e) => e.endpoint)
          .sort(),
      ).toEqual(['POST /$batch', 'POST /groups']);
    });
  });

  describe('throttling, server errors, timeouts, resets', () => {
    it('rides out a 429 storm, waiting what Retry-After says each time', async () => {
      h.sim.faults.throttleNext(3, { path: '/users', retryAfterSeconds: 0.2 });
      const r = await timed(() => h.client().findUser('alex.wilber@contoso.example'));
      expect(r.value?.displayName).toBe('Alex Wilber');
      expect(r.ms).toBeGreaterThanOrEqual(600);
      expect(r.ms).toBeLessThan(3_000);
      expect(h.sim.requests.count('GET /users')).toBe(4);
    });

    it('honours a whole-second Retry-After', async () => {
      h.sim.faults.throttleNext(1, { retryAfterSeconds: 1 });
      const r = await timed(() => h.client().listConditionalAccessPolicies());
      expect(r.value).toHaveLength(2);
      expect(r.ms).toBeGreaterThanOrEqual(1_000);
    });

    it('backs off exponentially on a 429 without Retry-After', async () => {
      h.sim.faults.throttleNext(2, { retryAfterSeconds: null });
      expect(await h.client().listConditionalAccessPolicies()).toHaveLength(2);
      expect(h.sim.requests.count('GET /identity/conditionalAccess/policies')).toBe(3);
    });

    it('ends a storm longer than the policy with a typed `throttled` error', async () => {
      h.sim.faults.throttleNext(50, { retryAfterSeconds: 0.05 });
      const r = await timed(() => h.client().listCompliancePartners());
      expect(r.error).toMatchObject({ service: 'graph', code: 'throttled', status: 429, retryAfterMs: 50 });
      expect(h.sim.requests.count('GET /deviceManagement/complianceManagementPartners')).toBe(4);
    });

    it('retries 5xx until success', async () => {
      h.sim.faults.failNext(1, { status: 503 });
      h.sim.faults.failNext(1, { status: 502 });
      expect(await h.client().listCompliancePartners()).toHaveLength(1);
      expect(h.sim.requests.count('GET /deviceManagement/complianceManagementPartners')).toBe(3);
    });

    it('turns a hang into a typed timeout, bounded in time', async () => {
      h.sim.faults.hangNext(10, { path: '/groups' });
      const c = h.client({
        timeoutMs: 250,
        retryPolicy: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10, budgetMs: 2_000 },
      });
      const r = await timed(() => c.findGroups('Jamf Compliance Users'));
      expect(r.error).toBeInstanceOf(UpstreamError);
      expect(r.error).toMatchObject({ code: 'timeout', request: 'GET /groups' });
      expect(r.ms).toBeGreaterThanOrEqual(500);
      expect(r.ms).toBeLessThan(2_500);
    });

    it('retries a reset connection; persistent resets end as `unavailable`', async () => {
      h.sim.faults.resetNext(1);
      expect(await h.client().listCompliancePartners()).toHaveLength(1);
      h.sim.faults.resetNext(10);
      const r = await timed(() => h.client().listCompliancePartners());
      expect(r.error).toMatchObject({ service: 'graph', code: 'unavailable' });
    });

    it('does not repeat a POST that may have been applied (reset), but does after a 429', async () => {
      const c = h.client();
      h.sim.faults.resetNext(1, { path: '/groups', method: 'POST' });
      const r = await timed(() => c.createGroup({ displayName: 'Reset group', mailNickname: 'reset-group' }));
      expect(r.error).toMatchObject({ code: 'unavailable' });
      expect(h.sim.requests.count('POST /groups')).toBe(1);
      h.sim.faults.throttleNext(1, { path: '/groups', method: 'POST', retryAfterSeconds: 0.05 });
      const g = await c.createGroup({ displayName: 'Throttled group', mailNickname: 'throttled-group' });
      expect(g.securityEnabled).toBe(true);
      expect(h.sim.requests.count('POST /groups')).toBe(3);
    });
  });

  describe('hostile input', () => {
    const hostile = [
      "' or 1 eq 1",
      "x') or startswith(displayName,'",
      "Miriam O'Brien's Mac mini",
      "''",
      'a&$top=1&$filter=id eq 1',
      '%27%20or%201%20eq%201',
      '#fragment?query',
      '+plus+ and spaces',
      'back\\slash "double" `tick`',
      'José’s MacBook Air 🍏',
      'مرحبا 日本 \u202Eevil',
      'nul\u0000char',
      'x'.repeat(900) + "'",
    ];

    let c: ReturnType<GraphHarness['client']>;
    beforeAll(() => {
      c = h.client();
    });

    it.each(hostile.map((s) => [s.length > 40 ? `${s.slice(0, 20)}…(${s.length})` : s, s]))(
      'reaches Graph as one literal: %s',
      async (_label, input) => {
        const devices = await c.findDevicesByName(input);
        const entry = h.sim.requests.entries.filter((e) => e.endpoint === 'GET /devices').at(-1);
        expect(entry?.filter).toEqual({
          kind: 'compare',
          op: 'eq',
          property: 'displayName',
          value: input.trim(),
        });
        const named = h.fleet.graph.devices.filter(
          (d) => d.displayName.toLowerCase() === input.trim().toLowerCase(),
        );
        expect(devices.map((d) => d.id)).toEqual(named.map((d) => d.id));
        await c.findUser(input);
        const users = h.sim.requests.entries.filter((e) => e.endpoint === 'GET /users').at(-1);
        const leaves = filterLeaves(users!.filter!);
        expect(leaves).toHaveLength(2);
        for (const leaf of leaves)
          expect(leaf).toMatchObject({ kind: 'compare', op: 'eq', value: input.trim() });
        expect(await c.getDeviceByDeviceId(input)).toBeNull();
      },
    );

    it('finds people and devices whose names carry quotes and accents', async () => {
      expect((await c.findUser("miriam.o'brien@contoso.example"))?.displayName).toBe("Miriam O'Brien");
      expect((await c.findUser('josé.núñez@contoso.example'))?.userPrincipalName).toBe(
        'jose.nunez@contoso.example',
      );
      expect(await c.findDevicesByName('josé’s macbook air 🍏')).toHaveLength(1);
    });

    it('refuses a 10 kB search before sending anything', async () => {
      const r = await timed(() => c.findDevicesByName("O'".repeat(5_000)));
      expect(r.error).toBeInstanceOf(UserInputError);
      expect(h.sim.requests.entries.filter((e) => e.endpoint === 'GET /devices')).toHaveLength(0);
    });

    it('any string arrives intact (property-based)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), async (s) => {
          if (s.trim() === '') return;
          await c.findDevicesByName(s);
          const entry = h.sim.requests.entries.at(-1);
          expect(entry?.filter).toEqual({
            kind: 'compare',
            op: 'eq',
            property: 'displayName',
            value: wellFormed(s.trim()),
          });
        }),
        { numRuns: 25 },
      );
    });
  });

  describe('the rest of the API', () => {
    it('users, their devices and group membership', async () => {
      const c = h.client();
      const alex = h.fleet.graph.users[0]!;
      expect(await c.getUser(alex.id)).toEqual({
        id: alex.id,
        userPrincipalName: alex.userPrincipalName,
        displayName: 'Alex Wilber',
        mail: alex.mail,
      });
      expect(await c.getUser('00000000-0000-4000-8000-000000000000')).toBeNull();
      h.sim.faults.failNext(5, { status: 500 });
      const failed = await timed(() => c.getUser("miriam.o'brien@contoso.example"));
      expect(failed.error).toMatchObject({ code: 'unavailable', request: 'GET /users/{id}' });
      expect((failed.error as Error).message).not.toContain('brien');
      const devices = await c.getUserDevices(alex.id);
      expect(devices.map((d) => d.displayName).sort()).toEqual([
        'Alex-PC',
        'Alex’s MacBook Pro',
        'Shared Mac',
      ]);
      const ids = [
        CONNECTOR_GROUP_ID,
        PARENT_GROUP_ID,
        ...Array.from({ length: 23 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`),
      ];
      expect((await c.checkMemberGroups(alex.id, ids)).sort()).toEqual(
        [CONNECTOR_GROUP_ID, PARENT_GROUP_ID].sort(),
      );
      expect(h.sim.requests.count('POST /users/{id}/checkMemberGroups')).toBe(2);
    });

    it('groups: find by id, exact name, prefix; create a dynamic group', async () => {
      const c = h.client();
      expect((await c.findGroups(CONNECTOR_GROUP_ID))[0]?.displayName).toBe('Jamf Compliance Users');
      expect(await c.findGroups('jamf compliance users')).toHaveLength(1);
      expect((await c.findGroups('Mac')).map((g) => g.displayName)).toEqual(['Mac Pilot (nested)']);
      const g = await c.createGroup({
        displayName: 'Jamf Compliance (dynamic)',
        mailNickname: 'jamf-compliance-dynamic',
        membershipRule: '(user.department -eq "Design")',
      });
      expect(g).toMatchObject({
        groupTypes: ['DynamicMembership'],
        membershipRuleProcessingState: 'On',
        securityEnabled: true,
        mailEnabled: false,
      });
      const bad = await timed(() => c.createGroup({ displayName: 'Bad', mailNickname: 'has spaces' }));
      expect(bad.error).toMatchObject({ code: 'bad_request', status: 400 });
      expect((bad.error as Error).message).toContain('Request_BadRequest');
    });

    it('the compliance partner, its assignments, CA policies and service principals', async () => {
      const c = h.client();
      const [partner] = await c.listCompliancePartners();
      expect(partner).toMatchObject({
        displayName: 'Jamf Device Compliance',
        partnerState: 'enabled',
        assignments: { macOs: [{ kind: 'group', groupId: CONNECTOR_GROUP_ID }] },
      });
      const updated = await c.updatePartnerAssignments(PARTNER_ID, 'macOs', [
        CONNECTOR_GROUP_ID,
        NESTED_GROUP_ID,
        CONNECTOR_GROUP_ID,
      ]);
      expect(updated.assignments.macOs).toEqual([
        { kind: 'group', groupId: CONNECTOR_GROUP_ID },
        { kind: 'group', groupId: NESTED_GROUP_ID },
      ]);
      const policies = await c.listConditionalAccessPolicies();
      expect(policies[0]).toMatchObject({
        state: 'enabled',
        excludeApplications: [REGISTRATION_APP_ID],
        builtInControls: ['compliantDevice', 'domainJoinedDevice'],
        grantOperator: 'OR',
      });
      expect(await c.findServicePrincipal({ appId: REGISTRATION_APP_ID })).toMatchObject({
        displayName: 'User registration app for Device Compliance',
      });
      expect(
        await c.findServicePrincipal({ displayName: 'Cloud Connector for Device Compliance' }),
      ).not.toBeNull();
      expect(await c.findServicePrincipal({ displayName: "Nobody's app" })).toBeNull();
    });

    it('logs requests and retries without tokens or secrets', async () => {
      const lines: string[] = [];
      const destination = new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      });
      const c = h.client({ logger: createLogger({ level: 'debug', destination }) });
      h.sim.faults.throttleNext(1, { retryAfterSeconds: 0.05 });
      await c.listCompliancePartners();
      await c.findUser("miriam.o'brien@contoso.example");
      const out = lines.join('');
      expect(out).toContain('graph retry');
      expect(out).not.toContain(TEST_CLIENT_SECRET);
      expect(out).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
      expect(out).not.toContain("o'brien");
    });
  });
});
