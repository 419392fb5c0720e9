import type { EntraDevice, EntraUser } from '../../compliance/types';
import { UpstreamError, UserInputError } from '../../errors';
import { silentLogger, type Logger } from '../../log';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../retryPolicy';
import type { UpstreamObserver } from '../upstreamObserver';
import { createTrustingFetch } from './createTrustingFetch';
import type { FetchLike } from './fetchTypes';
import {
  toCompliancePartner,
  toConditionalAccessPolicy,
  toEntraDevice,
  toEntraGroup,
  toEntraUser,
  toPage,
  toServicePrincipal,
} from './graphMappers';
import { GraphTransport, type GraphCall } from './graphTransport';
import type {
  CompliancePartner,
  ConditionalAccessPolicy,
  EntraGroup,
  GraphBatchRequest,
  GraphBatchResult,
  NewSecurityGroup,
  PartnerAssignmentTarget,
  PartnerPlatform,
  ServicePrincipalInfo,
} from './graphTypes';
import { decodeTokenClaims, type GraphTokenClaims } from './decodeTokenClaims';
import { toDeltaPage, toGroupMembersDelta } from './graphDeltaMappers';
import type {
  GraphDeltaPage,
  GraphDeltaStart,
  GraphDevicePage,
  GraphFleetReads,
  GroupMembersDelta,
} from './graphDeltaTypes';
import {
  MsalTokenProvider,
  type ClientCertificateCredential,
  type MsalTokenProviderOptions,
} from './msalTokenProvider';
import {
  encodeODataComponent,
  odataEq,
  odataIn,
  odataKeySegment,
  odataQuery,
  odataStartsWith,
} from './odata';
import { runGraphBatch } from './runGraphBatch';
import { GraphRequestBatcher } from './graphRequestBatcher';

export interface GraphClientOptions {
  /** e.g. `https://graph.microsoft.com/v1.0`, or the demo simulator's `url`. */
  baseUrl: string;
  /** e.g. `https://login.microsoftonline.com`, or the demo simulator's `authorityHost`. */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  clientCertificate?: ClientCertificateCredential;
  /** Graph as the managed identity itself (see `MsalTokenProviderOptions.managedIdentity`). */
  managedIdentity?: MsalTokenProviderOptions['managedIdentity'];
  /** The app registration through a federated credential trusting a managed identity. */
  federated?: MsalTokenProviderOptions['federated'];
  /** Extra CA (PEM) to trust for Graph and Entra, e.g. the demo tenant's CA. */
  ca?: string | string[];
  /** Hard limit per HTTP attempt, token acquisition included. */
  timeoutMs: number;
  retryPolicy?: RetryPolicy;
  logger?: Logger;
  /** The HTTP layer; default: Node's fetch, with an undici Agent trusting `ca` when given. */
  fetch?: FetchLike;
  /** Told about every HTTP exchange, token requests included (metrics, health, the turn's deadline). */
  observer?: UpstreamObserver;
  /** Token scope; default `https://graph.microsoft.com/.default`. */
  scope?: string;
  /** `operatingSystem` values that mean a Mac in Entra (default `macOS`, `MacMDM`). */
  macOperatingSystems?: string[];
}

/** Longest text the client puts in a filter: longer than any UPN, name or id Entra stores. */
export const MAX_SEARCH_LENGTH = 1024;

const DEVICE_FIELDS =
  'id,deviceId,displayName,isCompliant,isManaged,trustType,operatingSystem,operatingSystemVersion,' +
  'registrationDateTime,approximateLastSignInDateTime';
const USER_FIELDS = 'id,userPrincipalName,displayName,mail';
const GROUP_FIELDS =
  'id,displayName,description,mailNickname,securityEnabled,mailEnabled,groupTypes,membershipRule,membershipRuleProcessingState';
