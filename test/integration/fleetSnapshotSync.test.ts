/**
 * The fleet snapshot kept fresh against the real simulators (demo tenant over loopback HTTPS,
 * real clients, a SQLite file store): changes from every source reach the snapshot through an
 * incremental sync that reads only changes; an expired delta token makes the next sync a full
 * build; a 120 s Retry-After mid-build pauses and resumes without re-reading finished pages.
 * The truth each snapshot is checked against is a live load of the same tenant at that moment.
 */
import type { GraphSimLogEntry } from '../../demo/graphSimRequestLog';
import type { JamfRequestLogEntry } from '../../demo/jamfSimulator';
import type { GraphDeviceRecord, JamfInventoryRecord } from '../../demo/fleetTypes';
import type { FleetMacRow } from '../../src/compliance/fleetSnapshotTypes';
import type { FleetSync } from '../../src/fleet/fleetSync';
import { startFleetSyncRig, summaries, type FleetSyncRig } from '../helpers/fleetSyncRig';

const INVENTORY = '/api/v4/computers-inventory';
const SIZE = 300;

let rig: FleetSyncRig;
let sync: FleetSync;
let waits: number[];

beforeAll(async () => {
  rig = await startFleetSyncRig({ size: SIZE });
  ({ sync, waits } = rig.sync());
  const cold = await sync.syncNow();
  expect(cold).toMatchObject({ ran: 'full', reason: 'cold', resumed: false, version: 1 });
});
afterAll(() => rig.close());

async function publishedRows(): Promise<FleetMacRow[]> {
  return (await rig.store.readFleetMacs(null)).rows;
}

/** The published snapshot equals a live load of the tenant, Mac for Mac (but `except`, checked by the caller). */
async function expectSnapshotMatchesLive(except: string[] = []): Promise<void> {
  const rows = await publishedRows();
  const live = await rig.live();
  const snapshot = summaries(rows.map((r) => r.record));
  const truth = summaries(live);
  for (const id of except) {
    snapshot.delete(id);
    truth.delete(id);
  }
  expect(snapshot).toEqual(truth);
}

function clearLogs(): void {
  rig.demo.jamf.requests.clear();
  rig.demo.graph.requests.clear();
}

/** Jamf inventory reads, told apart by their query: the id listing (keyset by id, GENERAL only), the one-record count, the pages. */
function jamfKind(e: JamfRequestLogEntry): 'ids' | 'count' | 'pages' {
  if (e.query['page-size']?.[0] === '1') return 'count';
  return e.query.section?.join() === 'GENERAL' && e.query['page-size']?.[0] === '2000' ? 'ids' : 'pages';
}
const jamfInventory = (kind: ReturnType<typeof jamfKind> = 'pages'): JamfRequestLogEntry[] =>
  rig.demo.jamf.requests.entries.filter((e) => e.path === INVENTORY && jamfKind(e) === kind);

it('the cold build publishes the fleet a live load sees', async () => {
  await expectSnapshotMatchesLive();
  expect((await publishedRows()).length).toBeGreaterThan(SIZE / 2);
});

