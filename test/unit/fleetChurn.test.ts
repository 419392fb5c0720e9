import { createHash } from 'node:crypto';
import { DEFAULT_CHURN_MIX, FleetChurn, type ChurnTimers } from '../../demo/fleetChurn';
import type { GraphFleetMutations } from '../../demo/fleetMutations';
import type { DemoFleet, GraphDeviceRecord } from '../../demo/fleetTypes';
import { generateFleet } from '../../demo/generateFleet';
import { JamfFleetMutator } from '../../demo/jamfFleetMutator';
import { JamfInventoryIndex } from '../../demo/jamfInventoryIndex';
import { JamfSmartGroupStore } from '../../demo/jamfSmartGroupStore';
import { smartGroupPredicate } from '../../demo/smartGroupPredicate';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const now = () => NOW;

/** The Graph side as a plain in-memory fake over the fleet (the Graph simulator implements it for real). */
class FakeGraph implements GraphFleetMutations {
  devices = new Map<string, GraphDeviceRecord>();
  calls: string[] = [];
  constructor(private readonly fleet: DemoFleet) {}
  putDevice(d: GraphDeviceRecord) {
    this.devices.set(d.id, d);
    this.calls.push(`putDevice ${d.id}`);
  }
  deleteDevice(id: string) {
    this.devices.delete(id);
  }
  device(id: string) {
    return this.devices.get(id);
  }
  putUser() {}
  deleteUser() {}
  addGroupMember(groupId: string, memberId: string) {
    this.fleet.graph.groups.find((g) => g.id === groupId)?.memberIds.push(memberId);
    this.calls.push(`add ${groupId} ${memberId}`);
  }
  removeGroupMember(groupId: string, memberId: string) {
    const g = this.fleet.graph.groups.find((x) => x.id === groupId);
    if (g) g.memberIds = g.memberIds.filter((m) => m !== memberId);
    this.calls.push(`remove ${groupId} ${memberId}`);
  }
  expireDeltaTokens() {}
}

function rig(
  opts: { size?: number; seed?: number; perHour?: number; mix?: Partial<typeof DEFAULT_CHURN_MIX> } = {},
) {
  const fleet = generateFleet({ size: opts.size ?? 1000, seed: 7, now: NOW });
  const groups = new JamfSmartGroupStore(fleet, now);
  const jamf = new JamfFleetMutator(fleet, new JamfInventoryIndex(fleet, 2000), groups);
  const graph = new FakeGraph(fleet);
  let tick: (() => void) | null = null;
  const timers: ChurnTimers = {
    setInterval: (fn) => {
      tick = fn;
      return 1;
    },
    clearInterval: () => {
      tick = null;
    },
  };
  const churn = new FleetChurn({
    jamf,
    graph,
    fleet,
    perHour: opts.perHour ?? 0.01,
    seed: opts.seed ?? 1,
    mix: opts.mix,
    now,
    timers,
  });
  return { fleet, jamf, graph, churn, fire: () => tick?.(), running: () => tick !== null };
}

const digest = (fleet: DemoFleet) =>
  createHash('sha256')
    .update(JSON.stringify([fleet.jamf.computers, fleet.jamf.compliance, fleet.graph.groups]))
    .digest('hex');