/** How a `$ref` write names a directory object (Graph's documented form). */
export const DIRECTORY_OBJECT_BASE = 'https://graph.microsoft.com/v1.0/directoryObjects/';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PAGES = 10_000;
/** groups/delta: "There is a limit of 50 filtered objects" (Microsoft's group-delta page). */
const MAX_DELTA_FILTER_IDS = 50;

/** A delta round's first URL (`$select` as given), Graph's "from now" token, or a stored link. */
function deltaUrl(path: string, start: GraphDeltaStart, query: Record<string, string>): string {
  if ('link' in start) return start.link;
  return `${path}${odataQuery({ ...query, ...(start.round === 'latest' ? { $deltatoken: 'latest' } : {}) })}`;
}
/** `teamsApp@odata.bind` names the catalog app by its absolute URL on Graph v1.0, whatever the base URL. */
const GRAPH_V1 = 'https://graph.microsoft.com/v1.0';

/** Device ids per owner listing: Graph's default limit on the values of one `in`. */
const OWNER_IDS_PER_REQUEST = 15;

function checkSearch(value: string, what: string): string {
  const v = value.trim();
  if (v === '') throw new UserInputError(`Give a ${what} to look for.`);
  if (v.length > MAX_SEARCH_LENGTH) {
    throw new UserInputError(
      `That ${what} is too long to look up (${v.length} characters, at most ${MAX_SEARCH_LENGTH}).`,
    );
  }
  return v;
}

/**
 * Microsoft Graph for the bot: Entra devices, users, groups, the Intune compliance partner,
 * Conditional Access and service principals, returned as domain types. Built on the Graph SDK
 * with an msal-node app-only token; paging, `$batch`, retries, timeouts and OData escaping are
 * handled here so callers get complete results or an `UpstreamError('graph', code)`.
 */
export class GraphClient implements GraphFleetReads {
  private readonly transport: GraphTransport;
  /** Reads made in the same event-loop turn go as one `$batch`. */
  private readonly reads: GraphRequestBatcher;
  private readonly policy: RetryPolicy;
  private readonly logger: Logger;
  private readonly macOs: string[];
  private readonly closeFetch: () => Promise<void>;
  private readonly auth: MsalTokenProvider;

  constructor(opts: GraphClientOptions) {
    this.policy = opts.retryPolicy ?? DEFAULT_RETRY_POLICY;
    this.logger = opts.logger ?? silentLogger();
    this.macOs = opts.macOperatingSystems ?? ['macOS', 'MacMDM'];
    let fetchFn = opts.fetch;
    if (fetchFn) {
      this.closeFetch = async () => undefined;
    } else {
      const trusting = createTrustingFetch(opts.ca);
      fetchFn = trusting.fetch;
      this.closeFetch = trusting.close;
    }
    if (opts.observer) fetchFn = observedFetch(fetchFn, opts.observer);
    const auth = (this.auth = new MsalTokenProvider({
      authorityHost: opts.authorityHost,
      tenantId: opts.tenantId,
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      clientCertificate: opts.clientCertificate,
      managedIdentity: opts.managedIdentity,
      federated: opts.federated,
      scope: opts.scope,
      fetch: fetchFn,
      timeoutMs: opts.timeoutMs,
      logger: this.logger,
    }));
    this.transport = new GraphTransport(
      opts.baseUrl,
      auth,
      fetchFn,
      opts.timeoutMs,
      this.policy,
      this.logger,
    );
    this.reads = new GraphRequestBatcher(this.transport, this.policy, this.logger);
  }

  /**
   * What the app's Graph token grants (`roles`) and whom it was issued to, for the setup doctor;
   * the token itself never leaves the client. `fresh`: a new token is requested first, so a
   * permission granted (or revoked) since the cached token was issued shows at once.
   */
  async tokenClaims(opts: { fresh?: boolean } = {}): Promise<GraphTokenClaims> {
    if (opts.fresh) this.auth.invalidate();
    return decodeTokenClaims(await this.auth.getAccessToken());
  }

