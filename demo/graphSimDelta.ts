import { randomBytes } from 'node:crypto';
import type { DemoFleet, GraphDeviceRecord, GraphGroupRecord, GraphUserRecord } from './fleetTypes';
import { FilterSyntaxError, parseGraphFilter, type FilterExpr } from './graphFilterParser';
import { parseSelect, projectEntity } from './graphSimCollection';
import { DEVICE_SPEC, GROUP_SPEC, USER_SPEC, type EntitySetSpec } from './graphSimEntitySets';
import { GraphSimError, type GraphSimRequest, type GraphSimResponse } from './graphSimTypes';

type Entity = Record<string, unknown>;

/** The directory collections the simulator tracks with `delta`. */
export type DeltaSet = 'devices' | 'users' | 'groups';

/** Why an object left the collection (`@removed.reason`): `changed` = soft-deleted, restorable. */
export type RemovedReason = 'changed' | 'deleted';

/**
 * Objects a page may hold. Microsoft documents no page size for directory delta and says `$top`
 * is not supported for users and groups (delta-query-overview, "Optional query parameters"); a
 * maintainer adds that it is silently ignored (microsoft-graph-docs issue 17516) and users/delta
 * pages are reported at 200 objects (microsoft-graph-docs issues 5363, 5566). So: 200, `$top` ignored.
 */
export const DELTA_PAGE_SIZE = 200;
/** Member changes one group item carries in `members@delta`; a bigger change spreads over items and pages. */
const MEMBERS_PER_ITEM = DELTA_PAGE_SIZE - 1;
/** Stored snapshots (delta tokens) and rounds (skip tokens) kept per collection; older ones are refused. */
const KEEP_PER_SET = 16;
/** "For directory objects, the limit is seven days" (delta-query-overview, "Token duration"). */
const TOKEN_TTL_MS = 7 * 24 * 3600 * 1000;
/** users/delta and groups/delta: "There is a limit of 50 filtered objects" (user-delta, group-delta). */
const MAX_FILTER_IDS = 50;

type MemberType = 'user' | 'group' | 'device';
type DirectoryRecord = GraphDeviceRecord | GraphUserRecord | GraphGroupRecord;

/** The collection as it was when a delta token was issued: id → hash of the selected properties. */
interface Snapshot {
  set: DeltaSet;
  select: string[] | undefined;
  members: boolean;
  ids: string[] | undefined;
  hashes: Map<string, number>;
  /** Groups with `$select=members`: each group's direct members and their types. */
  memberships?: Map<string, Map<string, MemberType>>;
}

type Entry =
  | { kind: 'item'; id: string }
  | { kind: 'removed'; id: string; reason: RemovedReason }
  | {
      kind: 'members';
      id: string;
      added: [string, MemberType][];
      removed: [string, MemberType][];
      /** The group item itself is part of the change (new, or a selected property changed). */
      withProperties: boolean;
    };

/** One round of delta pages: what changed, cut into pages, and the token its last page hands out. */
interface Round {
  id: string;
  set: DeltaSet;
  pages: Entry[][];
  deltaToken: string;
  select: string[] | undefined;
  members: boolean;
}

const DELTA_SPECS: Record<DeltaSet, EntitySetSpec> = {
  devices: DEVICE_SPEC,
  users: USER_SPEC,
  groups: GROUP_SPEC,
};

const expired = (): GraphSimError =>
  // Graph's documented answer for an expired directory delta token: "a 40X-series error with error
  // codes such as syncStateNotFound" (delta-query-overview, "Token duration"); for identity
  // resources a BadRequest with this code and message (Microsoft 365 Developer Blog, 2020-07-03,
  // "Duration of change tracking tokens for identity and education resources").
  new GraphSimError(
    400,
    'syncStateNotFound',
    'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
  );

const unsupported = (what: string): GraphSimError =>
  new GraphSimError(400, 'Request_UnsupportedQuery', `${what} is not supported for delta queries.`);

/**
 * The tracked state of a record as a 53-bit number (cyrb53, public domain, over each selected
 * value — or, with no `$select`, every property — with its type): a number, so 16 snapshots of
 * 50,000 objects stay small, and fast enough to take per delta call (JSON and digests were not).
 */
