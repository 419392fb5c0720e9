import type { DemoFleet, JamfInventoryRecord } from './fleetTypes';
import { jamfApiError, type SimulatorResult } from './jamfApiError';
import { parseRsql, RsqlSyntaxError, type RsqlComparison, type RsqlNode } from './parseRsql';

type Field = (c: JamfInventoryRecord) => string | null;

/**
 * The fields Jamf Pro 11.30.1 lets a v4 inventory `filter` use, as its contract's `filter`
 * parameter lists them (in that order); any other field is a 400 `INVALID_FIELD`. A field the
 * demo's records lack reads as empty.
 */
export const INVENTORY_FILTER_FIELDS = [
  'general.name',
  'udid',
  'id',
  'general.assetTag',
  'general.barcode1',
  'general.barcode2',
  'general.enrolledViaAutomatedDeviceEnrollment',
  'general.lastIpAddress',
  'general.itunesStoreAccountActive',
  'general.jamfBinaryVersion',
  'general.lastCheckIn',
  'general.lastContact',
  'general.lastEnrolledDate',
  'general.lastCloudBackupDate',
  'general.reportDate',
  'general.lastReportedIp',
  'general.lastReportedIpV4',
  'general.lastReportedIpV6',
  'general.managementId',
  'general.remoteManagement.managed',
  'general.mdmCapable.capable',
  'general.mdmCertificateExpiration',
  'general.platform',
  'general.supervised',
  'general.userApprovedMdm',
  'general.declarativeDeviceManagementEnabled',
  'general.lastLoggedInUsernameSelfService',
  'general.lastLoggedInUsernameSelfServiceTimestamp',
  'general.lastLoggedInUsernameBinary',
  'general.lastLoggedInUsernameBinaryTimestamp',
  'general.lastLoggedInUsernameMdm',
  'general.lastLoggedInUsernameMdmTimestamp',
  'hardware.bleCapable',
  'hardware.macAddress',
  'hardware.make',
  'hardware.model',
  'hardware.modelIdentifier',
  'hardware.serialNumber',
  'hardware.supportsIosAppInstalls',
  'hardware.appleSilicon',
  'operatingSystem.activeDirectoryStatus',
  'operatingSystem.fileVault2Status',
  'operatingSystem.build',
  'operatingSystem.supplementalBuildVersion',
  'operatingSystem.rapidSecurityResponse',
  'operatingSystem.name',
  'operatingSystem.version',
  'security.activationLockEnabled',
  'security.recoveryLockEnabled',
  'security.firewallEnabled',
  'userAndLocation.buildingId',
  'userAndLocation.departmentId',
  'userAndLocation.email',
  'userAndLocation.realname',
  'userAndLocation.phone',
  'userAndLocation.position',
  'userAndLocation.room',
  'userAndLocation.username',
  'diskEncryption.fileVault2Enabled',
  'purchasing.appleCareId',
  'purchasing.lifeExpectancy',
  'purchasing.purchased',
  'purchasing.leased',
  'purchasing.vendor',
  'purchasing.warrantyDate',
] as const;

// A module-level copy: under jest's vm context `Date.parse` is a slow global lookup per call.
const parseDate = Date.parse;

const FILTER_FIELDS: Record<string, Field> = Object.fromEntries(
  INVENTORY_FILTER_FIELDS.map((f) => [f, fieldAt(f)]),
);