  /** Releases pooled connections of the default fetch. */
  close(): Promise<void> {
    return this.closeFetch();
  }

  /**
   * Every Mac in Entra (all pages of 999), optionally with registered owners (then Graph pages
   * by 100, whatever `$top` says).
   */
  async listMacDevices(opts: { expandOwners?: boolean } = {}): Promise<EntraDevice[]> {
    return (await this.getAll(this.macDevicesUrl(opts.expandOwners === true), 'device list')).map(
      toEntraDevice,
    );
  }

  /** One page of Mac devices with their registered owners expanded; `link` null for the first. */
  async macDevicesWithOwnersPage(link: string | null): Promise<GraphDevicePage> {
    const p = toPage(await this.deltaRead(link ?? this.macDevicesUrl(true)), 'device list');
    return { items: p.value.map(toEntraDevice), nextLink: p.nextLink ?? null };
  }

  /** `GET /devices/delta` with the device fields `listMacDevices` reads (delta cannot expand owners). */
  async deviceDeltaPage(start: GraphDeltaStart): Promise<GraphDeltaPage<EntraDevice>> {
    const body = await this.deltaRead(deltaUrl('/devices/delta', start, { $select: DEVICE_FIELDS }));
    return toDeltaPage(body, 'device delta', toEntraDevice);
  }

  /** `GET /users/delta` with `$select=id,userPrincipalName,mail,displayName`. */
  async userDeltaPage(start: GraphDeltaStart): Promise<GraphDeltaPage<EntraUser>> {
    const body = await this.deltaRead(deltaUrl('/users/delta', start, { $select: USER_FIELDS }));
    return toDeltaPage(body, 'user delta', toEntraUser);
  }

  /**
   * `GET /groups/delta?$select=members&$filter=id eq '…' or …`: the membership changes of these
   * groups (at most 50 ids a round, Graph's limit). A deleted group is in `removed` and also an
   * item with `groupRemoved`.
   */
  async groupMembersDeltaPage(
    start: { round: 'initial'; groupIds: string[] } | { link: string },
  ): Promise<GraphDeltaPage<GroupMembersDelta>> {
    let url: string;
    if ('link' in start) url = start.link;
    else {
      const ids = [...new Set(start.groupIds.map((id) => checkSearch(id, 'group id')))];
      if (ids.length === 0 || ids.length > MAX_DELTA_FILTER_IDS) {
        throw new UserInputError(`Track between 1 and ${MAX_DELTA_FILTER_IDS} groups (got ${ids.length}).`);
      }
      url = `/groups/delta${odataQuery({ $select: 'members', $filter: ids.map((id) => odataEq('id', id)).join(' or ') })}`;
    }
    return toDeltaPage(await this.deltaRead(url), 'group delta', toGroupMembersDelta, true);
  }

