/**
 * loadFleet against the demo tenant's HTTPS simulators, with clients built as the app builds
 * them: every applicable Mac comes back joined to the Entra device the generator made for it,
 * the diagnosis reproduces the generator's intended verdicts, and the requests are exactly the
 * pages the page sizes allow plus the look-ups round 1 could not settle.
 */
import { createApp } from '../../src/app';
import { diagnoseMac } from '../../src/compliance/diagnoseMac';
import { isInGroup } from '../../src/compliance/isInGroup';
import { needsComplianceLookup } from '../../src/compliance/needsComplianceLookup';
import type { EntraDevice } from '../../src/compliance/types';
import { loadConfig, type AppConfig } from '../../src/config';
import type { GraphSimLogEntry } from '../../demo/graphSimRequestLog';
import type { JamfRequestLogEntry } from '../../demo/jamfSimulator';
import { startDemoTenant, type DemoTenant } from '../../demo/startDemoTenant';
import { UpstreamError } from '../../src/errors';
import { silentLogger } from '../../src/log';
import { loadFleet, type FleetLoad, type LoadFleetDeps } from '../../src/lookup/loadFleet';
import { createUpstreamClients } from '../../src/upstream/createUpstreamClients';
import { computerWire } from '../../src/upstream/jamf/jamfWire';
import { mapJamfComputer } from '../../src/upstream/jamf/mapJamfComputer';
import type { RetryPolicy } from '../../src/upstream/retryPolicy';

const NOW = new Date();
const SIZE = 1500;
/** Small enough for several inventory pages from a small fleet. */
const PAGE_SIZE = 250;
const FAST_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, budgetMs: 2_000 };

let demo: DemoTenant;
let config: AppConfig;
let deps: LoadFleetDeps;
let closeClients: () => Promise<void>;
let result: FleetLoad;
/** What the simulators saw during that load (later tests add to their logs). */
let jamfLog: JamfRequestLogEntry[];
let jamfPeak: number;
let graphLog: GraphSimLogEntry[];
let graphCounts: Record<string, number>;

beforeAll(async () => {
  demo = await startDemoTenant({ size: SIZE, seed: 7, now: NOW });
  config = demo.configure(loadConfig({ PORT: '0', PLAYGROUND: 'false', LOG_LEVEL: 'silent' }));
  const app = createApp(config, { logger: silentLogger() });
  const { graph, jamf } = app;
  deps = { graph, jamf };
  closeClients = async () => {
    jamf.close();
    await graph.close();
  };
  result = await loadFleet(deps, {
    criteria: config.criteria,
    jamfPageSize: PAGE_SIZE,
    now: () => Date.now(),
  });
  jamfLog = [...demo.jamf.requests.entries];
  jamfPeak = demo.jamf.requests.peakInFlight;
  graphLog = [...demo.graph.requests.entries];
  graphCounts = demo.graph.requests.counts();
});
afterAll(async () => {
  await closeClients();
  await demo.close();
});

/** The generator's truth, computed from the fleet itself, not from what the simulators served. */
function truth() {
  const { fleet } = demo;
  const upnById = new Map(fleet.graph.users.map((u) => [u.id, u.userPrincipalName]));
  const macDevices = fleet.graph.devices.filter((d) => /^(macos|macmdm)$/i.test(d.operatingSystem));
  const devices: EntraDevice[] = macDevices.map((d) => ({
    ...d,
    ownerIds: d.registeredOwnerIds,
    ownerUpns: d.registeredOwnerIds.map((id) => upnById.get(id) ?? ''),
  }));
  const computers = fleet.jamf.computers.map((c) => mapJamfComputer(computerWire.parse(c)));
  const applicable = computers.filter((c) => isInGroup(c.groups, config.criteria.applicableGroup));
  const applicableIds = new Set(applicable.map((c) => c.id));
  const connector = fleet.graph.groups.find((g) => g.id === fleet.connectorGroupId);
  const members = new Set(connector?.memberIds ?? []);
  const known = new Set<string>();
  for (const u of fleet.graph.users) {
    if (!members.has(u.id)) continue;
    known.add(u.userPrincipalName.toLowerCase());
    if (u.mail) known.add(u.mail.toLowerCase());
  }
  for (const d of devices) for (const upn of d.ownerUpns ?? []) known.add(upn.toLowerCase());
  const unknownUsers = new Set(
    applicable.map((c) => (c.email ?? '').toLowerCase()).filter((e) => e !== '' && !known.has(e)),
  );
  return {
    computers,
    applicableIds,
    macDevices,
    members,
    unknownUsers,
    lookups: needsComplianceLookup(computers, devices).filter((id) => applicableIds.has(id)),
    deviceIdOf: (computerId: string): string | null =>
      fleet.jamf.compliance[computerId]?.[0]?.complianceVendorDeviceInformation.deviceIds[0] ?? null,
  };
}