/** Reads a dotted path (`general.remoteManagement.managed`) as text; absent → null. */
function fieldAt(path: string): Field {
  const keys = path.split('.');
  return (c) => {
    let v: unknown = c;
    for (const k of keys)
      v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
    return v === undefined || v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
}

/**
 * Filter fields that hold instants: Jamf Pro compares them as dates, so `>=`, `<` etc. work on
 * time, and a literal that is not one of its date formats is a 400. The demo's records have
 * `reportDate`, `lastContact` and `lastCheckIn`; the others read as empty (never match).
 */
const DATE_FIELDS = new Set([
  'general.lastCheckIn',
  'general.lastContact',
  'general.lastEnrolledDate',
  'general.lastCloudBackupDate',
  'general.reportDate',
  'general.mdmCertificateExpiration',
  'general.lastLoggedInUsernameSelfServiceTimestamp',
  'general.lastLoggedInUsernameBinaryTimestamp',
  'general.lastLoggedInUsernameMdmTimestamp',
]);

/**
 * The date literals Jamf Pro's filter takes: UTC with `Z`, whole seconds or milliseconds
 * (`2026-08-01T09:30:00Z`, `2026-08-01T09:30:00.000Z`). A numeric offset (`+02:00`) is refused
 * with "Date [...] does not match any of supported formats", as integrators report of the real
 * server; the bot's `reportedSince` always sends `Z`.
 */
const DATE_LITERAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** Epoch ms of a date literal Jamf Pro accepts, or null. */
export function jamfFilterDate(literal: string): number | null {
  if (!DATE_LITERAL.test(literal)) return null;
  const ms = parseDate(literal);
  return Number.isNaN(ms) ? null : ms;
}

/** Identity fields worth a lookup table (exact matches on them are what searches send). */
const EXACT_FIELDS = new Set([
  'id',
  'general.name',
  'hardware.serialNumber',
  'userAndLocation.email',
  'userAndLocation.username',
]);

/** Sortable fields (Jamf Pro's list for v4 inventory, where the demo has the data). */
const SORT_FIELDS: Record<string, Field> = {
  id: (c) => c.id,
  udid: (c) => c.udid,
  'general.name': (c) => c.general.name,
  'general.reportDate': (c) => c.general.reportDate,
  'general.lastContact': (c) => c.general.lastContact,
  'general.lastCheckIn': (c) => c.general.lastCheckIn ?? null,
  'general.platform': (c) => c.general.platform,
  'hardware.make': (c) => c.hardware.make ?? null,
  'hardware.model': (c) => c.hardware.model,
  'operatingSystem.version': (c) => c.operatingSystem.version,
  'operatingSystem.name': (c) => c.operatingSystem.name,
  'userAndLocation.realname': (c) => c.userAndLocation.realname,
};

/** `ComputerSectionV4` → the property it fills, and what an absent section looks like. */
const SECTIONS: Record<string, [key: string, empty: () => unknown]> = {
  GENERAL: ['general', () => ({})],
  DISK_ENCRYPTION: ['diskEncryption', () => ({})],
  PURCHASING: ['purchasing', () => ({})],
  APPLICATIONS: ['applications', () => []],
  STORAGE: ['storage', () => ({})],
  USER_AND_LOCATION: ['userAndLocation', () => ({})],
  CONFIGURATION_PROFILES: ['configurationProfiles', () => []],
  PRINTERS: ['printers', () => []],
  SERVICES: ['services', () => []],
  HARDWARE: ['hardware', () => ({})],
  LOCAL_USER_ACCOUNTS: ['localUserAccounts', () => []],
  CERTIFICATES: ['certificates', () => []],
  ATTACHMENTS: ['attachments', () => []],
  PACKAGE_RECEIPTS: ['packageReceipts', () => ({})],
  SECURITY: ['security', () => ({})],
  OPERATING_SYSTEM: ['operatingSystem', () => ({})],
  LICENSED_SOFTWARE: ['licensedSoftware', () => []],
  IBEACONS: ['ibeacons', () => []],
  SOFTWARE_UPDATES: ['softwareUpdates', () => []],
  EXTENSION_ATTRIBUTES: ['extensionAttributes', () => []],
  CONTENT_CACHING: ['contentCaching', () => ({})],
  GROUP_MEMBERSHIPS: ['groupMemberships', () => []],
};

export interface InventoryQuery {
  sections: string[];
  page?: string | null;
  pageSize?: string | null;
  sort: string[];
  filter?: string | null;
}

/**
 * The v4 computer inventory as Jamf Pro serves it: RSQL `filter`, `sort`, `page`/`page-size`,
 * only the requested `section`s. Sorted orders are cached (a 50,000-Mac fleet is paged hundreds of
 * times per sync) and rebuilt when the fleet changes; ties break on `id`, so pages never overlap.
 */
export class JamfInventoryIndex {
  private sorted = new Map<string, JamfInventoryRecord[]>();
  private seen: { list: JamfInventoryRecord[]; length: number } | null = null;
  /** Field → lower-cased value → computers: for exact (`==` without `*`) filters on identity fields. */
  private exact = new Map<string, Map<string, JamfInventoryRecord[]>>();

  constructor(
    private readonly fleet: DemoFleet,
    private readonly maxPageSize: number,
  ) {}

  /** Forget cached orders: call after changing computers in place. */
  invalidate(): void {
    this.sorted.clear();
    this.exact.clear();
  }

  /** Computers whose `field` equals `value` ignoring case, from a table built on first use. */
  private equal(field: string, value: string): JamfInventoryRecord[] {
    let table = this.exact.get(field);
    if (!table) {
      table = new Map();
      const get = FILTER_FIELDS[field] as Field;
      for (const c of this.fleet.jamf.computers) {
        const k = (get(c) ?? '').toLowerCase();
        const at = table.get(k);
        if (at) at.push(c);
        else table.set(k, [c]);
      }
      this.exact.set(field, table);
    }
    return table.get(value.toLowerCase()) ?? [];
  }

  /** The computers an exact filter can match (a superset; null = any computer may). */
  private candidates(node: RsqlNode): Set<JamfInventoryRecord> | null {
    if (node.type === 'comparison') {
      const exact = EXACT_FIELDS.has(node.selector) && (node.operator === '==' || node.operator === '=in=');
      if (!exact || node.values.some((v) => v.includes('*'))) return null;
      return new Set(node.values.flatMap((v) => this.equal(node.selector, v)));
    }
    const sets = node.children.map((n) => this.candidates(n));
    if (node.type === 'and') return sets.find((x) => x !== null) ?? null;
    if (sets.some((x) => x === null)) return null;
    return new Set(sets.flatMap((x) => [...(x as Set<JamfInventoryRecord>)]));
  }

  /**
   * One page. `work` is what the page cost to assemble — records returned × sections filled —
   * for the simulator's per-record response time.
   */
  list(q: InventoryQuery): SimulatorResult & { filter?: RsqlNode | null; work?: number } {
    const sections = this.sections(q.sections);
    if ('status' in sections) return sections;
    const page = q.page == null || q.page === '' ? 0 : Number(q.page);
    const pageSize = q.pageSize == null || q.pageSize === '' ? 100 : Number(q.pageSize);
    if (!Number.isInteger(page) || page < 0)
      return jamfApiError(400, 'INVALID_PARAMETER', 'page must be >= 0', 'page');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > this.maxPageSize) {
      return jamfApiError(
        400,
        'INVALID_PARAMETER',
        `page-size must be between 1 and ${this.maxPageSize}`,
        'page-size',
      );
    }
    const order = this.order(q.sort);
    if (!Array.isArray(order)) return order;
    let filter: RsqlNode | null;
    try {
      filter = parseRsql(q.filter ?? '');
    } catch (e) {
      if (!(e instanceof RsqlSyntaxError)) throw e;
      return {
        ...jamfApiError(400, 'INVALID_RSQL_FILTER', `Invalid RSQL filter: ${e.message}`, 'filter'),
        filter: null,
      };
    }
    const unknown = unknownSelector(filter);
    if (unknown !== null) {
      return {
        ...jamfApiError(
          400,
          'INVALID_FIELD',
          `Cannot filter by field [${unknown}]. Fields that can be used in filtering results of this endpoint: ` +
            `[${Object.keys(FILTER_FIELDS).join(', ')}]`,
          'filter',
        ),
        filter,
      };
    }
    const badDate = badDateLiteral(filter);
    if (badDate !== null) {
      return {
        ...jamfApiError(
          400,
          'INVALID_FIELD',
          `Date [${badDate}] does not match any of supported formats`,
          'filter',
        ),
        filter,
      };
    }
    const narrowed = filter ? this.candidates(filter) : null;
    const matching = filter
      ? order.filter((c) => (narrowed === null || narrowed.has(c)) && matches(filter, c))
      : order;
    const slice = matching.slice(page * pageSize, page * pageSize + pageSize);
    return {
      status: 200,
      body: { totalCount: matching.length, results: slice.map((c) => project(c, sections)) },
      filter,
      work: slice.length * sections.length,
    };
  }

  get(id: string, sectionParams: string[]): SimulatorResult & { work?: number } {
    const sections = this.sections(sectionParams);
    if ('status' in sections) return sections;
    this.order([]); // forgets the tables if the fleet was replaced or grew
    const c = this.equal('id', id).find((x) => x.id === id);
    return c
      ? { status: 200, body: project(c, sections), work: sections.length }
      : jamfApiError(404, 'INVALID_ID', `Computer with id ${id} not found`, 'id');
  }

  private sections(params: string[]): string[] | SimulatorResult {
    const wanted = params
      .flatMap((p) => p.split(','))
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean);
    const bad = wanted.find((s) => !(s in SECTIONS));
    if (bad) return jamfApiError(400, 'INVALID_PARAMETER', `Unknown section ${bad}`, 'section');
    return wanted.length ? [...new Set(wanted)] : ['GENERAL'];
  }

  private order(sortParams: string[]): JamfInventoryRecord[] | SimulatorResult {
    const list = this.fleet.jamf.computers;
    if (!this.seen || this.seen.list !== list || this.seen.length !== list.length) {
      this.sorted.clear();
      this.exact.clear();
      this.seen = { list, length: list.length };
    }
    const terms = sortParams
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    if (terms.length === 0) terms.push('general.name:asc');
    const key = terms.join(',');
    const cached = this.sorted.get(key);
    if (cached) return cached;
    const keys: { get: Field; dir: number; numeric: boolean }[] = [];
    for (const t of terms) {
      const [field = '', dir = 'asc'] = t.split(':');
      const get = SORT_FIELDS[field];
      if (!get || !['asc', 'desc'].includes(dir.toLowerCase())) {
        return jamfApiError(400, 'INVALID_SORT', `Cannot sort by [${t}]`, 'sort');
      }
      keys.push({ get, dir: dir.toLowerCase() === 'desc' ? -1 : 1, numeric: field === 'id' });
    }
    const rows = list.map((c) => ({ c, k: keys.map((k) => sortKey(k.get(c), k.numeric)), id: Number(c.id) }));
    rows.sort((a, b) => {
      for (let i = 0; i < keys.length; i++) {
        const x = a.k[i] as string | number;
        const y = b.k[i] as string | number;
        if (x !== y) return (x < y ? -1 : 1) * (keys[i]?.dir ?? 1);
      }
      return a.id - b.id;
    });
    const sorted = rows.map((r) => r.c);
    this.sorted.set(key, sorted);
    return sorted;
  }
}

