import type { FleetSnapshotMeta, FleetSyncCursors } from '../compliance/fleetSnapshotTypes';
import { deviceNameKey } from '../compliance/deviceNameKey';
import { loadConnectorScope } from '../lookup/connectorScope';
import { UpstreamError } from '../errors';
import type { EntraDevice } from '../compliance/types';
import type { GraphDeltaPage } from '../upstream/graph/graphDeltaTypes';
import { DEFAULT_COMPUTER_SECTIONS } from '../upstream/jamf/jamfClient';
import { ChangedDevices } from './changedDevices';
import type { FleetSourceSet } from './fleetSourceSet';
import { isMacDevice } from './isMacDevice';
import { reportedSince } from '../upstream/jamf/rsql';
import { lookUpChangedCompliance } from './lookUpChangedCompliance';
import { newestReportDate } from './newestReportDate';
import { membershipKey, readGroupMemberships } from './readGroupMemberships';
import { readComputersById } from './readComputersById';
import { readThrottled } from './readThrottled';
import { refreshDeviceOwners } from './refreshDeviceOwners';
import { upsertComputer } from './upsertComputer';
import type { SyncRunContext } from './syncRunContext';
import { sameIds } from './sameIds';

/** Owners asked per call (the client `$batch`es them 20 at a time). */
const OWNERS_PER_CALL = 100;

/**
 * An incremental sync's reads, applied to the published sources in memory (`sources` records
 * the changes): Graph device, user and group-membership deltas from the stored deltaLinks, Jamf
 * Macs reported since the last sync (minus the overlap) and Jamf's id listing for deletions,
 * then compliance look-ups for the changed Macs that need one. Returns the cursors and connector
 * to publish with. An expired delta token rejects with `UpstreamError` code `gone` (→ a full build).
 */
export async function runIncrementalSync(
  ctx: SyncRunContext,
  meta: FleetSnapshotMeta,
  sources: FleetSourceSet,
): Promise<{ cursors: FleetSyncCursors; connector: FleetSnapshotMeta['connector'] }> {
  const { cursors } = meta;
  if (cursors.devicesDeltaLink === null || cursors.usersDeltaLink === null)
    throw new UpstreamError('graph', 'gone', 'the snapshot holds no delta link to continue from');
  const changedDevices = new ChangedDevices();
  const [devicesDeltaLink, users, groups, jamf] = await Promise.all([
    syncDevices(ctx, cursors.devicesDeltaLink, sources, changedDevices),
    syncUsers(ctx, cursors.usersDeltaLink, sources),
    syncGroups(ctx, meta, sources),
    syncJamf(ctx, cursors.jamfReportedUpTo, sources),
  ]);
  refreshDeviceOwners(sources, users, changedDevices);
  const usersDeltaLink = users.deltaLink;
  await lookUpChangedCompliance(ctx, sources, jamf.changed, changedDevices);
  return {
    cursors: {
      devicesDeltaLink,
      usersDeltaLink,
      groupsDeltaLink: groups.deltaLink,
      trackedGroupIds: groups.tracked,
      jamfReportedUpTo: jamf.reportedUpTo,
    },
    connector: groups.connector,
  };
}

/** Follows a delta link to its next deltaLink, handing each page to `apply`. */
async function followDelta<T>(
  ctx: SyncRunContext,
  what: string,
  link: string,
  read: (link: string) => Promise<GraphDeltaPage<T>>,
  apply: (page: GraphDeltaPage<T>) => void | Promise<void>,
): Promise<string> {
  let next = link;
  for (;;) {
    const from = next;
    const page = await readThrottled(what, () => read(from), ctx.throttle);
    await apply(page);
    if (page.deltaLink !== null) return page.deltaLink;
    if (page.nextLink === null)
      throw new UpstreamError('graph', 'bad_response', `${what} ended without a deltaLink`);
    next = page.nextLink;
  }
}

