import type { FleetMacRow } from '../compliance/fleetSnapshotTypes';
import { isInGroup } from '../compliance/isInGroup';
import { joinFleet } from '../compliance/joinFleet';
import type {
  EntraDevice,
  EntraUser,
  JamfComplianceInfo,
  JamfComputer,
  JoinMethod,
} from '../compliance/types';
import { changeComponent } from './changeComponent';
import type { FleetSourceSet } from './fleetSourceSet';
import { byJamfId, joinOf, parseJoin } from './joinSnapshot';
import { lowerConnectorMembers, type PublishedRows } from './publishedRows';
import { stableHash } from './stableHash';

const lower = (s: string | null | undefined): string => (s ?? '').trim().toLowerCase();

/** What an incremental re-join found to write. */
export interface RejoinResult {
  upsertMacs: FleetMacRow[];
  removeMacs: string[];
  notApplicable: number;
}

/**
 * Re-joins only the Macs the sources' pending changes can reach (see `changeComponent`), with
 * just the devices, users, compliance infos and connector members they need, in the whole
 * join's order — so each record comes out as a whole-fleet `joinSnapshot` would make it — and
 * rebuilds the records of Macs whose join a change cannot alter with their published join;
 * then diffs against the published rows. Updates `published` in place to the state it returns (the
 * caller drops it if the write fails). Same connector groups as `published` only.
 */
export function rejoinChanged(
  sources: FleetSourceSet,
  published: PublishedRows,
  opts: { applicableGroup: string },
): RejoinResult {
  const pending = sources.pending();
  const flipped: string[] = [];
  if (pending.some((c) => c.kind === 'membership')) {
    const members = lowerConnectorMembers(sources.values('membership'), published.connectorGroupIds);
    flipped.push(...macsOfMembersChanged(sources, published.members, members));
    published.members = members;
  }
  const component = changeComponent(sources, pending, published, flipped);

  const computers: JamfComputer[] = [];
  const complianceInfos: JamfComplianceInfo[] = [];
  const userKeys = new Set<string>();
  const knownJoins = new Map<string, { entra: EntraDevice | null; joinedBy: JoinMethod }>();
  for (const id of component.recordOnly) {
    const join = published.joins.get(id);
    if (join === undefined) knownJoins.set(id, { entra: null, joinedBy: 'none' });
    else {
      const { joinedBy, deviceObjectId } = parseJoin(join);
      knownJoins.set(id, { entra: sources.get('device', deviceObjectId) ?? null, joinedBy });
    }
  }
  for (const id of [...component.macs, ...component.recordOnly]) {
    const c = sources.get('computer', id);
    if (!c) continue;
    computers.push(c);
    const info = sources.get('compliance', id);
    if (info) complianceInfos.push(info);
    userKeys.add(lower(c.email));
    userKeys.add(lower(c.username));
  }
  computers.sort(byJamfId);
  const devices = inSourceOrder(sources, 'device', component.devices);
  const userIds = new Set<string>();
  const index = sources.index();
  for (const key of userKeys) for (const id of index.usersByKey.get(key)) userIds.add(id);
  const users = inSourceOrder(sources, 'user', userIds);
  const members = new Set<string>();
  for (const u of users)
    for (const key of [lower(u.id), lower(u.userPrincipalName)])
      if (published.members.has(key)) members.add(key);

  const records = joinFleet({
    computers,
    complianceInfos,
    devices,
    users,
    connectorGroupMembers: members,
    knownJoins,
  });
  // The re-joined Macs' claims go first, then come back as the join made them (a device can move
  // from one of them to another).
  for (const id of component.macs) {
    const join = published.joins.get(id);
    if (join === undefined) continue;
    published.joins.delete(id);
    const { deviceObjectId } = parseJoin(join);
    if (published.claims.get(deviceObjectId) === id) published.claims.delete(deviceObjectId);
  }
  const upsertMacs: FleetMacRow[] = [];
  const removeMacs: string[] = [];
  for (const record of records) {
    const id = record.jamf.id;
    if (record.entra && component.macs.has(id)) {
      published.joins.set(id, joinOf(record.joinedBy, record.entra.id));
      published.claims.set(record.entra.id, id);
    }
    if (isInGroup(record.jamf.groups, opts.applicableGroup)) {
      const hash = stableHash(record);
      if (published.hashes.get(id) === hash) continue;
      published.hashes.set(id, hash);
      upsertMacs.push({ jamfId: id, hash, record });
    } else if (published.hashes.delete(id)) removeMacs.push(id);
  }
  for (const id of component.macs)
    if (!sources.get('computer', id) && published.hashes.delete(id)) removeMacs.push(id);
  return { upsertMacs, removeMacs, notApplicable: sources.count('computer') - published.hashes.size };
}

/**
 * The chosen items in the sources' own order: the whole join breaks ties (a duplicate device id,
 * two registrations of the same age, a UPN two users share) by input order, so the part must
 * keep it. One pass over the ids, no bodies copied.
 */
function inSourceOrder<K extends 'device' | 'user'>(
  sources: FleetSourceSet,
  kind: K,
  ids: ReadonlySet<string>,
): (K extends 'device' ? EntraDevice : EntraUser)[] {
  type Body = K extends 'device' ? EntraDevice : EntraUser;
  const out: Body[] = [];
  if (ids.size === 0) return out;
  for (const [id, body] of sources.entries(kind)) if (ids.has(id)) out.push(body as Body);
  return out;
}

/** Macs whose user joined or left the connector groups: their `userInConnectorGroup` may flip. */
function macsOfMembersChanged(sources: FleetSourceSet, before: Set<string>, after: Set<string>): string[] {
  const flipped = new Set<string>();
  for (const m of before) if (!after.has(m)) flipped.add(m);
  for (const m of after) if (!before.has(m)) flipped.add(m);
  if (flipped.size === 0) return [];
  const index = sources.index();
  const macs: string[] = [];
  for (const u of sources.values('user')) {
    if (!flipped.has(lower(u.id)) && !flipped.has(lower(u.userPrincipalName))) continue;
    for (const key of [lower(u.userPrincipalName), lower(u.mail)])
      for (const id of index.computersByUserKey.get(key)) macs.push(id);
  }
  return macs;
}