function stateOf(record: DirectoryRecord, select: string[] | undefined): number {
  const r = record as unknown as Entity;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  const feed = (text: string): void => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
  };
  for (const name of select ?? Object.keys(r)) {
    const v = r[name];
    feed(select ? '\u0001' : `\u0001${name}`);
    if (v === null || v === undefined) feed('\u0002');
    else if (typeof v === 'object') feed(JSON.stringify(v));
    else feed(`${typeof v}:${String(v)}`);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** `id eq 'a' or id eq 'b'`: the only `$filter` directory delta takes. */
function filterIds(text: string | null, set: DeltaSet): string[] | undefined {
  if (text === null) return undefined;
  let expr: FilterExpr;
  try {
    expr = parseGraphFilter(text);
  } catch (e) {
    if (e instanceof FilterSyntaxError)
      throw new GraphSimError(400, 'BadRequest', `Invalid filter clause: ${e.message}`);
    throw e;
  }
  const ids: string[] = [];
  const walk = (x: FilterExpr): void => {
    if (x.kind === 'or') {
      walk(x.left);
      walk(x.right);
    } else if (x.kind === 'compare' && x.op === 'eq' && x.property === 'id' && typeof x.value === 'string') {
      ids.push(x.value);
    } else {
      const prop = 'property' in x ? x.property : 'not';
      throw new GraphSimError(
        400,
        'Request_UnsupportedQuery',
        `Unsupported or invalid query filter clause specified for property '${prop}' of resource '${DELTA_SPECS[set].resource}'.`,
      );
    }
  };
  walk(expr);
  if (set !== 'devices' && ids.length > MAX_FILTER_IDS) {
    throw new GraphSimError(
      400,
      'Request_UnsupportedQuery',
      `Too many ids in the filter (at most ${MAX_FILTER_IDS}).`,
    );
  }
  return ids;
}

const encodeToken = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
function decodeToken(token: string): Record<string, unknown> {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object') return v as Record<string, unknown>;
  } catch {
    // falls through: not one of ours
  }
  throw expired();
}

/**
 * Graph's delta queries over the demo fleet (`/devices/delta`, `/users/delta`, `/groups/delta`),
 * right whoever changes the fleet: a delta token names a stored snapshot of the collection (id →
 * hash of the selected properties; for `$select=members`, each group's members) taken when the
 * round that hands it out began, and a later call diffs the fleet as it is now against it. So
 * the churn, the mutation API and tests that edit `fleet` directly are all seen alike. A change
 * made while a round is paged shows again in the next round (Graph's "replays").
 */
export class GraphDeltaTracker {
  /** Delta token id → the snapshot it names (a quiet round's token shares its base's) and when it was issued. */
  private snapshots = new Map<string, { set: DeltaSet; snap: Snapshot; issuedAt: number }>();
  private rounds = new Map<string, Round>();
  private readonly removedReasons = new Map<string, RemovedReason>();

  constructor(
    private readonly fleet: DemoFleet,
    private readonly now: () => number = Date.now,
  ) {}

  /** How a removed object is reported (the mutation API knows; a plain splice reads as `deleted`). */
  noteRemoved(id: string, reason: RemovedReason): void {
    this.removedReasons.set(id, reason);
  }

  /** Every delta and skip token issued so far is refused from now on. */
  expireAll(): void {
    this.snapshots.clear();
    this.rounds.clear();
  }

  /** Answers `GET /{set}/delta` with its query (`$select`, `$filter`, `$deltatoken`, `$skiptoken`). */
  serve(set: DeltaSet, req: GraphSimRequest, baseUrl: string): GraphSimResponse {
    const q = req.query;
    for (const k of ['$expand', '$orderby', '$count', '$search']) if (q.has(k)) throw unsupported(k);
    const skip = q.get('$skiptoken');
    const delta = q.get('$deltatoken');
    let round: Round;
    let page = 0;
    if (skip !== null) {
      const t = decodeToken(skip);
      const found = typeof t.r === 'string' ? this.rounds.get(t.r) : undefined;
      if (!found || found.set !== set || typeof t.p !== 'number' || !found.pages[t.p]) throw expired();
      round = found;
      page = t.p;
    } else if (delta !== null) {
      if (delta === 'latest') {
        const spec = this.parse(set, req);
        const token = this.store(this.take(set, spec.select, spec.members, spec.ids));
        return this.page(baseUrl, { id: '', set, pages: [[]], deltaToken: token, ...spec }, 0);
      }
      const t = decodeToken(delta);
      const issued = typeof t.s === 'string' ? this.snapshots.get(t.s) : undefined;
      if (!issued || issued.set !== set || this.now() - issued.issuedAt > TOKEN_TTL_MS) throw expired();
      round = this.newRound(issued.snap, this.diff(issued.snap));
    } else {
      const spec = this.parse(set, req);
      const entries = this.diff({
        set,
        ...spec,
        hashes: new Map(),
        ...(spec.members ? { memberships: new Map() } : {}),
      });
      round = this.newRound({ set, ...spec, hashes: new Map() }, entries);
    }
    return this.page(baseUrl, round, page);
  }

