import type { RolloutSnapshot } from '../../compliance/rolloutSnapshotTypes';

/** The daily rollout snapshots behind the rollout card's trend. */
export interface SnapshotStore {
  /** Inserts or replaces the snapshot for `snapshot.day`. */
  saveSnapshot(snapshot: RolloutSnapshot): Promise<void>;
  getSnapshot(day: string): Promise<RolloutSnapshot | null>;
  /** The latest `limit` snapshots up to and including `toDay`, oldest first. */
  listSnapshots(opts: { toDay: string; limit: number }): Promise<RolloutSnapshot[]>;
}
