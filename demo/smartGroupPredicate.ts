import type { JamfInventoryRecord, JamfSmartGroupRecord } from './fleetTypes';

type Criterion = JamfSmartGroupRecord['criteria'][number];
type Test = (m: JamfInventoryRecord) => boolean;

const DAY_MS = 86_400_000;
// A module-level copy: under jest's vm context `Date.parse` is a slow global lookup per call.
const parseDate = Date.parse;

/** FileVault criterion labels → the v4 inventory's `fileVault2Status`. */
const FILEVAULT_LABELS: Record<string, string> = {
  'all partitions encrypted': 'ALL_ENCRYPTED',
  'boot partitions encrypted': 'BOOT_ENCRYPTED',
  'boot partition encrypted': 'BOOT_ENCRYPTED',
  'some partitions encrypted': 'SOME_ENCRYPTED',
  'no partitions encrypted': 'NOT_ENCRYPTED',
  'not encrypted': 'NOT_ENCRYPTED',
  'not applicable': 'NOT_APPLICABLE',
};

const TEXT_FIELDS: Record<string, (m: JamfInventoryRecord) => string | null> = {
  'computer name': (m) => m.general.name,
  'serial number': (m) => m.hardware.serialNumber,
  username: (m) => m.userAndLocation.username,
  'email address': (m) => m.userAndLocation.email,
};

/**
 * Compiles smart group criteria into a membership test, so the demo's group memberships follow
 * from each Mac's inventory the way Jamf Pro computes them. Knows the criteria the integration
 * uses (Application Title, Last Inventory Update, FileVault 2, Operating System Version, Computer
 * Name, Serial Number, Username, Email Address); any other criterion matches nothing (the store
 * refuses names Jamf Pro does not have, `jamfComputerCriteria.ts`). `and`
 * binds tighter than `or` and parentheses group, as in the SQL Jamf Pro builds. Application
 * titles match ignoring case and spaces: the seed's `CompanyPortal.app` criterion names the app
 * Jamf inventories as `Company Portal.app`. No criteria: every computer.
 */
export function smartGroupPredicate(criteria: readonly Criterion[], nowMs: number): Test {
  if (criteria.length === 0) return () => true;
  type Token = Test | 'and' | 'or' | '(' | ')';
  const tokens: Token[] = [];
  criteria.forEach((c, i) => {
    if (i > 0) tokens.push(c.andOr.toLowerCase() === 'or' ? 'or' : 'and');
    if (c.openingParen) tokens.push('(');
    tokens.push(criterionTest(c, nowMs));
    if (c.closingParen) tokens.push(')');
  });
  let pos = 0;
  const parseOr = (): Test => {
    let t = parseAnd();
    while (tokens[pos] === 'or') {
      pos++;
      const [l, r] = [t, parseAnd()];
      t = (m) => l(m) || r(m);
    }
    return t;
  };
  const parseAnd = (): Test => {
    let t = parsePrimary();
    while (tokens[pos] === 'and') {
      pos++;
      const [l, r] = [t, parsePrimary()];
      t = (m) => l(m) && r(m);
    }
    return t;
  };
  const parsePrimary = (): Test => {
    const t = tokens[pos++];
    if (t === '(') {
      const inner = parseOr();
      if (tokens[pos] === ')') pos++;
      return inner;
    }
    return typeof t === 'function' ? t : () => false;
  };
  return parseOr();
}

function criterionTest(c: Criterion, nowMs: number): Test {
  const name = c.name.trim().toLowerCase();
  const op = c.searchType.trim().toLowerCase();
  const negate = op === 'is not' || op === 'not like' || op === 'does not have';
  if (name === 'application title') {
    const want = squash(c.value);
    const like = op === 'like' || op === 'not like';
    return (m) => {
      const found = m.applications.some((a) =>
        like ? squash(a.name).includes(want) : squash(a.name) === want,
      );
      return negate ? !found : found;
    };
  }
  if (name === 'last inventory update') {
    const limit = Number(c.value) * DAY_MS;
    const age = (m: JamfInventoryRecord) =>
      nowMs - (m.general.reportDate ? parseDate(m.general.reportDate) : NaN);
    if (Number.isNaN(limit)) return () => false;
    if (op === 'less than x days ago') return (m) => age(m) < limit;
    if (op === 'more than x days ago') return (m) => !(age(m) <= limit);
    return () => false;
  }
  if (name.startsWith('filevault 2')) {
    const want = FILEVAULT_LABELS[c.value.trim().toLowerCase()] ?? c.value.trim().toUpperCase();
    if (op !== 'is' && op !== 'is not') return () => false;
    return (m) => (m.operatingSystem.fileVault2Status === want) !== negate;
  }
  if (name === 'operating system version') {
    const want = versionParts(c.value);
    return (m) => compareVersion(m.operatingSystem.version, op, want, c.value);
  }
  const field = TEXT_FIELDS[name];
  if (!field) return () => false;
  const v = c.value.toLowerCase();
  return (m) => {
    const a = (field(m) ?? '').toLowerCase();
    if (op === 'is' || op === 'is not') return (a === v) !== negate;
    if (op === 'like' || op === 'not like') return a.includes(v) !== negate;
    return false;
  };
}

const squashed = new Map<string, string>();

/** Inventory repeats the same few app names thousands of times: remember their squashed form. */
function squash(s: string): string {
  let v = squashed.get(s);
  if (v === undefined) {
    v = s.replace(/\s+/g, '').toLowerCase();
    if (squashed.size < 10_000) squashed.set(s, v);
  }
  return v;
}

const versions = new Map<string, number[]>();

function versionParts(v: string): number[] {
  let parts = versions.get(v);
  if (!parts) {
    parts = v.split('.').map((x) => parseInt(x, 10) || 0);
    if (versions.size < 1000) versions.set(v, parts);
  }
  return parts;
}

function compareVersion(actual: string, op: string, b: number[], value: string): boolean {
  const a = versionParts(actual);
  let cmp = 0;
  for (let i = 0; i < a.length || i < b.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) {
      cmp = d < 0 ? -1 : 1;
      break;
    }
  }
  switch (op) {
    case 'is':
      return cmp === 0;
    case 'is not':
      return cmp !== 0;
    case 'greater than':
      return cmp > 0;
    case 'greater than or equal':
      return cmp >= 0;
    case 'less than':
      return cmp < 0;
    case 'less than or equal':
      return cmp <= 0;
    case 'like':
      return actual.includes(value);
    default:
      return false;
  }
}
