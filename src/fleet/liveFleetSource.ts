import type { FleetSnapshotRead, FleetSnapshotSource } from '../compliance/fleetSnapshotTypes';
import type { AppConfig } from '../config';
import { loadFleet, type LoadFleetDeps } from '../lookup/loadFleet';

/**
 * A `FleetSnapshotSource` that loads the whole fleet live on every read, as the fleet-wide
 * answers did before the snapshot (139 s at 50,000 Macs). Only for a root without the snapshot
 * store and sync (until they are wired) and for comparisons; never "building".
 */
export function liveFleetSource(
  deps: LoadFleetDeps & { config: Pick<AppConfig, 'criteria' | 'connector'> },
  now: () => Date = () => new Date(),
): FleetSnapshotSource {
  let version = 0;
  const read = async (): Promise<FleetSnapshotRead> => {
    const { config } = deps;
    const load = await loadFleet(deps, { criteria: config.criteria, connectorName: config.connector.name });
    return {
      state: 'ready',
      records: load.records,
      notApplicable: load.stats.counts.notApplicable,
      connector: { groupIds: load.connector.groupIds, groupNames: load.connector.groupNames },
      asOf: now(),
      version: ++version,
    };
  };
  return { read, refresh: () => read() };
}
