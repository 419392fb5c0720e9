import { silentLogger } from '../../src/log';
import { FleetSync } from '../../src/fleet/fleetSync';
import type { FleetSyncDeps, FleetSyncSettings } from '../../src/fleet/fleetSyncTypes';
import { DEFAULT_CRITERIA } from '../../src/compliance/defaultCriteria';
import type { EntraDevice, JamfComputer } from '../../src/compliance/types';
import { UpstreamError } from '../../src/errors';
import { FakeGraphFleet, FakeJamfFleet, gone, throttled } from '../helpers/fakeFleetSources';
import { MemoryFleetSnapshotStore } from '../helpers/memoryFleetSnapshotStore';
import { APPLICABLE, entraDevice, entraUser, jamfComputer } from './complianceFixtures';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const iso = (minutesAgo: number): string => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();
const OTHER_GROUP = { groupId: '99', groupName: 'Kiosks', smartGroup: true };

const mac = (n: number, over: Partial<JamfComputer> = {}): JamfComputer =>
  jamfComputer({
    id: String(n),
    udid: `UDID-${n}`,
    name: `Mac ${n}`,
    username: `user${n}`,
    email: `user${n}@contoso.com`,
    reportDate: iso(60 * n),
    applications: ['Safari.app', 'Company Portal.app', `App ${n}.app`],
    groups: [APPLICABLE],
    ...over,
  });
const device = (id: string, over: Partial<EntraDevice> = {}): EntraDevice =>
  entraDevice({ id, deviceId: `dev-${id}`, displayName: `Mac ${id}`, ownerIds: [], ownerUpns: [], ...over });
const user = (n: number) =>
  entraUser({
    id: `u${n}`,
    userPrincipalName: `user${n}@contoso.com`,
    mail: `user${n}@contoso.com`,
    displayName: `User ${n}`,
  });

/**
 * Five Macs (the fifth outside the Applicable group); Entra devices for Macs 1-3 (Mac 3
 * registered twice, so it needs Jamf's compliance info) and a Windows PC; the connector's group
 * holds user 1 and a nested group holding user 2.
 */
function fleet() {
  const graph = new FakeGraphFleet();
  const jamf = new FakeJamfFleet();
  for (const n of [1, 2, 3, 4, 5]) jamf.set(mac(n, n === 5 ? { groups: [OTHER_GROUP] } : {}));
  for (const n of [1, 2, 3, 4]) graph.users.set(user(n));
  graph.devices.set(device('1', { ownerIds: ['u1'], ownerUpns: ['user1@contoso.com'] }));
  graph.devices.set(device('2', { ownerIds: ['u2'], ownerUpns: ['user2@contoso.com'] }));
  graph.devices.set(
    device('3a', { displayName: 'Mac 3', ownerIds: ['u3'], ownerUpns: ['user3@contoso.com'] }),
  );
  graph.devices.set(
    device('3b', { displayName: 'Mac 3', ownerIds: ['u3'], ownerUpns: ['user3@contoso.com'] }),
  );
  graph.devices.set(device('w1', { displayName: 'PC 1', operatingSystem: 'Windows' }));
  jamf.compliance.set('3', {
    computerId: '3',
    applicable: true,
    complianceState: 'COMPLIANT',
    entraDeviceIds: ['dev-3b'],
  });
  graph.addGroup('g-nested', [{ id: 'u2', type: 'user' }]);
  graph.addGroup('g-conn', [
    { id: 'u1', type: 'user' },
    { id: 'g-nested', type: 'group' },
  ]);
  graph.setConnector(['g-conn']);
  return { graph, jamf };
}

const SETTINGS: FleetSyncSettings = {
  intervalMinutes: 5,
  fullResyncCron: null,
  jamfOverlapMinutes: 10,
  jamfPageSize: 2,
  maxThrottleWaitSeconds: 600,
};

function syncer(
  world: ReturnType<typeof fleet>,
  store: MemoryFleetSnapshotStore,
  over: Partial<FleetSyncDeps> = {},
): { sync: FleetSync; waits: number[] } {
  const waits: number[] = [];
  const sync = new FleetSync({
    store,
    graph: world.graph,
    jamf: world.jamf,
    criteria: DEFAULT_CRITERIA,
    settings: SETTINGS,
    log: silentLogger(),
    now: () => NOW,
    sleep: async (ms) => {
      waits.push(ms);
    },
    instanceId: 'instance-a',
    ...over,
  });
  return { sync, waits };
}

