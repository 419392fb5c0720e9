import { createHash } from 'node:crypto';
import { FilterSyntaxError, filterLeaves, parseGraphFilter, type FilterExpr } from './graphFilterParser';
import { graphFilterMatches } from './graphFilterMatches';
import { directoryFilterSupport, directoryFilterType, filterClauses } from './graphFilterSupport';
import type { EntitySetSpec } from './graphSimEntitySets';
import { GraphSimError, type GraphSimRequest, type GraphSimResponse } from './graphSimTypes';

type Entity = Record<string, unknown>;

/** A navigation the caller may `$expand`, e.g. a device's `registeredOwners`. */
export interface ExpandableNav {
  spec: EntitySetSpec;
  resolve: (item: Entity) => { item: Entity; spec: EntitySetSpec }[];
}

export interface CollectionOptions {
  req: GraphSimRequest;
  /** `https://host:port/v1.0`. */
  baseUrl: string;
  /** Type whose properties `$filter`/`$select` are checked against (or several, for directoryObjects). */
  spec: EntitySetSpec;
  items: { item: Entity; spec: EntitySetSpec }[];
  /** After `$metadata#`, e.g. `devices` or `directoryObjects`. */
  contextPath: string;
  /** Mixed collections (members, registeredDevices) carry `@odata.type` on each item. */
  typed: boolean;
  paged: boolean;
  expandable?: Record<string, ExpandableNav>;
  /**
   * The fleet array `items` was made from, one item per element in the same order: lets an
   * equality filter on an identity property use a table instead of scanning every item.
   */
  source?: readonly object[];
}

export interface CollectionResult {
  response: GraphSimResponse;
  filter?: FilterExpr;
}

const MAX_TOP = 999;
const DEFAULT_TOP = 100;
/**
 * A page of directory objects with `$expand` holds at most 100, whatever `$top` asks (Graph known
 * issue 13635; the query-parameters page says so too): the client must follow `@odata.nextLink`.
 */
export const MAX_EXPANDED_PAGE = 100;

function advancedQuery(req: GraphSimRequest): boolean {
  return (req.headers['consistencylevel'] ?? '').toLowerCase() === 'eventual';
}

function badRequest(code: string, message: string): GraphSimError {
  return new GraphSimError(400, code, message);
}

/** Parses `$select=a,b` and checks the names exist on the type. */
export function parseSelect(value: string | null, spec: EntitySetSpec): string[] | undefined {
  if (value === null) return undefined;
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!spec.properties.has(n)) {
      throw badRequest(
        'BadRequest',
        `Parsing OData Select and Expand failed: Could not find a property named '${n}' on type '${spec.type}'.`,
      );
    }
  }
  return names;
}

/** Projects a stored record onto what Graph would return for it. */
export function projectEntity(
  item: Entity,
  spec: EntitySetSpec,
  select: string[] | undefined,
  typed: boolean,
): Entity {
  const out: Entity = typed ? { '@odata.type': `#${spec.type}` } : {};
  const names = select ?? spec.defaultSelect;
  if (names) {
    // A `$select` over a mixed collection (members: users, groups, devices) names properties of
    // one type; Graph leaves them out of items of a type that does not have them.
    for (const n of names) {
      if (spec.properties.has(n)) out[n] = n in item ? item[n] : n === 'businessPhones' ? [] : null;
    }
  } else {
    for (const [k, v] of Object.entries(item)) if (spec.properties.has(k)) out[k] = v;
  }
  return out;
}

interface Expansion {
  nav: string;
  target: ExpandableNav;
  select?: string[];
}

