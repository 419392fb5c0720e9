import type { FleetMembership } from '../../src/compliance/fleetSnapshotTypes';
import type { EntraDevice, EntraUser, JamfComplianceInfo, JamfComputer } from '../../src/compliance/types';
import { changeComponent } from '../../src/fleet/changeComponent';
import { FleetSourceSet } from '../../src/fleet/fleetSourceSet';
import { joinSnapshot, parseJoin } from '../../src/fleet/joinSnapshot';
import { publishedRowsOf, type PublishedRows } from '../../src/fleet/publishedRows';
import { membershipKey } from '../../src/fleet/readGroupMemberships';
import { rejoinChanged } from '../../src/fleet/rejoinChanged';
import { entraDevice, entraUser, jamfComputer } from './complianceFixtures';

const APPLICABLE = 'Applicable Macs';
const NO_JOINS = { joins: new Map<string, string>(), claims: new Map<string, string>() };
const CONNECTOR_GROUPS = ['g-connector', 'g-extra'];

/** mulberry32: a small seeded generator, so a failure replays. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fleet built to collide: shared default names, look-alike spellings, re-registrations, foreign device ids. */
function fleetGenerator(seed: number) {
  const r = rng(seed);
  const int = (n: number): number => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const chance = (p: number): boolean => r() < p;
  const NAMES = [
    'MacBook Pro',
    'macbook  pro',
    'MacBook Air',
    'Alex’s MacBook Pro',
    "Alex's MacBook Pro",
    'iMac',
    '',
    'Studio',
  ];
  const TIMES = ['2025-01-01T00:00:00Z', '2025-03-01T00:00:00Z', '2025-06-01T00:00:00Z', null];
  let next = 0;
  const fresh = (): number => ++next;
  const users: string[] = [];
  const deviceIds: string[] = [];
  /** Jamf id → the deviceId of a registration made under the Mac's name. */
  const ownDevices = new Map<string, string>();

  /** Mostly a name of its own; some default names thousands of Macs share, some look-alikes. */
  const name = (): string => (chance(0.15) ? pick(NAMES) : `Mac ${int(3000)}`);
  const upnOf = (n: number): string => `user${n}@contoso.com`;
  const user = (id = `u-${fresh()}`): EntraUser => {
    const n = int(250);
    return entraUser({
      id,
      userPrincipalName: chance(0.1) ? upnOf(n).toUpperCase() : upnOf(n),
      mail: chance(0.3) ? null : chance(0.3) ? `alias${int(250)}@contoso.com` : upnOf(n),
      displayName: null,
    });
  };
  const computer = (id: string): JamfComputer =>
    jamfComputer({
      id,
      name: name(),
      email: chance(0.2) ? null : chance(0.2) ? `alias${int(250)}@contoso.com` : upnOf(int(250)),
      username: chance(0.3) ? null : chance(0.5) ? `user${int(250)}` : upnOf(int(250)),
      groups: chance(0.8) ? [{ groupId: '1', groupName: APPLICABLE, smartGroup: true }] : [],
      osVersion: pick(['14.7', '15.3.1']),
      reportDate: '2025-06-01T00:00:00Z',
      lastContact: '2025-06-01T00:00:00Z',
    });
  const device = (id = `obj-${fresh()}`, displayName = name()): EntraDevice => {
    const deviceId = chance(0.05) && deviceIds.length > 0 ? pick(deviceIds) : `dev-${fresh()}`;
    deviceIds.push(deviceId);
    return entraDevice({
      id,
      deviceId: chance(0.1) ? deviceId.toUpperCase() : deviceId,
      displayName,
      registrationDateTime: pick(TIMES),
      approximateLastSignInDateTime: null,
      ownerUpns: chance(0.2) ? [] : [upnOf(int(250))],
      ownerIds: chance(0.3) && users.length > 0 ? [pick(users)] : [],
      isCompliant: chance(0.5),
    });
  };
  const compliance = (computerId: string): JamfComplianceInfo => ({
    computerId,
    applicable: true,
    complianceState: pick(['COMPLIANT', 'NON_COMPLIANT', 'UNKNOWN'] as const),
    // Mostly the Mac's own registration (same name), sometimes another-named device, sometimes gone.
    entraDeviceIds: Array.from({ length: int(3) }, () => {
      const own = ownDevices.get(computerId);
      return own && chance(0.7)
        ? own
        : chance(0.2) && deviceIds.length > 0
          ? pick(deviceIds)
          : `gone-${fresh()}`;
    }),
  });
  const membership = (): FleetMembership =>
    chance(0.15)
      ? { groupId: pick(CONNECTOR_GROUPS), memberId: pick(['g-nested', 'g-other']), memberType: 'group' }
      : {
          groupId: pick([...CONNECTOR_GROUPS, 'g-nested', 'g-other']),
          memberId: users.length > 0 && chance(0.8) ? pick(users) : upnOf(int(250)),
          memberType: 'user',
        };
  const jamfId = (): string => String(int(5000));
  /** A registration of this Mac in Entra (the same name, maybe spelled another way). */
  const registration = (c: JamfComputer): EntraDevice => {
    const d = device(undefined, chance(0.8) ? c.name : name());
    ownDevices.set(c.id, d.deviceId.toLowerCase());
    return d;
  };
  return { int, pick, chance, user, computer, device, registration, compliance, membership, jamfId, users };
}