/** MySQL-like: strings compare ignoring case; `id` compares as a number. */
function sortKey(v: string | null, numeric: boolean): string | number {
  return numeric ? Number(v) : (v ?? '').toLowerCase();
}

function unknownSelector(node: RsqlNode | null): string | null {
  if (!node) return null;
  if (node.type === 'comparison') return node.selector in FILTER_FIELDS ? null : node.selector;
  for (const c of node.children) {
    const u = unknownSelector(c);
    if (u !== null) return u;
  }
  return null;
}

/** A value compared with a date field that is not a Jamf date literal (wildcards aside), or null. */
function badDateLiteral(node: RsqlNode | null): string | null {
  if (!node) return null;
  if (node.type === 'comparison') {
    if (!DATE_FIELDS.has(node.selector)) return null;
    return node.values.find((v) => !v.includes('*') && jamfFilterDate(v) === null) ?? null;
  }
  for (const c of node.children) {
    const bad = badDateLiteral(c);
    if (bad !== null) return bad;
  }
  return null;
}

function matches(node: RsqlNode, c: JamfInventoryRecord): boolean {
  if (node.type !== 'comparison') {
    return node.type === 'and'
      ? node.children.every((n) => matches(n, c))
      : node.children.some((n) => matches(n, c));
  }
  const actual = (FILTER_FIELDS[node.selector] as Field)(c);
  return DATE_FIELDS.has(node.selector) ? compareDate(node, actual) : compare(node, actual);
}

