import type { EntraDevice, EntraUser } from '../../compliance/types';

/**
 * One page of a Graph delta round (or of a plain listing read page by page): follow `nextLink`
 * until a page carries `deltaLink`, store that, and call it later for the changes since.
 * Items that came back with `@removed` are in `removed` (their ids), not in `items`.
 */
export interface GraphDeltaPage<T> {
  items: T[];
  removed: string[];
  nextLink: string | null;
  deltaLink: string | null;
}

/** Where a delta read starts: a new round (every item), Graph's "from now" token, or a stored link. */
export type GraphDeltaStart = { round: 'initial' } | { round: 'latest' } | { link: string };

/** One tracked group in a `groups/delta?$select=members` page: its membership changes. */
export interface GroupMembersDelta {
  groupId: string;
  /** Members added (the initial round: every direct member). */
  added: { id: string; type: 'user' | 'group' | 'other' }[];
  /** Members removed since the last round (`@removed` inside `members@delta`). */
  removed: string[];
  /** The group itself was deleted (`@removed` on the group). */
  groupRemoved: boolean;
}

/** A page of Mac devices with their registered owners (`$expand`: at most 100 a page on real Graph). */
export interface GraphDevicePage {
  items: EntraDevice[];
  nextLink: string | null;
}

/**
 * The Graph reads the fleet sync uses. `GraphClient` implements them; a delta link or nextLink
 * that Graph no longer accepts (an expired token) rejects with `UpstreamError` code `gone`.
 * A throttled page rejects with code `throttled` and `retryAfterMs` once the client's own retry
 * budget is spent: the caller waits and asks for the same page again.
 */
export interface GraphFleetReads {
  /** `GET /devices/delta` (`$select`ed device fields; no owners: delta cannot expand them). Mac and other devices alike. */
  deviceDeltaPage(start: GraphDeltaStart): Promise<GraphDeltaPage<EntraDevice>>;
  /** `GET /users/delta` with `$select=id,userPrincipalName,mail,displayName`. */
  userDeltaPage(start: GraphDeltaStart): Promise<GraphDeltaPage<EntraUser>>;
  /** `GET /groups/delta?$select=members&$filter=id eq '…' or …` for `groupIds` (a new round), or a stored link. */
  groupMembersDeltaPage(
    start: { round: 'initial'; groupIds: string[] } | { link: string },
  ): Promise<GraphDeltaPage<GroupMembersDelta>>;
  /** One page of Mac devices with owners expanded; `link` null for the first. */
  macDevicesWithOwnersPage(link: string | null): Promise<GraphDevicePage>;
  /** Registered owners of these devices (object ids), 15 devices a filtered listing: object id → owners. */
  getDeviceOwners(deviceObjectIds: string[]): Promise<Map<string, { ids: string[]; upns: string[] }>>;
}
