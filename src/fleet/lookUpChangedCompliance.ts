import { deviceNameKey } from '../compliance/deviceNameKey';
import { isInGroup } from '../compliance/isInGroup';
import { userFinder } from '../compliance/joinFleet';
import { needsComplianceLookup } from '../compliance/needsComplianceLookup';
import { macOwnerKeys } from '../compliance/ownerKeys';
import type { JamfComputer } from '../compliance/types';
import type { ChangedDevices } from './changedDevices';
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
  const computers = [...sources.values('computer')];
  let findUser: ((c: JamfComputer) => ReturnType<ReturnType<typeof userFinder>>) | null = null;
  const touchedByDevice = (c: JamfComputer): boolean => {
    const touch = changedDevices.touching(deviceNameKey(c.name));
    if (!touch) return false;
    const stored = sources.get('compliance', c.id);
    if (stored) {
      const known = new Set(stored.entraDeviceIds.map((d) => d.toLowerCase()));
      if (![...touch.newDeviceIds].some((d) => !known.has(d))) return false;
    }
    if (touch.ownerless) return true;
    findUser ??= userFinder([...sources.values('user')]);
    return macOwnerKeys(c, findUser(c)).some((k) => touch.ownerKeys.has(k));
  };
  const touched = new Set(
    computers
      .filter(
        (c) =>
          isInGroup(c.groups, ctx.criteria.applicableGroup) &&
          (changedComputers.has(c.id) || touchedByDevice(c)),
      )
      .map((c) => c.id),
  );
  if (touched.size === 0) return;
  // Over the whole fleet: whether a Mac needs one depends on the other Macs claiming its devices.
  const ids = needsComplianceLookup(computers, [...sources.values('device')]).filter((id) => touched.has(id));
  await lookUpCompliance(ctx, ids, async (found, none) => {
    for (const info of found) sources.upsert('compliance', info.computerId, info);
    for (const id of none) sources.remove('compliance', id);
  });
}
