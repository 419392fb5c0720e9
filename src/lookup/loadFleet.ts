import pLimit from 'p-limit';
import { isInGroup } from '../compliance/isInGroup';
import { joinFleet } from '../compliance/joinFleet';
import { needsComplianceLookup } from '../compliance/needsComplianceLookup';
import type {
  ComplianceCriteria,
  EntraUser,
  JamfComplianceInfo,
  JamfComputer,
  JoinMethod,
  MacRecord,
} from '../compliance/types';
import type { GraphClient } from '../upstream/graph/graphClient';
import { DEFAULT_COMPUTER_SECTIONS, type JamfClient } from '../upstream/jamf/jamfClient';
import { allOrFirstError } from './allOrFirstError';
import { loadConnectorScope, type ConnectorScope } from './connectorScope';
import { findUsersByEmail } from './findUsersByEmail';
import { listGroupMemberUsers } from './listGroupMemberUsers';
import { usersFromDeviceOwners } from './usersFromDeviceOwners';

export interface LoadFleetDeps {
  jamf: Pick<JamfClient, 'listComputers' | 'getComplianceInfo'>;
  graph: Pick<GraphClient, 'listMacDevices' | 'batch' | 'listCompliancePartners' | 'findGroups'>;
  /** The composition root's cached scope; without it the scope is read (two requests). */
  connectorScope?: () => Promise<ConnectorScope>;
}

export interface LoadFleetOptions {
  criteria: Pick<ComplianceCriteria, 'applicableGroup'>;
  /**
   * Jamf inventory page size. Jamf Pro's real maximum is unconfirmed (the simulator and the
   * client accept up to 2000): lower it if a server refuses large pages.
   */
  jamfPageSize?: number;
  /** Compliance look-ups in flight at once: at most the Jamf client's own cap (Jamf asks for 5). */
  jamfConcurrency?: number;
  /** `$batch` calls in flight at once for user look-ups. */
  userBatchConcurrency?: number;
  /** The connector's display name, when it does not mention Jamf. */
  connectorName?: string;
  /** Clock for the timings in `stats`. */
  now?: () => number;
  /**
   * Stops the load: no further requests are sent, and it rejects with the signal's reason once
   * those in flight are done.
   */
  signal?: AbortSignal;
}

/** Round trips loadFleet asked for; the clients' retries and token requests are not counted. */
export interface FleetLoadRequests {
  jamf: { inventoryPages: number; complianceLookups: number };
  graph: {
    devicePages: number;
    memberPages: number;
    userLookupBatches: number;
    /** null: the caller supplied the (cached) scope. */
    connectorScope: number | null;
  };
}

export interface FleetLoadStats {
  wallMs: number;
  /** Round 1 (inventory, devices, scope and members, in parallel), round 2 (look-ups), the join. */
  phasesMs: { listing: number; lookups: number; join: number };
  requests: FleetLoadRequests;
  counts: {
    computers: number;
    applicable: number;
    notApplicable: number;
    entraMacDevices: number;
    connectorMembers: number;
    /** Distinct Mac users' addresses (applicable Macs), and how each was resolved. */
    userAddresses: number;
    usersFromMembers: number;
    usersFromDeviceOwners: number;
    usersLookedUp: number;
    usersNotFound: number;
    joinedBy: Record<JoinMethod, number>;
  };
}

export interface FleetLoad {
  /** Every applicable Mac (in the configured Applicable group), joined, in Jamf id order. */
  records: MacRecord[];
  connector: ConnectorScope;
  stats: FleetLoadStats;
}

export const DEFAULT_JAMF_PAGE_SIZE = 2000;
/** `JamfClient` clamps page sizes to this; used to count the pages it requested. */
const JAMF_CLIENT_MAX_PAGE_SIZE = 2000;
/** Devices come with owners expanded: Graph pages them by 100 whatever `$top` says (known issue 13635). */
const GRAPH_EXPANDED_PAGE_SIZE = 100;

const lower = (s: string | null | undefined): string => (s ?? '').trim().toLowerCase();

/** The address `lookupMacs` would search a Mac's user by: the email, else a username that is one. */
const userAddress = (c: JamfComputer): string =>
  lower(c.email) || (c.username?.includes('@') ? lower(c.username) : '');

/**
 * Every applicable Mac with its Jamf facts, Entra device and user, in two rounds of parallel
 * requests. Round 1: all Jamf inventory pages; all Entra Mac devices with their owners; the
 * connector scope, then its groups' transitive members with UPN and mail. Round 2, only for
 * what round 1 left open: Jamf's compliance info for the computers `needsComplianceLookup`
 * names (it holds the Entra deviceId), and `$batch`ed look-ups of the users that are neither a
 * connector-group member nor a device's registered owner. Non-applicable Macs still take part in
 * the join (a registered one keeps its device from a same-named applicable Mac) but get no
 * look-ups and are only counted. A failed request fails the load with its `UpstreamError`
 * (fleet counts from half the data would mislead), once the other branches have stopped: Jamf
 * and the member and user look-ups stop at once, the Entra device listing (`GraphClient` takes
 * no signal) runs to its end.
 */