/** Parses `$expand=nav` or `$expand=nav($select=a,b)` (one navigation, as directory objects allow). */
function parseExpand(
  value: string | null,
  spec: EntitySetSpec,
  expandable: Record<string, ExpandableNav> | undefined,
): Expansion | undefined {
  if (value === null) return undefined;
  const m = /^\s*([A-Za-z]+)\s*(?:\(\s*\$select\s*=\s*([^)]*)\))?\s*$/.exec(value);
  const nav = m?.[1];
  const target = nav ? expandable?.[nav] : undefined;
  if (!m || !nav || !target) {
    throw badRequest(
      'BadRequest',
      `Parsing OData Select and Expand failed: Could not find a property named '${value}' on type '${spec.type}'.`,
    );
  }
  return { nav, target, select: m[2] === undefined ? undefined : parseSelect(m[2], target.spec) };
}

function withExpansion(out: Entity, item: Entity, expand: Expansion | undefined): Entity {
  if (expand) {
    out[expand.nav] = expand.target
      .resolve(item)
      .map((r) => projectEntity(r.item, r.spec, expand.select, true));
  }
  return out;
}

/** Values in one `in (…)` Graph takes without advanced query. */
export const MAX_IN_VALUES = 15;

function unsupportedClause(property: string, spec: EntitySetSpec): GraphSimError {
  return badRequest(
    'Request_UnsupportedQuery',
    `Unsupported or invalid query filter clause specified for property '${property}' of resource '${spec.resource}'.`,
  );
}

function advancedQueryRequired(): GraphSimError {
  return badRequest(
    'Request_UnsupportedQuery',
    "Operator 'ne' or 'not' or 'endswith' is not supported because the required parameters might be missing. " +
      'Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information',
  );
}

/** Parses and checks a `$filter` against the type: unknown or unfilterable properties are 400s, as in Graph. */
export function parseFilterFor(req: GraphSimRequest, spec: EntitySetSpec): FilterExpr | undefined {
  const text = req.query.get('$filter');
  if (text === null) return undefined;
  let expr: FilterExpr;
  try {
    expr = parseGraphFilter(text);
  } catch (e) {
    if (e instanceof FilterSyntaxError) throw badRequest('BadRequest', `Invalid filter clause: ${e.message}`);
    throw e;
  }
  for (const leaf of filterLeaves(expr)) {
    const prop = leaf.property.split('/')[0] as string;
    if (!spec.properties.has(prop)) {
      throw badRequest('BadRequest', `Could not find a property named '${prop}' on type '${spec.type}'.`);
    }
  }
  // Graph limits an `in` to 15 values by default ("the in operator … is limited to 15
  // expressions in the filter clause", the $filter query-parameter page).
  for (const leaf of filterLeaves(expr)) {
    if (leaf.kind === 'in' && leaf.values.length > MAX_IN_VALUES && !advancedQuery(req)) {
      throw badRequest(
        'Request_UnsupportedQuery',
        `Too many child clauses specified in search filter expression containing 'OR' operators: ${leaf.values.length}. Max allowed: ${MAX_IN_VALUES}.`,
      );
    }
  }
  // Directory objects: per property and operator, as Microsoft documents it (graphFilterSupport.ts).
  const directoryType = spec.directory ? directoryFilterType(spec.type) : null;
  const advanced = advancedQuery(req) && req.query.get('$count') === 'true';
  if (directoryType) {
    for (const clause of filterClauses(expr)) {
      const support = directoryFilterSupport(directoryType, clause);
      if (support === null) throw unsupportedClause(clause.property, spec);
      if (support === 'advanced' && !advanced) throw advancedQueryRequired();
    }
    return expr;
  }
  for (const leaf of filterLeaves(expr)) {
    const prop = leaf.property.split('/')[0] as string;
    if (!spec.filterable.has(prop)) throw unsupportedClause(prop, spec);
  }
  return expr;
}

function fingerprint(req: GraphSimRequest): string {
  const parts = [...req.query.entries()].filter(([k]) => k.toLowerCase() !== '$skiptoken').sort();
  return createHash('sha256')
    .update(req.path.toLowerCase())
    .update(JSON.stringify(parts))
    .digest('base64url')
    .slice(0, 12);
}

