import type {
  FleetBuildState,
  FleetMacRow,
  FleetSnapshotMeta,
  FleetSourceItem,
} from '../../src/compliance/fleetSnapshotTypes';
import type { MacRecord } from '../../src/compliance/types';

/** Records for the fleet snapshot store tests: small, or ~1.5 KB of JSON like a real joined Mac. */

export function macRecord(id: string, marker = 0): MacRecord {
  const n = Number.parseInt(id.replace(/\D/g, ''), 10) || 0;
  return {
    jamf: {
      id,
      udid: `5A1B2C3D-0000-4000-8000-${String(n).padStart(12, '0')}`,
      name: `Mac-${id}`,
      serialNumber: `C02X${String(n).padStart(8, '0')}`,
      model: 'MacBook Pro (14-inch, 2023)',
      osVersion: '15.1.1',
      reportDate: '2026-11-20T08:00:00.000Z',
      lastContact: '2026-11-20T09:30:00.000Z',
      fileVault2Status: 'ALL_ENCRYPTED',
      applications: ['Company Portal.app'],
      username: `user${n}`,
      email: `user${n}@contoso.example`,
      realName: `User Number ${n}`,
      groups: [
        { groupId: '1', groupName: 'All Managed Clients', smartGroup: true },
        { groupId: '7', groupName: 'Intune Applicable Macs', smartGroup: true },
        { groupId: '8', groupName: 'Intune Compliant Macs', smartGroup: true },
      ],
    },
    jamfCompliance: {
      computerId: id,
      applicable: true,
      complianceState: 'COMPLIANT',
      entraDeviceIds: [`d-${n}`],
    },
    entra: {
      id: `obj-${n}`,
      deviceId: `d-${n}`,
      displayName: `Mac-${id}`,
      isCompliant: true,
      isManaged: true,
      trustType: 'Workplace',
      operatingSystem: 'MacMDM',
      operatingSystemVersion: '15.1.1',
      registrationDateTime: '2026-01-02T03:04:05Z',
      approximateLastSignInDateTime: '2026-11-19T17:00:00Z',
      ownerUpns: [`user${n}@contoso.example`],
      ownerIds: [`u-${n}`],
    },
    joinedBy: 'jamf-device-id',
    user: {
      id: `u-${n}`,
      userPrincipalName: `user${n}@contoso.example`,
      displayName: `User Number ${n} (marker ${marker})`,
      mail: `user${n}@contoso.example`,
    },
    userInConnectorGroup: true,
  };
}

export const fleetMac = (id: string, marker = 0): FleetMacRow => ({
  jamfId: id,
  hash: `h-${id}-${marker}`,
  record: macRecord(id, marker),
});

export function fleetMeta(
  epoch: string,
  over: Partial<Omit<FleetSnapshotMeta, 'version'>> = {},
): Omit<FleetSnapshotMeta, 'version'> {
  return {
    epoch,
    builtAt: '2026-11-20T08:00:00.000Z',
    syncedAt: '2026-11-20T08:00:00.000Z',
    criteriaKey: 'criteria-1',
    connector: { groupIds: ['g1'], groupNames: { g1: 'Mac users' } },
    notApplicable: 3,
    cursors: {
      devicesDeltaLink: 'https://graph.example/v1.0/devices/delta?$deltatoken=d1',
      usersDeltaLink: null,
      groupsDeltaLink: null,
      trackedGroupIds: ['g1'],
      jamfReportedUpTo: '2026-11-20T07:59:00.000Z',
    },
    ...over,
  };
}

export function fleetBuild(over: Partial<FleetBuildState> = {}): FleetBuildState {
  return {
    id: 'build-1',
    startedAt: '2026-11-20T07:00:00.000Z',
    reason: 'cold',
    progress: { macsRead: 0, macsTotal: null, phase: 'computers' },
    cursors: {},
    ...over,
  };
}

export const computerItem = (id: string, name = `Mac-${id}`): FleetSourceItem => ({
  kind: 'computer',
  id,
  body: { ...macRecord(id).jamf, name },
});

export const userItem = (id: string, displayName: string | null = null): FleetSourceItem => ({
  kind: 'user',
  id,
  body: { id, userPrincipalName: `${id}@contoso.example`, displayName, mail: null },
});

export const membershipItem = (groupId: string, memberId: string): FleetSourceItem => ({
  kind: 'membership',
  id: `${groupId}/${memberId}`,
  body: { groupId, memberId, memberType: 'user' },
});

/** By id, for comparisons that must not depend on the order rows come back in. */
export const byId = <T extends { id: string }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export const byJamfId = (rows: readonly FleetMacRow[]): FleetMacRow[] =>
  [...rows].sort((a, b) => (a.jamfId < b.jamfId ? -1 : a.jamfId > b.jamfId ? 1 : 0));

/**
 * Runs `fn` and notes its wall-clock and CPU time in `times` (the CPU time of this process
 * still means something on a busy machine, where the wall clock mostly measures the others).
 */
export async function timed<T>(times: string[], label: string, fn: () => Promise<T>): Promise<T> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await fn();
  const used = process.cpuUsage(cpu);
  times.push(
    `${label} ${(performance.now() - start).toFixed(0)} ms (CPU ${((used.user + used.system) / 1000).toFixed(0)} ms)`,
  );
  return result;
}