const key = (arg: unknown): string => JSON.stringify(arg);

describe('FleetSync: full build', () => {
  it('a cold build publishes the joined fleet: applicable Macs, devices, users, nested connector members', async () => {
    const world = fleet();
    const store = new MemoryFleetSnapshotStore();
    const { sync } = syncer(world, store);
    const published: number[] = [];
    sync.onPublished((m) => published.push(m.version));

    const outcome = await sync.syncNow();

    expect(outcome).toMatchObject({ ran: 'full', reason: 'cold', resumed: false, version: 1 });
    expect(outcome.changes.macsUpserted).toBe(4);
    expect(published).toEqual([1]);
    const records = store.records();
    expect([...records.keys()]).toEqual(['1', '2', '3', '4']);
    expect(records.get('1')).toMatchObject({
      joinedBy: 'name-and-owner',
      entra: { id: '1' },
      user: { id: 'u1' },
    });
    expect(records.get('1')?.userInConnectorGroup).toBe(true);
    expect(records.get('2')?.userInConnectorGroup).toBe(true); // through the nested group
    expect(records.get('3')).toMatchObject({ joinedBy: 'jamf-device-id', entra: { id: '3b' } });
    expect(records.get('3')?.userInConnectorGroup).toBe(false);
    expect(records.get('4')).toMatchObject({ joinedBy: 'none', entra: null });
    // Slimmed: of the applications only the required one.
    expect(records.get('1')?.jamf.applications).toEqual(['Company Portal.app']);
    // Only Mac 3 needed Jamf's compliance info.
    expect(world.jamf.callsOf('getComplianceInfo')).toEqual(['3']);
    expect(store.meta).toMatchObject({
      notApplicable: 1,
      connector: { groupIds: ['g-conn'], groupNames: { 'g-conn': 'Group g-conn' } },
      cursors: { trackedGroupIds: ['g-conn', 'g-nested'], jamfReportedUpTo: iso(60) },
    });
    expect(store.meta?.cursors.devicesDeltaLink).toEqual(expect.any(String));
    expect(store.meta?.cursors.usersDeltaLink).toEqual(expect.any(String));
    expect(store.meta?.cursors.groupsDeltaLink).toEqual(expect.any(String));
    // The Windows PC is not a source.
    expect(store.sources.has('device\u0000w1')).toBe(false);
    expect(store.build).toBeNull();
  });

  it('resumes a failed build without re-reading a finished page, and publishes the same fleet', async () => {
    const world = fleet();
    const store = new MemoryFleetSnapshotStore();
    world.jamf.inject('getComputersPage', () => new UpstreamError('jamf', 'unavailable', 'down'), {
      when: (a) => (a as { page: number }).page === 2,
    });
    const first = syncer(world, store).sync;
    await expect(first.syncNow()).rejects.toMatchObject({ code: 'unavailable' });
    expect(store.meta).toBeNull();
    expect(store.build?.progress).toMatchObject({ macsRead: 4, macsTotal: 5 });

    const firstJamf = world.jamf.calls.map((c) => key(c));
    const firstGraph = world.graph.calls.map((c) => key(c));
    world.jamf.resetCalls();
    world.graph.resetCalls();
    // A new process (after a crash) finds the build and continues it.
    const outcome = await syncer(world, store).sync.syncNow();
    expect(outcome).toMatchObject({ ran: 'full', reason: 'cold', resumed: true });
    expect(world.jamf.callsOf('getComputersPage')).toEqual([{ page: 2, pageSize: 2, filter: undefined }]);
    const pageReads = [
      'macDevicesWithOwnersPage',
      'userDeltaPage',
      'groupMembersDeltaPage',
      'deviceDeltaPage',
    ];
    for (const c of world.graph.calls.filter((c) => pageReads.includes(c.method)))
      expect(firstGraph).not.toContain(key(c));
    expect(firstJamf.filter((c) => c.includes('"page":2'))).toHaveLength(1);

    const fresh = new MemoryFleetSnapshotStore();
    await syncer(fleet(), fresh).sync.syncNow();
    expect(store.records()).toEqual(fresh.records());
  });

  it('starts a failed build again when its Graph links have expired by the time it resumes', async () => {
    const world = fleet();
    const store = new MemoryFleetSnapshotStore();
    const laterPage = { when: (link: unknown) => link !== null };
    world.graph.inject(
      'macDevicesWithOwnersPage',
      () => new UpstreamError('graph', 'unavailable', 'down'),
      laterPage,
    );
    await expect(syncer(world, store).sync.syncNow()).rejects.toMatchObject({ code: 'unavailable' });
    expect(store.build).not.toBeNull();
    // Hours later the device listing's next link has expired.
    world.graph.inject('macDevicesWithOwnersPage', gone, laterPage);
    const outcome = await syncer(world, store).sync.syncNow();
    expect(outcome).toMatchObject({ ran: 'full', reason: 'delta_expired', resumed: false, version: 1 });
    const fresh = new MemoryFleetSnapshotStore();
    await syncer(fleet(), fresh).sync.syncNow();
    expect(store.records()).toEqual(fresh.records());
  });

  it('remembers look-ups that found nothing: a resumed build asks for none again', async () => {
    const world = fleet();
    // Mac 4 now has a same-name device with unknown owners: it needs Jamf's info, which has none.
    const d = device('4x', { displayName: 'Mac 4' });
    delete d.ownerIds;
    delete d.ownerUpns;
    world.graph.devices.set(d);
    const store = new MemoryFleetSnapshotStore();
    store.failNext('publishFleetBuild');
    await expect(syncer(world, store).sync.syncNow()).rejects.toThrow(/publishFleetBuild failed/);
    expect(world.jamf.callsOf('getComplianceInfo').sort()).toEqual(['3', '4']);

    world.jamf.resetCalls();
    const outcome = await syncer(world, store).sync.syncNow();
    expect(outcome).toMatchObject({ ran: 'full', resumed: true });
    expect(world.jamf.callsOf('getComplianceInfo')).toEqual([]);
    expect(world.jamf.callsOf('getComputersPage')).toEqual([]);
    expect(store.records().get('3')).toMatchObject({ joinedBy: 'jamf-device-id' });
  });

  it('pauses for a 120 s Retry-After and asks for the same page again', async () => {
    const world = fleet();
    const store = new MemoryFleetSnapshotStore();
    world.jamf.inject('getComputersPage', () => throttled('jamf', 120_000), {
      when: (a) => (a as { page: number }).page === 1,
    });
    world.graph.inject('macDevicesWithOwnersPage', () => throttled('graph', 900_000), {
      when: (l) => l !== null,
    });
    const { sync, waits } = syncer(world, store);
    const outcome = await sync.syncNow();
    expect(outcome.ran).toBe('full');
    // The Graph wait is cut to FLEET_MAX_THROTTLE_WAIT_SECONDS.
    expect(waits.sort()).toEqual([120_000, 600_000]);
    const pages = world.jamf.callsOf('getComputersPage').map((a) => (a as { page: number }).page);
    expect(pages.sort()).toEqual([0, 1, 1, 2]);
    const links = world.graph.callsOf('macDevicesWithOwnersPage');
    expect(links).toHaveLength(new Set(links).size + 1);
    expect(store.records().size).toBe(4);
  });

  it('stop() during a throttle pause leaves the build resumable', async () => {
    const world = fleet();
    const store = new MemoryFleetSnapshotStore();
    let paused!: () => void;
    const pausedNow = new Promise<void>((r) => (paused = r));
    world.jamf.inject('getComputersPage', () => throttled('jamf', 120_000), {
      when: (a) => (a as { page: number }).page === 2,
    });
    const { sync } = syncer(world, store, {
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          paused();
          signal.addEventListener('abort', () => reject(signal.reason as Error));
        }),
    });
    const run = sync.syncNow();
    await pausedNow;
    await sync.stop();
    await expect(run).rejects.toThrow(/stopped/);
    expect(store.build).not.toBeNull();
    expect(store.lease).toBeNull();

    world.jamf.resetCalls();
    const outcome = await syncer(world, store).sync.syncNow();
    expect(outcome).toMatchObject({ ran: 'full', resumed: true });
    expect(world.jamf.callsOf('getComputersPage')).toEqual([{ page: 2, pageSize: 2, filter: undefined }]);
  });

  it('a build for other criteria starts again; a published snapshot for other criteria is rebuilt', async () => {
    const world = fleet();
    const store = new MemoryFleetSnapshotStore();
    await syncer(world, store).sync.syncNow();
    const other = { ...DEFAULT_CRITERIA, requiredApp: 'App 1.app' };
    const outcome = await syncer(world, store, { criteria: other }).sync.syncNow();
    expect(outcome).toMatchObject({ ran: 'full', reason: 'criteria_changed' });
    expect(store.records().get('1')?.jamf.applications).toEqual(['App 1.app']);
    expect(store.meta?.version).toBe(2);
  });
});