function encodeSkipToken(offset: number, req: GraphSimRequest): string {
  return 'RFNwdA' + Buffer.from(JSON.stringify({ o: offset, f: fingerprint(req) })).toString('base64url');
}

function decodeSkipToken(token: string, req: GraphSimRequest): number {
  try {
    if (!token.startsWith('RFNwdA')) throw new Error('foreign');
    const parsed = JSON.parse(Buffer.from(token.slice(6), 'base64url').toString('utf8')) as {
      o?: unknown;
      f?: unknown;
    };
    if (typeof parsed.o !== 'number' || parsed.o < 0 || parsed.f !== fingerprint(req))
      throw new Error('mismatch');
    return parsed.o;
  } catch {
    throw badRequest(
      'Directory_ExpiredPageToken',
      'The specified page token value has expired and can no longer be included in your request.',
    );
  }
}

/** Rebuilds the request URL with a new `$skiptoken`, keeping every other option: Graph's `@odata.nextLink`. */
function nextLink(opts: CollectionOptions, offset: number): string {
  const params = [...opts.req.query.entries()]
    .filter(([k]) => k.toLowerCase() !== '$skiptoken')
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  params.push(`$skiptoken=${encodeSkipToken(offset, opts.req)}`);
  return `${opts.baseUrl}${opts.req.path}?${params.join('&')}`;
}

function parseTop(req: GraphSimRequest): number {
  const raw = req.query.get('$top');
  if (raw === null) return DEFAULT_TOP;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > MAX_TOP) {
    throw badRequest(
      'Request_BadRequest',
      `Invalid page size specified: '${raw}'. Must be between 1 and ${MAX_TOP} inclusive.`,
    );
  }
  return n;
}

function sortItems(
  req: GraphSimRequest,
  spec: EntitySetSpec,
  items: { item: Entity }[],
  filtered: boolean,
): void {
  const raw = req.query.get('$orderby');
  if (raw === null) return;
  const m = /^\s*([A-Za-z]+)(?:\s+(asc|desc))?\s*$/.exec(raw);
  if (!m || !spec.properties.has(m[1] as string)) {
    throw badRequest('Request_UnsupportedQuery', `Unsupported sort property '${raw}'.`);
  }
  if (filtered && spec.directory && !(advancedQuery(req) && req.query.get('$count') === 'true')) {
    throw badRequest(
      'Request_UnsupportedQuery',
      'Sorting not supported for current query. $orderby with $filter needs $count=true and ConsistencyLevel:eventual.',
    );
  }
  const prop = m[1] as string;
  const dir = m[2] === 'desc' ? -1 : 1;
  items.sort((a, b) => String(a.item[prop] ?? '').localeCompare(String(b.item[prop] ?? '')) * dir);
}

/** Identity properties the simulator never changes after generating a fleet: safe to index. */
const INDEXED = new Set(['id', 'deviceId', 'displayName', 'userPrincipalName', 'mail']);
const positions = new WeakMap<object, Map<string, { size: number; map: Map<unknown, number[]> }>>();

/** The `(property, value)` pairs an `eq`/`in`/`or` filter pins, when every branch is one (null: it pins nothing). */
function pinned(expr: FilterExpr): { property: string; value: unknown }[] | null {
  if (expr.kind === 'compare' && expr.op === 'eq' && INDEXED.has(expr.property))
    return [{ property: expr.property, value: expr.value }];
  if (expr.kind === 'in' && INDEXED.has(expr.property))
    return expr.values.map((value) => ({ property: expr.property, value }));
  if (expr.kind === 'or') {
    const l = pinned(expr.left);
    const r = pinned(expr.right);
    return l && r ? [...l, ...r] : null;
  }
  if (expr.kind === 'and') return pinned(expr.left) ?? pinned(expr.right);
  return null;
}

const key = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);