describe('demo fleet churn', () => {
  it('applies N changes at once, split by the mix', () => {
    const { churn, fleet } = rig({ size: 2000 });
    const summary = churn.applyChanges(1000);
    expect(Object.values(summary).reduce((a, b) => a + b, 0)).toBe(1000);
    // Registrations that find no unregistered Mac become reports, so reports may run a little over.
    expect(summary.report).toBeGreaterThan(620);
    expect(summary.report).toBeLessThan(800);
    for (const kind of ['newMac', 'deletedMac', 'groupChange', 'registration'] as const) {
      expect(summary[kind]).toBeGreaterThan(DEFAULT_CHURN_MIX[kind] * 1000 * 0.5);
      expect(summary[kind]).toBeLessThan(DEFAULT_CHURN_MIX[kind] * 1000 * 1.6);
    }
    expect(fleet.jamf.computers.length).toBe(2000 + summary.newMac - summary.deletedMac);
    const reportedNow = fleet.jamf.computers.filter((c) => c.general.reportDate === '2026-03-10T12:00:00Z');
    expect(reportedNow.length).toBeGreaterThan(500);
  });

  it('is deterministic by seed', () => {
    const a = rig({ seed: 5 });
    const b = rig({ seed: 5 });
    const c = rig({ seed: 6 });
    expect(a.churn.applyChanges(300)).toEqual(b.churn.applyChanges(300));
    c.churn.applyChanges(300);
    expect(digest(a.fleet)).toBe(digest(b.fleet));
    expect(digest(a.fleet)).not.toBe(digest(c.fleet));
  });

  it('runs at the configured share per hour on its timer, carrying fractions between ticks', () => {
    const { churn, fire, running, fleet } = rig({ size: 1000, perHour: 0.01, mix: { report: 1 } });
    const before = fleet.jamf.computers.filter((c) => c.general.reportDate === '2026-03-10T12:00:00Z').length;
    churn.start();
    for (let minute = 0; minute < 60; minute++) fire();
    const changes =
      fleet.jamf.computers.filter((c) => c.general.reportDate === '2026-03-10T12:00:00Z').length - before;
    // 1 % of 1,000 an hour = 10 reports (a Mac reporting twice counts once).
    expect(changes).toBeGreaterThanOrEqual(9);
    expect(changes).toBeLessThanOrEqual(10);
    expect(churn.tick(60_000)).toEqual({
      report: 0,
      registration: 0,
      newMac: 0,
      deletedMac: 0,
      groupChange: 0,
    });
    churn.stop();
    expect(running()).toBe(false);
  });

  it('does nothing at 0 per hour', () => {
    const { churn, running } = rig({ perHour: 0 });
    churn.start();
    expect(running()).toBe(false);
    expect(() => rig({ perHour: 2 })).toThrow(/0\.\.1/);
  });

  it('registers Macs: an Entra device owned by the Mac’s user, named in Jamf’s compliance record', () => {
    const { churn, fleet, graph } = rig({ mix: { registration: 1 } });
    const summary = churn.applyChanges(20);
    expect(summary.registration).toBeGreaterThan(10);
    const users = new Map(fleet.graph.users.map((u) => [u.id, u]));
    for (const d of graph.devices.values()) {
      const [ownerId] = d.registeredOwnerIds;
      const owner = users.get(ownerId ?? '');
      expect(owner).toBeDefined();
      const mac = fleet.jamf.computers.find((c) =>
        fleet.jamf.compliance[c.id]?.[0]?.complianceVendorDeviceInformation.deviceIds.includes(d.deviceId),
      );
      expect(mac?.userAndLocation.email).toBe(owner?.userPrincipalName);
      expect(mac?.general.reportDate).toBe('2026-03-10T12:00:00Z');
    }
  });

  it('keeps smart group memberships right as reports install Company Portal and change FileVault', () => {
    const { churn, fleet } = rig({ size: 600, mix: { report: 0.8, newMac: 0.2 } });
    churn.applyChanges(600);
    for (const g of fleet.jamf.smartGroups) {
      const isMember = smartGroupPredicate(g.criteria, NOW);
      const expected = fleet.jamf.computers.filter(isMember).map((c) => c.id);
      expect([...g.members].sort()).toEqual(expected.sort());
      for (const c of fleet.jamf.computers) {
        expect(c.groupMemberships.some((m) => m.groupId === g.id)).toBe(isMember(c));
      }
    }
  });

  it('changes connector-group membership through the Graph mutations', () => {
    const { churn, graph } = rig({ mix: { groupChange: 1 } });
    expect(churn.applyChanges(15).groupChange).toBe(15);
    expect(graph.calls.filter((c) => c.startsWith('add ') || c.startsWith('remove '))).toHaveLength(15);
  });
});
