import type {
  FleetBuildState,
  FleetMacRow,
  FleetSnapshotMeta,
  FleetSourceItem,
  FleetSourceKey,
  FleetSourceKind,
} from '../../src/compliance/fleetSnapshotTypes';
import type { FleetSnapshotStore } from '../../src/store/ports/fleetSnapshotStore';

const copy = <T>(v: T): T => structuredClone(v);
const key = (kind: FleetSourceKind, id: string): string => `${kind}\u0000${id}`;

/**
 * `FleetSnapshotStore` in memory, for unit tests of the sync and the reader: the port's
 * semantics (versions, tombstones, staging, the lease) without a database. Values are copied
 * in and out, as a database would. `calls` counts each method; `failNext` makes the next call of
 * a method reject (a store outage mid-sync).
 */
export class MemoryFleetSnapshotStore implements FleetSnapshotStore {
  lease: { holder: string; until: number } | null = null;
  meta: FleetSnapshotMeta | null = null;
  rows = new Map<string, { row: FleetMacRow; version: number }>();
  tombstones = new Map<string, number>();
  sources = new Map<string, FleetSourceItem>();
  staging = new Map<string, FleetSourceItem>();
  build: FleetBuildState | null = null;
  calls: Record<string, number> = {};
  private failures = new Map<string, Error>();

  failNext(method: keyof FleetSnapshotStore, error = new Error(`${method} failed`)): void {
    this.failures.set(method, error);
  }

  private enter(method: string): void {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
    const e = this.failures.get(method);
    if (e) {
      this.failures.delete(method);
      throw e;
    }
  }

  async acquireFleetSyncLease(holder: string, ttlMs: number, now: Date): Promise<boolean> {
    this.enter('acquireFleetSyncLease');
    if (this.lease && this.lease.holder !== holder && this.lease.until > now.getTime()) return false;
    this.lease = { holder, until: now.getTime() + ttlMs };
    return true;
  }

  async releaseFleetSyncLease(holder: string): Promise<void> {
    this.enter('releaseFleetSyncLease');
    if (this.lease?.holder === holder) this.lease = null;
  }

  async getFleetSnapshotMeta(): Promise<FleetSnapshotMeta | null> {
    this.enter('getFleetSnapshotMeta');
    return copy(this.meta);
  }

  async readFleetMacs(since: { epoch: string; version: number } | null) {
    this.enter('readFleetMacs');
    const full = since === null || this.meta === null || since.epoch !== this.meta.epoch;
    const rows = [...this.rows.values()]
      .filter((r) => full || r.version > (since?.version ?? 0))
      .map((r) => copy(r.row));
    const removed = full
      ? []
      : [...this.tombstones].filter(([, v]) => v > (since?.version ?? 0)).map(([id]) => id);
    return { meta: copy(this.meta), full, rows, removed };
  }

  async readFleetMacHashes(): Promise<Map<string, string>> {
    this.enter('readFleetMacHashes');
    return new Map([...this.rows].map(([id, r]) => [id, r.row.hash]));
  }

  async readFleetSources(kind: FleetSourceKind): Promise<FleetSourceItem[]> {
    this.enter('readFleetSources');
    return [...this.sources.values()].filter((i) => i.kind === kind).map(copy);
  }

  async applyFleetChanges(change: {
    upsertSources: FleetSourceItem[];
    removeSources: FleetSourceKey[];
    upsertMacs: FleetMacRow[];
    removeMacs: string[];
    meta: Omit<FleetSnapshotMeta, 'version'>;
  }): Promise<FleetSnapshotMeta> {
    this.enter('applyFleetChanges');
    const changed = change.upsertMacs.length > 0 || change.removeMacs.length > 0;
    const version = (this.meta?.version ?? 0) + (changed ? 1 : 0);
    for (const s of change.removeSources) this.sources.delete(key(s.kind, s.id));
    for (const s of change.upsertSources) this.sources.set(key(s.kind, s.id), copy(s));
    for (const id of change.removeMacs) {
      this.rows.delete(id);
      this.tombstones.set(id, version);
    }
    for (const row of change.upsertMacs) {
      this.rows.set(row.jamfId, { row: copy(row), version });
      this.tombstones.delete(row.jamfId);
    }
    this.meta = { ...copy(change.meta), version };
    return copy(this.meta);
  }

  async getFleetBuild(): Promise<FleetBuildState | null> {
    this.enter('getFleetBuild');
    return copy(this.build);
  }

  async beginFleetBuild(build: FleetBuildState): Promise<void> {
    this.enter('beginFleetBuild');
    this.staging.clear();
    this.build = copy(build);
  }

  async stageFleetItems(items: FleetSourceItem[], build: FleetBuildState): Promise<void> {
    this.enter('stageFleetItems');
    for (const i of items) this.staging.set(key(i.kind, i.id), copy(i));
    this.build = copy(build);
  }

  async readStagedFleetItems(kind: FleetSourceKind): Promise<FleetSourceItem[]> {
    this.enter('readStagedFleetItems');
    return [...this.staging.values()].filter((i) => i.kind === kind).map(copy);
  }

  async publishFleetBuild(
    macs: FleetMacRow[],
    meta: Omit<FleetSnapshotMeta, 'version'>,
  ): Promise<FleetSnapshotMeta> {
    this.enter('publishFleetBuild');
    const version = (this.meta?.version ?? 0) + 1;
    this.sources = new Map(this.staging);
    this.staging.clear();
    this.rows = new Map(macs.map((row) => [row.jamfId, { row: copy(row), version }]));
    this.tombstones.clear();
    this.build = null;
    this.meta = { ...copy(meta), version };
    return copy(this.meta);
  }

  async abandonFleetBuild(): Promise<void> {
    this.enter('abandonFleetBuild');
    this.staging.clear();
    this.build = null;
  }

  /** The published records by Jamf id (for assertions). */
  records(): Map<string, FleetMacRow['record']> {
    return new Map([...this.rows].map(([id, r]) => [id, r.row.record]));
  }
}
