/**
 * The Graph side of the fleet snapshot over the real simulator on loopback: delta rounds for
 * devices, users and group memberships (changes made through the simulator's mutation API show
 * in the next round, exactly, with `@removed`), `$deltatoken=latest`, an expired token as `gone`,
 * `$expand` paging by 100, owners by `$batch`, and a 120 s `Retry-After` surfacing as `throttled`
 * with `retryAfterMs` instead of a two-minute wait.
 */
import type { GraphDeviceRecord } from '../../demo/fleetTypes';
import { DELTA_PAGE_SIZE } from '../../demo/graphSimDelta';
import { UpstreamError } from '../../src/errors';
import type { GraphClient } from '../../src/upstream/graph/graphClient';
import { graphPermissionFor } from '../../src/upstream/graph/graphPermissions';
import type { GraphDeltaPage, GraphDeltaStart } from '../../src/upstream/graph/graphDeltaTypes';
import { CONNECTOR_GROUP_ID, PARENT_GROUP_ID } from './graphTestFleet';
import { startGraphHarness, type GraphHarness } from './graphTestHarness';

const EXTRA_MACS = 450;
let h: GraphHarness;
let client: GraphClient;
beforeAll(async () => {
  h = await startGraphHarness({ extraMacs: EXTRA_MACS });
  client = h.client();
});
afterAll(() => h.close());

/** Reads a whole round: every page until the deltaLink. */
async function round<T>(
  read: (start: GraphDeltaStart) => Promise<GraphDeltaPage<T>>,
  start: GraphDeltaStart,
): Promise<{ items: T[]; removed: string[]; deltaLink: string; pages: number }> {
  const items: T[] = [];
  const removed: string[] = [];
  let page = await read(start);
  let pages = 1;
  for (;;) {
    items.push(...page.items);
    removed.push(...page.removed);
    if (page.deltaLink !== null) return { items, removed, deltaLink: page.deltaLink, pages };
    page = await read({ link: page.nextLink! });
    pages++;
  }
}

const newMac = (n: number): GraphDeviceRecord => ({
  ...h.fleet.graph.devices[0]!,
  id: `dddddddd-0000-4000-8000-${String(n).padStart(12, '0')}`,
  deviceId: `eeeeeeee-0000-4000-8000-${String(n).padStart(12, '0')}`,
  displayName: `New Mac ${n}`,
  registeredOwnerIds: [h.fleet.graph.users[0]!.id],
});

