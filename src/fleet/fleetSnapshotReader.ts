import type {
  FleetChange,
  FleetChanges,
  FleetSnapshotMeta,
  FleetSnapshotRead,
  FleetSnapshotSource,
} from '../compliance/fleetSnapshotTypes';
import type { MacRecord } from '../compliance/types';
import type { Logger } from '../log';
import type { FleetSnapshotStore } from '../store/ports/fleetSnapshotStore';
import type { FleetPublishedChanges } from './fleetSyncTypes';

export interface FleetSnapshotReaderDeps {
  store: Pick<FleetSnapshotStore, 'getFleetSnapshotMeta' | 'readFleetMacs' | 'getFleetBuild'>;
  /** The sync engine's `syncNow`: an incremental sync now (or the one running); a cold build when there is no snapshot. */
  requestSync: () => Promise<unknown>;
  logger: Logger;
  now?: () => Date;
  /** The store's header is checked at most this often (another instance may have published). */
  pollMs?: number;
}

export const DEFAULT_FLEET_POLL_MS = 1_000;

type Ready = Extract<FleetSnapshotRead, { state: 'ready' }>;

/**
 * The fleet snapshot in this process's memory, for fleet-wide answers: the published records
 * cached per (epoch, version). A read checks the store's one-row header at most every `pollMs`
 * (or at once after `notifyPublished`) and pulls only the rows changed since the version it holds
 * (removed Macs come as tombstones); another epoch (a full build was published) reloads all.
 * Each record is held once (rows' hashes are dropped); the array readers get is rebuilt only when
 * the version changes, and is the same array until then, so it can key per-version caches.
 * Before the first snapshot it reports the cold build's progress, and starts the build if no
 * instance has.
 */
export class FleetSnapshotReader implements FleetSnapshotSource {
  private readonly pollMs: number;
  private readonly now: () => Date;
  private byId = new Map<string, MacRecord>();
  private meta: FleetSnapshotMeta | null = null;
  private view: Ready | null = null;
  private building: FleetSnapshotRead | null = null;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private stale = true;
  private catchingUp: Promise<void> | null = null;
  private syncing: Promise<void> | null = null;
  private readonly changeListeners = new Set<(changes: FleetChanges) => void>();

  constructor(private readonly deps: FleetSnapshotReaderDeps) {
    this.pollMs = deps.pollMs ?? DEFAULT_FLEET_POLL_MS;
    this.now = deps.now ?? (() => new Date());
  }

  async read(): Promise<FleetSnapshotRead> {
    if (this.stale || this.now().getTime() - this.checkedAt >= this.pollMs) {
      this.catchingUp ??= this.catchUp().finally(() => {
        this.catchingUp = null;
      });
      await this.catchingUp;
    }
    return this.view ?? this.building!;
  }