type Gen = ReturnType<typeof fleetGenerator>;

function initialFleet(g: Gen, macs: number): FleetSourceSet {
  const users = Array.from({ length: 300 }, () => g.user());
  g.users.push(...users.map((u) => u.id));
  const computers = new Map<string, JamfComputer>();
  while (computers.size < macs) {
    const id = g.jamfId();
    computers.set(id, g.computer(id));
  }
  const devices: EntraDevice[] = [];
  for (const c of computers.values()) {
    if (g.chance(0.8)) devices.push(g.registration(c));
    if (g.chance(0.1)) devices.push(g.registration(c)); // registered twice
    if (g.chance(0.1)) devices.push(g.device());
  }
  const compliance = [...computers.keys()].filter(() => g.chance(0.5)).map((id) => g.compliance(id));
  const memberships = new Map<string, FleetMembership>();
  for (let i = 0; i < 400; i++) {
    const m = g.membership();
    memberships.set(membershipKey(m), m);
  }
  return FleetSourceSet.of({
    computers: [...computers.values()],
    devices,
    users,
    memberships: [...memberships.values()],
    compliance,
  });
}

/** One random change of a random kind, through the set's own upsert and remove. */
function randomChange(g: Gen, sources: FleetSourceSet): void {
  const someId = (kind: 'computer' | 'device' | 'user' | 'membership' | 'compliance'): string | undefined => {
    const ids = [...sources.ids(kind)];
    return ids.length > 0 ? g.pick(ids) : undefined;
  };
  switch (g.int(14)) {
    case 12:
    case 13:
      return factsChange(g, sources, someId);
    case 0: {
      const id = g.jamfId(); // new or replaced Mac, maybe registered
      const c = g.computer(id);
      sources.upsert('computer', id, c);
      if (g.chance(0.7)) {
        const d = g.registration(c);
        sources.upsert('device', d.id, d);
      }
      return;
    }
    case 1: {
      const id = someId('computer');
      const c = id && sources.get('computer', id);
      if (c) sources.upsert('computer', c.id, { ...c, name: g.computer(c.id).name });
      return;
    }
    case 2: {
      const id = someId('computer');
      const c = id && sources.get('computer', id);
      if (!c) return;
      const other = g.computer(c.id);
      sources.upsert(
        'computer',
        c.id,
        g.chance(0.5) ? { ...c, email: other.email } : { ...c, groups: other.groups },
      );
      return;
    }
    case 3: {
      const id = someId('computer');
      if (!id) return;
      sources.remove('computer', id);
      sources.remove('compliance', id);
      return;
    }
    case 4: {
      const id = someId('device');
      const d = id && sources.get('device', id);
      if (!d) return;
      const other = g.device(d.id);
      sources.upsert(
        'device',
        d.id,
        g.chance(0.5)
          ? { ...d, displayName: other.displayName }
          : { ...d, ownerUpns: other.ownerUpns, registrationDateTime: other.registrationDateTime },
      );
      return;
    }
    case 5: {
      const id = someId('computer');
      const c = id && sources.get('computer', id);
      if (c && g.chance(0.5)) {
        const d = g.registration(c);
        sources.upsert('device', d.id, d); // a re-registration: a new record, maybe the same name
      } else {
        const id = someId('device');
        const d = id && sources.get('device', id);
        if (!d) return;
        sources.remove('device', d.id);
        if (g.chance(0.3)) sources.upsert('device', d.id, d); // back at the end of the order
      }
      return;
    }
    case 6: {
      const id = someId('user');
      const u = id && sources.get('user', id);
      if (!u) return;
      const other = g.user(u.id);
      sources.upsert(
        'user',
        u.id,
        g.chance(0.5) ? { ...u, userPrincipalName: other.userPrincipalName } : { ...u, mail: other.mail },
      );
      return;
    }
    case 7: {
      if (g.chance(0.5)) {
        const u = g.user();
        g.users.push(u.id);
        sources.upsert('user', u.id, u);
      } else {
        const id = someId('user');
        if (id) sources.remove('user', id);
      }
      return;
    }
    case 8: {
      const m = g.membership();
      sources.upsert('membership', membershipKey(m), m);
      return;
    }
    case 9: {
      const id = someId('membership');
      if (id) sources.remove('membership', id);
      return;
    }
    case 10: {
      const id = someId('computer');
      if (id) sources.upsert('compliance', id, g.compliance(id));
      return;
    }
    default: {
      const id = someId('compliance');
      if (id) sources.remove('compliance', id);
    }
  }
}