describe('devices/delta', () => {
  it('pages the initial round, then returns exactly what changed, removals with @removed', async () => {
    const all = h.fleet.graph.devices.length;
    const first = await round((s) => client.deviceDeltaPage(s), { round: 'initial' });
    expect(first.items).toHaveLength(all);
    expect(first.pages).toBe(Math.ceil(all / DELTA_PAGE_SIZE));
    expect(first.removed).toEqual([]);
    expect(first.items[0]).toMatchObject({ id: h.fleet.graph.devices[0]!.id, deviceId: expect.any(String) });

    const quiet = await round((s) => client.deviceDeltaPage(s), { link: first.deltaLink });
    expect(quiet).toMatchObject({ items: [], removed: [], pages: 1 });

    const changed = h.sim.device(h.fleet.graph.devices[1]!.id)!;
    h.sim.putDevice({ ...changed, isCompliant: !changed.isCompliant });
    h.sim.putDevice(newMac(1));
    const gone = h.fleet.graph.devices[2]!.id;
    h.sim.deleteDevice(gone);
    const next = await round((s) => client.deviceDeltaPage(s), { link: quiet.deltaLink });
    expect(next.items.map((d) => d.id).sort()).toEqual([changed.id, newMac(1).id].sort());
    expect(next.items.find((d) => d.id === changed.id)!.isCompliant).toBe(!changed.isCompliant);
    expect(next.removed).toEqual([gone]);
  });

  it('sees a change made to the shared fleet directly, and says why an object was removed', async () => {
    const start = await round((s) => client.deviceDeltaPage(s), { round: 'latest' });
    expect(start).toMatchObject({ items: [], removed: [], pages: 1 });
    h.fleet.graph.devices[3]!.operatingSystemVersion = '99.0';
    h.sim.deleteDevice(h.fleet.graph.devices[4]!.id);
    const token = new URL(start.deltaLink).searchParams.get('$deltatoken')!;
    const raw = await h.raw(`/devices/delta?$deltatoken=${token}`, {
      headers: { authorization: `Bearer ${await h.token()}` },
    });
    expect(raw.status).toBe(200);
    expect(raw.body.value).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: h.fleet.graph.devices[3]!.id, operatingSystemVersion: '99.0' }),
        { id: expect.any(String), '@removed': { reason: 'deleted' } },
      ]),
    );
    expect(raw.body['@odata.deltaLink']).toContain('$deltatoken=');
  });

  it('refuses an expired token: syncStateNotFound on the wire, gone from the client', async () => {
    const start = await client.deviceDeltaPage({ round: 'latest' });
    h.sim.expireDeltaTokens();
    const raw = await h.raw(start.deltaLink!, { headers: { authorization: `Bearer ${await h.token()}` } });
    expect(raw.status).toBe(400);
    expect(raw.body.error.code).toBe('syncStateNotFound');
    await expect(client.deviceDeltaPage({ link: start.deltaLink! })).rejects.toMatchObject({
      code: 'gone',
      service: 'graph',
    });
  });

  it('answers gone for a stored link from another Graph host (the bot was pointed elsewhere)', async () => {
    const foreign = 'https://graph.other.example/v1.0/devices/delta?$deltatoken=abc';
    await expect(client.deviceDeltaPage({ link: foreign })).rejects.toMatchObject({ code: 'gone' });
    await expect(
      client.macDevicesWithOwnersPage('https://graph.other.example/v1.0/devices?$skiptoken=x'),
    ).rejects.toMatchObject({ code: 'gone' });
  });

  it('refuses what directory delta does not support', async () => {
    const auth = { authorization: `Bearer ${await h.token()}` };
    expect((await h.raw('/devices/delta?$expand=registeredOwners', { headers: auth })).status).toBe(400);
    expect(
      (await h.raw(`/devices/delta?$filter=${encodeURIComponent("displayName eq 'x'")}`, { headers: auth }))
        .status,
    ).toBe(400);
    const one = h.fleet.graph.devices[5]!.id;
    const scoped = await h.raw(
      `/devices/delta?$select=id,displayName&$filter=${encodeURIComponent(`id eq '${one}'`)}`,
      {
        headers: auth,
      },
    );
    expect(scoped.body.value).toEqual([{ id: one, displayName: h.fleet.graph.devices[5]!.displayName }]);
  });
});

describe('users/delta', () => {
  it('reports added, changed and deleted users (a deleted user is restorable: reason changed)', async () => {
    const first = await round((s) => client.userDeltaPage(s), { round: 'initial' });
    expect(first.items.map((u) => u.id).sort()).toEqual(h.fleet.graph.users.map((u) => u.id).sort());
    const [a, b] = h.fleet.graph.users;
    h.sim.putUser({ ...a!, displayName: 'Renamed' });
    h.sim.putUser({
      ...a!,
      id: 'aaaaaaaa-0000-4000-8000-000000000001',
      userPrincipalName: 'new@contoso.example',
    });
    h.sim.deleteUser(b!.id);
    const token = new URL(first.deltaLink).searchParams.get('$deltatoken')!;
    const raw = await h.raw(`/users/delta?$deltatoken=${token}`, {
      headers: { authorization: `Bearer ${await h.token()}` },
    });
    expect(raw.body.value).toContainEqual({ id: b!.id, '@removed': { reason: 'changed' } });
    const next = await round((s) => client.userDeltaPage(s), { link: first.deltaLink });
    expect(next.items.map((u) => [u.id, u.displayName]).sort()).toEqual(
      [
        [a!.id, 'Renamed'],
        ['aaaaaaaa-0000-4000-8000-000000000001', a!.displayName],
      ].sort(),
    );
    expect(next.removed).toEqual([b!.id]);
  });
});

