import type { FleetBuildState, FleetSnapshotMeta } from '../compliance/fleetSnapshotTypes';
import type { ComplianceCriteria, MacRecord } from '../compliance/types';
import type { Logger } from '../log';
import type { FleetSnapshotStore } from '../store/ports/fleetSnapshotStore';
import type { GraphClient } from '../upstream/graph/graphClient';
import type { GraphFleetReads } from '../upstream/graph/graphDeltaTypes';
import type { JamfFleetReads } from '../upstream/jamf/jamfFleetReads';

/** How the sync runs (config.fleetSync, plus knobs tests turn). */
export interface FleetSyncSettings {
  intervalMinutes: number;
  /** Cron (UTC) of the scheduled full resync; null = none. */
  fullResyncCron: string | null;
  jamfOverlapMinutes: number;
  jamfPageSize: number;
  maxThrottleWaitSeconds: number;
  /** How long the sync lease holds without renewal (renewed every third of it while a sync runs). Default 120. */
  leaseSeconds?: number;
  /** Jamf page reads in flight during a full build (the client caps at its own limit too). Default 5. */
  jamfConcurrency?: number;
  /** Entra `operatingSystem` values of Macs (as `GraphClient`'s listing filters). Default macOS, MacMDM. */
  macOperatingSystems?: readonly string[];
}

/** The Graph reads of a sync: the delta and page reads, and the connector's scope. */
export type FleetSyncGraph = GraphFleetReads & Pick<GraphClient, 'listCompliancePartners' | 'findGroups'>;

export interface FleetSyncDeps {
  store: FleetSnapshotStore;
  graph: FleetSyncGraph;
  jamf: JamfFleetReads;
  criteria: ComplianceCriteria;
  /** CONNECTOR_NAME: how the Jamf partner is found among Intune's compliance partners. */
  connectorName?: string;
  settings: FleetSyncSettings;
  log: Logger;
  now?: () => Date;
  /** Waits out a throttle; rejects with the signal's reason when it aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** This process's lease holder name (unique per instance). */
  instanceId: string;
}

/** What one call of `syncNow` or `refreshComputers` did. */
export interface FleetSyncOutcome {
  /** `busy`: another instance holds the sync lease; nothing ran here. */
  /** `deferred`: a refresh with no snapshot yet, or a full build under way — ask again later. */
  ran: 'full' | 'incremental' | 'computers' | 'busy' | 'deferred';
  /** Why a full build ran (null otherwise). */
  reason: FleetBuildState['reason'] | null;
  /** A full build continued from a build in progress (after a crash, a stop or a failure). */
  resumed: boolean;
  /** Calls per method, e.g. `{ graph: { deviceDeltaPage: 2 }, jamf: { getComputersPage: 1 } }`. */
  requests: { graph: Record<string, number>; jamf: Record<string, number> };
  changes: {
    /** Source items (computers, devices, users, memberships, compliance infos) written or removed. */
    sources: number;
    /** Mac rows written (every row, for a full build). */
    macsUpserted: number;
    macsRemoved: number;
  };
  wallMs: number;
  /** The snapshot's version after it (null: busy, or nothing published yet). */
  version: number | null;
}

/** The Macs an incremental publish wrote, against the version it started from (`since`). */
export interface FleetPublishedChanges {
  /** The snapshot version the publish started from (the same as the new one when nothing changed). */
  since: number;
  upserted: readonly string[];
  removed: readonly string[];
}

/**
 * Hears each publish. When the publish joined the whole fleet — a full build, or an incremental
 * sync or refresh that could not re-join only its changes (the first after a start, say) —
 * `records` are the published records themselves (in Jamf id order, sharing objects with the
 * sources the sync keeps), so a reader in this process can adopt them instead of parsing every
 * row back from the store, and the fleet is held once; an incremental one also says which Macs
 * it wrote (`changed`). Publishes that re-joined only their changes pass neither.
 */
export type FleetPublishedListener = (
  meta: FleetSnapshotMeta,
  records?: readonly MacRecord[],
  changed?: FleetPublishedChanges,
) => void;
