import type { FleetMacRow, FleetSnapshotMeta } from '../compliance/fleetSnapshotTypes';
import type { MacRecord } from '../compliance/types';
import type { FleetPublishedChanges } from './fleetSyncTypes';
import type { FleetSourceSet } from './fleetSourceSet';
import { joinSnapshot } from './joinSnapshot';
import { publishedRowsOf, type PublishedRows } from './publishedRows';
import { rejoinChanged } from './rejoinChanged';
import { sameIds } from './sameIds';
import type { SyncRunContext } from './syncRunContext';
import { yieldToLoop } from './yieldToLoop';

/**
 * Joins what the (changed) sources reach, diffs the rows' hashes against the published ones and
 * writes sources, changed rows, removed Macs and the new meta in one transaction: readers see the
 * snapshot before or after, never between. With `published` (this process published the state
 * the sources were kept from, for the same connector groups) only the Macs the changes can reach
 * are re-joined and nothing is read back; otherwise the whole fleet is re-joined and diffed
 * against the stored hashes. Returns the published state for the next run.
 */
export async function publishFleetChanges(
  ctx: SyncRunContext,
  meta: FleetSnapshotMeta,
  sources: FleetSourceSet,
  next: Pick<FleetSnapshotMeta, 'cursors' | 'connector'> & Partial<Pick<FleetSnapshotMeta, 'syncedAt'>>,
  published: PublishedRows | null = null,
): Promise<{
  meta: FleetSnapshotMeta;
  published: PublishedRows;
  /** After a whole-fleet join: every published record and the Macs written (for a reader to adopt). */
  whole: { records: MacRecord[]; changed: FleetPublishedChanges } | null;
  sources: number;
  macsUpserted: number;
  macsRemoved: number;
}> {
  const applicableGroup = ctx.criteria.applicableGroup;
  let upsertMacs: FleetMacRow[];
  let removeMacs: string[];
  let notApplicable: number;
  let state: PublishedRows;
  let records: MacRecord[] | null = null;
  if (published && sameIds(published.connectorGroupIds, next.connector.groupIds)) {
    // Each step its own turn of the event loop: requests waiting meanwhile are answered between.
    await sources.prepareIndex();
    await yieldToLoop();
    ({ upsertMacs, removeMacs, notApplicable } = rejoinChanged(sources, published, { applicableGroup }));
    state = published;
  } else {
    const joined = joinSnapshot(
      {
        computers: sources.values('computer'),
        devices: sources.values('device'),
        users: sources.values('user'),
        memberships: sources.values('membership'),
        compliance: sources.values('compliance'),
      },
      { applicableGroup, connectorGroupIds: next.connector.groupIds },
    );
    const hashes = await ctx.store.readFleetMacHashes();
    upsertMacs = joined.rows.filter((r) => hashes.get(r.jamfId) !== r.hash);
    const kept = new Set(joined.rows.map((r) => r.jamfId));
    removeMacs = [...hashes.keys()].filter((id) => !kept.has(id));
    notApplicable = joined.notApplicable;
    records = joined.rows.map((r) => r.record);
    state = publishedRowsOf(joined, sources.values('membership'), next.connector.groupIds);
  }
  const changes = sources.changes();
  await yieldToLoop();
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
    published: state,
    whole: records && {
      records,
      changed: { since: meta.version, upserted: upsertMacs.map((r) => r.jamfId), removed: removeMacs },
    },
    sources: changes.upsertSources.length + changes.removeSources.length,
    macsUpserted: upsertMacs.length,
    macsRemoved: removeMacs.length,
  };
}