  private parse(set: DeltaSet, req: GraphSimRequest): Pick<Snapshot, 'select' | 'members' | 'ids'> {
    const raw = req.query.get('$select');
    const names = raw === null ? [] : raw.split(',').map((s) => s.trim());
    const members = set === 'groups' && names.includes('members');
    const rest = names.filter((n) => n !== '' && !(members && n === 'members'));
    const select = raw === null ? undefined : (parseSelect(rest.join(','), DELTA_SPECS[set]) ?? []);
    return { select, members, ids: filterIds(req.query.get('$filter'), set) };
  }

  /** The collection now, as a snapshot for these options. */
  private take(
    set: DeltaSet,
    select: string[] | undefined,
    members: boolean,
    ids: string[] | undefined,
  ): Snapshot {
    const snap: Snapshot = { set, select, members, ids, hashes: new Map() };
    if (members) snap.memberships = new Map();
    const wanted = ids ? new Set(ids.map((i) => i.toLowerCase())) : undefined;
    const typeOf = members ? this.memberTypes() : undefined;
    for (const record of this.records(set)) {
      if (wanted && !wanted.has(record.id.toLowerCase())) continue;
      snap.hashes.set(record.id, stateOf(record, select));
      if (snap.memberships && typeOf)
        snap.memberships.set(
          record.id,
          new Map((record as GraphGroupRecord).memberIds.map((m) => [m, typeOf(m)])),
        );
    }
    return snap;
  }

  /** What changed since `base`, and a new snapshot stored for the round's delta token. */
  private diff(base: Snapshot): { entries: Entry[]; token: string } {
    const now = this.take(base.set, base.select, base.members, base.ids);
    const entries: Entry[] = [];
    for (const [id, h] of now.hashes) {
      const before = base.hashes.get(id);
      const changed = before !== h;
      if (!base.members) {
        if (changed) entries.push({ kind: 'item', id });
        continue;
      }
      const was = base.memberships?.get(id) ?? new Map<string, MemberType>();
      const is = now.memberships?.get(id) ?? new Map<string, MemberType>();
      const added = [...is].filter(([m]) => !was.has(m));
      const removed = [...was].filter(([m]) => !is.has(m));
      if (changed || added.length > 0 || removed.length > 0)
        entries.push({ kind: 'members', id, added, removed, withProperties: changed });
    }
    for (const id of base.hashes.keys()) {
      if (!now.hashes.has(id))
        entries.push({ kind: 'removed', id, reason: this.removedReasons.get(id) ?? 'deleted' });
    }
    // Nothing changed: the new token names the same state, so it shares the stored snapshot.
    return { entries, token: this.store(entries.length === 0 && base.hashes.size > 0 ? base : now) };
  }

  private newRound(spec: Snapshot, d: { entries: Entry[]; token: string }): Round {
    const round: Round = {
      id: randomBytes(9).toString('base64url'),
      set: spec.set,
      pages: paginate(d.entries),
      deltaToken: d.token,
      select: spec.select,
      members: spec.members,
    };
    this.rounds.set(round.id, round);
    this.evict(this.rounds, spec.set);
    return round;
  }

  private store(snap: Snapshot): string {
    const id = randomBytes(9).toString('base64url');
    this.snapshots.set(id, { set: snap.set, snap, issuedAt: this.now() });
    this.evict(this.snapshots, snap.set);
    return encodeToken({ s: id });
  }

  /** Keeps the newest `KEEP_PER_SET` of a collection (Maps iterate in insertion order). */
  private evict(map: Map<string, { set: DeltaSet }>, set: DeltaSet): void {
    const mine = [...map].filter(([, v]) => v.set === set);
    for (const [k] of mine.slice(0, Math.max(0, mine.length - KEEP_PER_SET))) map.delete(k);
  }

  private page(baseUrl: string, round: Round, index: number): GraphSimResponse {
    const { set } = round;
    const entries = round.pages[index] ?? [];
    const value = entries.map((e) => this.render(round, e, this.record(set, e.id)));
    const select = round.select ? [...round.select, ...(round.members ? ['members'] : [])] : undefined;
    const body: Entity = {
      '@odata.context': `${baseUrl}/$metadata#${set}${select ? `(${select.join(',')})` : ''}`,
    };
    if (index + 1 < round.pages.length)
      body['@odata.nextLink'] =
        `${baseUrl}/${set}/delta?$skiptoken=${encodeToken({ r: round.id, p: index + 1 })}`;
    else body['@odata.deltaLink'] = `${baseUrl}/${set}/delta?$deltatoken=${round.deltaToken}`;
    body.value = value;
    return { status: 200, body };
  }

