import type { PoolClient } from 'pg';
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
import { PgCampaignStore } from './pgCampaignStore';
import type { FleetSnapshotStore } from './ports/fleetSnapshotStore';
import type { FleetBodyRow, FleetMacDbRow, FleetSourceRow } from './rowMappers';
import { toFleetBuild, toFleetMac, toFleetMeta, toFleetSource } from './rowMappers';

/**
 * The transaction-level advisory lock every fleet write takes first: writes from several
 * instances (a lease that ran out mid-sync) queue instead of both reading version N and both
 * writing N + 1. Not the migration lock's key.
 */
export const FLEET_WRITE_LOCK_KEY = '7418032616950871017';

/** Rows per statement: 500 records of 1–2 KB make a ~1 MB parameter, 100 round trips for 50,000. */
export const FLEET_CHUNK_ROWS = 500;

/** The rows of a chunk arrive as one JSON array parameter (`$1`), unpacked in SQL. */
const SOURCE_ROWS = `SELECT e ->> 'kind', e ->> 'id', e -> 'body' FROM json_array_elements($1::json) AS e`;
const MAC_ROWS = `SELECT e ->> 'jamfId', e ->> 'hash', e -> 'record', $2::integer, false
  FROM json_array_elements($1::json) AS e`;

/**
 * `FleetSnapshotStore` on PostgreSQL: a link in the store's class chain (PgCampaignStore → this
 * → PgBotStore), sharing its pool. Writes are one transaction each, under `FLEET_WRITE_LOCK_KEY`,
 * with rows sent in chunks of `FLEET_CHUNK_ROWS` as JSON arrays (one statement per chunk);
 * `readFleetMacs` is one REPEATABLE READ transaction, so its meta and rows are the same state.
 * Bodies are `json` columns: stored as written, parsed by the driver on read.
 */
export class PgFleetSnapshotStore extends PgCampaignStore implements FleetSnapshotStore {
  async acquireFleetSyncLease(holder: string, ttlMs: number, now: Date): Promise<boolean> {
    // One statement: a concurrent taker waits on the row, then re-checks the WHERE against the
    // winner's row, so two instances never both get it.
    const rows = await this.query(
      `INSERT INTO fleet_sync_lease AS l (name, holder, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE l.expires_at <= $4 OR l.holder = excluded.holder
       RETURNING 1 AS held`,
      [FLEET_SYNC_LEASE, holder, new Date(now.getTime() + ttlMs).toISOString(), now.toISOString()],
    );
    return rows.length === 1;
  }

  async releaseFleetSyncLease(holder: string): Promise<void> {
    await this.query('DELETE FROM fleet_sync_lease WHERE name = $1 AND holder = $2', [
      FLEET_SYNC_LEASE,
      holder,
    ]);
  }

  async getFleetSnapshotMeta(): Promise<FleetSnapshotMeta | null> {
    const [row] = await this.query<FleetBodyRow<FleetSnapshotMeta>>(
      'SELECT body FROM fleet_meta WHERE id = 1',
    );
    return row ? toFleetMeta(row) : null;
  }

