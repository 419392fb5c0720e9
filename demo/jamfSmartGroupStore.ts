import type { DemoFleet, JamfInventoryRecord, JamfSmartGroupRecord } from './fleetTypes';
import { jamfApiError, type SimulatorResult } from './jamfApiError';
import { JAMF_COMPUTER_CRITERIA } from './jamfComputerCriteria';
import { parseRsql, rsqlComparisons, RsqlSyntaxError, type RsqlNode } from './parseRsql';
import { smartGroupPredicate } from './smartGroupPredicate';

type Criterion = JamfSmartGroupRecord['criteria'][number];

/**
 * The v3 smart computer groups of the demo's Jamf Pro: list, read, create, update, delete and
 * membership, in `SmartComputerGroupV3` / `SmartGroupSearchResult` / `SmartGroupMembership`
 * shapes. Writes re-evaluate the group against every computer and keep each computer's
 * `groupMemberships` in step, as Jamf Pro does.
 */
export class JamfSmartGroupStore {
  constructor(
    private readonly fleet: DemoFleet,
    private readonly now: () => number,
  ) {}

  list(q: {
    page?: string | null;
    pageSize?: string | null;
    sort: string[];
    filter?: string | null;
  }): SimulatorResult {
    const page = q.page ? Number(q.page) : 0;
    const pageSize = q.pageSize ? Number(q.pageSize) : 100;
    if (
      !Number.isInteger(page) ||
      page < 0 ||
      !Number.isInteger(pageSize) ||
      pageSize < 1 ||
      pageSize > 2000
    ) {
      return jamfApiError(400, 'INVALID_PARAMETER', 'Invalid page or page-size', 'page');
    }
    let filter: RsqlNode | null;
    try {
      filter = parseRsql(q.filter ?? '');
    } catch (e) {
      if (e instanceof RsqlSyntaxError) return jamfApiError(400, 'INVALID_RSQL_FILTER', e.message, 'filter');
      throw e;
    }
    const unknown = rsqlComparisons(filter).find((c) => !(c.selector in GROUP_FIELDS));
    if (unknown) {
      return jamfApiError(
        400,
        'INVALID_FIELD',
        `Cannot filter by field [${unknown.selector}]. Fields that can be used in filtering results of this endpoint: ` +
          `[${Object.keys(GROUP_FIELDS).join(', ')}]`,
        'filter',
      );
    }
    const groups = this.fleet.jamf.smartGroups.filter((g) => !filter || matchesGroup(filter, g));
    const [field = 'id', dir = 'asc'] = (q.sort[0] ?? 'id:asc').split(':');
    if (!['id', 'name'].includes(field))
      return jamfApiError(400, 'INVALID_SORT', `Cannot sort by [${field}]`, 'sort');
    const sign = dir === 'desc' ? -1 : 1;
    groups.sort((a, b) =>
      field === 'id' ? sign * (Number(a.id) - Number(b.id)) : sign * a.name.localeCompare(b.name),
    );
    return {
      status: 200,
      body: {
        totalCount: groups.length,
        results: groups.slice(page * pageSize, (page + 1) * pageSize).map((g) => ({
          id: g.id,
          siteId: g.siteId ?? '-1',
          name: g.name,
          description: g.description ?? '',
          membershipCount: g.members.length,
        })),
      },
    };
  }

  get(id: string): SimulatorResult {
    const g = this.find(id);
    return g ? { status: 200, body: view(g) } : notFound(id);
  }

  membership(id: string): SimulatorResult {
    const g = this.find(id);
    return g ? { status: 200, body: { members: g.members.map(Number) } } : notFound(id);
  }

  create(body: unknown, hrefBase: string): SimulatorResult {
    const input = validate(body);
    if ('status' in input) return input;
    if (this.fleet.jamf.smartGroups.some((g) => g.name.toLowerCase() === input.name.toLowerCase())) {
      return jamfApiError(422, 'DUPLICATE_FIELD', `A group named ${input.name} already exists`, 'name');
    }
    const id = String(
      this.fleet.jamf.smartGroups.reduce((max, g) => Math.max(max, Number(g.id) || 0), 0) + 1,
    );
    const group: JamfSmartGroupRecord = { id, ...input, members: [] };
    this.fleet.jamf.smartGroups.push(group);
    this.recompute(group);
    return { status: 201, body: { id, href: `${hrefBase}/${id}` } };
  }

  update(id: string, body: unknown): SimulatorResult {
    const g = this.find(id);
    if (!g) return notFound(id);
    const input = validate(body);
    if ('status' in input) return input;
    if (
      this.fleet.jamf.smartGroups.some((o) => o !== g && o.name.toLowerCase() === input.name.toLowerCase())
    ) {
      return jamfApiError(422, 'DUPLICATE_FIELD', `A group named ${input.name} already exists`, 'name');
    }
    Object.assign(g, input);
    this.recompute(g);
    return { status: 202, body: view(g) };
  }

  remove(id: string): SimulatorResult {
    const i = this.fleet.jamf.smartGroups.findIndex((g) => g.id === id);
    if (i < 0) return notFound(id);
    this.fleet.jamf.smartGroups.splice(i, 1);
    for (const c of this.fleet.jamf.computers) {
      c.groupMemberships = c.groupMemberships.filter((m) => m.groupId !== id);
    }
    return { status: 204 };
  }

  /** Re-evaluates one group (or all) against every computer's current inventory. */
  recompute(group?: JamfSmartGroupRecord): void {
    for (const g of group ? [group] : this.fleet.jamf.smartGroups) {
      const isMember = smartGroupPredicate(g.criteria, this.now());
      g.members = [];
      for (const c of this.fleet.jamf.computers) {
        const rest = c.groupMemberships.filter((m) => m.groupId !== g.id);
        if (isMember(c)) {
          g.members.push(c.id);
          rest.push({ groupId: g.id, groupName: g.name, smartGroup: true });
        }
        c.groupMemberships = rest;
      }
    }
  }