describe('an incremental sync', () => {
  it('brings adds, changes and removals from Jamf, Entra devices, users and connector-group memberships, reading only changes', async () => {
    const rows = await publishedRows();
    const { demo } = rig;
    const connectorGroup = demo.fleet.graph.groups.find((g) => g.id === demo.fleet.connectorGroupId)!;
    const directMember = (r: FleetMacRow) => connectorGroup.memberIds.includes(r.record.user?.id ?? '');
    // Macs whose user owns only that one Mac, so each change touches exactly one row.
    const perUser = new Map<string, number>();
    for (const r of rows)
      if (r.record.user) perUser.set(r.record.user.id, (perUser.get(r.record.user.id) ?? 0) + 1);
    const single = (r: FleetMacRow) => r.record.user !== null && perUser.get(r.record.user.id) === 1;
    const used = new Set<string>();
    const pick = (why: string, ok: (r: FleetMacRow) => boolean): FleetMacRow => {
      const found = rows.find((r) => !used.has(r.jamfId) && single(r) && ok(r));
      if (!found) throw new Error(`the demo fleet has no Mac for: ${why}`);
      used.add(found.jamfId);
      return found;
    };
    const registered = (r: FleetMacRow) => r.record.entra !== null && r.record.joinedBy !== 'none';
    const reported = pick('an inventory report', registered);
    const removedMac = pick('a deleted Mac', registered);
    const template = pick('a new Mac', registered);
    const unregistered = pick('a registration', (r) => r.record.entra === null);
    const deviceGone = pick('a deleted device', registered);
    const renamedUser = pick('a changed user', registered);
    const deletedUser = pick('a deleted user', registered);
    const leaving = pick('a membership removed', (r) => registered(r) && directMember(r));
    const joining = pick('a membership added', (r) => r.record.userInConnectorGroup === false);

    clearLogs();
    // Jamf: a newer inventory report, a new Mac, a deleted Mac.
    const reportedAt = new Date().toISOString();
    const rec = demo.jamf.computer(reported.jamfId)!;
    demo.jamf.putComputer({
      ...rec,
      general: { ...rec.general, reportDate: reportedAt },
      operatingSystem: { ...rec.operatingSystem, version: '15.9.1' },
    });
    const base = demo.jamf.computer(template.jamfId)!;
    const newId = String(Math.max(...demo.jamf.computerIds().map(Number)) + 1);
    const newMac: JamfInventoryRecord = {
      ...base,
      id: newId,
      udid: `0000FEED-0000-4000-8000-${newId.padStart(12, '0')}`,
      general: { ...base.general, name: `Fleet Test Mac ${newId}`, reportDate: reportedAt },
      hardware: { ...base.hardware, serialNumber: `FT${newId.padStart(10, '0')}` },
    };
    demo.jamf.putComputer(newMac);
    demo.jamf.deleteComputer(removedMac.jamfId);
    // Entra: a registration (device with owner) for an unregistered Mac; a device deleted.
    const owner = unregistered.record.user!;
    const deviceTemplate = demo.graph.device(reported.record.entra!.id)!;
    const registration: GraphDeviceRecord = {
      ...deviceTemplate,
      id: 'f1ee7000-0000-4000-8000-000000000017',
      deviceId: 'f1ee7000-0000-4000-8000-000000000018',
      displayName: unregistered.record.jamf.name,
      registrationDateTime: reportedAt,
      registeredOwnerIds: [owner.id],
    };
    demo.graph.putDevice(registration);
    demo.graph.deleteDevice(deviceGone.record.entra!.id);
    // Users: one's UPN and mail change, one is deleted.
    const user = demo.fleet.graph.users.find((u) => u.id === renamedUser.record.user!.id)!;
    const newUpn = `renamed.${user.userPrincipalName}`;
    demo.graph.putUser({
      ...user,
      userPrincipalName: newUpn,
      mail: `renamed.${user.mail ?? 'x@contoso.com'}`,
    });
    demo.graph.deleteUser(deletedUser.record.user!.id);
    // The connector's group: one member leaves, one joins.
    demo.graph.removeGroupMember(connectorGroup.id, leaving.record.user!.id);
    demo.graph.addGroupMember(connectorGroup.id, joining.record.user!.id);

    const outcome = await sync.syncNow();
    expect(outcome).toMatchObject({ ran: 'incremental', reason: null, resumed: false, version: 2 });
    const graphLog = [...rig.demo.graph.requests.entries];
    const jamfLog = [...jamfInventory()];

    const after = new Map((await publishedRows()).map((r) => [r.jamfId, r.record]));
    expect(after.get(reported.jamfId)).toMatchObject({
      jamf: { reportDate: reportedAt, osVersion: '15.9.1' },
    });
    expect(after.get(newId)).toMatchObject({ jamf: { name: newMac.general.name } });
    expect(after.has(removedMac.jamfId)).toBe(false);
    expect(after.get(unregistered.jamfId)?.entra).toMatchObject({
      id: registration.id,
      ownerIds: [owner.id],
    });
    expect(after.get(deviceGone.jamfId)?.entra).toBeNull();
    expect(after.get(renamedUser.jamfId)?.user?.userPrincipalName ?? null).not.toBe(user.userPrincipalName);
    const renamed = (await rig.store.readFleetSources('user')).find((u) => u.id === user.id);
    expect(renamed?.body).toMatchObject({ userPrincipalName: newUpn, mail: `renamed.${user.mail}` });
    // Its devices name the owner by the new UPN (devices/delta says nothing of an owner's rename).
    const owned = (await rig.store.readFleetSources('device')).filter((d) =>
      (d.body as { ownerIds?: string[] }).ownerIds?.includes(user.id),
    );
    expect(owned.length).toBeGreaterThan(0);
    for (const d of owned) expect((d.body as { ownerUpns?: string[] }).ownerUpns).toContain(newUpn);
    // And a deleted user owns nothing any more.
    expect(
      (await rig.store.readFleetSources('device')).filter((d) =>
        (d.body as { ownerIds?: string[] }).ownerIds?.includes(deletedUser.record.user!.id),
      ),
    ).toEqual([]);
    expect(after.get(deletedUser.jamfId)?.user?.id ?? null).not.toBe(deletedUser.record.user!.id);
    expect(after.get(leaving.jamfId)?.userInConnectorGroup).toBe(false);
    expect(after.get(joining.jamfId)?.userInConnectorGroup).toBe(true);
    // Rows nobody touched were not rewritten: the incremental read brought only the changes.
    expect(outcome.changes.macsUpserted + outcome.changes.macsRemoved).toBeLessThan(20);

    // Graph: deltas only — never an initial round, never the whole `$expand` device listing: the
    // one device listing is the owners of new registrations, 15 devices a request by id.
    for (const e of graphLog.filter((x) => /^GET \/devices$/.test(x.endpoint)))
      expect(String(e.query.$filter)).toMatch(/^id in \(/);
    for (const e of graphLog.filter((x) => /delta/.test(x.endpoint)))
      expect(JSON.stringify(e.query)).toMatch(/deltatoken|skiptoken/i);
    expect(
      graphLog.some((e: GraphSimLogEntry) => e.query.$expand !== undefined && e.endpoint !== 'GET /devices'),
    ).toBe(false);
    // Jamf: inventory filtered by reportDate, plus the one-record page that gives the total.
    expect(jamfLog.length).toBeGreaterThan(0);
    for (const e of jamfLog) expect(e.query.filter?.join()).toMatch(/^general\.reportDate>=/);
    expect(jamfLog).toHaveLength(1);
    // The total moved (one Mac deleted): the cheap id listing found which one.
    expect(jamfInventory('count')).toHaveLength(1);
    expect(jamfInventory('ids').length).toBeGreaterThanOrEqual(1);

    // The renamed user's Mac is left out: the snapshot keeps its join by Jamf's registration
    // record (Jamf's compliance info names the device), which a live load reads only for Macs
    // whose name-and-owner join is ambiguous — after the rename it is not, so the live load
    // calls the Mac unregistered. The snapshot's answer is the better one.
    await expectSnapshotMatchesLive([renamedUser.jamfId]);
  });

  it('with nothing changed reads one page per source and publishes nothing new', async () => {
    const before = (await rig.store.getFleetSnapshotMeta())!.version;
    clearLogs();
    const outcome = await sync.syncNow();
    expect(outcome).toMatchObject({ ran: 'incremental', version: before });
    expect(outcome.changes.macsUpserted + outcome.changes.macsRemoved).toBe(0);
    expect(rig.demo.graph.requests.entries.filter((e) => e.endpoint === 'GET /devices')).toEqual([]);
  });
});

it('an expired delta token makes the next sync a full build, and the snapshot is right', async () => {
  const { demo } = rig;
  const rows = await publishedRows();
  const victim = rows.find((r) => r.record.entra !== null)!;
  demo.graph.expireDeltaTokens();
  demo.graph.deleteDevice(victim.record.entra!.id);
  clearLogs();
  const outcome = await sync.syncNow();
  expect(outcome).toMatchObject({ ran: 'full', reason: 'delta_expired', resumed: false });
  const after = new Map((await publishedRows()).map((r) => [r.jamfId, r.record]));
  expect(after.get(victim.jamfId)?.entra?.id ?? null).not.toBe(victim.record.entra!.id);
  await expectSnapshotMatchesLive();
  // And the sync after it is incremental again, from the new tokens.
  expect(await sync.syncNow()).toMatchObject({ ran: 'incremental' });
});

it('a 120 s Retry-After mid-build pauses the build, which then resumes without re-reading finished pages', async () => {
  const { demo } = rig;
  clearLogs();
  waits.length = 0;
  // The third Graph device page (the `$expand` listing) and the second Jamf inventory page.
  demo.graph.faults.throttleNext(1, { path: /^\/devices$/, method: 'GET', after: 2, retryAfterSeconds: 120 });
  demo.jamf.faults.throttleNext(1, { path: INVENTORY, query: { page: '1' }, retryAfterSeconds: 120 });

  const outcome = await sync.syncNow({ full: true });
  expect(outcome).toMatchObject({ ran: 'full', reason: 'requested' });
  expect(waits).toEqual([120_000, 120_000]);

  const devicePages = demo.graph.requests.entries.filter((e) => e.endpoint === 'GET /devices');
  expect(devicePages.length).toBeGreaterThanOrEqual(4);
  expect(devicePages.filter((e) => e.status === 429)).toHaveLength(1);
  const okPerPage = countBy(
    devicePages.filter((e) => e.status === 200),
    (e) => e.query.$skiptoken ?? e.query.$skipToken ?? 'first',
  );
  expect(Math.max(...okPerPage.values())).toBe(1);
  // The throttled page was the third, asked again once.
  const throttled = devicePages.findIndex((e) => e.status === 429);
  expect(devicePages.slice(0, throttled).filter((e) => e.status === 200)).toHaveLength(2);

  const jamfPages = jamfInventory();
  expect(jamfPages.filter((e) => e.status === 429).map((e) => e.query.page?.[0])).toEqual(['1']);
  const jamfOk = countBy(
    jamfPages.filter((e) => e.status === 200),
    (e) => e.query.page?.[0] ?? '?',
  );
  expect([...jamfOk.keys()].sort()).toEqual(['0', '1', '2']);
  expect(Math.max(...jamfOk.values())).toBe(1);
  await expectSnapshotMatchesLive();
});

function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const i of items) out.set(key(i), (out.get(key(i)) ?? 0) + 1);
  return out;
}