  async readFleetMacs(since: FleetSince | null): Promise<FleetMacsRead> {
    return this.transaction(async (client) => {
      const meta = await fleetMeta(client);
      if (!meta) return { meta, full: true, rows: [], removed: [] };
      if (isFullFleetRead(since, meta)) {
        const all = await client.query<FleetMacDbRow>(
          'SELECT jamf_id, hash, record FROM fleet_macs WHERE NOT removed',
        );
        return { meta, full: true, rows: all.rows.map(toFleetMac), removed: [] };
      }
      const changed = await client.query<FleetMacDbRow & { removed: boolean }>(
        'SELECT jamf_id, hash, record, removed FROM fleet_macs WHERE version > $1',
        [since!.version],
      );
      return {
        meta,
        full: false,
        rows: changed.rows.filter((r) => !r.removed).map(toFleetMac),
        removed: changed.rows.filter((r) => r.removed).map((r) => r.jamf_id),
      };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async readFleetMacHashes(): Promise<Map<string, string>> {
    const rows = await this.query<{ jamf_id: string; hash: string }>(
      'SELECT jamf_id, hash FROM fleet_macs WHERE NOT removed',
    );
    return new Map(rows.map((r) => [r.jamf_id, r.hash]));
  }

  async readFleetSources(kind: FleetSourceKind): Promise<FleetSourceItem[]> {
    const rows = await this.query<FleetSourceRow>(
      'SELECT kind, id, body FROM fleet_sources WHERE kind = $1',
      [kind],
    );
    return rows.map(toFleetSource);
  }

  async applyFleetChanges(change: FleetChangeSet): Promise<FleetSnapshotMeta> {
    return this.fleetWrite(async (client) => {
      const stored = await fleetMeta(client);
      const version = (stored?.version ?? 0) + 1;
      let changes = 0;
      for (const chunk of chunksOf(lastByKey(change.upsertSources, fleetSourceKey)))
        changes += await count(
          client,
          `INSERT INTO fleet_sources AS s (kind, id, body) ${SOURCE_ROWS}
           ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body
           WHERE s.body::text <> excluded.body::text`,
          [JSON.stringify(chunk)],
        );
      if (change.removeSources.length > 0)
        changes += await count(
          client,
          `DELETE FROM fleet_sources WHERE (kind, id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
          [change.removeSources.map((k) => k.kind), change.removeSources.map((k) => k.id)],
        );
      for (const chunk of chunksOf(lastByKey(change.upsertMacs, (r) => r.jamfId)))
        changes += await count(
          client,
          `INSERT INTO fleet_macs AS m (jamf_id, hash, record, version, removed) ${MAC_ROWS}
           ON CONFLICT (jamf_id) DO UPDATE SET hash = excluded.hash, record = excluded.record,
             version = excluded.version, removed = false
           WHERE m.removed OR m.hash <> excluded.hash`,
          [JSON.stringify(chunk), version],
        );
      // After the upserts: an id in both lists ends removed.
      if (change.removeMacs.length > 0)
        changes += await count(
          client,
          'UPDATE fleet_macs SET removed = true, version = $2 WHERE jamf_id = ANY ($1::text[]) AND NOT removed',
          [change.removeMacs, version],
        );
      const written = nextFleetMeta(stored, change.meta, changes > 0);
      await writeFleetBody(client, 'fleet_meta', written);
      return written;
    });
  }

  async getFleetBuild(): Promise<FleetBuildState | null> {
    const [row] = await this.query<FleetBodyRow<FleetBuildState>>(
      'SELECT body FROM fleet_build WHERE id = 1',
    );
    return row ? toFleetBuild(row) : null;
  }

  async beginFleetBuild(build: FleetBuildState): Promise<void> {
    await this.fleetWrite(async (client) => {
      await client.query('DELETE FROM fleet_staging');
      await writeFleetBody(client, 'fleet_build', build);
    });
  }

  async stageFleetItems(items: FleetSourceItem[], build: FleetBuildState): Promise<void> {
    await this.fleetWrite(async (client) => {
      for (const chunk of chunksOf(lastByKey(items, fleetSourceKey)))
        await client.query(
          `INSERT INTO fleet_staging (kind, id, body) ${SOURCE_ROWS}
           ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body`,
          [JSON.stringify(chunk)],
        );
      await writeFleetBody(client, 'fleet_build', build);
    });
  }

  async readStagedFleetItems(kind: FleetSourceKind): Promise<FleetSourceItem[]> {
    const rows = await this.query<FleetSourceRow>(
      'SELECT kind, id, body FROM fleet_staging WHERE kind = $1',
      [kind],
    );
    return rows.map(toFleetSource);
  }

  async publishFleetBuild(
    macs: FleetMacRow[],
    meta: Omit<FleetSnapshotMeta, 'version'>,
  ): Promise<FleetSnapshotMeta> {
    return this.fleetWrite(async (client) => {
      const written = nextFleetMeta(await fleetMeta(client), meta, true);
      // DELETE, not TRUNCATE: TRUNCATE is not MVCC-safe, a REPEATABLE READ reader would see empty tables.
      await client.query('DELETE FROM fleet_sources');
      await client.query(
        'INSERT INTO fleet_sources (kind, id, body) SELECT kind, id, body FROM fleet_staging',
      );
      await client.query('DELETE FROM fleet_staging');
      await client.query('DELETE FROM fleet_build');
      await client.query('DELETE FROM fleet_macs');
      for (const chunk of chunksOf(lastByKey(macs, (r) => r.jamfId)))
        await client.query(`INSERT INTO fleet_macs (jamf_id, hash, record, version, removed) ${MAC_ROWS}`, [
          JSON.stringify(chunk),
          written.version,
        ]);
      await writeFleetBody(client, 'fleet_meta', written);
      return written;
    });
  }

  async abandonFleetBuild(): Promise<void> {
    await this.fleetWrite(async (client) => {
      await client.query('DELETE FROM fleet_staging');
      await client.query('DELETE FROM fleet_build');
    });
  }

  /** A write transaction that holds the fleet write lock until it ends. */
  private fleetWrite<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [FLEET_WRITE_LOCK_KEY]);
      return fn(client);
    });
  }
}

async function fleetMeta(client: PoolClient): Promise<FleetSnapshotMeta | null> {
  const { rows } = await client.query<FleetBodyRow<FleetSnapshotMeta>>(
    'SELECT body FROM fleet_meta WHERE id = 1',
  );
  return rows[0] ? toFleetMeta(rows[0]) : null;
}

async function writeFleetBody(
  client: PoolClient,
  table: 'fleet_meta' | 'fleet_build',
  body: object,
): Promise<void> {
  await client.query(
    `INSERT INTO ${table} (id, body) VALUES (1, $1::json) ON CONFLICT (id) DO UPDATE SET body = excluded.body`,
    [JSON.stringify(body)],
  );
}

/** Rows a statement wrote (inserted, updated or deleted). */
async function count(client: PoolClient, sql: string, params: unknown[]): Promise<number> {
  return (await client.query(sql, params)).rowCount ?? 0;
}

function* chunksOf<T>(items: readonly T[], size = FLEET_CHUNK_ROWS): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
