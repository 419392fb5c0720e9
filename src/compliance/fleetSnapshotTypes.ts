import type { EntraDevice, EntraUser, JamfComplianceInfo, JamfComputer, MacRecord } from './types';

/**
 * The fleet snapshot: the joined and diagnosed fleet kept in the store, so fleet-wide answers
 * read it instead of loading 50,000 Macs live. Written by the fleet sync (src/fleet/), read by
 * `connector status`, `rollout`, the daily snapshot and digest, and campaign audiences.
 */

/** The raw inputs of the join, kept so an incremental sync can re-join without re-reading. */
export type FleetSourceKind = 'computer' | 'device' | 'user' | 'membership' | 'compliance';

/** A direct membership of a tracked Entra group (the connector's groups and groups nested in them). */
export interface FleetMembership {
  groupId: string;
  memberId: string;
  memberType: 'user' | 'group' | 'other';
}

/** What each kind of source item holds (`id` is the item's key within its kind). */
export interface FleetSourceBodies {
  /** Jamf inventory, slimmed (applications: only those matching the criteria's required app). */
  computer: JamfComputer;
  /** Entra device with `ownerIds`/`ownerUpns`. */
  device: EntraDevice;
  user: EntraUser;
  /** key: `${groupId}/${memberId}` */
  membership: FleetMembership;
  /** key: the Jamf computer id */
  compliance: JamfComplianceInfo;
}

export type FleetSourceItem = {
  [K in FleetSourceKind]: { kind: K; id: string; body: FleetSourceBodies[K] };
}[FleetSourceKind];

export interface FleetSourceKey {
  kind: FleetSourceKind;
  id: string;
}

/** One applicable Mac in the snapshot. */
export interface FleetMacRow {
  jamfId: string;
  /** A digest of `record` (any stable hash of its JSON): an incremental sync rewrites only rows whose hash changed. */
  hash: string;
  record: MacRecord;
}

/** Where each source's incremental read resumes. */
export interface FleetSyncCursors {
  /** Graph deltaLinks (null: none yet → the next sync starts that round again). */
  devicesDeltaLink: string | null;
  usersDeltaLink: string | null;
  groupsDeltaLink: string | null;
  /** The tracked groups the groups deltaLink covers (the connector's groups and nested ones). */
  trackedGroupIds: string[];
  /** The newest Jamf `general.reportDate` seen (ISO); the next read asks from it minus the overlap. */
  jamfReportedUpTo: string | null;
}

/** The published snapshot's header: one row. */
export interface FleetSnapshotMeta {
  /** Changes with every full build's publish: a reader holding another epoch reloads everything. */
  epoch: string;
  /** +1 with every publish (full or incremental) that changed anything, within and across epochs. */
  version: number;
  /** When the last full build completed (ISO). */
  builtAt: string;
  /** When the last sync (full or incremental) completed — what the cards call "as of" (ISO). */
  syncedAt: string;
  /** Hash of the criteria the records were slimmed and joined for: other criteria → full build. */
  criteriaKey: string;
  /** The connector's macOS groups, for diagnoses' fix texts. */
  connector: { groupIds: string[]; groupNames: Record<string, string> };
  /** Computers in Jamf outside the Applicable group (counted, not stored). */
  notApplicable: number;
  cursors: FleetSyncCursors;
}

/** A full build in progress: enough to continue it after a crash without re-reading finished pages. */
export interface FleetBuildState {
  id: string;
  startedAt: string;
  /** Why it runs: no snapshot yet, the schedule, an expired delta token, other criteria. */
  reason: 'cold' | 'scheduled' | 'delta_expired' | 'criteria_changed' | 'requested';
  /** For the progress card: Macs read from Jamf so far, and how many Jamf says there are. */
  progress: { macsRead: number; macsTotal: number | null; phase: string };
  /** The sync engine's own resume state (pages done, nextLinks, deltaLinks taken at the start): opaque to the store. */
  cursors: Record<string, unknown>;
}

/** What fleet-wide answers get: the last complete snapshot, or the progress of the first build. */
export type FleetSnapshotRead =
  | {
      state: 'ready';
      /** Every applicable Mac, joined (not diagnosed: diagnoses depend on `now`). */
      records: readonly MacRecord[];
      notApplicable: number;
      connector: FleetSnapshotMeta['connector'];
      /** When the snapshot was last synced. */
      asOf: Date;
      version: number;
    }
  | {
      state: 'building';
      progress: FleetBuildState['progress'];
      startedAt: Date;
    };

/** The port fleet-wide use cases read through (src/fleet/fleetSnapshotReader implements it). */
export interface FleetSnapshotSource {
  /** The last complete snapshot (cheap after the first call: cached per version), or the cold build's progress. */
  read(): Promise<FleetSnapshotRead>;
  /**
   * Asks for an incremental sync now (or joins the one running) and resolves with the snapshot
   * after it, or with the current one when `timeoutMs` passes first.
   */
  refresh(opts: { timeoutMs: number }): Promise<FleetSnapshotRead>;
}

/** One applicable Mac that changed between two published versions of the snapshot. */
export interface FleetChange {
  jamfId: string;
  /** null: the Mac was not in the snapshot before (new, or newly applicable). */
  before: MacRecord | null;
  /** null: the Mac left the snapshot (deleted, or no longer applicable). */
  after: MacRecord | null;
}

/** A batch of changes, as one sync published them. */
export interface FleetChanges {
  version: number;
  /** When the sync that produced them completed. */
  at: Date;
  changes: FleetChange[];
}
