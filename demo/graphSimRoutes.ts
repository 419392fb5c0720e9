import { randomUUID } from 'node:crypto';
import { PARTNER_STATES as GRAPH_PARTNER_STATES } from '../src/compliance/compliancePartner';
import type {
  DemoFleet,
  GraphCompliancePartnerRecord,
  GraphDeviceRecord,
  GraphGroupRecord,
  GraphUserRecord,
} from './fleetTypes';
import type { FilterExpr } from './graphFilterParser';
import { serveCollection, serveEntity, type ExpandableNav } from './graphSimCollection';
import {
  CA_POLICY_SPEC,
  COMPLIANCE_PARTNER_SPEC,
  DEVICE_SPEC,
  GROUP_SPEC,
  CHAT_SPEC,
  SERVICE_PRINCIPAL_SPEC,
  TEAMS_APP_SPEC,
  USER_APP_INSTALLATION_SPEC,
  USER_SPEC,
  type EntitySetSpec,
} from './graphSimEntitySets';
import { deltaTrackerFor } from './graphSimDelta';
import type { TeamsAppInstallations } from './teamsAppInstallations';
import { GraphSimError, graphError, type GraphSimRequest, type GraphSimResponse } from './graphSimTypes';

type Entity = Record<string, unknown>;
type Typed = { item: Entity; spec: EntitySetSpec };

export interface GraphRouteResult {
  response: GraphSimResponse;
  /** Route template for the request log, e.g. `GET /devices/{id}`. */
  endpoint: string;
  filter?: FilterExpr;
}

/**
 * Every Graph v1.0 route the simulator serves (path template → methods). `routeGraphRequest`
 * takes each route's methods from here and its `route()` accepts only these templates, so this
 * is the simulator's own route table: the contract conformance suite (test/contracts-conformance)
 * holds one case per entry, and a route added here without a contract check fails that suite.
 */
export const GRAPH_SIM_ROUTES = {
  '/devices': ['GET'],
  '/devices/delta': ['GET'],
  "/devices(deviceId='{id}')": ['GET'],
  '/devices/{id}': ['GET'],
  '/devices/{id}/registeredOwners': ['GET'],
  '/devices/{id}/registeredUsers': ['GET'],
  '/users': ['GET'],
  '/users/delta': ['GET'],
  '/users/{id}': ['GET'],
  '/users/{id}/registeredDevices': ['GET'],
  '/users/{id}/ownedDevices': ['GET'],
  '/users/{id}/teamwork/installedApps': ['GET', 'POST'],
  '/users/{id}/teamwork/installedApps/{id}': ['GET'],
  '/users/{id}/teamwork/installedApps/{id}/chat': ['GET'],
  '/users/{id}/checkMemberGroups': ['POST'],
  '/groups': ['GET', 'POST'],
  '/groups/delta': ['GET'],
  '/groups/{id}': ['GET'],
  '/groups/{id}/members': ['GET'],
  '/groups/{id}/transitiveMembers': ['GET'],
  '/groups/{id}/members/$ref': ['POST'],
  '/deviceManagement/complianceManagementPartners': ['GET'],
  '/deviceManagement/complianceManagementPartners/{id}': ['GET', 'PATCH'],
  '/identity/conditionalAccess/policies': ['GET'],
  '/identity/conditionalAccess/policies/{id}': ['GET'],
  '/appCatalogs/teamsApps': ['GET'],
  '/appCatalogs/teamsApps/{id}': ['GET'],
  '/servicePrincipals': ['GET'],
  '/servicePrincipals/{id}': ['GET'],
  "/servicePrincipals(appId='{appId}')": ['GET'],
} as const satisfies Record<string, readonly string[]>;

export type GraphSimRouteTemplate = keyof typeof GRAPH_SIM_ROUTES;

/** `GET /devices`, `PATCH /deviceManagement/complianceManagementPartners/{id}`, …: every method of every route. */
export const GRAPH_SIM_ROUTE_ENDPOINTS: readonly string[] = Object.entries(GRAPH_SIM_ROUTES).flatMap(
  ([template, methods]) => methods.map((m) => `${m} ${template}`),
);

/** Internal bookkeeping fields of the fleet records that Graph never shows. */
const wire = <T extends object>(record: T, drop: string): Entity => {
  const { [drop]: _dropped, ...rest } = record as Record<string, unknown>;
  return rest;
};
const deviceWire = (d: GraphDeviceRecord): Entity => wire(d, 'registeredOwnerIds');
const groupWire = (g: GraphGroupRecord): Entity => wire(g, 'memberIds');
const userWire = (u: GraphUserRecord): Entity => ({ ...u });