  async refresh(opts: { timeoutMs: number }): Promise<FleetSnapshotRead> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, opts.timeoutMs));
      timer.unref();
    });
    await Promise.race([this.sync(), timeout]);
    clearTimeout(timer);
    return this.read();
  }

  /**
   * A sync in this process published a new version: the next read catches up at once. With the
   * records of a whole-fleet join (`published`: a full build, or the first incremental publish
   * after a start), the reader takes them as they are instead of parsing every row back from the
   * store — they share their objects with the sources the sync keeps, so the fleet is held once
   * (at 50,000 Macs a second copy is ~100 MiB; after a restart the reader's rows and the sync's
   * sources are read apart until this adoption). An incremental one (`changed`) is adopted only
   * on top of the version it started from, and its Macs are reported to `onChanges` as a pull
   * would. Not while a catch-up is running (it could finish with the older state after this):
   * then it reads back as before.
   */
  notifyPublished(published?: {
    meta: FleetSnapshotMeta;
    records: readonly MacRecord[];
    changed?: FleetPublishedChanges;
  }): void {
    this.stale = true;
    if (!published || this.catchingUp) return;
    const { meta, records, changed } = published;
    if (changed) {
      const held = this.meta;
      if (!held || held.epoch !== meta.epoch || held.version !== changed.since) return;
    }
    // The old records go first, so they can be collected as the new map fills.
    const before = this.byId;
    this.byId = new Map();
    this.view = null;
    for (const record of records) this.byId.set(record.jamf.id, record);
    this.publish(meta, true);
    this.stale = false;
    this.checkedAt = this.now().getTime();
    if (!changed || this.changeListeners.size === 0) return;
    const changes: FleetChange[] = [];
    for (const id of changed.removed) {
      const was = before.get(id);
      if (was) changes.push({ jamfId: id, before: was, after: null });
    }
    for (const id of changed.upserted)
      changes.push({ jamfId: id, before: before.get(id) ?? null, after: this.byId.get(id) ?? null });
    this.tell({ version: meta.version, at: new Date(meta.syncedAt), changes });
  }

  /**
   * Hears the Macs that changed each time this reader pulls a newer version within the same epoch
   * (an incremental sync or a webhook refresh): each with the record held before and the new one.
   * A full build's publish (a new epoch) reloads without comparing — holding both fleets at once
   * would double the memory — so it reports nothing. Returns the unsubscribe.
   */
  onChanges(listener: (changes: FleetChanges) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** The record held for one Mac (as of the last read), by Jamf id. */
  record(jamfId: string): MacRecord | undefined {
    return this.byId.get(jamfId);
  }

  /** How many Macs are held (the bench's memory check, `/metrics` later). */
  get size(): number {
    return this.byId.size;
  }

  /** One sync request at a time from this process; a failure is logged, the snapshot stays as it was. */
  private sync(): Promise<void> {
    this.syncing ??= this.deps
      .requestSync()
      .then(
        () => undefined,
        (err: unknown) =>
          this.deps.logger.warn({ err }, 'fleet sync request failed; answering from the snapshot held'),
      )
      .finally(() => {
        this.syncing = null;
        this.stale = true;
      });
    return this.syncing;
  }

  private async catchUp(): Promise<void> {
    this.stale = false;
    const checkedAt = this.now().getTime();
    try {
      const meta = await this.deps.store.getFleetSnapshotMeta();
      if (!meta) {
        await this.readBuild();
      } else if (this.meta && meta.epoch === this.meta.epoch && meta.version === this.meta.version) {
        // Nothing changed but maybe `syncedAt` (a sync that found nothing new): the "as of" moves.
        this.publish(meta, false);
      } else {
        await this.pullChanges();
      }
      this.checkedAt = checkedAt;
    } catch (err) {
      // With a snapshot in memory an answer from it beats an error card; without one there is nothing to answer.
      if (!this.view) throw err;
      this.deps.logger.warn({ err }, 'could not check the fleet snapshot; answering from the one held');
      this.checkedAt = checkedAt;
    }
  }

  private async pullChanges(): Promise<void> {
    const since = this.meta ? { epoch: this.meta.epoch, version: this.meta.version } : null;
    const got = await this.deps.store.readFleetMacs(since);
    if (!got.meta) {
      await this.readBuild();
      return;
    }
    if (got.full) {
      // Dropped first, so the old records can be collected while the new map fills.
      this.byId = new Map();
      this.view = null;
    }
    const changes: FleetChange[] = [];
    const tell = !got.full && this.changeListeners.size > 0;
    for (const id of got.removed) {
      const before = this.byId.get(id);
      if (tell && before) changes.push({ jamfId: id, before, after: null });
      this.byId.delete(id);
    }
    for (const row of got.rows) {
      if (tell)
        changes.push({ jamfId: row.jamfId, before: this.byId.get(row.jamfId) ?? null, after: row.record });
      this.byId.set(row.jamfId, row.record);
    }
    this.publish(got.meta, true);
    this.tell({ version: got.meta.version, at: new Date(got.meta.syncedAt), changes });
  }

  private tell(batch: FleetChanges): void {
    if (batch.changes.length === 0) return;
    for (const listener of this.changeListeners) {
      try {
        listener(batch);
      } catch (err) {
        this.deps.logger.error({ err }, 'a fleet change listener failed');
      }
    }
  }

  private publish(meta: FleetSnapshotMeta, changed: boolean): void {
    this.meta = meta;
    this.building = null;
    const records = changed || !this.view ? [...this.byId.values()] : this.view.records;
    this.view = {
      state: 'ready',
      records,
      notApplicable: meta.notApplicable,
      connector: meta.connector,
      asOf: new Date(meta.syncedAt),
      version: meta.version,
    };
  }

  private async readBuild(): Promise<void> {
    this.meta = null;
    this.view = null;
    this.byId = new Map();
    const build = await this.deps.store.getFleetBuild();
    if (build) {
      this.building = { state: 'building', progress: build.progress, startedAt: new Date(build.startedAt) };
      return;
    }
    // No snapshot and nobody building one: start the cold build (the sync takes its lease).
    void this.sync();
    this.building = {
      state: 'building',
      progress: { macsRead: 0, macsTotal: null, phase: 'starting' },
      startedAt: this.building?.state === 'building' ? this.building.startedAt : this.now(),
    };
  }
}
