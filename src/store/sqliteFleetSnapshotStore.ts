import type {
  FleetBuildState,
  FleetMacRow,
  FleetSnapshotMeta,
  FleetSourceItem,
  FleetSourceKind,
} from '../compliance/fleetSnapshotTypes';
import {
  type FleetChangeSet,
  type FleetMacsRead,
  type FleetSince,
  FLEET_SYNC_LEASE,
  fleetSourceKey,
  isFullFleetRead,
  lastByKey,
  nextFleetMeta,
} from './fleetSnapshotRules';
import type { FleetSnapshotStore } from './ports/fleetSnapshotStore';
import type { FleetBodyRow, FleetMacDbRow, FleetSourceRow } from './rowMappers';
import { toFleetBuild, toFleetMac, toFleetMeta, toFleetSource } from './rowMappers';
import { SqliteCampaignStore } from './sqliteCampaignStore';

/** A row is rewritten only when it was removed or its hash changed (`changes` then counts it). */
const UPSERT_MAC = `INSERT INTO fleet_macs (jamf_id, hash, record, version, removed) VALUES (?, ?, ?, ?, 0)
  ON CONFLICT (jamf_id) DO UPDATE SET hash = excluded.hash, record = excluded.record,
    version = excluded.version, removed = 0
  WHERE fleet_macs.removed = 1 OR fleet_macs.hash <> excluded.hash`;

/**
 * `FleetSnapshotStore` on SQLite: a link in the store's class chain (SqliteCampaignStore →
 * this → SqliteBotStore) so it shares the one connection and its prepared statements. Every
 * write is one `BEGIN IMMEDIATE` transaction of prepared statements (50,000 rows publish in a
 * second or two); every multi-statement read is one read transaction, so a reader never mixes
 * two states, even with another connection writing the file.
 */
export class SqliteFleetSnapshotStore extends SqliteCampaignStore implements FleetSnapshotStore {
  async acquireFleetSyncLease(holder: string, ttlMs: number, now: Date): Promise<boolean> {
    // One statement: a lease another holder still has is left alone (no change → not acquired).
    const info = this.prepare(
      `INSERT INTO fleet_sync_lease (name, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE fleet_sync_lease.expires_at <= ? OR fleet_sync_lease.holder = excluded.holder`,
    ).run(FLEET_SYNC_LEASE, holder, new Date(now.getTime() + ttlMs).toISOString(), now.toISOString());
    return info.changes === 1;
  }

  async releaseFleetSyncLease(holder: string): Promise<void> {
    this.prepare('DELETE FROM fleet_sync_lease WHERE name = ? AND holder = ?').run(FLEET_SYNC_LEASE, holder);
  }

  async getFleetSnapshotMeta(): Promise<FleetSnapshotMeta | null> {
    return this.fleetMeta();
  }

  async readFleetMacs(since: FleetSince | null): Promise<FleetMacsRead> {
    return this.db.transaction(() => {
      const meta = this.fleetMeta();
      if (!meta) return { meta, full: true, rows: [], removed: [] };
      if (isFullFleetRead(since, meta)) {
        const rows = this.prepare('SELECT jamf_id, hash, record FROM fleet_macs WHERE removed = 0');
        return {
          meta,
          full: true,
          rows: parseEach(rows.iterate() as Iterable<FleetMacDbRow>, toFleetMac),
          removed: [],
        };
      }
      const rows = this.prepare(
        'SELECT jamf_id, hash, record FROM fleet_macs WHERE version > ? AND removed = 0',
      ).all(since!.version) as FleetMacDbRow[];
      const removed = this.prepare('SELECT jamf_id FROM fleet_macs WHERE version > ? AND removed = 1')
        .pluck()
        .all(since!.version) as string[];
      return { meta, full: false, rows: rows.map(toFleetMac), removed };
    })();
  }

  async readFleetMacHashes(): Promise<Map<string, string>> {
    const rows = this.prepare('SELECT jamf_id, hash FROM fleet_macs WHERE removed = 0').raw().all();
    return new Map(rows as [string, string][]);
  }

  async readFleetSources(kind: FleetSourceKind): Promise<FleetSourceItem[]> {
    return this.sourceRows('fleet_sources', kind);
  }