const notFound = (id: string): GraphSimError =>
  new GraphSimError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

/** Decodes an OData key literal `'O''Brien'` (already percent-decoded). */
function keyLiteral(segment: string, property: string): string | undefined {
  const m = new RegExp(`^\\(${property}='((?:[^']|'')*)'\\)$`).exec(segment);
  return m ? (m[1] as string).replace(/''/g, "'") : undefined;
}

/**
 * A lookup table over one of the fleet's arrays, kept across requests and rebuilt when the array
 * changes size (writes append: groups). A hit is checked against the record itself, so a stale
 * table can cost a rebuild, never a wrong answer.
 */
const tables = new WeakMap<object, Map<string, { size: number; map: Map<string, unknown[]> }>>();
function lookup<T extends object>(list: T[], name: string, keys: (t: T) => string[], k: string): T[] {
  let byName = tables.get(list);
  if (!byName) tables.set(list, (byName = new Map()));
  let table = byName.get(name);
  if (!table || table.size !== list.length) {
    const map = new Map<string, unknown[]>();
    for (const t of list)
      for (const key of keys(t)) {
        const at = map.get(key);
        if (at) at.push(t);
        else map.set(key, [t]);
      }
    table = { size: list.length, map };
    byName.set(name, table);
  }
  return ((table.map.get(k) ?? []) as T[]).filter((t) => keys(t).includes(k));
}

const lower = (v: string): string => v.toLowerCase();

/**
 * The fleet's records as a collection's items (the records themselves, so edits show), made once
 * per array and length rather than for every request: a `/devices?$filter=…` that a table
 * answers should not first wrap 50,000 devices.
 */
const typedLists = new WeakMap<object, { size: number; typed: Typed[] }>();
function typedRecords(records: readonly object[], spec: EntitySetSpec): Typed[] {
  let t = typedLists.get(records);
  if (!t || t.size !== records.length) {
    t = { size: records.length, typed: records.map((r) => ({ item: r as Entity, spec })) };
    typedLists.set(records, t);
  }
  return t.typed;
}

interface Membership {
  size: number;
  ids: Set<string>;
  nested: Set<string>;
}
/** Per member list: a connector group of 50,000 people is not scanned per `checkMemberGroups`. */
const memberships = new WeakMap<readonly string[], Membership>();

/** Lookups over the fleet for one request, through tables shared by all requests (fleets reach 50,000 devices). */
class Directory {
  constructor(readonly fleet: DemoFleet) {}

  get g(): DemoFleet['graph'] {
    return this.fleet.graph;
  }

  user(idOrUpn: string): GraphUserRecord | undefined {
    return lookup(
      this.g.users,
      'idOrUpn',
      (u) => [lower(u.id), lower(u.userPrincipalName)],
      lower(idOrUpn),
    )[0];
  }

  device(id: string): GraphDeviceRecord | undefined {
    return lookup(this.g.devices, 'id', (d) => [lower(d.id)], lower(id))[0];
  }

  deviceByDeviceId(deviceId: string): GraphDeviceRecord | undefined {
    return lookup(this.g.devices, 'deviceId', (d) => [lower(d.deviceId)], lower(deviceId))[0];
  }

  group(id: string): GraphGroupRecord | undefined {
    return lookup(this.g.groups, 'id', (x) => [lower(x.id)], lower(id))[0];
  }

  /** Any directory object by id, with the type it is served as (internal fields are never projected). */
  object(id: string): Typed | undefined {
    const sp = this.g.servicePrincipals.find((x) => x.id === id);
    if (sp) return { item: { ...sp }, spec: SERVICE_PRINCIPAL_SPEC };
    const d = this.device(id);
    if (d?.id === id) return { item: d as unknown as Entity, spec: DEVICE_SPEC };
    const gr = this.group(id);
    if (gr?.id === id) return { item: gr as unknown as Entity, spec: GROUP_SPEC };
    const u = lookup(this.g.users, 'id', (x) => [x.id], id)[0];
    return u ? { item: u as unknown as Entity, spec: USER_SPEC } : undefined;
  }