/** Device changes; owners (which delta cannot expand) are kept from the stored device unless it is new or renamed. */
async function syncDevices(
  ctx: SyncRunContext,
  link: string,
  sources: FleetSourceSet,
  changedDevices: ChangedDevices,
): Promise<string> {
  const needOwners = new Map<string, EntraDevice>();
  const deltaLink = await followDelta(
    ctx,
    'devices/delta',
    link,
    (l) => ctx.graph.deviceDeltaPage({ link: l }),
    (page) => {
      for (const id of page.removed) {
        const before = sources.get('device', id);
        if (before && sources.remove('device', id)) changedDevices.note(before, undefined);
      }
      for (const d of page.items) {
        const before = sources.get('device', d.id);
        if (!isMacDevice(d, ctx.settings.macOperatingSystems)) {
          if (before && sources.remove('device', d.id)) changedDevices.note(before, undefined);
          continue;
        }
        const renamed = !before || deviceNameKey(before.displayName) !== deviceNameKey(d.displayName);
        const device = mergeDelta(before, d);
        if (renamed) {
          needOwners.set(d.id, device);
          continue;
        }
        if (before) {
          device.ownerIds = before.ownerIds;
          device.ownerUpns = before.ownerUpns;
        }
        // Same name and owners (compliance, sign-in, OS version): the join's candidates are
        // unchanged, so no Mac needs Jamf's compliance info again for it.
        sources.upsert('device', d.id, device);
      }
    },
  );
  const ids = [...needOwners.keys()];
  for (let i = 0; i < ids.length; i += OWNERS_PER_CALL) {
    const batch = ids.slice(i, i + OWNERS_PER_CALL);
    const owners = await readThrottled('device owners', () => ctx.graph.getDeviceOwners(batch), ctx.throttle);
    for (const id of batch) {
      const d = needOwners.get(id) as EntraDevice;
      const o = owners.get(id);
      const before = sources.get('device', id);
      const after = { ...d, ownerIds: o?.ids ?? [], ownerUpns: o?.upns ?? [] };
      sources.upsert('device', id, after);
      changedDevices.note(before, after);
    }
  }
  return deltaLink;
}

/** User changes; returns the users removed and those whose UPN changed (their devices' owners need refreshing). */
async function syncUsers(
  ctx: SyncRunContext,
  link: string,
  sources: FleetSourceSet,
): Promise<{ deltaLink: string; changed: Set<string>; removed: Set<string> }> {
  const changed = new Set<string>();
  const removed = new Set<string>();
  const deltaLink = await followDelta(
    ctx,
    'users/delta',
    link,
    (l) => ctx.graph.userDeltaPage({ link: l }),
    (page) => {
      for (const id of page.removed) if (sources.remove('user', id)) removed.add(id);
      for (const u of page.items) {
        const before = sources.get('user', u.id);
        const after = mergeDelta(before, u);
        sources.upsert('user', u.id, after);
        if (before && before.userPrincipalName !== after.userPrincipalName) changed.add(u.id);
        removed.delete(u.id);
      }
    },
  );
  return { deltaLink, changed, removed };
}

/**
 * Membership changes of the tracked groups. A new nested group, or a connector now targeting
 * other groups, needs a new initial round (one deltaLink covers a fixed set of groups): the
 * memberships it reads replace the stored ones.
 */
