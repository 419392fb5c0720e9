import type {
  FleetBuildState,
  FleetMacRow,
  FleetSnapshotMeta,
  FleetSourceItem,
  FleetSourceKey,
  FleetSourceKind,
} from '../../compliance/fleetSnapshotTypes';

/**
 * The fleet snapshot in the store (SQLite and PostgreSQL alike): the published snapshot (meta +
 * one row per applicable Mac), the sources it was joined from, a staging area for a full build in
 * progress, and a lease so one instance syncs at a time. Every method that changes the published
 * snapshot does it in one transaction: readers see the last complete state, never half a sync.
 */
export interface FleetSnapshotStore {
  // --- one sync at a time across instances
  /**
   * Takes or renews the sync lease for `holder` until `now + ttlMs`: true when `holder` has it
   * (free, expired, or already its own), false when another holder's lease is still valid.
   */
  acquireFleetSyncLease(holder: string, ttlMs: number, now: Date): Promise<boolean>;
  /** Gives the lease up, if `holder` has it. */
  releaseFleetSyncLease(holder: string): Promise<void>;

  // --- the published snapshot
  /** The published header, or null before the first build completed. */
  getFleetSnapshotMeta(): Promise<FleetSnapshotMeta | null>;
  /**
   * Rows for a reader: `since` null or of another epoch → every row (`full: true`); else the rows
   * written with a version above `since.version` and the ids removed after it. One consistent read.
   */
  readFleetMacs(since: { epoch: string; version: number } | null): Promise<{
    meta: FleetSnapshotMeta | null;
    full: boolean;
    rows: FleetMacRow[];
    removed: string[];
  }>;
  /** jamfId → hash of every published row (for the incremental sync's diff). */
  readFleetMacHashes(): Promise<Map<string, string>>;
  /** Every published source item of `kind`. */
  readFleetSources(kind: FleetSourceKind): Promise<FleetSourceItem[]>;
  /**
   * An incremental sync's result in one transaction: source upserts and removals, changed rows
   * and removed Macs (tombstoned at the new version), and the new meta (its `version` is the
   * stored one + 1 when rows changed; the store sets it and returns it).
   */
  applyFleetChanges(change: {
    upsertSources: FleetSourceItem[];
    removeSources: FleetSourceKey[];
    upsertMacs: FleetMacRow[];
    removeMacs: string[];
    meta: Omit<FleetSnapshotMeta, 'version'>;
  }): Promise<FleetSnapshotMeta>;

  // --- a full build in progress (staging), resumable after a crash
  /** The build in progress, or null. */
  getFleetBuild(): Promise<FleetBuildState | null>;
  /** Starts a build: staging emptied, `build` saved. */
  beginFleetBuild(build: FleetBuildState): Promise<void>;
  /** Adds (or replaces) staged items and saves the build's state, in one transaction. */
  stageFleetItems(items: FleetSourceItem[], build: FleetBuildState): Promise<void>;
  /** Every staged item of `kind`. */
  readStagedFleetItems(kind: FleetSourceKind): Promise<FleetSourceItem[]>;
  /**
   * Publishes the build in one transaction: the staged items become the sources, `macs` replace
   * every row, `meta` (new epoch; version = the stored one + 1, set by the store) is written,
   * staging and the build state are cleared. Returns the meta written.
   */
  publishFleetBuild(
    macs: FleetMacRow[],
    meta: Omit<FleetSnapshotMeta, 'version'>,
  ): Promise<FleetSnapshotMeta>;
  /** Drops a build in progress and its staging (the published snapshot is untouched). */
  abandonFleetBuild(): Promise<void>;
}
