import { deviceNameKey } from './deviceNameKey';
import { indexEntraDevices, nameOwnerKey, type EntraDeviceIndex } from './indexEntraDevices';
import { deviceOwnerKeys, macOwnerKeys } from './ownerKeys';
import { parseTimestamp } from './parseTimestamp';
import type {
  EntraDevice,
  EntraUser,
  JamfComplianceInfo,
  JamfComputer,
  JoinMethod,
  MacRecord,
} from './types';

export interface FleetInput {
  computers: readonly JamfComputer[];
  /** Jamf's compliance info, for any subset of the computers (see `needsComplianceLookup`). */
  complianceInfos?: readonly JamfComplianceInfo[];
  /** Entra devices, with `ownerUpns`/`ownerIds` where the loader expanded them. */
  devices: readonly EntraDevice[];
  users: readonly EntraUser[];
  /** Object ids and/or UPNs of the connector group's members; omitted = membership unknown. */
  connectorGroupMembers?: Iterable<string>;
  /**
   * Macs whose join is already known (an incremental re-join keeps the joins its changes cannot
   * reach): they keep that device and method and take no part in the passes.
   */
  knownJoins?: ReadonlyMap<string, { entra: EntraDevice | null; joinedBy: JoinMethod }>;
}

const lower = (s: string | null | undefined): string => (s ?? '').trim().toLowerCase();

/** Re-registering a Mac leaves the old Entra record behind; the newest registration is the live one. */
const newer = (a: EntraDevice | null, b: EntraDevice): EntraDevice =>
  a !== null &&
  (parseTimestamp(a.registrationDateTime) ?? -Infinity) >=
    (parseTimestamp(b.registrationDateTime) ?? -Infinity)
    ? a
    : b;

/** The Entra user behind a Mac's Jamf user: by email (UPN, then mail), then username as UPN. */
export function userFinder(users: readonly EntraUser[]): (c: JamfComputer) => EntraUser | null {
  const byUpn = new Map<string, EntraUser>();
  const byMail = new Map<string, EntraUser>();
  for (const u of users) {
    const upn = lower(u.userPrincipalName);
    const mail = lower(u.mail);
    if (upn !== '' && !byUpn.has(upn)) byUpn.set(upn, u);
    if (mail !== '' && !byMail.has(mail)) byMail.set(mail, u);
  }
  return (c) =>
    pickUser(
      c,
      (k) => byUpn.get(k),
      (k) => byMail.get(k),
    );
}

/**
 * The rule `userFinder` applies, over any look-up of lower-cased UPNs and mails: the Mac's Jamf
 * email as a UPN, then as a mail, then its username as a UPN.
 */
export function pickUser(
  c: JamfComputer,
  byUpn: (key: string) => EntraUser | undefined,
  byMail: (key: string) => EntraUser | undefined,
): EntraUser | null {
  const email = lower(c.email);
  const username = lower(c.username);
  return (
    (email !== '' ? (byUpn(email) ?? byMail(email)) : undefined) ??
    (username !== '' ? byUpn(username) : undefined) ??
    null
  );
}

/** Owner-confirmed devices with the Mac's name: a few map lookups, whatever the fleet size. */
function ownedCandidates(
  index: EntraDeviceIndex,
  nameKey: string,
  ownerKeys: readonly string[],
): Set<EntraDevice> {
  const found = new Set<EntraDevice>();
  for (const k of ownerKeys)
    for (const d of index.byNameAndOwner.get(nameOwnerKey(nameKey, k)) ?? []) found.add(d);
  return found;
}

/**
 * Joins each Jamf computer to its Entra device and user, in three passes of decreasing
 * certainty, each over maps (linear in fleet size):
 * 1. `jamf-device-id` — the Entra deviceId Jamf's compliance info names;
 * 2. `name-and-owner` — same name, and the Mac's user is a registered owner (the newest
 *    registration wins when the user registered the Mac more than once);
 * 3. `name` — the only unclaimed device with that name, for the only unjoined Mac with it,
 *    and not owned by somebody else.
 * A device, once claimed, is never joined to a second Mac. Records come back in input order.
 */
export function joinFleet(input: FleetInput): MacRecord[] {
  const { computers } = input;
  const index = indexEntraDevices(input.devices);
  const findUser = userFinder(input.users);
  const members = input.connectorGroupMembers ? new Set([...input.connectorGroupMembers].map(lower)) : null;
  const infoById = new Map<string, JamfComplianceInfo>();
  for (const info of input.complianceInfos ?? [])
    if (!infoById.has(info.computerId)) infoById.set(info.computerId, info);

  const claimed = new Set<EntraDevice>();
  const users = computers.map(findUser);
  const nameKeys = computers.map((c) => deviceNameKey(c.name));
  const joined: (EntraDevice | null)[] = computers.map(() => null);
  const method: JoinMethod[] = computers.map(() => 'none');
  const claim = (i: number, d: EntraDevice, how: JoinMethod): void => {
    claimed.add(d);
    joined[i] = d;
    method[i] = how;
  };
  const known = computers.map((c) => input.knownJoins?.get(c.id));
  known.forEach((k, i) => {
    if (k?.entra) claim(i, k.entra, k.joinedBy);
  });

  computers.forEach((c, i) => {
    if (known[i]) return;
    for (const id of infoById.get(c.id)?.entraDeviceIds ?? []) {
      const d = index.byDeviceId.get(lower(id));
      if (d && !claimed.has(d)) return claim(i, d, 'jamf-device-id');
    }
  });

  const ownerKeys = computers.map((c, i) => macOwnerKeys(c, users[i] ?? null));
  computers.forEach((_, i) => {
    const name = nameKeys[i] ?? '';
    if (joined[i] || known[i] || name === '') return;
    let best: EntraDevice | null = null;
    for (const d of ownedCandidates(index, name, ownerKeys[i] ?? []))
      if (!claimed.has(d)) best = newer(best, d);
    if (best) claim(i, best, 'name-and-owner');
  });

  const unjoinedPerName = new Map<string, number>();
  computers.forEach((_, i) => {
    const name = nameKeys[i] ?? '';
    if (!joined[i] && !known[i] && name !== '')
      unjoinedPerName.set(name, (unjoinedPerName.get(name) ?? 0) + 1);
  });
  computers.forEach((_, i) => {
    const name = nameKeys[i] ?? '';
    if (joined[i] || known[i] || unjoinedPerName.get(name) !== 1) return;
    const mine = new Set(ownerKeys[i]);
    const open = (index.byName.get(name) ?? []).filter((d) => {
      if (claimed.has(d)) return false;
      const owners = deviceOwnerKeys(d);
      return owners.length === 0 || mine.size === 0 || owners.some((k) => mine.has(k));
    });
    const only = open.length === 1 ? open[0] : undefined;
    if (only) claim(i, only, 'name');
  });

  return computers.map((jamf, i) => {
    const user = users[i] ?? null;
    return {
      jamf,
      jamfCompliance: infoById.get(jamf.id) ?? null,
      entra: joined[i] ?? null,
      joinedBy: method[i] ?? 'none',
      user,
      userInConnectorGroup:
        user && members ? members.has(lower(user.id)) || members.has(lower(user.userPrincipalName)) : null,
    };
  });
}