  /** Nested groups flattened (cycles tolerated); the nested groups themselves are members too. */
  transitiveMemberIds(groupId: string): string[] {
    const seen = new Set<string>();
    const out: string[] = [];
    const walk = (gid: string): void => {
      const g = this.group(gid);
      if (!g) return;
      const { nested } = this.membership(g);
      for (const id of g.memberIds) {
        if (seen.has(id)) continue;
        seen.add(id);
        out.push(id);
        if (nested.has(id)) walk(id);
      }
    };
    walk(groupId);
    return out;
  }

  /** Whether `memberId` is in the group, directly or through nesting. */
  isTransitiveMember(groupId: string, memberId: string): boolean {
    const seen = new Set<string>();
    const walk = (gid: string): boolean => {
      const g = this.group(gid);
      if (!g || seen.has(g.id)) return false;
      seen.add(g.id);
      const { ids, nested } = this.membership(g);
      if (ids.has(memberId)) return true;
      for (const id of nested) if (walk(id)) return true;
      return false;
    };
    return walk(groupId);
  }

  /** A group's members as a set, and which of them are groups (kept while the list keeps its length). */
  private membership(g: GraphGroupRecord): Membership {
    let m = memberships.get(g.memberIds);
    if (!m || m.size !== g.memberIds.length) {
      m = {
        size: g.memberIds.length,
        ids: new Set(g.memberIds),
        nested: new Set(g.memberIds.filter((id) => this.group(id) !== undefined)),
      };
      memberships.set(g.memberIds, m);
    }
    return m;
  }

  ownedDevices(userId: string): GraphDeviceRecord[] {
    return lookup(this.g.devices, 'owner', (d) => d.registeredOwnerIds, userId);
  }
}

