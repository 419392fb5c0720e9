import type {
  FleetBuildState,
  FleetMacRow,
  FleetSnapshotMeta,
} from '../../src/compliance/fleetSnapshotTypes';
import type { MacRecord } from '../../src/compliance/types';
import type { FleetSnapshotStore } from '../../src/store/ports/fleetSnapshotStore';

type ReaderStore = Pick<FleetSnapshotStore, 'getFleetSnapshotMeta' | 'readFleetMacs' | 'getFleetBuild'>;

/**
 * The three reads `FleetSnapshotReader` makes, over memory, with the writes a sync would make
 * (build progress, a full publish, an incremental change) as plain calls. It counts its reads,
 * so tests can see that the reader pulls only what changed. Not the store's contract test.
 */
export class FakeFleetSnapshot implements ReaderStore {
  private meta: FleetSnapshotMeta | null = null;
  private build: FleetBuildState | null = null;
  /** jamfId → the version it was written at, and its record (null: removed at that version). */
  private rows = new Map<string, { version: number; record: MacRecord | null }>();
  private epochs = 0;
  readonly calls = {
    meta: 0,
    macs: [] as { since: { epoch: string; version: number } | null; rows: number }[],
    build: 0,
  };

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** No snapshot and no build: a new deployment. */
  clear(): void {
    this.meta = null;
    this.build = null;
    this.rows = new Map();
  }

  // --- what a sync does
  startBuild(progress: FleetBuildState['progress'], startedAt = this.now()): void {
    this.build = {
      id: 'b1',
      startedAt: startedAt.toISOString(),
      reason: this.meta ? 'scheduled' : 'cold',
      progress,
      cursors: {},
    };
  }

  /** A full build's publish: a new epoch, every row replaced. */
  publishFull(
    records: readonly MacRecord[],
    opts: Partial<Pick<FleetSnapshotMeta, 'notApplicable' | 'connector'>> = {},
  ): void {
    const version = (this.meta?.version ?? 0) + 1;
    this.rows = new Map(records.map((r) => [r.jamf.id, { version, record: r }]));
    const at = this.now().toISOString();
    this.meta = {
      epoch: `e${++this.epochs}`,
      version,
      builtAt: at,
      syncedAt: at,
      criteriaKey: 'k',
      connector: opts.connector ?? this.meta?.connector ?? { groupIds: [], groupNames: {} },
      notApplicable: opts.notApplicable ?? this.meta?.notApplicable ?? 0,
      cursors: {
        devicesDeltaLink: null,
        usersDeltaLink: null,
        groupsDeltaLink: null,
        trackedGroupIds: [],
        jamfReportedUpTo: null,
      },
    };
    this.build = null;
  }

  /** An incremental sync: changed rows and removals at version + 1 (or only `syncedAt`, when nothing changed). */
  applyChanges(upsert: readonly MacRecord[], remove: readonly string[] = []): void {
    if (!this.meta) throw new Error('no snapshot to change');
    const changed = upsert.length + remove.length > 0;
    const version = this.meta.version + (changed ? 1 : 0);
    for (const r of upsert) this.rows.set(r.jamf.id, { version, record: r });
    for (const id of remove) this.rows.set(id, { version, record: null });
    this.meta = { ...this.meta, version, syncedAt: this.now().toISOString() };
  }

  // --- the reader's port
  async getFleetSnapshotMeta(): Promise<FleetSnapshotMeta | null> {
    this.calls.meta++;
    return this.meta;
  }

  async getFleetBuild(): Promise<FleetBuildState | null> {
    this.calls.build++;
    return this.build;
  }

  async readFleetMacs(since: { epoch: string; version: number } | null) {
    const meta = this.meta;
    const full = !since || !meta || since.epoch !== meta.epoch;
    const rows: FleetMacRow[] = [];
    const removed: string[] = [];
    for (const [jamfId, row] of this.rows) {
      if (!full && row.version <= since.version) continue;
      if (row.record) rows.push({ jamfId, hash: String(row.version), record: row.record });
      else if (!full) removed.push(jamfId);
    }
    this.calls.macs.push({ since, rows: rows.length });
    return { meta, full, rows, removed };
  }
}