  /**
   * Registered owners of these devices (object ids): the devices listed 15 at a time
   * (`$filter=id in (…)`, Graph's limit for `in`) with their owners expanded — one request per
   * 15 devices rather than one per device — those requests `$batch`ed. A device Entra no longer
   * has is left out; any other failure (throttled past the retry budget, …) throws.
   */
  async getDeviceOwners(deviceObjectIds: string[]): Promise<Map<string, { ids: string[]; upns: string[] }>> {
    // Directory object ids are GUIDs; anything else could never match, and would fail its whole listing.
    const ids = [...new Set(deviceObjectIds)].filter((id) => GUID.test(id));
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += OWNER_IDS_PER_REQUEST)
      chunks.push(ids.slice(i, i + OWNER_IDS_PER_REQUEST));
    const results = await this.batch(
      chunks.map((chunk) => ({
        method: 'GET' as const,
        url: `/devices${odataQuery({
          $filter: odataIn('id', chunk),
          $select: 'id',
          $expand: 'registeredOwners($select=id,userPrincipalName)',
        })}`,
      })),
    );
    const out = new Map<string, { ids: string[]; upns: string[] }>();
    const wanted = new Map(ids.map((id) => [id.toLowerCase(), id]));
    for (const r of results) {
      if (r.error) throw r.error;
      const page = toPage(r.body, 'device owner list');
      const devices = page.nextLink
        ? [...page.value, ...(await this.getAll(page.nextLink, 'device owner list'))]
        : page.value;
      for (const d of devices as { id?: unknown; registeredOwners?: unknown }[]) {
        const asked = typeof d.id === 'string' ? wanted.get(d.id.toLowerCase()) : undefined;
        if (asked === undefined) continue;
        const entry = { ids: [] as string[], upns: [] as string[] };
        const owners = Array.isArray(d.registeredOwners) ? d.registeredOwners : [];
        for (const o of owners as { id?: unknown; userPrincipalName?: unknown }[]) {
          if (typeof o.id === 'string') entry.ids.push(o.id);
          if (typeof o.userPrincipalName === 'string') entry.upns.push(o.userPrincipalName);
        }
        out.set(asked, entry);
      }
    }
    return out;
  }

  /** The Entra device with this `deviceId` (what Jamf reports), or null. */
  async getDeviceByDeviceId(deviceId: string): Promise<EntraDevice | null> {
    const id = checkSearch(deviceId, 'device id');
    const query = odataQuery({
      $select: DEVICE_FIELDS,
      $expand: 'registeredOwners($select=id,userPrincipalName)',
    });
    const body = await this.getOrNull(`/devices${odataKeySegment('deviceId', id)}${query}`);
    return body === null ? null : toEntraDevice(body);
  }

  /** Devices whose display name is exactly `name` (Entra compares without case), with owners. */
  async findDevicesByName(name: string): Promise<EntraDevice[]> {
    const n = checkSearch(name, 'device name');
    const query = odataQuery({
      $filter: odataEq('displayName', n),
      $select: DEVICE_FIELDS,
      $expand: 'registeredOwners($select=id,userPrincipalName)',
      $top: 999,
    });
    return (await this.getAll(`/devices${query}`, 'device list')).map(toEntraDevice);
  }

  /** The user with this UPN or e-mail address (UPN match preferred), or null. */
  async findUser(upnOrMail: string): Promise<EntraUser | null> {
    const v = checkSearch(upnOrMail, 'user name or e-mail address');
    const query = odataQuery({
      $filter: `${odataEq('userPrincipalName', v)} or ${odataEq('mail', v)}`,
      $select: USER_FIELDS,
      $top: 10,
    });
    const users = (await this.getAll(`/users${query}`, 'user list')).map(toEntraUser);
    const lower = v.toLowerCase();
    return users.find((u) => u.userPrincipalName.toLowerCase() === lower) ?? users[0] ?? null;
  }

  /** A user by object id (or UPN), or null. */
  async getUser(id: string): Promise<EntraUser | null> {
    const key = checkSearch(id, 'user id');
    const body = await this.getOrNull(
      `/users/${encodeODataComponent(key)}${odataQuery({ $select: USER_FIELDS })}`,
    );
    return body === null ? null : toEntraUser(body);
  }

  /**
   * The user's preferred language (`preferredLanguage`, ISO 639-1 with a country: `de-DE`), or
   * null when unset or the user is gone: the language of a reminder to someone the bot never
   * chatted with.
   */
  async getUserLanguage(id: string): Promise<string | null> {
    const key = checkSearch(id, 'user id');
    const body = (await this.getOrNull(
      `/users/${encodeODataComponent(key)}${odataQuery({ $select: 'preferredLanguage' })}`,
    )) as { preferredLanguage?: unknown } | null;
    return typeof body?.preferredLanguage === 'string' && body.preferredLanguage !== ''
      ? body.preferredLanguage
      : null;
  }

  /** The user's registered and owned devices, each once. */
  async getUserDevices(userId: string): Promise<EntraDevice[]> {
    const id = encodeODataComponent(checkSearch(userId, 'user id'));
    const query = odataQuery({ $select: DEVICE_FIELDS, $top: 999 });
    const [registered, owned] = await Promise.all([
      this.getAll(`/users/${id}/registeredDevices${query}`, 'device list'),
      this.getAll(`/users/${id}/ownedDevices${query}`, 'device list'),
    ]);
    const seen = new Map<string, EntraDevice>();
    for (const raw of [...registered, ...owned]) {
      const type = (raw as { '@odata.type'?: unknown })['@odata.type'];
      if (type !== undefined && type !== '#microsoft.graph.device') continue;
      const d = toEntraDevice(raw);
      if (!seen.has(d.id)) seen.set(d.id, d);
    }
    return [...seen.values()];
  }

  /** Object ids of a group's members (all pages); `transitive` flattens nested groups. */
  async listGroupMemberIds(
    groupId: string,
    opts: { transitive?: boolean; usersOnly?: boolean } = {},
  ): Promise<string[]> {
    const id = encodeODataComponent(checkSearch(groupId, 'group id'));
    const nav = opts.transitive ? 'transitiveMembers' : 'members';
    const items = await this.getAll(
      `/groups/${id}/${nav}${odataQuery({ $select: 'id', $top: 999 })}`,
      'member list',
    );
    return items
      .filter(
        (m) =>
          !opts.usersOnly || (m as { '@odata.type'?: unknown })['@odata.type'] === '#microsoft.graph.user',
      )
      .map((m) => (m as { id?: unknown }).id)
      .filter((x): x is string => typeof x === 'string');
  }

  /** Which of `groupIds` the user is in, transitively (`checkMemberGroups`, 20 ids per call). */
  async checkMemberGroups(userId: string, groupIds: string[]): Promise<string[]> {
    const id = encodeODataComponent(checkSearch(userId, 'user id'));
    const unique = [...new Set(groupIds)];
    const found: string[] = [];
    for (let i = 0; i < unique.length; i += 20) {
      const reply = await this.reads.request({
        method: 'POST',
        url: `/users/${id}/checkMemberGroups`,
        body: { groupIds: unique.slice(i, i + 20) },
        idempotent: true,
      });
      const value = (reply.body as { value?: unknown } | undefined)?.value;
      if (!Array.isArray(value))
        throw new UpstreamError('graph', 'bad_response', 'checkMemberGroups answered without a value list');
      found.push(...value.filter((v): v is string => typeof v === 'string'));
    }
    return found;
  }

  /** Groups by id, else by exact display name, else display names starting with the text (up to 10). */
  async findGroups(nameOrId: string): Promise<EntraGroup[]> {
    const v = checkSearch(nameOrId, 'group name or id');
    if (GUID.test(v)) {
      const body = await this.getOrNull(`/groups/${v}${odataQuery({ $select: GROUP_FIELDS })}`);
      if (body !== null) return [toEntraGroup(body)];
    }
    const exact = await this.getAll(
      `/groups${odataQuery({ $filter: odataEq('displayName', v), $select: GROUP_FIELDS })}`,
      'group list',
    );
    if (exact.length > 0) return exact.map(toEntraGroup);
    const reply = await this.reads.request({
      method: 'GET',
      url: `/groups${odataQuery({ $filter: odataStartsWith('displayName', v), $select: GROUP_FIELDS, $top: 10 })}`,
    });
    return toPage(reply.body, 'group list').value.map(toEntraGroup);
  }

  /** A group by object id, or null when Entra has none (or the text is not an object id). */
  async getGroup(id: string): Promise<EntraGroup | null> {
    const v = checkSearch(id, 'group id');
    if (!GUID.test(v)) return null;
    const body = await this.getOrNull(`/groups/${v}${odataQuery({ $select: GROUP_FIELDS })}`);
    return body === null ? null : toEntraGroup(body);
  }

  /**
   * Groups whose display name is exactly `name` (Entra compares without case), all of them:
   * display names are not unique, and a caller about to create a group must see every namesake.
   */
  async findGroupsByName(name: string): Promise<EntraGroup[]> {
    const v = checkSearch(name, 'group name');
    const found = await this.getAll(
      `/groups${odataQuery({ $filter: odataEq('displayName', v), $select: GROUP_FIELDS, $top: 999 })}`,
      'group list',
    );
    return found.map(toEntraGroup);
  }

  /** Creates a security group; with a `membershipRule`, a dynamic one. Not retried on timeouts (may exist). */
  async createGroup(group: NewSecurityGroup): Promise<EntraGroup> {
    const dynamic = group.membershipRule !== undefined;
    const body = {
      displayName: group.displayName,
      mailNickname: group.mailNickname,
      ...(group.description ? { description: group.description } : {}),
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: dynamic ? ['DynamicMembership'] : [],
      ...(dynamic
        ? {
            membershipRule: group.membershipRule,
            membershipRuleProcessingState: group.membershipRuleProcessingState ?? 'On',
          }
        : {}),
    };
    const reply = await this.transport.request({ method: 'POST', url: '/groups', body });
    return toEntraGroup(reply.body);
  }

  /**
   * Adds a user (any directory object) to an assigned group: `POST /groups/{id}/members/$ref`
   * with `{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}"}` (204).
   * *GroupMember.ReadWrite.All*. A dynamic group refuses it (400); so does a member already in.
   */
  async addGroupMember(groupId: string, memberId: string): Promise<void> {
    // Object ids, not search input: anything else is the caller's bug, an upstream error rather than a user's.
    const g = groupId.trim();
    const m = memberId.trim();
    if (!GUID.test(g) || !GUID.test(m))
      throw new UpstreamError('graph', 'bad_request', 'A group member is added by object ids', {
        request: 'POST /groups/{id}/members/$ref',
      });
    await this.transport.request({
      method: 'POST',
      url: `/groups/${g}/members/$ref`,
      body: { '@odata.id': `${DIRECTORY_OBJECT_BASE}${m}` },
    });
  }

  /** Intune's compliance partners (the Jamf connector among them). */
  async listCompliancePartners(): Promise<CompliancePartner[]> {
    return (await this.getAll('/deviceManagement/complianceManagementPartners', 'partner list')).map(
      toCompliancePartner,
    );
  }

  /** Replaces a partner's enrollment assignments for one platform with these groups. */
  async updatePartnerAssignments(
    partnerId: string,
    platform: PartnerPlatform,
    groupIds: string[],
  ): Promise<CompliancePartner> {
    const id = encodeODataComponent(checkSearch(partnerId, 'partner id'));
    const url = `/deviceManagement/complianceManagementPartners/${id}`;
    const reply = await this.transport.request({
      method: 'PATCH',
      url,
      body: {
        [`${platform}EnrollmentAssignments`]: [...new Set(groupIds)].map((groupId) => ({
          target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId },
        })),
      },
    });
    if (reply.body !== undefined && reply.status !== 204) return toCompliancePartner(reply.body);
    return toCompliancePartner((await this.reads.request({ method: 'GET', url })).body);
  }

  /**
   * Writes a partner's enrollment assignments for one platform exactly as given: group targets
   * and any other targets read earlier (exclusions, …) keep their `@odata.type`, so a caller that
   * adds one group does not silently drop what else was there. Answers with the partner as read back.
   */
  async setPartnerAssignments(
    partnerId: string,
    platform: PartnerPlatform,
    targets: PartnerAssignmentTarget[],
  ): Promise<CompliancePartner> {
    const id = encodeODataComponent(checkSearch(partnerId, 'partner id'));
    const url = `/deviceManagement/complianceManagementPartners/${id}`;
    const wire = targets.map((t) => ({
      target:
        t.kind === 'group'
          ? { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: t.groupId }
          : { '@odata.type': t.odataType, ...('groupId' in t && t.groupId ? { groupId: t.groupId } : {}) },
    }));
    const reply = await this.transport.request({
      method: 'PATCH',
      url,
      body: { [`${platform}EnrollmentAssignments`]: wire },
    });
    if (reply.body !== undefined && reply.status !== 204) return toCompliancePartner(reply.body);
    return toCompliancePartner((await this.reads.request({ method: 'GET', url })).body);
  }

  /** Every Conditional Access policy. */
  async listConditionalAccessPolicies(): Promise<ConditionalAccessPolicy[]> {
    return (await this.getAll('/identity/conditionalAccess/policies', 'policy list')).map(
      toConditionalAccessPolicy,
    );
  }

  /** A service principal by display name or app id, or null. */
  async findServicePrincipal(
    by: { displayName: string } | { appId: string },
  ): Promise<ServicePrincipalInfo | null> {
    const filter =
      'appId' in by
        ? odataEq('appId', checkSearch(by.appId, 'app id'))
        : odataEq('displayName', checkSearch(by.displayName, 'app name'));
    const reply = await this.reads.request({
      method: 'GET',
      url: `/servicePrincipals${odataQuery({ $filter: filter, $select: 'id,appId,displayName', $top: 10 })}`,
    });
    const first = toPage(reply.body, 'service principal list').value[0];
    return first === undefined ? null : toServicePrincipal(first);
  }

  /**
   * The org app catalog's id of the Teams app whose manifest id is `manifestId`, or null when the
   * app is not in the tenant's catalog (`GET /appCatalogs/teamsApps?$filter=externalId eq '…'`).
   */
  async findCatalogAppId(manifestId: string): Promise<string | null> {
    const filter = odataEq('externalId', checkSearch(manifestId, 'Teams app id'));
    const reply = await this.reads.request({
      method: 'GET',
      url: `/appCatalogs/teamsApps${odataQuery({ $filter: filter })}`,
    });
    const first = toPage(reply.body, 'Teams app catalog').value[0] as { id?: unknown } | undefined;
    if (first === undefined) return null;
    if (typeof first.id !== 'string')
      throw new UpstreamError('graph', 'bad_response', 'the Teams app catalog answered without an id');
    return first.id;
  }

  /**
   * Installs a catalog app in a user's personal scope (`POST /users/{id}/teamwork/installedApps`).
   * Graph answers 409 when it is already installed: that is reported, not thrown. A 403 (the
   * tenant blocks the app, or the permission is missing) throws `UpstreamError('forbidden')`.
   * Not repeated after a timeout (a second POST would only meet the 409, but it is not needed).
   */
  async installAppForUser(userId: string, catalogAppId: string): Promise<'installed' | 'already_installed'> {
    const id = encodeODataComponent(checkSearch(userId, 'user id'));
    const appId = encodeODataComponent(checkSearch(catalogAppId, 'catalog app id'));
    const bind = `${GRAPH_V1}/appCatalogs/teamsApps/${appId}`;
    try {
      await this.transport.request({
        method: 'POST',
        url: `/users/${id}/teamwork/installedApps`,
        body: { 'teamsApp@odata.bind': bind },
      });
      return 'installed';
    } catch (e) {
      if (e instanceof UpstreamError && e.status === 409) return 'already_installed';
      throw e;
    }
  }

  /** The id of the user's personal installation of the app with this manifest id, or null. */
  async findUserAppInstallation(userId: string, manifestId: string): Promise<string | null> {
    const id = encodeODataComponent(checkSearch(userId, 'user id'));
    const query = odataQuery({
      $expand: 'teamsApp',
      $filter: odataEq('teamsApp/externalId', checkSearch(manifestId, 'Teams app id')),
    });
    const items = await this.getAll(`/users/${id}/teamwork/installedApps${query}`, 'installed app list');
    const first = items[0] as { id?: unknown } | undefined;
    return typeof first?.id === 'string' ? first.id : null;
  }

  /** The 1:1 chat between the user and the bot of a personal installation: its id is the conversation id. */
  async getInstallationChatId(userId: string, installationId: string): Promise<string> {
    const id = encodeODataComponent(checkSearch(userId, 'user id'));
    const inst = encodeODataComponent(checkSearch(installationId, 'installation id'));
    const reply = await this.reads.request({
      method: 'GET',
      url: `/users/${id}/teamwork/installedApps/${inst}/chat`,
    });
    const chatId = (reply.body as { id?: unknown } | undefined)?.id;
    if (typeof chatId !== 'string' || chatId === '')
      throw new UpstreamError('graph', 'bad_response', 'Graph answered the installation chat without an id');
    return chatId;
  }

  /** Any requests, as `$batch` calls of ≤ 20; throttled steps retried; results in request order. */
  batch(requests: GraphBatchRequest[]): Promise<GraphBatchResult[]> {
    return runGraphBatch(this.transport, requests, this.policy, this.logger);
  }

  /** Mac devices, selected as every device read is, owners expanded or not. */
  private macDevicesUrl(expandOwners: boolean): string {
    const filter = this.macOs.map((os) => odataEq('operatingSystem', os)).join(' or ');
    return `/devices${odataQuery({
      $filter: filter,
      $select: DEVICE_FIELDS,
      $expand: expandOwners ? 'registeredOwners($select=id,userPrincipalName)' : undefined,
      $top: 999,
    })}`;
  }

  /** One delta or stored-cursor page, alone (not batched with other reads): its errors are the caller's to act on. */
  private async deltaRead(url: string): Promise<unknown> {
    // A stored link from another Graph host (the bot was pointed elsewhere, e.g. the demo
    // tenant's simulators on new ports after a restart) cannot be followed: start the round again.
    if (!this.transport.isOwnLink(url))
      throw new UpstreamError('graph', 'gone', 'The stored delta link is for another Graph host');
    return (await this.transport.request({ method: 'GET', url })).body;
  }

  /** Follows `@odata.nextLink` to the end and returns every item. */
  private async getAll(url: string, what: string, headers?: Record<string, string>): Promise<unknown[]> {
    const items: unknown[] = [];
    const seen = new Set<string>();
    let next: string | undefined = url;
    for (let page = 0; next !== undefined; page++) {
      if (page >= MAX_PAGES || seen.has(next)) {
        throw new UpstreamError('graph', 'bad_response', `Microsoft Graph kept paging ${what} without end`);
      }
      seen.add(next);
      const call: GraphCall = { method: 'GET', url: next, ...(headers ? { headers } : {}) };
      const p = toPage((await this.reads.request(call)).body, what);
      items.push(...p.value);
      next = p.nextLink;
    }
    return items;
  }

  /** GET one entity; null on 404. */
  private async getOrNull(url: string): Promise<unknown> {
    try {
      return (await this.reads.request({ method: 'GET', url })).body ?? null;
    } catch (e) {
      if (e instanceof UpstreamError && e.code === 'not_found') return null;
      throw e;
    }
  }
}

/**
 * The one place Graph traffic is observed: the fetch under both the Graph SDK and msal, so every
 * request — whatever client method sends it — is counted with its status and latency.
 */
function observedFetch(fetchFn: FetchLike, observer: UpstreamObserver): FetchLike {
  return async (url, init) => {
    const end = observer.start('graph');
    try {
      const res = await fetchFn(url, init);
      end(res.status);
      return res;
    } catch (e) {
      end(init.signal?.aborted ? 'timeout' : 'network');
      throw e;
    }
  };
}