describe('groups/delta?$select=members', () => {
  it('lists every member first, then members added and removed', async () => {
    const ids = [CONNECTOR_GROUP_ID, PARENT_GROUP_ID];
    const first = await round(
      (s) =>
        'link' in s
          ? client.groupMembersDeltaPage(s)
          : client.groupMembersDeltaPage({ round: 'initial', groupIds: ids }),
      { round: 'initial' },
    );
    const connector = h.fleet.graph.groups.find((g) => g.id === CONNECTOR_GROUP_ID)!;
    const got = first.items.find((g) => g.groupId === CONNECTOR_GROUP_ID)!;
    expect(got.added.map((m) => m.id).sort()).toEqual([...connector.memberIds].sort());
    expect(got.added.every((m) => m.type === 'user')).toBe(true);
    expect(first.items.find((g) => g.groupId === PARENT_GROUP_ID)!.added).toContainEqual({
      id: expect.any(String),
      type: 'group',
    });

    const leaving = connector.memberIds[0]!;
    const joining = h.fleet.graph.users.find((u) => !connector.memberIds.includes(u.id))!.id;
    h.sim.removeGroupMember(CONNECTOR_GROUP_ID, leaving);
    h.sim.addGroupMember(CONNECTOR_GROUP_ID, joining);
    const next = await round((s) => client.groupMembersDeltaPage(s as { link: string }), {
      link: first.deltaLink,
    });
    expect(next.items).toEqual([
      {
        groupId: CONNECTOR_GROUP_ID,
        added: [{ id: joining, type: 'user' }],
        removed: [leaving],
        groupRemoved: false,
      },
    ]);
    expect(next.removed).toEqual([]);
  });
});

describe('$expand on directory objects pages by 100', () => {
  it('serves 100 a page with $top=999, and the client follows nextLink', async () => {
    const macs = h.fleet.graph.devices.filter((d) => d.operatingSystem === 'macOS').length;
    expect(macs).toBeGreaterThan(100);
    const page = await client.macDevicesWithOwnersPage(null);
    expect(page.items).toHaveLength(100);
    expect(page.nextLink).toContain('$top=999');
    expect(page.items[0]!.ownerIds).toBeDefined();
    expect(await client.listMacDevices({ expandOwners: true })).toHaveLength(macs);
    const plain = await h.raw(`/devices?$top=999`, {
      headers: { authorization: `Bearer ${await h.token()}` },
    });
    expect(plain.body.value.length).toBe(Math.min(999, h.fleet.graph.devices.length));
  });
});

describe('getDeviceOwners', () => {
  it('lists the devices 15 at a time with owners expanded, and leaves out devices Entra no longer has', async () => {
    const devices = h.fleet.graph.devices.slice(0, 25);
    const before = h.sim.requests.entries.length;
    const owners = await client.getDeviceOwners([
      ...devices.map((d) => d.id),
      '00000000-0000-4000-8000-000000000404',
    ]);
    const made = h.sim.requests.entries.slice(before);
    // 26 ids: two listings (15 + 11), sent together as one $batch.
    expect(made.filter((e) => e.endpoint === 'POST /$batch')).toHaveLength(1);
    expect(made.filter((e) => e.endpoint === 'GET /devices')).toHaveLength(2);
    expect(made.some((e) => e.endpoint.includes('registeredOwners'))).toBe(false);
    expect(owners.size).toBe(25);
    const owned = devices.find((d) => d.registeredOwnerIds.length > 0)!;
    expect(owners.get(owned.id)!.ids).toEqual(owned.registeredOwnerIds);
    const unowned = devices.find((d) => d.registeredOwnerIds.length === 0);
    if (unowned) expect(owners.get(unowned.id)).toEqual({ ids: [], upns: [] });
  });

  it('is refused by the simulator, as by Graph, with more than 15 values in one in (…)', async () => {
    const ids = h.fleet.graph.devices.slice(0, 16).map((d) => `'${d.id}'`);
    const res = await h.raw(`/devices?$filter=${encodeURIComponent(`id in (${ids.join(',')})`)}`, {
      headers: { authorization: `Bearer ${await h.token()}` },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('Request_UnsupportedQuery');
  });
});

describe('a long Retry-After', () => {
  it('surfaces as throttled with retryAfterMs 120000 on the page it hit, without waiting', async () => {
    const first = await client.deviceDeltaPage({ round: 'initial' });
    h.sim.faults.throttleNext(1, { path: '/devices/delta', retryAfterSeconds: 120 });
    const started = Date.now();
    const err = await client.deviceDeltaPage({ link: first.nextLink! }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ code: 'throttled', retryAfterMs: 120_000, status: 429 });
    // The same page again, as the sync does after its pause: it is still there.
    const again = await client.deviceDeltaPage({ link: first.nextLink! });
    expect(again.items.length).toBeGreaterThan(0);
  });

  it('can hit the Nth request of a listing (the third page)', async () => {
    h.sim.faults.throttleNext(1, { path: '/devices', after: 2, retryAfterSeconds: 120 });
    let link: string | null = null;
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      try {
        const p = await client.macDevicesWithOwnersPage(link);
        seen.push(p.items.length);
        link = p.nextLink;
      } catch (e) {
        expect(e).toMatchObject({ code: 'throttled', retryAfterMs: 120_000 });
        seen.push(-1);
      }
    }
    expect(seen).toEqual([100, 100, -1]);
  });
});