/** A hash map as sorted `id hash` lines: cheap to compare, readable in a failure. */
const lines = (entries: Iterable<[string, string]>): string[] =>
  [...entries].map(([id, h]) => `${id} ${h}`).sort();

/** A change no join reads (inventory, compliance state, sign-in, display name): records only. */
function factsChange(
  g: Gen,
  sources: FleetSourceSet,
  someId: (kind: 'computer' | 'device' | 'user' | 'compliance') => string | undefined,
): void {
  const kind = g.pick(['computer', 'device', 'user', 'compliance'] as const);
  const id = someId(kind);
  if (id === undefined) return;
  const stamp = String(g.int(1000));
  if (kind === 'computer') {
    const c = sources.get('computer', id);
    if (c) sources.upsert('computer', id, { ...c, osVersion: stamp });
  } else if (kind === 'device') {
    const d = sources.get('device', id);
    if (d)
      sources.upsert('device', id, {
        ...d,
        isCompliant: !d.isCompliant,
        approximateLastSignInDateTime: stamp,
      });
  } else if (kind === 'user') {
    const u = sources.get('user', id);
    if (u) sources.upsert('user', id, { ...u, displayName: stamp });
  } else {
    const info = sources.get('compliance', id);
    if (info)
      sources.upsert('compliance', id, {
        ...info,
        complianceState: g.pick(['COMPLIANT', 'NON_COMPLIANT'] as const),
      });
  }
}

const wholeJoin = (sources: FleetSourceSet) =>
  joinSnapshot(
    {
      computers: sources.values('computer'),
      devices: sources.values('device'),
      users: sources.values('user'),
      memberships: sources.values('membership'),
      compliance: sources.values('compliance'),
    },
    { applicableGroup: APPLICABLE, connectorGroupIds: CONNECTOR_GROUPS },
  );