const MAIL_NICKNAME = /^[\x21-\x7e]{1,64}$/;
const MAIL_NICKNAME_FORBIDDEN = /[@()\\[\]";:<>,\s]/;
const ASSIGNMENT_TARGETS = new Set([
  '#microsoft.graph.groupAssignmentTarget',
  '#microsoft.graph.exclusionGroupAssignmentTarget',
  '#microsoft.graph.allLicensedUsersAssignmentTarget',
  '#microsoft.graph.allDevicesAssignmentTarget',
]);
const PARTNER_STATES = new Set<string>(GRAPH_PARTNER_STATES);

const invalidValue = (prop: string, resource: string): GraphSimError =>
  new GraphSimError(
    400,
    'Request_BadRequest',
    `Invalid value specified for property '${prop}' of resource '${resource}'.`,
  );

/**
 * `POST /groups/{id}/members/$ref` `{"@odata.id": ".../directoryObjects/{id}"}`: 204, or Graph's
 * 400 for a member already in (its documented wording) or a dynamic group (the simulator's
 * wording: Graph refuses manual members of a rule-based group), 404 for an unknown object.
 */
function addMemberRef(dir: Directory, g: GraphGroupRecord, body: unknown): GraphSimResponse {
  const ref = (body as { '@odata.id'?: unknown } | null)?.['@odata.id'];
  const m = typeof ref === 'string' ? /\/directoryObjects\/([^/?#]+)$/.exec(ref) : null;
  if (!m) throw new GraphSimError(400, 'Request_BadRequest', "A value is required for property '@odata.id'.");
  const memberId = decodeURIComponent(m[1] as string);
  if (!dir.object(memberId)) throw notFound(memberId);
  if (g.groupTypes.includes('DynamicMembership'))
    throw new GraphSimError(
      400,
      'Request_BadRequest',
      'Members of a group with dynamic membership cannot be added or removed manually.',
    );
  if (g.memberIds.includes(memberId))
    throw new GraphSimError(
      400,
      'Request_BadRequest',
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
  g.memberIds = [...g.memberIds, memberId];
  return { status: 204 };
}

/** `POST /groups`: Graph's checks for security and dynamic groups, then the new group. */
function createGroup(dir: Directory, body: unknown): GraphGroupRecord {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new GraphSimError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  }
  const b = body as Entity;
  for (const k of Object.keys(b)) {
    if (!GROUP_SPEC.properties.has(k) && !k.endsWith('@odata.bind')) {
      throw new GraphSimError(
        400,
        'BadRequest',
        `Property '${k}' does not exist on type 'microsoft.graph.group'.`,
      );
    }
  }
  for (const k of ['displayName', 'mailEnabled', 'mailNickname', 'securityEnabled']) {
    if (b[k] === undefined || b[k] === null) {
      throw new GraphSimError(
        400,
        'Request_BadRequest',
        `A value is required for property '${k}' of resource 'Group'.`,
      );
    }
  }
  if (typeof b.displayName !== 'string' || b.displayName.trim() === '' || b.displayName.length > 256) {
    throw invalidValue('displayName', 'Group');
  }
  if (
    typeof b.mailNickname !== 'string' ||
    !MAIL_NICKNAME.test(b.mailNickname) ||
    MAIL_NICKNAME_FORBIDDEN.test(b.mailNickname)
  ) {
    throw invalidValue('mailNickname', 'Group');
  }
  if (typeof b.mailEnabled !== 'boolean') throw invalidValue('mailEnabled', 'Group');
  if (typeof b.securityEnabled !== 'boolean') throw invalidValue('securityEnabled', 'Group');
  const groupTypes = b.groupTypes ?? [];
  if (!Array.isArray(groupTypes) || groupTypes.some((t) => t !== 'Unified' && t !== 'DynamicMembership')) {
    throw invalidValue('groupTypes', 'Group');
  }
  const unified = groupTypes.includes('Unified');
  if (!unified && b.mailEnabled) {
    throw new GraphSimError(
      400,
      'Request_BadRequest',
      'Creating mail-enabled security groups is not supported through Graph.',
    );
  }
  if (!unified && !b.securityEnabled) throw invalidValue('securityEnabled', 'Group');
  const dynamic = groupTypes.includes('DynamicMembership');
  const rule = b.membershipRule ?? null;
  const state = b.membershipRuleProcessingState ?? null;
  if (dynamic) {
    if (typeof rule !== 'string' || !/\b(user|device)\.[A-Za-z]+/.test(rule) || rule.length > 3072) {
      throw invalidValue('membershipRule', 'Group');
    }
    if (state !== 'On' && state !== 'Paused') throw invalidValue('membershipRuleProcessingState', 'Group');
  } else if (rule !== null || state !== null) {
    throw new GraphSimError(
      400,
      'Request_BadRequest',
      "membershipRule requires groupTypes to contain 'DynamicMembership'.",
    );
  }
  const group: GraphGroupRecord & Entity = {
    id: randomUUID(),
    displayName: b.displayName,
    description: typeof b.description === 'string' ? b.description : null,
    mailNickname: b.mailNickname,
    mailEnabled: b.mailEnabled,
    securityEnabled: b.securityEnabled,
    groupTypes: groupTypes as string[],
    membershipRule: rule as string | null,
    membershipRuleProcessingState: state as 'On' | 'Paused' | null,
    createdDateTime: new Date().toISOString(),
    memberIds: [],
  };
  dir.g.groups.push(group);
  return group;
}

/** `PATCH` of a compliance partner: known properties only, assignment targets Intune accepts. */
function patchPartner(p: GraphCompliancePartnerRecord, body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new GraphSimError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  }
  const b = body as Entity;
  for (const [k, v] of Object.entries(b)) {
    if (k === '@odata.type') continue;
    if (!COMPLIANCE_PARTNER_SPEC.properties.has(k) || k === 'id') {
      throw new GraphSimError(
        400,
        'BadRequest',
        `Property '${k}' does not exist on type 'microsoft.graph.complianceManagementPartner'.`,
      );
    }
    if (k.endsWith('EnrollmentAssignments')) {
      const ok =
        Array.isArray(v) &&
        v.every((a: unknown) => {
          const t = (a as { target?: { '@odata.type'?: unknown; groupId?: unknown } } | null)?.target;
          if (!t || typeof t['@odata.type'] !== 'string' || !ASSIGNMENT_TARGETS.has(t['@odata.type']))
            return false;
          return !t['@odata.type'].includes('roupAssignment') || typeof t.groupId === 'string';
        });
      if (!ok) throw invalidValue(k, 'complianceManagementPartner');
    }
    if (k === 'partnerState' && (typeof v !== 'string' || !PARTNER_STATES.has(v)))
      throw invalidValue(k, 'complianceManagementPartner');
  }
  Object.assign(p, b);
}

function directoryObjects(
  req: GraphSimRequest,
  baseUrl: string,
  items: Typed[],
  spec: EntitySetSpec = DEVICE_SPEC,
): { response: GraphSimResponse; filter?: FilterExpr } {
  return serveCollection({
    req,
    baseUrl,
    spec,
    items,
    contextPath: 'directoryObjects',
    typed: true,
    paged: true,
  });
}

/**
 * `POST /users/{id}/teamwork/installedApps` `{"teamsApp@odata.bind": "…/appCatalogs/teamsApps/{id}"}`:
 * 201 with no body, 409 when the app is already installed, 403 when the tenant blocks it.
 */
function installApp(apps: TeamsAppInstallations, userId: string, body: unknown): GraphSimResponse {
  const bind = (body as { 'teamsApp@odata.bind'?: unknown } | null)?.['teamsApp@odata.bind'];
  if (body === null || typeof body !== 'object' || typeof bind !== 'string') {
    throw new GraphSimError(400, 'BadRequest', "A value is required for property 'teamsApp@odata.bind'.");
  }
  const m = /\/appCatalogs\/teamsApps\/([^/?#]+)$/.exec(bind);
  if (!m || !/^https:\/\/graph\.microsoft\.com\/v1\.0\//.test(bind)) {
    throw new GraphSimError(400, 'BadRequest', `Invalid odata.bind value '${bind.slice(0, 200)}'.`);
  }
  if (decodeURIComponent(m[1]!) !== apps.app.id) throw notFound(m[1]!);
  if (apps.blocked) {
    throw new GraphSimError(
      403,
      'Forbidden',
      'The app is blocked by the tenant admin and cannot be installed.',
    );
  }
  if (!apps.install(userId)) {
    throw new GraphSimError(409, 'Conflict', 'The app is already installed for this user.');
  }
  return { status: 201 };
}

/** `GET /users/{id}/teamwork/installedApps[?$expand=teamsApp&$filter=teamsApp/externalId eq '…']`. */
function listInstalledApps(
  apps: TeamsAppInstallations,
  userId: string,
  req: GraphSimRequest,
  baseUrl: string,
): GraphSimResponse {
  const filter = req.query.get('$filter');
  let externalId: string | undefined;
  if (filter !== null) {
    const m = /^\s*teamsApp\/externalId\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(filter);
    if (!m) {
      throw new GraphSimError(
        400,
        'BadRequest',
        `The demo tenant filters installed apps by teamsApp/externalId only.`,
      );
    }
    externalId = m[1]!.replace(/''/g, "'");
  }
  const expand = req.query.get('$expand');
  if (
    expand !== null &&
    expand !== 'teamsApp' &&
    expand !== 'teamsAppDefinition' &&
    expand !== 'teamsApp,teamsAppDefinition'
  ) {
    throw new GraphSimError(
      400,
      'BadRequest',
      `Could not find a property named '${expand}' on type 'microsoft.graph.userScopeTeamsAppInstallation'.`,
    );
  }
  const mine =
    apps.isInstalledFor(userId) && (externalId === undefined || externalId === apps.app.externalId);
  const value = mine
    ? [
        {
          id: apps.installationId(userId),
          ...(expand?.split(',').includes('teamsApp') ? { teamsApp: { ...apps.app } } : {}),
        },
      ]
    : [];
  return {
    status: 200,
    body: { '@odata.context': `${baseUrl}/$metadata#users('${userId}')/teamwork/installedApps`, value },
  };
}

/**
 * Answers one Graph v1.0 request against the fleet (already authenticated). Used for plain
 * requests and for each step of a `$batch`. Throws nothing: errors come back as Graph error bodies.
 */
export function routeGraphRequest(
  fleet: DemoFleet,
  baseUrl: string,
  req: GraphSimRequest,
  apps?: TeamsAppInstallations,
): GraphRouteResult {
  const dir = new Directory(fleet);
  let endpoint = `${req.method} ?`;
  try {
    const segs = req.path
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
    const [s0, s1, s2, s3] = segs;
    const m = req.method;
    const isDelta = s1 === 'delta' && s2 === undefined;
    const route = (template: GraphSimRouteTemplate): void => {
      endpoint = `${m} ${template}`;
      if (!(GRAPH_SIM_ROUTES[template] as readonly string[]).includes(m)) {
        throw new GraphSimError(
          405,
          'Request_BadRequest',
          'Specified HTTP method is not allowed for the request target.',
        );
      }
    };
    const owners: ExpandableNav = {
      spec: USER_SPEC,
      resolve: (d) =>
        (dir.device(String(d.id))?.registeredOwnerIds ?? [])
          .map((id) => dir.object(id))
          .filter((x): x is Typed => x !== undefined),
    };
    const deviceNavs = { registeredOwners: owners, registeredUsers: owners };
    // Raw records: internal fields (registeredOwnerIds) are not properties, so never filtered or projected.
    const deviceSet = (): Typed[] => typedRecords(fleet.graph.devices, DEVICE_SPEC);

    // /devices, /devices/{id}, /devices(deviceId='…'), /devices/{id}/registeredOwners|registeredUsers
    if (s0 === 'devices' || s0?.startsWith('devices(')) {
      const alt = s0 === 'devices' ? undefined : keyLiteral(s0.slice('devices'.length), 'deviceId');
      if (s0 !== 'devices' && alt === undefined)
        throw new GraphSimError(400, 'BadRequest', `Bad key segment '${s0}'.`);
      if (alt !== undefined && s1 === undefined) {
        route("/devices(deviceId='{id}')");
        const d = dir.deviceByDeviceId(alt);
        if (!d) throw notFound(alt);
        return {
          endpoint,
          response: serveEntity(req, baseUrl, DEVICE_SPEC, deviceWire(d), 'devices', deviceNavs),
        };
      }
      if (s1 === undefined) {
        route('/devices');
        const r = serveCollection({
          req,
          baseUrl,
          spec: DEVICE_SPEC,
          items: deviceSet(),
          source: fleet.graph.devices,
          contextPath: 'devices',
          typed: false,
          paged: true,
          expandable: deviceNavs,
        });
        return { endpoint, ...r };
      }
      if (alt === undefined && isDelta) {
        route('/devices/delta');
        return { endpoint, response: deltaTrackerFor(fleet).serve('devices', req, baseUrl) };
      }
      const d = alt === undefined ? dir.device(s1) : undefined;
      if (s2 === undefined) {
        route('/devices/{id}');
        if (!d) throw notFound(s1);
        return {
          endpoint,
          response: serveEntity(req, baseUrl, DEVICE_SPEC, deviceWire(d), 'devices', deviceNavs),
        };
      }
      if ((s2 === 'registeredOwners' || s2 === 'registeredUsers') && s3 === undefined) {
        route(`/devices/{id}/${s2}`);
        if (!d) throw notFound(s1);
        const items = d.registeredOwnerIds
          .map((id) => dir.object(id))
          .filter((x): x is Typed => x !== undefined);
        return { endpoint, ...directoryObjects(req, baseUrl, items, USER_SPEC) };
      }
    }

    // /users, /users/{id|upn}, /users/{id}/registeredDevices|ownedDevices|checkMemberGroups
    if (s0 === 'users') {
      if (s1 === undefined) {
        route('/users');
        const items = typedRecords(fleet.graph.users, USER_SPEC);
        return {
          endpoint,
          ...serveCollection({
            req,
            baseUrl,
            spec: USER_SPEC,
            items,
            source: fleet.graph.users,
            contextPath: 'users',
            typed: false,
            paged: true,
          }),
        };
      }
      if (isDelta) {
        route('/users/delta');
        return { endpoint, response: deltaTrackerFor(fleet).serve('users', req, baseUrl) };
      }
      const u = dir.user(s1);
      if (s2 === undefined) {
        route('/users/{id}');
        if (!u) throw notFound(s1);
        return { endpoint, response: serveEntity(req, baseUrl, USER_SPEC, userWire(u), 'users') };
      }
      if ((s2 === 'registeredDevices' || s2 === 'ownedDevices') && s3 === undefined) {
        route(`/users/{id}/${s2}`);
        if (!u) throw notFound(s1);
        const items = dir.ownedDevices(u.id).map((d) => ({ item: deviceWire(d), spec: DEVICE_SPEC }));
        return { endpoint, ...directoryObjects(req, baseUrl, items) };
      }
      if (s2 === 'teamwork' && s3 === 'installedApps' && apps) {
        const installId = segs[4];
        const nav = segs[5];
        if (installId === undefined) {
          route('/users/{id}/teamwork/installedApps');
          if (!u) throw notFound(s1);
          if (m === 'POST') return { endpoint, response: installApp(apps, u.id, req.body) };
          return { endpoint, response: listInstalledApps(apps, u.id, req, baseUrl) };
        }
        if (segs[6] === undefined && (nav === undefined || nav === 'chat')) {
          route(`/users/{id}/teamwork/installedApps/{id}${nav ? '/chat' : ''}`);
          if (!u || !apps.userOfInstallation(installId, u.id)) throw notFound(installId);
          if (nav === undefined) {
            return {
              endpoint,
              response: serveEntity(
                req,
                baseUrl,
                USER_APP_INSTALLATION_SPEC,
                { id: installId },
                `users('${u.id}')/teamwork/installedApps`,
              ),
            };
          }
          const chat = { id: apps.chatId(u.id), chatType: 'oneOnOne', tenantId: fleet.tenantId, topic: null };
          return { endpoint, response: serveEntity(req, baseUrl, CHAT_SPEC, chat, 'chats') };
        }
      }
      if (s2 === 'checkMemberGroups' && s3 === undefined) {
        route('/users/{id}/checkMemberGroups');
        if (!u) throw notFound(s1);
        const ids = (req.body as { groupIds?: unknown } | null)?.groupIds;
        if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string')) {
          throw new GraphSimError(400, 'Request_BadRequest', "A value is required for parameter 'groupIds'.");
        }
        if (ids.length > 20) {
          throw new GraphSimError(
            400,
            'Request_BadRequest',
            'The number of groupIds in the request cannot exceed 20.',
          );
        }
        const value = (ids as string[]).filter((id) => dir.isTransitiveMember(id, u.id));
        return {
          endpoint,
          response: {
            status: 200,
            body: { '@odata.context': `${baseUrl}/$metadata#Collection(Edm.String)`, value },
          },
        };
      }
    }

    // /groups, /groups/{id}, /groups/{id}/members|transitiveMembers
    if (s0 === 'groups') {
      if (s1 === undefined) {
        route('/groups');
        if (m === 'POST') {
          const g = createGroup(dir, req.body);
          return {
            endpoint,
            response: {
              status: 201,
              body: { '@odata.context': `${baseUrl}/$metadata#groups/$entity`, ...groupWire(g) },
            },
          };
        }
        const items = fleet.graph.groups.map((g) => ({ item: groupWire(g), spec: GROUP_SPEC }));
        return {
          endpoint,
          ...serveCollection({
            req,
            baseUrl,
            spec: GROUP_SPEC,
            items,
            contextPath: 'groups',
            typed: false,
            paged: true,
          }),
        };
      }
      if (isDelta) {
        route('/groups/delta');
        return { endpoint, response: deltaTrackerFor(fleet).serve('groups', req, baseUrl) };
      }
      const g = dir.group(s1);
      if (s2 === undefined) {
        route('/groups/{id}');
        if (!g) throw notFound(s1);
        return { endpoint, response: serveEntity(req, baseUrl, GROUP_SPEC, groupWire(g), 'groups') };
      }
      if (s2 === 'members' && s3 === '$ref' && segs[4] === undefined) {
        route('/groups/{id}/members/$ref');
        if (!g) throw notFound(s1);
        return { endpoint, response: addMemberRef(dir, g, req.body) };
      }
      if ((s2 === 'members' || s2 === 'transitiveMembers') && s3 === undefined) {
        route(`/groups/{id}/${s2}`);
        if (!g) throw notFound(s1);
        const ids = s2 === 'members' ? g.memberIds : dir.transitiveMemberIds(g.id);
        const items = ids.map((id) => dir.object(id)).filter((x): x is Typed => x !== undefined);
        return { endpoint, ...directoryObjects(req, baseUrl, items, USER_SPEC) };
      }
    }

    // /deviceManagement/complianceManagementPartners[/{id}]
    if (s0 === 'deviceManagement' && s1 === 'complianceManagementPartners') {
      const items = fleet.graph.compliancePartners.map((p) => ({
        item: { ...p } as Entity,
        spec: COMPLIANCE_PARTNER_SPEC,
      }));
      if (s2 === undefined) {
        route('/deviceManagement/complianceManagementPartners');
        const r = serveCollection({
          req,
          baseUrl,
          spec: COMPLIANCE_PARTNER_SPEC,
          items,
          contextPath: 'deviceManagement/complianceManagementPartners',
          typed: false,
          paged: false,
        });
        return { endpoint, ...r };
      }
      if (s3 === undefined) {
        route('/deviceManagement/complianceManagementPartners/{id}');
        const p = fleet.graph.compliancePartners.find((x) => x.id === s2);
        if (!p) throw notFound(s2);
        if (m === 'PATCH') patchPartner(p, req.body);
        return {
          endpoint,
          response: serveEntity(
            req,
            baseUrl,
            COMPLIANCE_PARTNER_SPEC,
            { ...p },
            'deviceManagement/complianceManagementPartners',
          ),
        };
      }
    }

    // /identity/conditionalAccess/policies[/{id}]
    if (s0 === 'identity' && s1 === 'conditionalAccess' && s2 === 'policies') {
      const ctx = 'identity/conditionalAccess/policies';
      if (segs[4] === undefined && s3 !== undefined) {
        route(`/${ctx}/{id}`);
        const p = fleet.graph.caPolicies.find((x) => x.id === s3);
        if (!p) throw notFound(s3);
        return { endpoint, response: serveEntity(req, baseUrl, CA_POLICY_SPEC, { ...p }, ctx) };
      }
      if (s3 === undefined) {
        route(`/${ctx}`);
        const items = fleet.graph.caPolicies.map((p) => ({ item: { ...p } as Entity, spec: CA_POLICY_SPEC }));
        return {
          endpoint,
          ...serveCollection({
            req,
            baseUrl,
            spec: CA_POLICY_SPEC,
            items,
            contextPath: ctx,
            typed: false,
            paged: false,
          }),
        };
      }
    }

    // /appCatalogs/teamsApps[/{id}]: the org catalog, holding the bot's app
    if (s0 === 'appCatalogs' && s1 === 'teamsApps' && apps && s3 === undefined) {
      const items = [{ item: { ...apps.app } as Entity, spec: TEAMS_APP_SPEC }];
      if (s2 === undefined) {
        route('/appCatalogs/teamsApps');
        const r = serveCollection({
          req,
          baseUrl,
          spec: TEAMS_APP_SPEC,
          items,
          contextPath: 'appCatalogs/teamsApps',
          typed: false,
          paged: false,
        });
        return { endpoint, ...r };
      }
      route('/appCatalogs/teamsApps/{id}');
      if (s2 !== apps.app.id) throw notFound(s2);
      return {
        endpoint,
        response: serveEntity(req, baseUrl, TEAMS_APP_SPEC, { ...apps.app }, 'appCatalogs/teamsApps'),
      };
    }

    // /servicePrincipals, /servicePrincipals/{id}, /servicePrincipals(appId='…')
    if (s0 === 'servicePrincipals' || s0?.startsWith('servicePrincipals(')) {
      const alt =
        s0 === 'servicePrincipals' ? undefined : keyLiteral(s0.slice('servicePrincipals'.length), 'appId');
      if (s1 === undefined && alt === undefined && s0 === 'servicePrincipals') {
        route('/servicePrincipals');
        const items = fleet.graph.servicePrincipals.map((p) => ({
          item: { ...p } as Entity,
          spec: SERVICE_PRINCIPAL_SPEC,
        }));
        const r = serveCollection({
          req,
          baseUrl,
          spec: SERVICE_PRINCIPAL_SPEC,
          items,
          contextPath: 'servicePrincipals',
          typed: false,
          paged: true,
        });
        return { endpoint, ...r };
      }
      if (s2 === undefined) {
        route(alt === undefined ? '/servicePrincipals/{id}' : "/servicePrincipals(appId='{appId}')");
        const key = alt ?? s1 ?? '';
        const sp = fleet.graph.servicePrincipals.find((x) =>
          alt === undefined ? x.id === key : x.appId === key,
        );
        if (!sp || (alt !== undefined && s1 !== undefined)) throw notFound(key);
        return {
          endpoint,
          response: serveEntity(req, baseUrl, SERVICE_PRINCIPAL_SPEC, { ...sp }, 'servicePrincipals'),
        };
      }
    }

    throw new GraphSimError(
      400,
      'BadRequest',
      `Resource not found for the segment '${segs[segs.length - 1] ?? ''}'.`,
    );
  } catch (e) {
    const crid = req.headers['client-request-id'];
    if (e instanceof GraphSimError)
      return { endpoint, response: graphError(e.status, e.code, e.message, {}, crid) };
    if (e instanceof URIError)
      return { endpoint, response: graphError(400, 'BadRequest', 'The request URI is not valid.', {}, crid) };
    throw e;
  }
}

/**
 * The route template a request would hit, without running it (nothing is read or written):
 * for the request log when a fault answers instead of the route.
 */
export function graphEndpointOf(
  fleet: DemoFleet,
  baseUrl: string,
  method: string,
  path: string,
  apps?: TeamsAppInstallations,
): string {
  if (path === '/$batch') return `${method} /$batch`;
  const probe = routeGraphRequest(
    fleet,
    baseUrl,
    { method: 'HEAD', path, query: new URLSearchParams(), headers: {}, body: undefined },
    apps,
  );
  return probe.endpoint.replace(/^HEAD /, `${method} `);
}