  async applyFleetChanges(change: FleetChangeSet): Promise<FleetSnapshotMeta> {
    const upsertSource = this.prepare(
      `INSERT INTO fleet_sources (kind, id, body) VALUES (?, ?, ?)
       ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body WHERE fleet_sources.body <> excluded.body`,
    );
    const removeSource = this.prepare('DELETE FROM fleet_sources WHERE kind = ? AND id = ?');
    const upsertMac = this.prepare(UPSERT_MAC);
    const tombstone = this.prepare(
      'UPDATE fleet_macs SET removed = 1, version = ? WHERE jamf_id = ? AND removed = 0',
    );
    return this.db
      .transaction(() => {
        const stored = this.fleetMeta();
        const version = (stored?.version ?? 0) + 1;
        let changes = 0;
        for (const s of lastByKey(change.upsertSources, fleetSourceKey))
          changes += upsertSource.run(s.kind, s.id, JSON.stringify(s.body)).changes;
        for (const k of change.removeSources) changes += removeSource.run(k.kind, k.id).changes;
        for (const m of lastByKey(change.upsertMacs, (r) => r.jamfId))
          changes += upsertMac.run(m.jamfId, m.hash, JSON.stringify(m.record), version).changes;
        // After the upserts: an id in both lists ends removed.
        for (const id of change.removeMacs) changes += tombstone.run(version, id).changes;
        const written = nextFleetMeta(stored, change.meta, changes > 0);
        this.writeFleetBody('fleet_meta', written);
        return written;
      })
      .immediate();
  }

  async getFleetBuild(): Promise<FleetBuildState | null> {
    const row = this.prepare('SELECT body FROM fleet_build WHERE id = 1').get() as
      FleetBodyRow<FleetBuildState> | undefined;
    return row ? toFleetBuild(row) : null;
  }

  async beginFleetBuild(build: FleetBuildState): Promise<void> {
    this.db
      .transaction(() => {
        this.prepare('DELETE FROM fleet_staging').run();
        this.writeFleetBody('fleet_build', build);
      })
      .immediate();
  }

  async stageFleetItems(items: FleetSourceItem[], build: FleetBuildState): Promise<void> {
    const stage = this.prepare(
      `INSERT INTO fleet_staging (kind, id, body) VALUES (?, ?, ?)
       ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body`,
    );
    this.db
      .transaction(() => {
        for (const s of items) stage.run(s.kind, s.id, JSON.stringify(s.body));
        this.writeFleetBody('fleet_build', build);
      })
      .immediate();
  }

  async readStagedFleetItems(kind: FleetSourceKind): Promise<FleetSourceItem[]> {
    return this.sourceRows('fleet_staging', kind);
  }

  async publishFleetBuild(
    macs: FleetMacRow[],
    meta: Omit<FleetSnapshotMeta, 'version'>,
  ): Promise<FleetSnapshotMeta> {
    const insertMac = this.prepare(
      'INSERT INTO fleet_macs (jamf_id, hash, record, version, removed) VALUES (?, ?, ?, ?, 0)',
    );
    return this.db
      .transaction(() => {
        const written = nextFleetMeta(this.fleetMeta(), meta, true);
        this.prepare('DELETE FROM fleet_sources').run();
        this.prepare(
          'INSERT INTO fleet_sources (kind, id, body) SELECT kind, id, body FROM fleet_staging',
        ).run();
        this.prepare('DELETE FROM fleet_staging').run();
        this.prepare('DELETE FROM fleet_build').run();
        this.prepare('DELETE FROM fleet_macs').run();
        for (const m of lastByKey(macs, (r) => r.jamfId))
          insertMac.run(m.jamfId, m.hash, JSON.stringify(m.record), written.version);
        this.writeFleetBody('fleet_meta', written);
        return written;
      })
      .immediate();
  }

  async abandonFleetBuild(): Promise<void> {
    this.db
      .transaction(() => {
        this.prepare('DELETE FROM fleet_staging').run();
        this.prepare('DELETE FROM fleet_build').run();
      })
      .immediate();
  }

  private fleetMeta(): FleetSnapshotMeta | null {
    const row = this.prepare('SELECT body FROM fleet_meta WHERE id = 1').get() as
      FleetBodyRow<FleetSnapshotMeta> | undefined;
    return row ? toFleetMeta(row) : null;
  }

  private writeFleetBody(table: 'fleet_meta' | 'fleet_build', body: object): void {
    this.prepare(
      `INSERT INTO ${table} (id, body) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body`,
    ).run(JSON.stringify(body));
  }

  private sourceRows(table: 'fleet_sources' | 'fleet_staging', kind: FleetSourceKind): FleetSourceItem[] {
    const rows = this.prepare(`SELECT kind, id, body FROM ${table} WHERE kind = ?`).iterate(kind);
    return parseEach(rows as Iterable<FleetSourceRow>, toFleetSource);
  }
}

/**
 * Maps rows as SQLite steps through them: each row's JSON text is garbage as soon as it is
 * parsed, instead of every row's text being held (and promoted to the old generation) alongside
 * every parsed body — at 50,000 Macs that is tens of MiB of peak per full read.
 */
function parseEach<R, T>(rows: Iterable<R>, map: (row: R) => T): T[] {
  const out: T[] = [];
  for (const row of rows) out.push(map(row));
  return out;
}