describe('rejoinChanged', () => {
  it.each([1, 2])(
    'gives the rows, hashes, joins and notApplicable of a whole-fleet join after every batch (seed %i)',
    (seed) => {
      const g = fleetGenerator(seed);
      const sources = initialFleet(g, 1_500);
      const first = wholeJoin(sources);
      const published: PublishedRows = publishedRowsOf(first, sources.values('membership'), CONNECTOR_GROUPS);
      /** What the store would hold after applying each batch's writes. */
      const stored = new Map(first.rows.map((r) => [r.jamfId, r.hash]));
      let reached = 0;
      let rejoined = 0;
      for (let batch = 0; batch < 60; batch++) {
        const size = 1 + g.int(batch % 10 === 0 ? 60 : 6);
        for (let i = 0; i < size; i++) randomChange(g, sources);
        const changeComponentSize = changeComponent(sources, sources.pending(), published).macs.size;
        const result = rejoinChanged(sources, published, { applicableGroup: APPLICABLE });
        sources.settle();
        for (const id of result.removeMacs) stored.delete(id);
        for (const row of result.upsertMacs) stored.set(row.jamfId, row.hash);
        reached += result.upsertMacs.length + result.removeMacs.length;

        const whole = wholeJoin(sources);
        const expected = lines(whole.rows.map((r) => [r.jamfId, r.hash]));
        expect(lines(published.hashes)).toEqual(expected);
        expect(lines(stored)).toEqual(expected);
        expect(result.notApplicable).toBe(whole.notApplicable);
        expect(lines(published.joins)).toEqual(lines(whole.joins));
        expect(lines(published.claims)).toEqual(
          lines([...whole.joins].map(([id, join]) => [parseJoin(join).deviceObjectId, id])),
        );
        const records = new Map(whole.rows.map((r) => [r.jamfId, r.record]));
        for (const row of result.upsertMacs) expect(row.record).toEqual(records.get(row.jamfId));
        rejoined += changeComponentSize;
      }
      expect(reached).toBeGreaterThan(0);
      // The point of it: a batch re-joins a small part of the fleet, not all of it.
      expect(rejoined / 60).toBeLessThan(sources.count('computer') / 4);
    },
  );

  it('re-joins a change to a Mac with a name of its own, and nothing else; a rename reaches the name', () => {
    const sources = FleetSourceSet.of({
      computers: [
        jamfComputer({ id: '1', name: 'Solo', email: 'a@contoso.com' }),
        jamfComputer({ id: '2', name: 'MacBook Pro', email: 'b@contoso.com' }),
        jamfComputer({ id: '3', name: 'MacBook Pro', email: 'c@contoso.com' }),
      ],
      devices: [
        entraDevice({ id: 'obj-1', deviceId: 'dev-1', displayName: 'Solo' }),
        entraDevice({ id: 'obj-2', deviceId: 'dev-2', displayName: 'MacBook Pro' }),
      ],
      users: [],
      memberships: [],
      compliance: [],
    });
    sources.upsert(
      'computer',
      '1',
      jamfComputer({ id: '1', name: 'Solo', email: 'a@contoso.com', osVersion: '9' }),
    );
    // An inventory update: the Mac's record only, its join kept.
    expect(changeComponent(sources, sources.pending(), NO_JOINS)).toEqual({
      macs: new Set(),
      devices: new Set(),
      recordOnly: new Set(['1']),
    });
    sources.settle();
    sources.upsert(
      'device',
      'obj-1',
      entraDevice({ id: 'obj-1', deviceId: 'dev-1', displayName: 'MacBook Pro' }),
    );
    expect(changeComponent(sources, sources.pending(), NO_JOINS)).toEqual({
      macs: new Set(['1', '2', '3']),
      devices: new Set(['obj-1', 'obj-2']),
      recordOnly: new Set(),
    });
  });
});