  /**
   * Re-evaluates every smart group for one computer after its inventory changed (an inventory
   * report), as Jamf Pro does on recon: its `groupMemberships` and each group's `members` follow.
   * `previous` (the record it replaces) says which groups it was in, sparing searches of `members`.
   * Replaces the membership list (entries may be shared and frozen), never edits it.
   */
  recomputeComputer(c: JamfInventoryRecord, previous?: JamfInventoryRecord): void {
    const smart = new Set(this.fleet.jamf.smartGroups.map((g) => g.id));
    const before = new Set((previous ?? c).groupMemberships.map((m) => m.groupId));
    const memberships = c.groupMemberships.filter((m) => !smart.has(m.groupId));
    for (const g of this.fleet.jamf.smartGroups) {
      const isMember = smartGroupPredicate(g.criteria, this.now())(c);
      // `members` of a 50,000-Mac group is long: searched only when the computer may leave it.
      if (isMember) {
        memberships.push({ groupId: g.id, groupName: g.name, smartGroup: true });
        if (!(previous && before.has(g.id)) && !g.members.includes(c.id)) g.members.push(c.id);
      } else if (!previous || before.has(g.id)) {
        const at = g.members.indexOf(c.id);
        if (at >= 0) g.members.splice(at, 1);
      }
    }
    c.groupMemberships = memberships;
  }

  /** Takes a deleted computer out of every group's members. */
  forgetComputer(id: string): void {
    for (const g of this.fleet.jamf.smartGroups) {
      const at = g.members.indexOf(id);
      if (at >= 0) g.members.splice(at, 1);
    }
  }

  private find(id: string): JamfSmartGroupRecord | undefined {
    return this.fleet.jamf.smartGroups.find((g) => g.id === id);
  }
}

function notFound(id: string): SimulatorResult {
  return jamfApiError(404, 'INVALID_ID', `Smart computer group with id ${id} not found`, 'id');
}

function view(g: JamfSmartGroupRecord) {
  return {
    id: g.id,
    name: g.name,
    description: g.description ?? '',
    criteria: g.criteria,
    siteId: g.siteId ?? '-1',
  };
}

/** The fields the contract's `filter` parameter allows for smart computer groups: id, name, siteId. */
const GROUP_FIELDS: Record<string, (g: JamfSmartGroupRecord) => string> = {
  id: (g) => g.id,
  name: (g) => g.name,
  siteId: (g) => g.siteId ?? '-1',
};

function matchesGroup(node: RsqlNode, g: JamfSmartGroupRecord): boolean {
  if (node.type !== 'comparison') {
    const each = (n: RsqlNode) => matchesGroup(n, g);
    return node.type === 'and' ? node.children.every(each) : node.children.some(each);
  }
  const actual = (GROUP_FIELDS[node.selector]?.(g) ?? '').toLowerCase();
  const hit = node.values.some((v) => {
    const re = new RegExp(
      `^${v
        .split('*')
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      'is',
    );
    return re.test(actual);
  });
  return node.operator === '!=' || node.operator === '=out=' ? !hit : hit;
}

/** `SmartComputerGroupV3` body checks, with the errors Jamf Pro gives (400 on bad criteria). */
function validate(body: unknown): Omit<JamfSmartGroupRecord, 'id' | 'members'> | SimulatorResult {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof b.name !== 'string' || b.name.trim() === '' || b.name.length > 255) {
    return jamfApiError(400, 'INVALID_FIELD', 'name is required (1-255 characters)', 'name');
  }
  const raw = b.criteria ?? [];
  if (!Array.isArray(raw)) return jamfApiError(400, 'INVALID_FIELD', 'criteria must be an array', 'criteria');
  const criteria: Criterion[] = [];
  for (const [i, c] of raw.entries()) {
    const r = (typeof c === 'object' && c !== null ? c : {}) as Record<string, unknown>;
    const andOr = typeof r.andOr === 'string' ? r.andOr.toLowerCase() : '';
    if (typeof r.name !== 'string' || typeof r.searchType !== 'string' || typeof r.value !== 'string') {
      return jamfApiError(
        400,
        'INVALID_FIELD',
        `criteria[${i}] needs name, searchType and value`,
        `criteria[${i}]`,
      );
    }
    if (andOr !== 'and' && andOr !== 'or') {
      return jamfApiError(400, 'INVALID_FIELD', 'andOr must be "and" or "or"', `criteria[${i}].andOr`);
    }
    if (r.priority !== i) {
      return jamfApiError(
        400,
        'INVALID_FIELD',
        'priority must start at 0 and increase by 1',
        `criteria[${i}].priority`,
      );
    }
    if (!JAMF_COMPUTER_CRITERIA.has(r.name)) {
      return jamfApiError(
        400,
        'INVALID_FIELD',
        `Invalid criterion name: ${r.name.slice(0, 100)}`,
        `criteria[${i}].name`,
      );
    }
    if (r.value.length > 255)
      return jamfApiError(400, 'INVALID_FIELD', 'value is too long', `criteria[${i}].value`);
    criteria.push({
      name: r.name,
      priority: i,
      andOr,
      searchType: r.searchType,
      value: r.value,
      openingParen: r.openingParen === true,
      closingParen: r.closingParen === true,
    });
  }
  return {
    name: b.name,
    description: typeof b.description === 'string' ? b.description : '',
    criteria,
    siteId: typeof b.siteId === 'string' ? b.siteId : null,
  };
}
