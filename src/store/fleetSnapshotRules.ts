import type { FleetSnapshotMeta, FleetSourceKey } from '../compliance/fleetSnapshotTypes';
import type { FleetSnapshotStore } from './ports/fleetSnapshotStore';

/**
 * What both fleet snapshot stores (SQLite, PostgreSQL) decide the same way, outside their SQL:
 * the lease's row, which read a reader gets, and the version a write publishes.
 */

/** What `applyFleetChanges` takes, `readFleetMacs` starts from and answers (the port's shapes). */
export type FleetChangeSet = Parameters<FleetSnapshotStore['applyFleetChanges']>[0];
export type FleetSince = NonNullable<Parameters<FleetSnapshotStore['readFleetMacs']>[0]>;
export type FleetMacsRead = Awaited<ReturnType<FleetSnapshotStore['readFleetMacs']>>;

/** The one row of `fleet_sync_lease` the fleet sync takes. */
export const FLEET_SYNC_LEASE = 'fleet-sync';

/** A reader holding nothing, or another epoch's version, reloads every row. */
export const isFullFleetRead = (since: FleetSince | null, meta: FleetSnapshotMeta): boolean =>
  since === null || since.epoch !== meta.epoch;

/** The meta a write stores: the stored version + 1 when it changed anything (0 before any). */
export const nextFleetMeta = (
  stored: FleetSnapshotMeta | null,
  meta: Omit<FleetSnapshotMeta, 'version'>,
  changed: boolean,
): FleetSnapshotMeta => ({ ...meta, version: (stored?.version ?? 0) + (changed ? 1 : 0) });

/**
 * One item per key, the last given winning: a multi-row upsert may not touch a row twice
 * (PostgreSQL refuses), and both stores then apply the same items.
 */
export function lastByKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    byKey.delete(k);
    byKey.set(k, item);
  }
  return [...byKey.values()];
}

/** A source item's key across kinds (for `lastByKey`). */
export const fleetSourceKey = (s: FleetSourceKey): string => `${s.kind}\u0000${s.id}`;
