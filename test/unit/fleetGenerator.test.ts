import { DEFAULT_CRITERIA } from '../../src/compliance/defaultCriteria';
import { diagnoseMac } from '../../src/compliance/diagnoseMac';
import { joinFleet } from '../../src/compliance/joinFleet';
import type { EntraDevice } from '../../src/compliance/types';
import { DEMO_PEOPLE, type DemoMacState } from '../../demo/demoIdentities';
import { DEMO_FLEET_IDS, DEMO_JAMF_GROUP_NAMES } from '../../demo/demoFleetIds';
import { generateFleet, VERDICT_SHARES, type GeneratedFleet } from '../../demo/generateFleet';
import { smartGroupPredicate } from '../../demo/smartGroupPredicate';
import { computerWire, complianceWire } from '../../src/upstream/jamf/jamfWire';
import { mapComplianceInfo } from '../../src/upstream/jamf/mapComplianceInfo';
import { mapJamfComputer } from '../../src/upstream/jamf/mapJamfComputer';
import { validateJamfSchema } from '../helpers/contracts';

const NOW = new Date('2025-03-10T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const fleet = generateFleet({ size: 500, seed: 42, now: NOW });
const byId = new Map(fleet.jamf.computers.map((c) => [c.id, c]));
const age = (iso: string | null | undefined) => NOW.getTime() - Date.parse(iso ?? '');
const inGroup = (id: string, groupId: string) =>
  byId.get(id)?.groupMemberships.some((g) => g.groupId === groupId) ?? false;
const entraFor = (f: GeneratedFleet, id: string) => {
  const deviceId = f.jamf.compliance[id]?.[0]?.complianceVendorDeviceInformation.deviceIds[0];
  return f.graph.devices.find((d) => d.deviceId === deviceId) ?? null;
};
const countVerdicts = (f: GeneratedFleet) => {
  const counts: Partial<Record<DemoMacState, number>> = {};
  for (const v of Object.values(f.intendedVerdicts)) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
};

describe('generateFleet: shape and determinism', () => {
  it('is deterministic for a seed and `now`, and different for another seed', () => {
    const again = generateFleet({ size: 500, seed: 42, now: NOW });
    expect(JSON.stringify(again)).toBe(JSON.stringify(fleet));
    const other = generateFleet({ size: 500, seed: 7, now: NOW });
    expect(JSON.stringify(other.jamf.computers)).not.toBe(JSON.stringify(fleet.jamf.computers));
  });

  it('makes `size` Macs, never fewer than the named people and edge cases', () => {
    expect(fleet.jamf.computers).toHaveLength(500);
    expect(Object.keys(fleet.intendedVerdicts)).toHaveLength(500);
    const tiny = generateFleet({ size: 1, now: NOW });
    expect(tiny.jamf.computers.length).toBeGreaterThanOrEqual(DEMO_PEOPLE.flatMap((p) => p.macs).length);
    expect(new Set(Object.values(tiny.intendedVerdicts)).size).toBe(Object.keys(VERDICT_SHARES).length);
  });

  it('gives unique ids, serials and UDIDs; dates in whole seconds', () => {
    const cs = fleet.jamf.computers;
    expect(new Set(cs.map((c) => c.id)).size).toBe(cs.length);
    expect(new Set(cs.map((c) => c.hardware.serialNumber)).size).toBe(cs.length);
    expect(new Set(cs.map((c) => c.udid)).size).toBe(cs.length);
    for (const c of cs) expect(c.general.reportDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(fleet.generatedAt).toBe('2025-03-10T12:00:00Z');
  });

  it.each([500, 5000])('hits the verdict proportions at %i Macs', (size) => {
    const f = size === 500 ? fleet : generateFleet({ size, now: NOW });
    const counts = countVerdicts(f);
    for (const [v, share] of Object.entries(VERDICT_SHARES)) {
      expect(Math.abs((counts[v as DemoMacState] ?? 0) - share * size)).toBeLessThanOrEqual(1);
    }
  });

  // Not a benchmark: a guard against a size-quadratic slip. Ten times the Macs must cost about ten
  // times the time (quadratic would be ~100×); a ratio, not a time, so a busy machine does not fail it.
  it('generates 50,000 Macs in time linear in the size', () => {
    const time = (size: number) => {
      const started = performance.now();
      const fleet = generateFleet({ size, now: NOW });
      return { ms: performance.now() - started, computers: fleet.jamf.computers.length };
    };
    const small = [time(5_000), time(5_000)];
    const big = time(50_000);
    expect(big.computers).toBe(50_000);
    expect(big.ms / Math.min(...small.map((s) => s.ms))).toBeLessThan(40);
  });

  // The contract is in the repository (test/contracts): a missing one is a failure.
  const contract = it;
  contract('serves inventory and compliance records that match the Jamf Pro 11.30.1 schema', () => {
    for (const c of fleet.jamf.computers) {
      const r = validateJamfSchema('ComputerInventoryV4', c);
      expect(r.errors).toEqual([]);
    }
    for (const records of Object.values(fleet.jamf.compliance)) {
      for (const r of records)
        expect(validateJamfSchema('DeviceComplianceInformation', r).errors).toEqual([]);
    }
    for (const g of fleet.jamf.smartGroups) {
      const { members: _m, id: _id, ...body } = g;
      expect(validateJamfSchema('SmartComputerGroupV3', { ...body, siteId: null }).errors).toEqual([]);
    }
  });
});

describe('generateFleet: the Playground people and the edge cases', () => {
  it.each(DEMO_PEOPLE.flatMap((p) => p.macs.map((m) => [p.name, m.name, m.serial, m.state, p] as const)))(
    '%s owns %s in state %s',
    (_who, name, serial, state, person) => {
      const c = fleet.jamf.computers.find((x) => x.hardware.serialNumber === serial);
      expect(c?.general.name).toBe(name);
      expect(c?.userAndLocation.email).toBe(person.upn);
      expect(fleet.intendedVerdicts[c?.id ?? '']).toBe(state);
      const user = fleet.graph.users.find((u) => u.id === person.aadObjectId);
      expect(user?.userPrincipalName).toBe(person.upn);
      const connector = fleet.graph.groups.find((g) => g.id === fleet.connectorGroupId);
      expect(connector?.memberIds.includes(person.aadObjectId)).toBe(person.inConnectorGroup);
    },
  );

  it('has a Mac without a user', () => {
    const c = byId.get(fleet.edgeCases.macWithoutUser);
    expect(c?.userAndLocation).toEqual({ username: '', realname: '', email: '' });
  });

  it('has a user with two Macs, and a user outside the connector group', () => {
    expect(
      fleet.jamf.computers.filter((c) => c.userAndLocation.email === fleet.edgeCases.userWithTwoMacs),
    ).toHaveLength(2);
    const outside = fleet.graph.users.find(
      (u) => u.userPrincipalName === fleet.edgeCases.userOutsideConnectorGroup,
    );
    const connector = fleet.graph.groups.find((g) => g.id === fleet.connectorGroupId);
    expect(outside && connector?.memberIds.includes(outside.id)).toBe(false);
    const mac = fleet.jamf.computers.find((c) => c.userAndLocation.email === outside?.userPrincipalName);
    expect(entraFor(fleet, mac?.id ?? '')).not.toBeNull();
  });

  it("has apostrophes (O'Brien, an apostrophe in a UPN) and non-ASCII names", () => {
    expect(fleet.graph.users.some((u) => u.displayName === "Miriam O'Brien")).toBe(true);
    expect(fleet.edgeCases.apostropheUser).toContain("'");
    expect(fleet.graph.users.some((u) => u.userPrincipalName === fleet.edgeCases.apostropheUser)).toBe(true);
    expect(fleet.jamf.computers.some((c) => c.general.name.includes("'"))).toBe(true);
    const unicode = fleet.graph.users.filter((u) =>
      fleet.edgeCases.unicodeUsers.includes(u.userPrincipalName),
    );
    expect(unicode.length).toBeGreaterThanOrEqual(3);
    for (const u of unicode) expect(/^[\p{ASCII}]*$/u.test(u.displayName)).toBe(false);
    expect(fleet.jamf.computers.some((c) => /[\u4e00-\u9fff]/.test(c.general.name))).toBe(true);
  });

  it('has the same computer name on two users’ Macs, both registered', () => {
    const { name, computerIds } = fleet.edgeCases.duplicateName;
    const [a, b] = computerIds.map((id) => byId.get(id));
    expect(a?.general.name).toBe(name);
    expect(b?.general.name).toBe(name);
    expect(a?.userAndLocation.email).not.toBe(b?.userAndLocation.email);
    expect(fleet.graph.devices.filter((d) => d.displayName === name).length).toBeGreaterThanOrEqual(2);
  });

  it('has a re-registered Mac whose older Entra record Jamf does not report', () => {
    const id = fleet.edgeCases.reRegisteredMac;
    const c = byId.get(id);
    const live = entraFor(fleet, id);
    const same = fleet.graph.devices.filter(
      (d) => d.displayName === c?.general.name && d.registeredOwnerIds[0] === live?.registeredOwnerIds[0],
    );
    expect(same).toHaveLength(2);
    const old = same.find((d) => d !== live);
    expect(Date.parse(old?.registrationDateTime ?? '')).toBeLessThan(
      Date.parse(live?.registrationDateTime ?? ''),
    );
  });
});

describe('generateFleet: smart groups follow inventory', () => {
  it('has the seed’s Applicable and Compliance groups with their criteria', () => {
    const applicable = fleet.jamf.smartGroups.find((g) => g.id === DEMO_FLEET_IDS.jamfGroups.applicable);
    const compliance = fleet.jamf.smartGroups.find((g) => g.id === DEMO_FLEET_IDS.jamfGroups.compliance);
    expect(applicable?.name).toBe(DEFAULT_CRITERIA.applicableGroup);
    expect(compliance?.name).toBe(DEFAULT_CRITERIA.complianceGroup);
    expect(applicable?.criteria.map((c) => [c.name, c.searchType, c.value])).toEqual([
      ['Application Title', 'is', 'CompanyPortal.app'],
    ]);
    expect(compliance?.criteria.map((c) => [c.andOr, c.name, c.searchType, c.value])).toEqual([
      ['and', 'Last Inventory Update', 'less than x days ago', '2'],
      ['and', 'Application Title', 'is', 'CompanyPortal.app'],
      ['and', 'FileVault 2 Partition Encryption State', 'is', 'All Partitions Encrypted'],
    ]);
    expect(fleet.jamf.smartGroups.map((g) => g.name)).toContain(DEMO_JAMF_GROUP_NAMES.allManagedClients);
  });

  it('keeps members, groupMemberships and the criteria in agreement', () => {
    for (const g of fleet.jamf.smartGroups) {
      const isMember = smartGroupPredicate(g.criteria, NOW.getTime());
      const expected = fleet.jamf.computers.filter(isMember).map((c) => c.id);
      expect(g.members).toEqual(expected);
      const listed = fleet.jamf.computers.filter((c) => c.groupMemberships.some((m) => m.groupId === g.id));
      expect(listed.map((c) => c.id)).toEqual(expected);
      for (const c of listed)
        expect(c.groupMemberships.find((m) => m.groupId === g.id)?.groupName).toBe(g.name);
    }
    // Spelled out for the two groups that matter:
    for (const c of fleet.jamf.computers) {
      const portal = c.applications.some((a) => a.name === 'Company Portal.app');
      const fresh = age(c.general.reportDate) < 2 * DAY;
      const fv = c.operatingSystem.fileVault2Status === 'ALL_ENCRYPTED';
      expect(inGroup(c.id, DEMO_FLEET_IDS.jamfGroups.applicable)).toBe(portal);
      expect(inGroup(c.id, DEMO_FLEET_IDS.jamfGroups.compliance)).toBe(portal && fresh && fv);
    }
  });
});

describe('generateFleet: each Mac’s facts fit its intended verdict', () => {
  const macs = (v: DemoMacState) =>
    Object.keys(fleet.intendedVerdicts).filter((id) => fleet.intendedVerdicts[id] === v);

  it.each(Object.keys(VERDICT_SHARES) as DemoMacState[])('%s', (verdict) => {
    const ids = macs(verdict);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      const c = byId.get(id);
      const jamf = fleet.jamf.compliance[id]?.[0];
      const entra = entraFor(fleet, id);
      const applicable = inGroup(id, DEMO_FLEET_IDS.jamfGroups.applicable);
      const compliant = inGroup(id, DEMO_FLEET_IDS.jamfGroups.compliance);
      switch (verdict) {
        case 'compliant':
          expect([applicable, compliant, jamf?.complianceState, entra?.isCompliant]).toEqual([
            true,
            true,
            'COMPLIANT',
            true,
          ]);
          break;
        case 'not_applicable':
          expect([applicable, jamf?.applicable, entra]).toEqual([false, false, null]);
          break;
        case 'not_registered':
          expect([applicable, entra, jamf?.complianceVendorDeviceInformation.deviceIds]).toEqual([
            true,
            null,
            [],
          ]);
          break;
        case 'waiting_first_report':
          expect([applicable, jamf?.complianceState, entra?.isCompliant === true]).toEqual([
            true,
            'UNKNOWN',
            false,
          ]);
          expect(age(entra?.registrationDateTime)).toBeLessThan(8 * HOUR);
          break;
        case 'not_compliant':
          expect([applicable, compliant, jamf?.complianceState, entra?.isCompliant]).toEqual([
            true,
            false,
            'NON_COMPLIANT',
            false,
          ]);
          expect(age(c?.general.reportDate)).toBeLessThan(14 * DAY);
          break;
        case 'out_of_sync':
          expect([compliant, jamf?.complianceState, entra?.isCompliant]).toEqual([true, 'COMPLIANT', false]);
          expect(Math.min(age(entra?.registrationDateTime), age(c?.general.reportDate))).toBeGreaterThan(
            8 * HOUR,
          );
          break;
        case 'stale':
          expect(applicable).toBe(true);
          expect(age(c?.general.reportDate)).toBeGreaterThan(14 * DAY);
          break;
      }
      if (entra) {
        expect(entra).toMatchObject({
          trustType: 'Workplace',
          operatingSystem: 'MacOS',
          displayName: c?.general.name,
        });
        const owner = fleet.graph.users.find((u) => u.userPrincipalName === c?.userAndLocation.email);
        expect(entra.registeredOwnerIds).toEqual([owner?.id]);
      }
    }
  });

  it('the domain’s own join and diagnosis reach the intended verdict for every Mac', () => {
    const users = fleet.graph.users.map((u) => ({ ...u, mail: u.mail }));
    const upnById = new Map(users.map((u) => [u.id, u.userPrincipalName]));
    const devices: EntraDevice[] = fleet.graph.devices.map((d) => ({
      ...d,
      ownerIds: d.registeredOwnerIds,
      ownerUpns: d.registeredOwnerIds.map((id) => upnById.get(id) ?? ''),
    }));
    const computers = fleet.jamf.computers.map((c) => mapJamfComputer(computerWire.parse(c)));
    const complianceInfos = computers.flatMap((c) => {
      const info = mapComplianceInfo(c.id, complianceWire.parse(fleet.jamf.compliance[c.id]));
      return info ? [info] : [];
    });
    const connector = fleet.graph.groups.find((g) => g.id === fleet.connectorGroupId)?.memberIds ?? [];
    const records = joinFleet({
      computers,
      complianceInfos,
      devices,
      users,
      connectorGroupMembers: connector,
    });
    const wrong = records
      .map((r) => ({
        id: r.jamf.id,
        got: diagnoseMac(r, DEFAULT_CRITERIA, NOW).verdict,
        want: fleet.intendedVerdicts[r.jamf.id],
      }))
      .filter((x) => x.got !== x.want);
    expect(wrong).toEqual([]);
  });
});

describe('generateFleet: the Entra ID / Intune side', () => {
  it('has one Entra user per Jamf user (UPN = Jamf email), most in the connector group', () => {
    const upns = new Set(fleet.graph.users.map((u) => u.userPrincipalName));
    for (const c of fleet.jamf.computers) {
      if (c.userAndLocation.email) expect(upns.has(c.userAndLocation.email)).toBe(true);
    }
    const connector = fleet.graph.groups.find((g) => g.id === fleet.connectorGroupId);
    const macUsers = new Set(fleet.jamf.computers.map((c) => c.userAndLocation.email).filter(Boolean));
    const members = new Set(connector?.memberIds);
    const inside = fleet.graph.users.filter((u) => macUsers.has(u.userPrincipalName) && members.has(u.id));
    expect(inside.length / macUsers.size).toBeGreaterThan(0.9);
    expect(inside.length).toBeLessThan(macUsers.size);
  });

  it('has the Jamf partner connector with a recent heartbeat, assigned to the connector group', () => {
    const [partner] = fleet.graph.compliancePartners;
    expect(partner).toMatchObject({
      displayName: 'Jamf Device Compliance',
      partnerState: 'enabled',
      macOsOnboarded: true,
    });
    expect(age(partner?.lastHeartbeatDateTime)).toBeLessThan(15 * 60_000);
    expect(partner?.macOsEnrollmentAssignments).toEqual([
      {
        target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: fleet.connectorGroupId },
      },
    ]);
    const stale = generateFleet({ size: 20, now: NOW, staleHeartbeat: true });
    expect(age(stale.graph.compliancePartners[0]?.lastHeartbeatDateTime)).toBe(6 * HOUR);
    const staler = generateFleet({ size: 20, now: NOW, staleHeartbeat: 30 });
    expect(age(staler.graph.compliancePartners[0]?.lastHeartbeatDateTime)).toBe(30 * HOUR);
  });

  it('has the two CA policies and the two Jamf service principals', () => {
    const regApp = 'b03c10a8-71c7-45f9-b44a-3335ab76e970';
    const enforced = fleet.graph.caPolicies.find((p) => p.state === 'enabled');
    expect(enforced?.grantControls?.builtInControls).toContain('compliantDevice');
    expect(enforced?.conditions.applications.excludeApplications).toEqual([regApp]);
    const reportOnly = fleet.graph.caPolicies.find((p) => p.state === 'enabledForReportingButNotEnforced');
    expect(reportOnly?.conditions.applications.excludeApplications).toEqual([]);
    expect(fleet.graph.servicePrincipals.map((s) => s.displayName)).toEqual(
      expect.arrayContaining([
        'Cloud Connector for Device Compliance',
        'User registration app for Device Compliance',
      ]),
    );
    expect(fleet.graph.servicePrincipals.find((s) => s.appId === regApp)?.displayName).toBe(
      'User registration app for Device Compliance',
    );
  });

  it('adds Windows devices that never collide with a Mac', () => {
    const windows = fleet.graph.devices.filter((d) => d.operatingSystem === 'Windows');
    expect(windows.length).toBeGreaterThan(0);
    const macNames = new Set(fleet.jamf.computers.map((c) => c.general.name));
    for (const d of windows) expect(macNames.has(d.displayName)).toBe(false);
  });
});
