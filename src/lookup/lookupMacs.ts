import { deviceNameKey } from '../compliance/deviceNameKey';
import { joinFleet } from '../compliance/joinFleet';
import type { DeviceQuery } from '../compliance/classifyDeviceQuery';
import type {
  EntraDevice,
  EntraUser,
  JamfComplianceInfo,
  JamfComputer,
  MacRecord,
} from '../compliance/types';
import { UpstreamError, type UpstreamService } from '../errors';
import type { GraphClient } from '../upstream/graph/graphClient';
import type { JamfClient } from '../upstream/jamf/jamfClient';
import { rsqlEquals, rsqlOr } from '../upstream/jamf/rsql';
import type { ConnectorScope } from './connectorScope';
import type { InventoryIndex } from './inventoryIndex';
import { needsComplianceLookup } from '../compliance/needsComplianceLookup';

/** The query as typed plus its other apostrophe style (' and ’), each once. */
function nameForms(value: string): string[] {
  return [...new Set([value, value.replace(/[\u2018\u2019]/g, "'"), value.replace(/'/g, '\u2019')])];
}

/**
 * What to look up: a query as typed, one Jamf computer by id (pick lists, Refresh), or the Macs of
 * one Entra user by object id — the caller of `status`, taken from the authenticated activity.
 */
export type LookupQuery =
  DeviceQuery | { kind: 'jamf-id'; value: string } | { kind: 'entra-user'; value: string };

export interface LookupDeps {
  jamf: Pick<JamfClient, 'listComputers' | 'findComputers' | 'getComplianceInfo' | 'getComputer'>;
  graph: Pick<
    GraphClient,
    | 'getDeviceByDeviceId'
    | 'findDevicesByName'
    | 'findUser'
    | 'getUser'
    | 'getUserDevices'
    | 'checkMemberGroups'
  >;
  connectorScope: () => Promise<ConnectorScope>;
  /** Jamf's inventory kept in memory: when it knows the query, Jamf is not searched live. */
  inventory?: Pick<InventoryIndex, 'find'>;
}

/** What a look-up found, and which service could not be asked. */
export interface MacLookup {
  records: MacRecord[];
  /** When the Jamf facts came from the inventory index: the time it was loaded. Null = asked live. */
  jamfAsOf: Date | null;
  /** Entra devices that matched the query but joined no Jamf computer (or Jamf failed). */
  entraOnly: EntraDevice[];
  failures: { service: UpstreamService; error: UpstreamError }[];
  connector: ConnectorScope | null;
  /** The Entra user a `user` or `entra-user` query found (null when none, or not such a query). */
  user: EntraUser | null;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: UpstreamError };

/** Runs a call, turning an UpstreamError into a value so one service failing does not hide the other. */
async function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    if (e instanceof UpstreamError) return { ok: false, error: e };
    throw e;
  }
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const m = new Map<string, T>();
  for (const i of items) if (!m.has(key(i))) m.set(key(i), i);
  return [...m.values()];
}

/**
 * Finds the Mac(s) a query names in Jamf Pro and Entra ID and joins them. Independent calls run
 * in parallel, in as few rounds as the APIs allow: (1) the search in both services and the
 * connector's scope; (2) per Mac: Jamf's compliance info, the Entra device by name, the user and
 * their connector-group membership; (3) only if still missing, the Entra device by the id Jamf
 * reported. A service that fails is reported in `failures`; the other's facts are still returned.
 */
export async function lookupMacs(query: LookupQuery, deps: LookupDeps): Promise<MacLookup> {
  const failures: MacLookup['failures'] = [];
  const note = <T>(s: Settled<T>, service: UpstreamService, fallback: T): T => {
    if (s.ok) return s.value;
    if (!failures.some((f) => f.service === service)) failures.push({ service, error: s.error });
    return fallback;
  };

  // Round 1: the search itself, in both services, and the connector scope.
  const scopeP = settle(deps.connectorScope());
  let computers: JamfComputer[] = [];
  let devices: EntraDevice[] = [];
  let queriedUser: EntraUser | null = null;
  let jamfAsOf: Date | null = null;
  /** Names already searched in Entra ID (lower-cased). */
  const searchedNames = new Set<string>();
  /** The Macs' users and their connector-group membership, when asked in round 1 already. */
  let earlyUserFacts: Promise<UserFacts[]> | null = null;
  const indexed =
    query.kind === 'serial-or-name'
      ? deps.inventory?.find({ by: 'serial-or-name', value: query.value })
      : query.kind === 'user'
        ? deps.inventory?.find({ by: 'email', value: query.value })
        : null;
  if (indexed) {
    // Jamf's side is known: ask Entra ID about the query and these Macs' names in one round.
    computers = indexed.computers;
    jamfAsOf = indexed.asOf;
    // A query that is a Mac's serial number is not a device name: Entra is asked for the Macs' names.
    const isSerial = computers.some((c) => c.serialNumber?.toLowerCase() === query.value.toLowerCase());
    const names = uniqueBy(
      [
        ...(query.kind === 'serial-or-name' && !isSerial ? nameForms(query.value) : []),
        ...computers.map((c) => c.name),
      ],
      (n) => n.toLowerCase(),
    );
    names.forEach((n) => searchedNames.add(n.toLowerCase()));
    if (query.kind === 'serial-or-name') {
      // The users are known too: ask about them in this round (the scope is cached: no wait).
      const scope = await scopeP;
      const groupIds = scope.ok ? scope.value.groupIds : [];
      earlyUserFacts = Promise.all(
        emailsOf(computers).map((e) => userAndMembership(e, groupIds, deps, null)),
      );
    }
    const [byName, u] = await Promise.all([
      Promise.all(names.map((n) => settle(deps.graph.findDevicesByName(n)))),
      query.kind === 'user' ? settle(userWithDevices(query.value, deps)) : null,
    ]);
    devices = byName.flatMap((s) => note(s, 'graph', []));
    if (u) {
      const found = note(u, 'graph', null);
      queriedUser = found?.user ?? null;
      devices = [...devices, ...(found?.devices ?? [])];
    }
  } else if (query.kind === 'jamf-id') {
    const computer = note(await settle(deps.jamf.getComputer(query.value)), 'jamf', null);
    computers = computer ? [computer] : [];
  } else if (query.kind === 'device-id') {
    const device = note(await settle(deps.graph.getDeviceByDeviceId(query.value)), 'graph', null);
    devices = device ? [device] : [];
    const owners = device?.ownerUpns ?? [];
    const fromIndex = device
      ? deps.inventory?.find({ by: 'names-or-users', names: [device.displayName], users: owners })
      : null;
    if (fromIndex) {
      computers = fromIndex.computers;
      jamfAsOf = fromIndex.asOf;
    } else if (device) {
      const found = await Promise.all([
        settle(deps.jamf.findComputers({ name: device.displayName })),
        ...owners.map((upn) => settle(deps.jamf.findComputers({ userEmail: upn }))),
      ]);
      computers = found.flatMap((s) => note(s, 'jamf', []));
    }
  } else if (query.kind === 'user') {
    const [c, u] = await Promise.all([
      settle(deps.jamf.findComputers({ userEmail: query.value })),
      settle(deps.graph.findUser(query.value)),
    ]);
    computers = note(c, 'jamf', []);
    queriedUser = note(u, 'graph', null);
    if (queriedUser) devices = note(await settle(deps.graph.getUserDevices(queriedUser.id)), 'graph', []);
  } else if (query.kind === 'entra-user') {
    // By object id both calls can start at once; Jamf knows people by e-mail, so it waits for the UPN.
    const [u, d] = await Promise.all([
      settle(deps.graph.getUser(query.value)),
      settle(deps.graph.getUserDevices(query.value)),
    ]);
    queriedUser = note(u, 'graph', null);
    devices = note(d, 'graph', []);
    const addresses = uniqueBy(
      [queriedUser?.userPrincipalName, queriedUser?.mail].filter((a): a is string => !!a && a.trim() !== ''),
      (a) => a.toLowerCase(),
    );
    const found = await Promise.all(addresses.map((a) => settle(deps.jamf.findComputers({ userEmail: a }))));
    computers = found.flatMap((s) => note(s, 'jamf', []));
  } else {
    // Names differ only in apostrophe style between people, Jamf and Entra; ask for each form.
    const forms = nameForms(query.value);
    const filter = rsqlOr(
      rsqlEquals('hardware.serialNumber', query.value),
      ...forms.map((f) => rsqlEquals('general.name', f)),
    );
    const [c, ...d] = await Promise.all([
      settle(deps.jamf.listComputers({ filter })),
      ...forms.map((f) => settle(deps.graph.findDevicesByName(f))),
    ]);
    const key = deviceNameKey(query.value);
    computers = note(c, 'jamf', []).filter(
      (x) => x.serialNumber?.toLowerCase() === query.value.toLowerCase() || deviceNameKey(x.name) === key,
    );
    devices = d.flatMap((s) => note(s, 'graph', []));
    forms.forEach((f) => searchedNames.add(f.toLowerCase()));
  }
  computers = uniqueBy(computers, (c) => c.id);
  devices = uniqueBy(devices, (d) => d.id);
  // Only devices the query itself found may be reported on their own: round 2 also finds other
  // people's devices that merely share a Mac's name.
  const direct = new Set(devices.map((d) => d.id));
  const connector = note(await scopeP, 'graph', null);
  const groupIds = connector?.groupIds ?? [];

  // Round 2: per Mac, what joins it to Entra and to its user.
  const emails = emailsOf(computers);
  const namesToSearch = uniqueBy(
    computers
      .map((c) => c.name)
      .filter(
        (n) =>
          !searchedNames.has(n.toLowerCase()) &&
          !devices.some((d) => d.displayName.toLowerCase() === n.toLowerCase()),
      ),
    (n) => n.toLowerCase(),
  );
  // Jamf's compliance info names the Entra device a Mac registered as. Asked live, it is asked
  // for every Mac; from the index, only where the Entra devices already found do not settle it:
  // no device with the Mac's name (unregistered, or renamed since), or an ambiguous name.
  const complianceIds = jamfAsOf
    ? new Set([
        ...needsComplianceLookup(computers, devices, { lookUpOwnedByOthers: true }),
        ...computers
          .filter((c) => !devices.some((d) => deviceNameKey(d.displayName) === deviceNameKey(c.name)))
          .map((c) => c.id),
      ])
    : new Set(computers.map((c) => c.id));
  const [infos, byName, userFacts] = await Promise.all([
    Promise.all(
      computers.filter((c) => complianceIds.has(c.id)).map((c) => settle(deps.jamf.getComplianceInfo(c.id))),
    ),
    Promise.all(namesToSearch.map((n) => settle(deps.graph.findDevicesByName(n)))),
    earlyUserFacts ?? Promise.all(emails.map((e) => userAndMembership(e, groupIds, deps, queriedUser))),
  ]);
  const complianceInfos = infos
    .map((s) => note(s, 'jamf', null))
    .filter((x): x is JamfComplianceInfo => x !== null);
  devices = uniqueBy([...devices, ...byName.flatMap((s) => note(s, 'graph', []))], (d) => d.id);

  // Round 3: Entra devices Jamf names that no search found.
  const missingIds = uniqueBy(
    complianceInfos.flatMap((i) => i.entraDeviceIds).filter((id) => !devices.some((d) => d.deviceId === id)),
    (id) => id.toLowerCase(),
  );
  if (missingIds.length) {
    const extra = await Promise.all(missingIds.map((id) => settle(deps.graph.getDeviceByDeviceId(id))));
    devices = [
      ...devices,
      ...extra.map((s) => note(s, 'graph', null)).filter((d): d is EntraDevice => d !== null),
    ];
  }

  const users: EntraUser[] = [];
  const members: string[] = [];
  for (const f of userFacts) {
    if (f.error && !failures.some((x) => x.service === 'graph'))
      failures.push({ service: 'graph', error: f.error });
    if (f.user) users.push(f.user);
    if (f.user && f.member) members.push(f.user.id);
  }
  const graphDown = failures.some((f) => f.service === 'graph');
  const records = joinFleet({
    computers,
    complianceInfos,
    devices,
    users: uniqueBy(users, (u) => u.id),
    connectorGroupMembers: graphDown || !connector ? undefined : members,
  });
  const joined = new Set(records.flatMap((r) => (r.entra ? [r.entra.id] : [])));
  // Entra devices the query matched directly that no Jamf computer claimed.
  const entraOnly = devices.filter(
    (d) =>
      direct.has(d.id) &&
      !joined.has(d.id) &&
      query.kind !== 'jamf-id' &&
      (query.kind !== 'serial-or-name' || deviceNameKey(d.displayName) === deviceNameKey(query.value)),
  );
  return { records, entraOnly, failures, connector, jamfAsOf, user: queriedUser };
}

/** A user by UPN or e-mail, and their registered devices. */
async function userWithDevices(
  value: string,
  deps: LookupDeps,
): Promise<{ user: EntraUser | null; devices: EntraDevice[] }> {
  const user = await deps.graph.findUser(value);
  return { user, devices: user ? await deps.graph.getUserDevices(user.id) : [] };
}

/** The e-mail addresses Jamf records for the Macs' users (a username that is one counts), each once. */
function emailsOf(computers: JamfComputer[]): string[] {
  return uniqueBy(
    computers.flatMap((c) => (c.email ? [c.email] : c.username?.includes('@') ? [c.username] : [])),
    (e) => e.toLowerCase(),
  );
}

type UserFacts = { user: EntraUser | null; member: boolean | null; error?: UpstreamError };

/** The Entra user behind an e-mail and whether they are in the connector's groups. */
async function userAndMembership(
  email: string,
  groupIds: string[],
  deps: LookupDeps,
  known: EntraUser | null,
): Promise<UserFacts> {
  const isKnown =
    known && [known.userPrincipalName, known.mail].some((v) => v?.toLowerCase() === email.toLowerCase());
  // Graph accepts a UPN where it takes a user id, so membership is asked alongside the user.
  const [u, m] = await Promise.all([
    isKnown ? Promise.resolve({ ok: true as const, value: known }) : settle(deps.graph.findUser(email)),
    groupIds.length ? settle(deps.graph.checkMemberGroups(isKnown ? known.id : email, groupIds)) : null,
  ]);
  if (!u.ok) return { user: null, member: null, error: u.error };
  const user = u.value;
  if (!user || !groupIds.length) return { user, member: groupIds.length ? null : false };
  if (m?.ok) return { user, member: m.value.length > 0 };
  // The e-mail was not the UPN: ask again by object id.
  const again = await settle(deps.graph.checkMemberGroups(user.id, groupIds));
  return again.ok ? { user, member: again.value.length > 0 } : { user, member: null, error: again.error };
}