export async function loadFleet(deps: LoadFleetDeps, opts: LoadFleetOptions): Promise<FleetLoad> {
  const now = opts.now ?? Date.now;
  const started = now();
  const pageSize = opts.jamfPageSize ?? DEFAULT_JAMF_PAGE_SIZE;
  const abort = new AbortController();
  const { signal } = abort;
  opts.signal?.throwIfAborted();
  const onCallerAbort = () => abort.abort();
  opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const scopeSupplied = deps.connectorScope !== undefined;
  const readScope = deps.connectorScope ?? (() => loadConnectorScope(deps.graph, opts.connectorName));

  try {
    // Round 1: everything that needs nothing but configuration.
    const [computers, devices, connector] = await allOrFirstError(abort, [
      deps.jamf.listComputers({ sections: DEFAULT_COMPUTER_SECTIONS, pageSize, signal }),
      deps.graph.listMacDevices({ expandOwners: true }),
      readScope().then(async (scope) => {
        const groups = await Promise.all(
          scope.groupIds.map((id) => listGroupMemberUsers(deps.graph, id, signal)),
        );
        return { scope, groups };
      }),
    ]);
    const listed = now();

    const applicable = computers.filter((c) => isInGroup(c.groups, opts.criteria.applicableGroup));
    const applicableIds = new Set(applicable.map((c) => c.id));
    const lookupIds = needsComplianceLookup(computers, devices).filter((id) => applicableIds.has(id));

    const memberIds = connector.groups.flatMap((g) => g.memberIds);
    const memberUsers = connector.groups.flatMap((g) => g.users);
    const ownerUsers = usersFromDeviceOwners(devices);
    const fromMembers = new Set<string>();
    for (const u of memberUsers)
      for (const k of [lower(u.userPrincipalName), lower(u.mail)]) if (k !== '') fromMembers.add(k);
    const fromOwners = new Set(ownerUsers.map((u) => lower(u.userPrincipalName)));
    const addresses = new Set(applicable.map(userAddress).filter((a) => a !== ''));
    const unknown = [...addresses].filter((a) => !fromMembers.has(a) && !fromOwners.has(a));

    // Round 2: only what round 1 could not settle.
    const jamfSlots = pLimit(Math.max(1, opts.jamfConcurrency ?? 5));
    const [infos, lookedUp] = await allOrFirstError(abort, [
      Promise.all(
        lookupIds.map((id) =>
          jamfSlots(() => {
            signal.throwIfAborted();
            return deps.jamf.getComplianceInfo(id);
          }),
        ),
      ),
      findUsersByEmail(deps.graph, unknown, { concurrency: opts.userBatchConcurrency, signal }),
    ]);
    const looked = now();

    const found = [...lookedUp.found.values()].filter((u): u is EntraUser => u !== null);
    const records = joinFleet({
      computers,
      complianceInfos: infos.filter((i): i is JamfComplianceInfo => i !== null),
      devices,
      // Members first: they carry mail and display name, owners only id and UPN.
      users: uniqueById([...memberUsers, ...found, ...ownerUsers]),
      connectorGroupMembers: memberIds,
    }).filter((r) => applicableIds.has(r.jamf.id));
    const done = now();

    const joinedBy: Record<JoinMethod, number> = {
      'jamf-device-id': 0,
      'name-and-owner': 0,
      name: 0,
      none: 0,
    };
    for (const r of records) joinedBy[r.joinedBy]++;
    const effectivePageSize = Math.max(1, Math.min(JAMF_CLIENT_MAX_PAGE_SIZE, Math.floor(pageSize)));
    return {
      records,
      connector: connector.scope,
      stats: {
        wallMs: done - started,
        phasesMs: { listing: listed - started, lookups: looked - listed, join: done - looked },
        requests: {
          jamf: {
            inventoryPages: pagesFor(computers.length, effectivePageSize),
            complianceLookups: lookupIds.length,
          },
          graph: {
            devicePages: pagesFor(devices.length, GRAPH_EXPANDED_PAGE_SIZE),
            memberPages: connector.groups.reduce((n, g) => n + g.pages, 0),
            userLookupBatches: lookedUp.batches,
            connectorScope: scopeSupplied ? null : 1 + connector.scope.groupIds.length,
          },
        },
        counts: {
          computers: computers.length,
          applicable: applicable.length,
          notApplicable: computers.length - applicable.length,
          entraMacDevices: devices.length,
          connectorMembers: new Set(memberIds).size,
          userAddresses: addresses.size,
          usersFromMembers: [...addresses].filter((a) => fromMembers.has(a)).length,
          usersFromDeviceOwners: [...addresses].filter((a) => fromOwners.has(a) && !fromMembers.has(a))
            .length,
          usersLookedUp: lookedUp.found.size,
          usersNotFound: lookedUp.found.size - found.length,
          joinedBy,
        },
      },
    };
  } catch (e) {
    // Stopped by the caller: say so, rather than with whichever branch noticed first.
    if (opts.signal?.aborted) throw opts.signal.reason;
    throw e;
  } finally {
    opts.signal?.removeEventListener('abort', onCallerAbort);
  }
}

/** A paged listing always asks for the first page, even when it is empty. */
const pagesFor = (items: number, pageSize: number): number => Math.max(1, Math.ceil(items / pageSize));

function uniqueById(users: readonly EntraUser[]): EntraUser[] {
  const byId = new Map<string, EntraUser>();
  for (const u of users) if (!byId.has(u.id)) byId.set(u.id, u);
  return [...byId.values()];
}