describe('FleetSync: incremental', () => {
  async function built() {
    const world = fleet();
    const store = new MemoryFleetSnapshotStore();
    const s = syncer(world, store);
    await s.sync.syncNow();
    world.jamf.resetCalls();
    world.graph.resetCalls();
    return { world, store, ...s };
  }

  it('applies changes from every source to the rows, and reads only the changes', async () => {
    const { world, store, sync } = await built();
    // Jamf: Mac 2 updated, Mac 4 deleted, Mac 6 new.
    world.jamf.set(mac(2, { osVersion: '15.4', reportDate: iso(1) }));
    world.jamf.computers.delete('4');
    world.jamf.set(mac(6, { reportDate: iso(2) }));
    // Entra: a device for Mac 6 (owners fetched), device 1 now compliant elsewhere, the PC changed.
    world.graph.devices.set(device('6', { ownerIds: ['u6'], ownerUpns: ['user6@contoso.com'] }));
    world.graph.devices.set(
      device('1', { isCompliant: false, ownerIds: ['u1'], ownerUpns: ['user1@contoso.com'] }),
    );
    world.graph.devices.set(
      device('w1', { displayName: 'PC 1', operatingSystem: 'Windows', isCompliant: false }),
    );
    world.graph.users.set(user(6));
    world.graph.users.set({ ...user(3), displayName: 'User Three' });
    // Groups: user 1 leaves the connector group, user 3 joins the nested one.
    world.graph.removeMember('g-conn', 'u1');
    world.graph.addMember('g-nested', { id: 'u3', type: 'user' });

    const seen: number[] = [];
    sync.onPublished((m) => seen.push(m.version));
    const outcome = await sync.syncNow();

    expect(outcome).toMatchObject({ ran: 'incremental', version: 2, changes: { macsRemoved: 1 } });
    expect(seen).toEqual([2]);
    const r = store.records();
    expect([...r.keys()]).toEqual(['1', '2', '3', '6']);
    expect(r.get('2')?.jamf.osVersion).toBe('15.4');
    expect(r.get('6')).toMatchObject({ joinedBy: 'name-and-owner', entra: { id: '6' }, user: { id: 'u6' } });
    expect(r.get('1')).toMatchObject({
      entra: { isCompliant: false, ownerIds: ['u1'] },
      userInConnectorGroup: false,
    });
    expect(r.get('3')).toMatchObject({ user: { displayName: 'User Three' }, userInConnectorGroup: true });
    // Owners only for the new device; no listing of every device; Jamf filtered on reportDate.
    expect(world.graph.callsOf('getDeviceOwners')).toEqual([['6']]);
    expect(world.graph.callsOf('macDevicesWithOwnersPage')).toEqual([]);
    expect(world.jamf.callsOf('getComputersPage')).toEqual([
      { page: 0, pageSize: 2, filter: `general.reportDate>="${iso(70)}"` },
      { page: 1, pageSize: 2, filter: `general.reportDate>="${iso(70)}"` },
      // Jamf's total (one Mac a page) differs from the Macs held: a Mac was deleted → the id listing.
      { page: 0, pageSize: 1, filter: undefined },
    ]);
    expect(store.meta?.cursors.jamfReportedUpTo).toBe(iso(1));
    expect(store.sources.has('computer\u00004')).toBe(false);

    // Nothing changed since: no row rewritten, the version stays, "as of" moves — and Jamf's
    // total matches the Macs held, so the id listing is not read again.
    const listings = world.jamf.callsOf('listComputerIds').length;
    const again = await sync.syncNow();
    expect(world.jamf.callsOf('listComputerIds')).toHaveLength(listings);
    expect(again).toMatchObject({
      ran: 'incremental',
      version: 2,
      changes: { macsUpserted: 0, macsRemoved: 0 },
    });
  });

  it('keeps the sources it published for the next run; reloads after another instance published or a run failed', async () => {
    const { world, store, sync } = await built();
    const loads = () => store.calls.readFleetSources ?? 0;
    const hashReads = () => store.calls.readFleetMacHashes ?? 0;
    await sync.syncNow();
    const first = loads();
    world.jamf.set(mac(2, { osVersion: '15.4', reportDate: iso(1) }));
    await sync.syncNow();
    expect(loads()).toBe(first);
    expect(store.records().get('2')?.jamf.osVersion).toBe('15.4');
    world.jamf.set(mac(5, { groups: [APPLICABLE] })); // enters the applicable group
    world.jamf.set(mac(3, { groups: [OTHER_GROUP] })); // leaves it
    await sync.refreshComputers(['1', '3', '5']);
    expect(loads()).toBe(first);
    // The kept rows' hashes: neither run read the stored ones back.
    expect(hashReads()).toBe(0);
    expect([...store.records().keys()]).toEqual(['1', '2', '4', '5']);
    expect(store.meta?.notApplicable).toBe(1);

    const other = syncer(world, store, { instanceId: 'instance-b' }).sync;
    world.jamf.set(mac(1, { osVersion: '15.5', reportDate: iso(1) }));
    await other.syncNow();
    world.jamf.set(mac(2, { osVersion: '15.6', reportDate: iso(1) }));
    // The whole-fleet path hands its records to the reader, with the Macs it wrote.
    const heard: { version: number; records?: number; changed?: unknown }[] = [];
    sync.onPublished((m, records, changed) =>
      heard.push({ version: m.version, records: records?.length, changed }),
    );
    await sync.syncNow();
    expect(heard).toEqual([
      {
        version: store.meta!.version,
        records: 4,
        changed: { since: store.meta!.version - 1, upserted: ['2'], removed: [] },
      },
    ]);
    expect(loads()).toBeGreaterThan(first);
    expect(hashReads()).toBeGreaterThan(0);
    expect(store.records().get('1')?.jamf.osVersion).toBe('15.5');
    expect(store.records().get('2')?.jamf.osVersion).toBe('15.6');

    const before = loads();
    store.failNext('applyFleetChanges');
    await expect(sync.syncNow()).rejects.toThrow();
    await sync.syncNow();
    expect(loads()).toBeGreaterThan(before);
  });

  it('a renamed device gets its owners again and can move a name join', async () => {
    const { world, store, sync } = await built();
    world.graph.devices.set(
      device('9', { displayName: 'Mac 4', ownerIds: ['u4'], ownerUpns: ['user4@contoso.com'] }),
    );
    await sync.syncNow();
    expect(store.records().get('4')).toMatchObject({ joinedBy: 'name-and-owner', entra: { id: '9' } });
    world.graph.devices.set(
      device('9', { displayName: 'Mac 44', ownerIds: ['u4'], ownerUpns: ['user4@contoso.com'] }),
    );
    world.graph.resetCalls();
    await sync.syncNow();
    expect(world.graph.callsOf('getDeviceOwners')).toEqual([['9']]);
    expect(store.records().get('4')).toMatchObject({ joinedBy: 'none', entra: null });
  });

  it('the connector assigned to other groups → the whole fleet re-joined against the stored rows', async () => {
    const { world, store, sync } = await built();
    world.graph.setConnector(['g-nested']);
    await sync.syncNow();
    expect(store.calls.readFleetMacHashes).toBe(1);
    expect(store.meta?.connector.groupIds).toEqual(['g-nested']);
    expect(store.records().get('1')?.userInConnectorGroup).toBe(false);
    expect(store.records().get('2')?.userInConnectorGroup).toBe(true);
    // The groups stay: the next run is incremental again.
    world.jamf.set(mac(2, { osVersion: '15.4', reportDate: iso(1) }));
    await sync.syncNow();
    expect(store.calls.readFleetMacHashes).toBe(1);
    expect(store.records().get('2')).toMatchObject({
      jamf: { osVersion: '15.4' },
      userInConnectorGroup: true,
    });
  });

  it('a nested group added later is tracked in a new round', async () => {
    const { world, store, sync } = await built();
    world.graph.addGroup('g-deep', [{ id: 'u4', type: 'user' }]);
    world.graph.addMember('g-nested', { id: 'g-deep', type: 'group' });
    await sync.syncNow();
    expect(store.meta?.cursors.trackedGroupIds).toEqual(['g-conn', 'g-nested', 'g-deep']);
    expect(store.records().get('4')?.userInConnectorGroup).toBe(true);
  });

  it('an expired delta token → a full build', async () => {
    const { world, sync, store } = await built();
    world.graph.expireDeltaLinks();
    const outcome = await sync.syncNow();
    expect(outcome).toMatchObject({ ran: 'full', reason: 'delta_expired', version: 2 });
    expect(store.records().size).toBe(4);
  });

  it('full: true rebuilds with the reason given', async () => {
    const { sync } = await built();
    expect(await sync.syncNow({ full: true, reason: 'scheduled' })).toMatchObject({
      ran: 'full',
      reason: 'scheduled',
    });
  });
});

