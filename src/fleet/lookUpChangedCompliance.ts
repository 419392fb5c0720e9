import { deviceNameKey } from '../compliance/deviceNameKey';
import { isInGroup } from '../compliance/isInGroup';
import { pickUser } from '../compliance/joinFleet';
import { needsComplianceLookup } from '../compliance/needsComplianceLookup';
import { macOwnerKeys } from '../compliance/ownerKeys';
import type { EntraDevice, EntraUser, JamfComputer } from '../compliance/types';
import type { ChangedDevices } from './changedDevices';
import type { FleetSourceIndex } from './fleetSourceIndex';
import type { FleetSourceSet } from './fleetSourceSet';
import { lookUpCompliance } from './lookUpCompliance';
import type { SyncRunContext } from './syncRunContext';

/**
 * Jamf's compliance info again, but only for applicable Macs that need one and that this sync
 * touched: the Mac changed in Jamf, or a changed device (new, removed, renamed, re-owned) shares
 * its name and either has no owners or is owned by the Mac's user — the only devices `joinFleet`
 * can give it or take from it. Demo and real fleets share generic names ("MacBook Pro"), so
 * touching by name alone made a few dozen registrations cost thousands of look-ups.
 *
 * A Mac that Jamf already gave info for, and that did not change itself, keeps it unless a new
 * device that is not already in that info touches it: Jamf's info changes only when the Mac
 * registers again, which shows as a new device. The rest keep what the snapshot holds. A Mac
 * Jamf now has no info for loses the stored one.
 */
export async function lookUpChangedCompliance(
  ctx: SyncRunContext,
  sources: FleetSourceSet,
  changedComputers: ReadonlySet<string>,
  changedDevices: ChangedDevices,
): Promise<void> {
  // Only the Macs a change can reach, found through the set's reverse indexes: scanning all
  // 50,000 Macs' names for each webhook refresh of a few hundred was most of its CPU.
  await sources.prepareIndex();
  const index = sources.index();
  const candidates = new Set(changedComputers);
  for (const name of changedDevices.names())
    for (const id of index.computersByName.get(name)) candidates.add(id);
  const userOf = (c: JamfComputer): EntraUser | null => findUser(sources, index, c);
  const touchedByDevice = (c: JamfComputer): boolean => {
    const touch = changedDevices.touching(deviceNameKey(c.name));
    if (!touch) return false;
    const stored = sources.get('compliance', c.id);
    if (stored) {
      const known = new Set(stored.entraDeviceIds.map((d) => d.toLowerCase()));
      if (![...touch.newDeviceIds].some((d) => !known.has(d))) return false;
    }
    if (touch.ownerless) return true;
    return macOwnerKeys(c, userOf(c)).some((k) => touch.ownerKeys.has(k));
  };
  const touched: JamfComputer[] = [];
  for (const id of candidates) {
    const c = sources.get('computer', id);
    if (!c || !isInGroup(c.groups, ctx.criteria.applicableGroup)) continue;
    if (changedComputers.has(id) || touchedByDevice(c)) touched.push(c);
  }
  if (touched.length === 0) return;
  // Whether a Mac needs one depends on the other Macs claiming its devices — only Macs and
  // devices of the same name can (`needsComplianceLookup` pairs them by name): those groups.
  const names = new Set(touched.map((c) => deviceNameKey(c.name)).filter((n) => n !== ''));
  const computers: JamfComputer[] = [];
  const devices: EntraDevice[] = [];
  for (const name of names) {
    for (const id of index.computersByName.get(name)) {
      const c = sources.get('computer', id);
      if (c) computers.push(c);
    }
    for (const id of index.devicesByName.get(name)) {
      const d = sources.get('device', id);
      if (d) devices.push(d);
    }
  }
  const touchedIds = new Set(touched.map((c) => c.id));
  const ids = needsComplianceLookup(computers, devices).filter((id) => touchedIds.has(id));
  await lookUpCompliance(ctx, ids, async (found, none) => {
    for (const info of found) sources.upsert('compliance', info.computerId, info);
    for (const id of none) sources.remove('compliance', id);
  });
}

const lower = (s: string | null | undefined): string => (s ?? '').trim().toLowerCase();

/** The Entra user behind a Mac's Jamf user (`pickUser`'s rule), through the index's UPN/mail keys. */
function findUser(sources: FleetSourceSet, index: FleetSourceIndex, c: JamfComputer): EntraUser | null {
  const holding = (key: string, field: 'userPrincipalName' | 'mail'): EntraUser | undefined => {
    for (const id of index.usersByKey.get(key)) {
      const u = sources.get('user', id);
      if (u && lower(u[field]) === key) return u;
    }
    return undefined;
  };
  return pickUser(
    c,
    (k) => holding(k, 'userPrincipalName'),
    (k) => holding(k, 'mail'),
  );
}