async function syncGroups(
  ctx: SyncRunContext,
  meta: FleetSnapshotMeta,
  sources: FleetSourceSet,
): Promise<{ deltaLink: string | null; tracked: string[]; connector: FleetSnapshotMeta['connector'] }> {
  const scope = await readThrottled(
    'connector scope',
    () => loadConnectorScope(ctx.graph, ctx.connectorName),
    ctx.throttle,
  );
  const connector = { groupIds: scope.groupIds, groupNames: scope.groupNames };
  const sameScope = sameIds(scope.groupIds, meta.connector.groupIds);
  let tracked = meta.cursors.trackedGroupIds;
  const link = meta.cursors.groupsDeltaLink;
  let newRound = !sameScope || (link === null && scope.groupIds.length > 0);
  let deltaLink = link;
  if (!newRound && link !== null) {
    const known = new Set(tracked.map((g) => g.toLowerCase()));
    const nested: string[] = [];
    deltaLink = await followDelta(
      ctx,
      'groups/delta',
      link,
      (l) => ctx.graph.groupMembersDeltaPage({ link: l }),
      (page) => {
        for (const g of page.items) {
          if (g.groupRemoved) {
            for (const key of [...sources.ids('membership')])
              if (key.startsWith(`${g.groupId}/`)) sources.remove('membership', key);
            continue;
          }
          for (const id of g.removed)
            sources.remove('membership', membershipKey({ groupId: g.groupId, memberId: id }));
          for (const m of g.added) {
            const membership = { groupId: g.groupId, memberId: m.id, memberType: m.type };
            sources.upsert('membership', membershipKey(membership), membership);
            if (m.type === 'group' && !known.has(m.id.toLowerCase())) {
              known.add(m.id.toLowerCase());
              nested.push(m.id);
            }
          }
        }
      },
    );
    if (nested.length > 0) {
      newRound = true;
      tracked = [...tracked, ...nested];
    }
  }
  if (!newRound) return { deltaLink, tracked, connector };

  const start = sameScope ? tracked : [...scope.groupIds];
  const seen = new Set<string>();
  const round = await readGroupMemberships(
    ctx,
    { tracked: start, pending: [], next: null, deltaLink: null },
    async (found) => {
      for (const m of found) {
        const key = membershipKey(m);
        seen.add(key);
        sources.upsert('membership', key, m);
      }
    },
  );
  for (const key of [...sources.ids('membership')]) if (!seen.has(key)) sources.remove('membership', key);
  return { deltaLink: round.deltaLink, tracked: round.tracked, connector };
}

/** Jamf Macs reported since the last sync (minus the overlap), and deletions from the id listing. */
async function syncJamf(
  ctx: SyncRunContext,
  reportedUpTo: string | null,
  sources: FleetSourceSet,
): Promise<{ changed: Set<string>; reportedUpTo: string | null }> {
  const changed = new Set<string>();
  const since =
    reportedUpTo === null
      ? null
      : new Date(Date.parse(reportedUpTo) - ctx.settings.jamfOverlapMinutes * 60_000);
  const filter = since === null ? undefined : reportedSince(since);
  const pageSize = ctx.settings.jamfPageSize;
  let newest = reportedUpTo;
  for (let page = 0, pages = 1; page < pages; page++) {
    const got = await readThrottled(
      `Jamf changed inventory page ${page}`,
      () =>
        ctx.jamf.getComputersPage({
          page,
          pageSize,
          sections: DEFAULT_COMPUTER_SECTIONS,
          filter,
          signal: ctx.signal,
        }),
      ctx.throttle,
    );
    pages = Math.ceil(got.totalCount / pageSize);
    for (const c of got.computers)
      if (upsertComputer(sources, c, ctx.criteria) === 'identity') changed.add(c.id);
    newest = newestReportDate(got.computers, newest);
  }
  // Deletions are rare: one page of one Mac gives Jamf's total, and only a total that differs
  // from the Macs held (after the changes above) costs the id listing (25 pages at 50,000 Macs).
  // A deletion hidden by an unseen enrolment in the same interval waits for the full resync.
  const { totalCount } = await readThrottled(
    'Jamf computer count',
    () => ctx.jamf.getComputersPage({ page: 0, pageSize: 1, sections: ['GENERAL'], signal: ctx.signal }),
    ctx.throttle,
  );
  if (totalCount === sources.count('computer')) return { changed, reportedUpTo: newest };
  const ids = await readThrottled(
    'Jamf computer ids',
    () => ctx.jamf.listComputerIds({ signal: ctx.signal, knownIds: [...sources.ids('computer')] }),
    ctx.throttle,
  );
  const listed = new Set(ids);
  for (const id of [...sources.ids('computer')]) {
    if (listed.has(id)) continue;
    sources.remove('computer', id);
    sources.remove('compliance', id);
    changed.add(id);
  }
  // Listed but never seen: a Mac that came back, or one the filter missed (its report date older than the cursor).
  const unknown = ids.filter((id) => sources.get('computer', id) === undefined);
  if (unknown.length > 0)
    for (const c of await readComputersById(ctx, unknown))
      if (upsertComputer(sources, c, ctx.criteria) === 'identity') changed.add(c.id);
  return { changed, reportedUpTo: newest };
}

/** A delta item over the stored one: an update may carry only the properties that changed. */
function mergeDelta<T extends object>(before: T | undefined, item: T): T {
  if (before === undefined) return item;
  return { ...before, ...Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined)) };
}