/**
 * A comparison on a date field, as instants (`2026-01-01T00:00:00Z` equals
 * `2026-01-01T00:00:00.000Z`); a Mac without that date matches no comparison but `!=`/`=out=`.
 * A wildcard value (`2026-01-*`) matches the stored text, as MySQL's LIKE would.
 */
function compareDate(cmp: RsqlComparison, actual: string | null): boolean {
  const a = actual === null ? NaN : parseDate(actual);
  const eq = (v: string) => (v.includes('*') ? like(actual ?? '', v) : a === jamfFilterDate(v));
  const v = jamfFilterDate(cmp.values[0] ?? '') ?? NaN;
  switch (cmp.operator) {
    case '==':
      return eq(cmp.values[0] ?? '');
    case '!=':
      return !eq(cmp.values[0] ?? '');
    case '=in=':
      return cmp.values.some(eq);
    case '=out=':
      return !cmp.values.some(eq);
    case '=lt=':
      return a < v;
    case '=le=':
      return a <= v;
    case '=gt=':
      return a > v;
    case '=ge=':
      return a >= v;
    default:
      return false;
  }
}

function compare(cmp: RsqlComparison, actual: string | null): boolean {
  const a = actual ?? '';
  const v = cmp.values[0] ?? '';
  const numeric = /^-?\d+$/.test(a) && /^-?\d+$/.test(v);
  const order = numeric
    ? Math.sign(Number(a) - Number(v))
    : a.toLowerCase() < v.toLowerCase()
      ? -1
      : a.toLowerCase() > v.toLowerCase()
        ? 1
        : 0;
  switch (cmp.operator) {
    case '==':
      return like(a, v);
    case '!=':
      return !like(a, v);
    case '=in=':
      return cmp.values.some((x) => like(a, x));
    case '=out=':
      return !cmp.values.some((x) => like(a, x));
    case '=lt=':
      return order < 0;
    case '=le=':
      return order <= 0;
    case '=gt=':
      return order > 0;
    case '=ge=':
      return order >= 0;
    default:
      return false;
  }
}

const patterns = new Map<string, RegExp>();

/** Equality ignoring case, where `*` matches any run of characters (Jamf Pro's RSQL wildcard). */
function like(actual: string, pattern: string): boolean {
  if (!pattern.includes('*')) return actual.toLowerCase() === pattern.toLowerCase();
  let re = patterns.get(pattern);
  if (!re) {
    const body = pattern
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    re = new RegExp(`^${body}$`, 'is');
    if (patterns.size < 1000) patterns.set(pattern, re);
  }
  return re.test(actual);
}

/**
 * One record with the requested sections filled and every other section `null`, as Jamf Pro
 * sends them (not left out, not filled): a client that reads a section it did not ask for finds
 * nothing there, as it would against a real server.
 */
function project(c: JamfInventoryRecord, sections: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: c.id, udid: c.udid };
  const record = c as unknown as Record<string, unknown>;
  for (const [name, [key, empty]] of Object.entries(SECTIONS)) {
    out[key] = sections.includes(name) ? (record[key] ?? empty()) : null;
  }
  return out;
}
