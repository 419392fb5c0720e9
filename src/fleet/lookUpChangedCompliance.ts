import { deviceNameKey } from '../compliance/deviceNameKey';
import { isInGroup } from '../compliance/isInGroup';
import { needsComplianceLookup } from '../compliance/needsComplianceLookup';
import type { FleetSourceSet } from './fleetSourceSet';
import { lookUpCompliance } from './lookUpCompliance';
import type { SyncRunContext } from './syncRunContext';

/**
 * Jamf's compliance info again, but only for applicable Macs that need one and that this sync
 * touched: the Mac changed in Jamf, or a device with its name changed in Entra. The rest keep
 * what the snapshot holds. A Mac Jamf now has no info for loses the stored one.
 */
export async function lookUpChangedCompliance(
  ctx: SyncRunContext,
  sources: FleetSourceSet,
  changedComputers: ReadonlySet<string>,
  changedDeviceNames: ReadonlySet<string>,
): Promise<void> {
  const computers = [...sources.values('computer')];
  const touched = new Set(
    computers
      .filter(
        (c) =>
          isInGroup(c.groups, ctx.criteria.applicableGroup) &&
          (changedComputers.has(c.id) || changedDeviceNames.has(deviceNameKey(c.name))),
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
