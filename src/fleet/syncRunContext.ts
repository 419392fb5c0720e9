import type { ComplianceCriteria } from '../compliance/types';
import type { Logger } from '../log';
import type { FleetSnapshotStore } from '../store/ports/fleetSnapshotStore';
import type { JamfFleetReads } from '../upstream/jamf/jamfFleetReads';
import type { FleetSyncGraph, FleetSyncSettings } from './fleetSyncTypes';
import type { ThrottleContext } from './readThrottled';

/** What one sync run works with: the sources (their calls counted), the store, its signal. */
export interface SyncRunContext {
  store: FleetSnapshotStore;
  graph: FleetSyncGraph;
  jamf: JamfFleetReads;
  criteria: ComplianceCriteria;
  connectorName?: string;
  settings: Required<FleetSyncSettings>;
  log: Logger;
  now: () => Date;
  /** Aborted by `stop()` or a lost lease: no further request is sent. */
  signal: AbortSignal;
  throttle: ThrottleContext;
}