describe('more of Graph delta', () => {
  it('reports a deleted group both ways: in removed, and as an item with groupRemoved', async () => {
    const doomed = h.fleet.graph.groups.find((g) => g.id === PARENT_GROUP_ID)!;
    const first = await client.groupMembersDeltaPage({ round: 'initial', groupIds: [doomed.id] });
    h.fleet.graph.groups = h.fleet.graph.groups.filter((g) => g.id !== doomed.id);
    try {
      const next = await client.groupMembersDeltaPage({ link: first.deltaLink! });
      expect(next.removed).toEqual([doomed.id]);
      expect(next.items).toEqual([{ groupId: doomed.id, added: [], removed: [], groupRemoved: true }]);
    } finally {
      h.fleet.graph.groups = [...h.fleet.graph.groups, doomed];
    }
  });

  it('refuses a nextLink of a round it no longer keeps (gone), and a token of another collection', async () => {
    const first = await client.deviceDeltaPage({ round: 'initial' });
    const users = await client.userDeltaPage({ round: 'latest' });
    const foreign = users.deltaLink!.replace('/users/delta', '/devices/delta');
    await expect(client.deviceDeltaPage({ link: foreign })).rejects.toMatchObject({ code: 'gone' });
    h.sim.expireDeltaTokens();
    await expect(client.deviceDeltaPage({ link: first.nextLink! })).rejects.toMatchObject({ code: 'gone' });
  });

  it('needs Device.Read.All, User.Read.All and GroupMember.Read.All (or what Microsoft lists above them)', async () => {
    const granted = h.fleet.graph.grantedPermissions;
    const auth = async () => ({ authorization: `Bearer ${await h.token()}` });
    try {
      h.fleet.graph.grantedPermissions = ['User.Read.All', 'Group.Read.All'];
      expect((await h.raw('/devices/delta', { headers: await auth() })).status).toBe(403);
      expect((await h.raw('/users/delta?$deltatoken=latest', { headers: await auth() })).status).toBe(200);
      expect((await h.raw('/groups/delta?$deltatoken=latest', { headers: await auth() })).status).toBe(200);
      h.fleet.graph.grantedPermissions = ['Device.Read.All'];
      expect((await h.raw('/devices/delta?$deltatoken=latest', { headers: await auth() })).status).toBe(200);
      expect((await h.raw('/groups/delta', { headers: await auth() })).status).toBe(403);
    } finally {
      h.fleet.graph.grantedPermissions = granted;
    }
    expect(graphPermissionFor('GET', '/devices/delta')?.route).toBe('/devices/delta');
    expect(graphPermissionFor('GET', '/groups/delta')?.permission).toBe('GroupMember.Read.All');
    expect(graphPermissionFor('GET', '/users/delta')?.permission).toBe('User.Read.All');
  });

  it('a batched owner read throttled for 120 s throws throttled with retryAfterMs, without waiting', async () => {
    const id = h.fleet.graph.devices[6]!.id;
    h.sim.faults.throttleNext(1, { target: 'batchItem', path: '/devices', retryAfterSeconds: 120 });
    const started = Date.now();
    const err = await client.getDeviceOwners([id, h.fleet.graph.devices[7]!.id]).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err).toMatchObject({ code: 'throttled', retryAfterMs: 120_000 });
  });
});
