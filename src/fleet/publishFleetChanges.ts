import type { FleetSnapshotMeta } from '../compliance/fleetSnapshotTypes';
import type { FleetSourceSet } from './fleetSourceSet';
import { joinSnapshot } from './joinSnapshot';
import type { SyncRunContext } from './syncRunContext';

/**
 * Re-joins the whole fleet from the (changed) sources, diffs the rows' hashes against the
 * published ones and writes sources, changed rows, removed Macs and the new meta in one
 * transaction: readers see the snapshot before or after, never between.
 */
export async function publishFleetChanges(
  ctx: SyncRunContext,
  meta: FleetSnapshotMeta,
  sources: FleetSourceSet,
  next: Pick<FleetSnapshotMeta, 'cursors' | 'connector'> & Partial<Pick<FleetSnapshotMeta, 'syncedAt'>>,
): Promise<{ meta: FleetSnapshotMeta; sources: number; macsUpserted: number; macsRemoved: number }> {
  const { rows, notApplicable } = joinSnapshot(
    {
      computers: sources.values('computer'),
      devices: sources.values('device'),
      users: sources.values('user'),
      memberships: sources.values('membership'),
      compliance: sources.values('compliance'),
    },
    { applicableGroup: ctx.criteria.applicableGroup, connectorGroupIds: next.connector.groupIds },
  );
  const hashes = await ctx.store.readFleetMacHashes();
  const upsertMacs = rows.filter((r) => hashes.get(r.jamfId) !== r.hash);
  const kept = new Set(rows.map((r) => r.jamfId));
  const removeMacs = [...hashes.keys()].filter((id) => !kept.has(id));
  const changes = sources.changes();
  const { version: _version, ...rest } = meta;
  const written = await ctx.store.applyFleetChanges({
    ...changes,
    upsertMacs,
    removeMacs,
    // `next.syncedAt`: a refresh of a few Macs keeps the age of the rest (cards must not call it fresh).
    meta: { ...rest, syncedAt: ctx.now().toISOString(), notApplicable, ...next },
  });
  return {
    meta: written,
    sources: changes.upsertSources.length + changes.removeSources.length,
    macsUpserted: upsertMacs.length,
    macsRemoved: removeMacs.length,
  };
}