/** The items that can match `filter` (a superset; the filter still runs on each), in their order. */
function candidates(opts: CollectionOptions, filter: FilterExpr): CollectionOptions['items'] {
  const pins = pinned(filter);
  const source = opts.source;
  if (!pins || !source || source.length !== opts.items.length) return opts.items;
  let bySource = positions.get(source);
  if (!bySource) positions.set(source, (bySource = new Map()));
  const found = new Set<number>();
  for (const { property, value } of pins) {
    let table = bySource.get(property);
    if (!table || table.size !== opts.items.length) {
      const map = new Map<unknown, number[]>();
      opts.items.forEach((x, i) => {
        const k = key(x.item[property]);
        const at = map.get(k);
        if (at) at.push(i);
        else map.set(k, [i]);
      });
      table = { size: opts.items.length, map };
      bySource.set(property, table);
    }
    for (const i of table.map.get(key(value)) ?? []) found.add(i);
  }
  return [...found].sort((a, b) => a - b).map((i) => opts.items[i]!);
}

/**
 * Answers a collection GET the way Graph does: `$filter`, `$select`, `$expand`, `$orderby`,
 * `$count` (directory objects: only with `ConsistencyLevel: eventual`), `$top` (≤ 999, default 100;
 * with `$expand` on directory objects at most 100)
 * and `@odata.nextLink` paging with an opaque `$skiptoken` bound to the query it came from.
 */
export function serveCollection(opts: CollectionOptions): CollectionResult {
  const { req, spec } = opts;
  if (req.query.has('$search')) {
    throw badRequest('Request_UnsupportedQuery', 'The demo tenant does not support $search.');
  }
  const filter = parseFilterFor(req, spec);
  const count = req.query.get('$count') === 'true';
  if (count && spec.directory && !advancedQuery(req)) {
    throw badRequest('Request_BadRequest', '$count is not currently supported.');
  }
  const select = parseSelect(req.query.get('$select'), spec);
  const expand = parseExpand(req.query.get('$expand'), spec, opts.expandable);
  const asked = opts.paged ? parseTop(req) : Number.MAX_SAFE_INTEGER;
  const top = expand && spec.directory ? Math.min(asked, MAX_EXPANDED_PAGE) : asked;
  const skip = req.query.get('$skiptoken');
  const offset = skip === null ? 0 : decodeSkipToken(skip, req);

  const matched = filter
    ? candidates(opts, filter).filter((x) => graphFilterMatches(filter, x.item))
    : [...opts.items];
  sortItems(req, spec, matched, filter !== undefined);
  const page = matched.slice(offset, offset + top);
  const value = page.map((x) =>
    withExpansion(projectEntity(x.item, x.spec, select, opts.typed), x.item, expand),
  );
  const body: Entity = {
    '@odata.context': `${opts.baseUrl}/$metadata#${opts.contextPath}${select ? `(${select.join(',')})` : ''}`,
  };
  if (count) body['@odata.count'] = matched.length;
  if (offset + top < matched.length) body['@odata.nextLink'] = nextLink(opts, offset + top);
  body.value = value;
  return { response: { status: 200, body }, filter };
}

/** Answers a single-entity GET (`$select`, `$expand` allowed), with Graph's `$entity` context. */
export function serveEntity(
  req: GraphSimRequest,
  baseUrl: string,
  spec: EntitySetSpec,
  item: Entity,
  contextPath: string,
  expandable?: Record<string, ExpandableNav>,
): GraphSimResponse {
  const select = parseSelect(req.query.get('$select'), spec);
  const expand = parseExpand(req.query.get('$expand'), spec, expandable);
  return {
    status: 200,
    body: {
      '@odata.context': `${baseUrl}/$metadata#${contextPath}${select ? `(${select.join(',')})` : ''}/$entity`,
      ...withExpansion(projectEntity(item, spec, select, false), item, expand),
    },
  };
}