describe('FleetSync: one at a time', () => {
  it('another instance holding the lease → busy at once, nothing read', async () => {
    const world = fleet();
    const store = new MemoryFleetSnapshotStore();
    await store.acquireFleetSyncLease('instance-b', 60_000, NOW);
    const outcome = await syncer(world, store).sync.syncNow();
    expect(outcome).toMatchObject({ ran: 'busy', version: null });
    expect(world.graph.calls).toEqual([]);
    expect(world.jamf.calls).toEqual([]);
    expect(store.lease?.holder).toBe('instance-b');
  });

  it('a second caller joins the sync already running; the lease is released after', async () => {
    const world = fleet();
    const store = new MemoryFleetSnapshotStore();
    const { sync } = syncer(world, store);
    const [a, b] = [sync.syncNow(), sync.syncNow()];
    expect(a).toBe(b);
    await a;
    expect(store.calls.publishFleetBuild).toBe(1);
    expect(store.lease).toBeNull();
  });

  it('start() syncs at once; stop() ends the schedule', async () => {
    const world = fleet();
    const store = new MemoryFleetSnapshotStore();
    const { sync } = syncer(world, store, { settings: { ...SETTINGS, fullResyncCron: '0 3 * * *' } });
    const published = new Promise((r) => sync.onPublished(r));
    sync.start();
    await published;
    await sync.stop();
    expect(store.meta?.version).toBe(1);
    await expect(sync.syncNow()).rejects.toThrow(/stopped/);
  });
});