describe('loadFleet against the demo tenant', () => {
  it('returns every applicable Mac once, and only those; counts the others', () => {
    const t = truth();
    const ids = result.records.map((r) => r.jamf.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(t.applicableIds);
    const intendedOut = Object.values(demo.fleet.intendedVerdicts).filter((v) => v === 'not_applicable');
    expect(result.stats.counts).toMatchObject({
      computers: SIZE,
      applicable: t.applicableIds.size,
      notApplicable: intendedOut.length,
      entraMacDevices: t.macDevices.length,
      connectorMembers: t.members.size,
    });
    expect(intendedOut.length).toBeGreaterThan(0);
    expect(result.connector.groupIds).toEqual([demo.fleet.connectorGroupId]);
  });

  it('joins each Mac to the Entra device the generator made for it, saying how', () => {
    const t = truth();
    const lookedUp = new Set(t.lookups);
    const wrong = result.records
      .map((r) => ({ id: r.jamf.id, got: r.entra?.deviceId ?? null, want: t.deviceIdOf(r.jamf.id) }))
      .filter((x) => x.got !== x.want);
    expect(wrong).toEqual([]);
    for (const r of result.records) {
      if (lookedUp.has(r.jamf.id) && r.entra) expect(r.joinedBy).toBe('jamf-device-id');
      if (!lookedUp.has(r.jamf.id)) expect(r.joinedBy).not.toBe('jamf-device-id');
      if (!r.entra) expect(r.joinedBy).toBe('none');
    }
    // The re-registered Mac has an old record with the same name and owner: only Jamf tells them apart.
    const reRegistered = result.records.find((r) => r.jamf.id === demo.fleet.edgeCases.reRegisteredMac);
    expect(reRegistered?.joinedBy).toBe('jamf-device-id');
    expect(result.stats.counts.joinedBy['name-and-owner']).toBeGreaterThan(result.records.length / 2);
  });

  it('resolves the Macs’ users and their connector-group membership', () => {
    const t = truth();
    const byUpn = new Map(demo.fleet.graph.users.map((u) => [u.userPrincipalName.toLowerCase(), u]));
    for (const r of result.records) {
      const want = r.jamf.email ? byUpn.get(r.jamf.email.toLowerCase()) : undefined;
      expect(r.user?.id ?? null).toBe(want?.id ?? null);
      expect(r.userInConnectorGroup).toBe(want ? t.members.has(want.id) : null);
    }
    expect(result.records.some((r) => r.userInConnectorGroup === false)).toBe(true);
  });

  it('reproduces the generator’s intended verdict for every Mac', () => {
    const wrong = result.records
      .map((r) => ({
        id: r.jamf.id,
        got: diagnoseMac(r, config.criteria, NOW).verdict,
        want: demo.fleet.intendedVerdicts[r.jamf.id],
      }))
      .filter((x) => x.got !== x.want);
    expect(wrong).toEqual([]);
  });

  it('asks for exactly the pages the page sizes allow, plus the look-ups round 1 left open', () => {
    const t = truth();
    const inventory = jamfLog.filter((e) => e.path === '/api/v4/computers-inventory');
    const compliance = jamfLog.filter((e) => e.path.startsWith('/api/v1/conditional-access/'));
    const jamfOther = jamfLog.filter((e) => !inventory.includes(e) && !compliance.includes(e));
    expect(inventory).toHaveLength(Math.ceil(SIZE / PAGE_SIZE));
    expect(inventory.every((e) => e.query['page-size']?.[0] === String(PAGE_SIZE))).toBe(true);
    expect(compliance.map((e) => e.path.split('/').pop()).sort()).toEqual([...t.lookups].sort());
    expect(t.lookups.every((id) => t.applicableIds.has(id))).toBe(true);
    expect(jamfOther.map((e) => e.path)).toEqual(['/api/v1/oauth/token']);
    expect(jamfPeak).toBeLessThanOrEqual(config.jamf.maxConcurrency);

    const stepped = (endpoint: string) =>
      graphLog.filter((e) => e.viaBatch && e.endpoint === endpoint).length;
    // Owners are expanded, so Graph pages devices by 100 whatever `$top=999` says (known issue 13635).
    const devicePages = Math.ceil(t.macDevices.length / 100);
    const memberPages = Math.ceil(t.members.size / 999);
    const userBatches = Math.ceil(t.unknownUsers.size / 20);
    expect(devicePages).toBeGreaterThan(1);
    expect(memberPages).toBeGreaterThan(1);
    // Member pages and user look-ups travel in `$batch`es: one HTTP request per page, per 20 users.
    // Other reads (device pages, the connector scope) join a `$batch` when they meet one in the
    // same event-loop turn, so how many go alone depends on timing; each is still asked once.
    expect(stepped('GET /groups/{id}/transitiveMembers')).toBe(memberPages);
    expect(stepped('GET /users')).toBe(t.unknownUsers.size);
    const { 'POST /$batch': batches, ...perEndpoint } = graphCounts;
    expect(batches).toBeGreaterThanOrEqual(memberPages + userBatches);
    expect(batches).toBeLessThanOrEqual(memberPages + userBatches + devicePages + 2);
    expect(perEndpoint).toEqual({
      'GET /{tenant}/v2.0/.well-known/openid-configuration': 1,
      'POST /{tenant}/oauth2/v2.0/token': 1,
      'GET /deviceManagement/complianceManagementPartners': 1,
      'GET /groups/{id}': 1,
      'GET /devices': devicePages,
      'GET /groups/{id}/transitiveMembers': memberPages,
      'GET /users': t.unknownUsers.size,
    });

    expect(result.stats.requests).toEqual({
      jamf: { inventoryPages: inventory.length, complianceLookups: compliance.length },
      graph: { devicePages, memberPages, userLookupBatches: userBatches, connectorScope: 2 },
    });
  });

  it('fails with a typed UpstreamError naming Graph when Graph stays unavailable', async () => {
    const clients = createUpstreamClients(config, { timeoutMs: 5_000, retryPolicy: FAST_RETRY });
    clients.jamf.close(); // only Graph is under test here
    const { graph } = clients;
    demo.graph.faults.failNext(FAST_RETRY.maxAttempts, { path: '/devices', status: 503 });
    try {
      const e = await loadFleet({ ...deps, graph }, { criteria: config.criteria }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UpstreamError);
      expect(e).toMatchObject({ service: 'graph', code: 'unavailable', status: 503 });
    } finally {
      demo.graph.faults.clear();
      await graph.close();
    }
  });

  it('fails with a typed UpstreamError naming Jamf Pro when the inventory is refused', async () => {
    demo.jamf.faults.failNext(1, { path: '/api/v4/computers-inventory', status: 403 });
    const e = await loadFleet(deps, { criteria: config.criteria }).catch((x: unknown) => x);
    demo.jamf.faults.clear();
    expect(e).toBeInstanceOf(UpstreamError);
    expect(e).toMatchObject({ service: 'jamf', code: 'forbidden' });
    // Settled means stopped: nothing reaches either service afterwards.
    const seen = [demo.jamf.requests.entries.length, demo.graph.requests.entries.length];
    await new Promise((r) => setTimeout(r, 200));
    expect([demo.jamf.requests.entries.length, demo.graph.requests.entries.length]).toEqual(seen);
  });

  it('stops when the caller aborts, rejecting with the reason', async () => {
    const abort = new AbortController();
    demo.jamf.faults.setLatency(50);
    const seen = demo.jamf.requests.entries.length;
    const p = loadFleet(deps, { criteria: config.criteria, jamfPageSize: PAGE_SIZE, signal: abort.signal });
    setTimeout(() => abort.abort(new Error('stopped by test')), 20);
    await expect(p).rejects.toThrow('stopped by test');
    demo.jamf.faults.clear();
    // At most the first inventory page went out: the others wait for its total, and never start.
    expect(demo.jamf.requests.entries.slice(seen).filter((e) => e.query.page?.[0] !== '0')).toEqual([]);
  });
});