  /** One entry as Graph writes it, from the record as it is now. */
  private render(round: Round, e: Entry, record: DirectoryRecord | undefined): Entity {
    const { set } = round;
    if (e.kind === 'removed') return { id: e.id, '@removed': { reason: e.reason } };
    if (!record) return { id: e.id, '@removed': { reason: this.removedReasons.get(e.id) ?? 'deleted' } };
    if (e.kind === 'item') return this.project(set, record, round.select);
    const out: Entity =
      e.withProperties && round.select !== undefined
        ? this.project(set, record, round.select)
        : { id: record.id };
    if (e.withProperties && round.select === undefined)
      Object.assign(out, this.project(set, record, undefined));
    out['members@delta'] = [
      ...e.added.map(([id, type]) => ({ '@odata.type': `#microsoft.graph.${type}`, id })),
      ...e.removed.map(([id, type]) => ({
        '@odata.type': `#microsoft.graph.${type}`,
        id,
        '@removed': { reason: 'deleted' },
      })),
    ];
    return out;
  }

  /**
   * The record with this id now, through an id → position table per fleet array, checked on every
   * hit (a table the fleet outgrew, or that points at another record, is rebuilt): a page of 200
   * must not scan 50,000 records, and whoever edits the fleet is seen.
   */
  private record(set: DeltaSet, id: string): DirectoryRecord | undefined {
    const list = this.records(set);
    const at = (table: Map<string, number>): DirectoryRecord | undefined => {
      const i = table.get(id);
      const r = i === undefined ? undefined : list[i];
      return r?.id === id ? r : undefined;
    };
    let table = positions.get(list);
    const hit = table && table.size <= list.length ? at(table) : undefined;
    if (hit) return hit;
    table = new Map(list.map((r, i) => [r.id, i]));
    positions.set(list, table);
    return at(table);
  }

  private records(set: DeltaSet): DirectoryRecord[] {
    return this.fleet.graph[set];
  }

  /** The record's wire form with the selected properties (`id` always). */
  private project(set: DeltaSet, record: DirectoryRecord, select: string[] | undefined): Entity {
    const { registeredOwnerIds: _o, memberIds: _m, ...wire } = record as unknown as Entity;
    const names = select === undefined ? undefined : [...new Set(['id', ...select])];
    return projectEntity(wire, DELTA_SPECS[set], names, false);
  }

  /** A member's type by id: groups and devices are known; anything else (users, gone or not) is a user. */
  private memberTypes(): (id: string) => MemberType {
    const groups = new Set(this.fleet.graph.groups.map((x) => x.id));
    const devices = new Set(this.fleet.graph.devices.map((d) => d.id));
    return (id) => (groups.has(id) ? 'group' : devices.has(id) ? 'device' : 'user');
  }
}

/**
 * Cuts a round into pages of at most `DELTA_PAGE_SIZE` objects, counting each member change of
 * a group as one; a group with more member changes than an item carries is split over items
 * (and pages), as Graph does for big groups.
 */
function paginate(entries: Entry[]): Entry[][] {
  const pieces: Entry[] = entries.flatMap((e) => {
    if (e.kind !== 'members' || e.added.length + e.removed.length <= MEMBERS_PER_ITEM) return [e];
    const all = [...e.added.map((a) => ['a', a] as const), ...e.removed.map((r) => ['r', r] as const)];
    const out: Entry[] = [];
    for (let i = 0; i < all.length; i += MEMBERS_PER_ITEM) {
      const chunk = all.slice(i, i + MEMBERS_PER_ITEM);
      out.push({
        kind: 'members',
        id: e.id,
        added: chunk.filter(([k]) => k === 'a').map(([, m]) => m),
        removed: chunk.filter(([k]) => k === 'r').map(([, m]) => m),
        withProperties: e.withProperties && i === 0,
      });
    }
    return out;
  });
  const pages: Entry[][] = [];
  let current: Entry[] = [];
  let cost = 0;
  for (const p of pieces) {
    const c = p.kind === 'members' ? 1 + p.added.length + p.removed.length : 1;
    if (current.length > 0 && cost + c > DELTA_PAGE_SIZE) {
      pages.push(current);
      current = [];
      cost = 0;
    }
    current.push(p);
    cost += c;
  }
  pages.push(current);
  return pages;
}

const trackers = new WeakMap<DemoFleet, GraphDeltaTracker>();
const positions = new WeakMap<readonly object[], Map<string, number>>();

/** The fleet's delta tracker, shared by every route and the mutation API that serve that fleet. */
export function deltaTrackerFor(fleet: DemoFleet): GraphDeltaTracker {
  let t = trackers.get(fleet);
  if (!t) trackers.set(fleet, (t = new GraphDeltaTracker(fleet)));
  return t;
}