describe('FleetSync: refreshComputers', () => {
  it('re-reads the named Macs 100 ids a request, re-joins and drops Macs Jamf no longer has', async () => {
    const world = fleet();
    const store = new MemoryFleetSnapshotStore();
    const { sync } = syncer(world, store);
    await sync.syncNow();
    world.jamf.resetCalls();
    world.jamf.set(mac(1, { osVersion: '16.0' }));
    world.jamf.computers.delete('2');
    const ids = ['1', '2', ...Array.from({ length: 248 }, (_, i) => String(1000 + i))];

    const outcome = await sync.refreshComputers(ids);

    expect(outcome).toMatchObject({ ran: 'computers', version: 2, changes: { macsRemoved: 1 } });
    const filters = world.jamf.callsOf('getComputersPage').map((a) => (a as { filter: string }).filter);
    expect(filters).toHaveLength(3);
    expect(filters.map((f) => f.split(',').length)).toEqual([100, 100, 50]);
    expect(filters[0]).toMatch(/^id=in=\(1,2,1000,/);
    expect(store.records().get('1')?.jamf.osVersion).toBe('16.0');
    expect(store.records().has('2')).toBe(false);
    expect(world.jamf.callsOf('listComputerIds')).toEqual([]);
  });

  it('defers before the first build (the webhook worker asks again later)', async () => {
    const store = new MemoryFleetSnapshotStore();
    const world = fleet();
    const outcome = await syncer(world, store).sync.refreshComputers(['1']);
    expect(outcome).toMatchObject({ ran: 'deferred', version: null });
    expect(world.jamf.calls).toEqual([]);
  });
});
