import type { FilterExpr } from './graphFilterParser';

/**
 * Which `$filter` operators Microsoft Graph supports on which directory-object properties, by
 * default or only as an *advanced query* (`ConsistencyLevel: eventual` header and `$count=true`).
 *
 * Source: Microsoft Learn, "Advanced query capabilities on Microsoft Entra ID objects"
 * (https://learn.microsoft.com/graph/aad-advanced-queries), section "Support for filter by
 * properties of Microsoft Entra ID (directory) objects" — the per-object tables kept in
 * microsoftgraph/microsoft-graph-docs-contrib `includes/filter-directory-objects.md` — and the
 * page's general rules (below, in `directoryFilterSupport`). Only the objects and properties the
 * bot can filter on are copied (device, user, group, servicePrincipal); properties the page does
 * not list "do not support $filter at all". `id` is filterable with `eq` on every directory
 * object (the page's older user table lists it; `in` follows `eq`).
 *
 * The demo Graph simulator answers with this table (a clause Graph would refuse is a 400
 * `Request_UnsupportedQuery`), and the contract conformance suite checks every `$filter` the
 * bot's client sends against it.
 */
export type FilterSupport = 'default' | 'advanced';

/** One property's row: `eq`, `startsWith`, range (`ge`/`le`) and `null`-value support. */
export interface PropertyFilterSupport {
  eq?: FilterSupport;
  startsWith?: FilterSupport;
  range?: FilterSupport;
  null?: FilterSupport;
}

const D = 'default' as const;
const A = 'advanced' as const;

export const DIRECTORY_FILTER_SUPPORT: Readonly<
  Record<'device' | 'user' | 'group' | 'servicePrincipal', Readonly<Record<string, PropertyFilterSupport>>>
> = {
  device: {
    id: { eq: D },
    accountEnabled: { eq: D },
    approximateLastSignInDateTime: { eq: D, range: D, null: A },
    deviceId: { eq: D },
    displayName: { eq: D, startsWith: D, null: A },
    isCompliant: { eq: D },
    isManaged: { eq: D },
    mdmAppId: { eq: D },
    onPremisesLastSyncDateTime: { eq: D, range: D },
    onPremisesSyncEnabled: { eq: D, null: A },
    operatingSystem: { eq: D, startsWith: D, null: A },
    operatingSystemVersion: { eq: D, startsWith: D, null: A },
  },
  user: {
    id: { eq: D },
    accountEnabled: { eq: D },
    ageGroup: { eq: D },
    city: { eq: D, startsWith: D, null: A },
    companyName: { eq: A, startsWith: A, null: A },
    consentProvidedForMinor: { eq: D },
    country: { eq: D, startsWith: D, null: A },
    createdDateTime: { eq: A, range: A },
    creationType: { eq: D },
    department: { eq: D, startsWith: D, null: A },
    displayName: { eq: D, startsWith: D, null: A },
    employeeHireDate: { eq: A, range: A },
    employeeId: { eq: D, null: A },
    employeeType: { eq: A },
    externalUserState: { eq: D },
    externalUserStateChangeDateTime: { eq: D, range: D },
    faxNumber: { eq: A, startsWith: A, null: A },
    givenName: { eq: D, startsWith: D, null: A },
    isResourceAccount: { eq: D },
    jobTitle: { eq: D, startsWith: D, null: A },
    mail: { eq: D, startsWith: D, null: A },
    mailNickname: { eq: D, startsWith: D, null: A },
    mobilePhone: { eq: A, startsWith: A, null: A },
    officeLocation: { eq: A, startsWith: A, null: A },
    onPremisesImmutableId: { eq: D },
    onPremisesLastSyncDateTime: { eq: D, range: D },
    onPremisesSamAccountName: { eq: A, startsWith: A },
    onPremisesSecurityIdentifier: { null: A },
    onPremisesSyncEnabled: { eq: D, null: A },
    passwordPolicies: { null: A },
    postalCode: { eq: A, startsWith: A, null: A },
    preferredLanguage: { eq: A, startsWith: A, null: A },
    showInAddressList: { eq: A },
    state: { eq: D, startsWith: D, null: A },
    streetAddress: { eq: A, startsWith: A, null: A },
    surname: { eq: D, startsWith: D, null: A },
    usageLocation: { eq: D, startsWith: D, null: A },
    userPrincipalName: { eq: D, startsWith: D },
    userType: { eq: D, null: A },
  },
  group: {
    id: { eq: D },
    classification: { eq: D, startsWith: D },
    description: { eq: A, startsWith: A },
    displayName: { eq: D, startsWith: D, null: A },
    expirationDateTime: { eq: A, range: A },
    hasMembersWithLicenseErrors: { eq: D, null: D },
    mail: { eq: D, startsWith: D, null: A },
    mailEnabled: { eq: D },
    mailNickname: { eq: D, startsWith: D, null: A },
    membershipRule: { eq: D, startsWith: D },
    onPremisesLastSyncDateTime: { eq: D, range: D },
    onPremisesSamAccountName: { eq: A, startsWith: A },
    onPremisesSecurityIdentifier: { null: A },
    onPremisesSyncEnabled: { eq: D, null: A },
    preferredLanguage: { eq: A, startsWith: A, null: A },
    renewedDateTime: { eq: D, range: D },
    securityEnabled: { eq: D },
  },
  servicePrincipal: {
    id: { eq: D },
    accountEnabled: { eq: D },
    appId: { eq: D },
    applicationTemplateId: { eq: D },
    appOwnerOrganizationId: { eq: A },
    appRoleAssignmentRequired: { eq: A },
    description: { eq: A, startsWith: A },
    displayName: { eq: D, startsWith: D, null: A },
  },
};

/** "The endsWith operator is supported only with advanced query parameters by mail, otherMails, userPrincipalName, and proxyAddresses." */
const ENDS_WITH = new Set(['mail', 'otherMails', 'userPrincipalName', 'proxyAddresses']);

/** A clause's operator as the page's tables name it. */
export type FilterClauseOperator = 'eq' | 'ne' | 'not' | 'in' | 'startsWith' | 'endsWith' | 'range' | 'null';

export interface FilterClause {
  property: string;
  operator: FilterClauseOperator;
}

/** Every property + operator pair of a filter; a clause under `not` counts as `not`. */
export function filterClauses(expr: FilterExpr, negated = false): FilterClause[] {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return [...filterClauses(expr.left, negated), ...filterClauses(expr.right, negated)];
    case 'not':
      return filterClauses(expr.operand, true);
    case 'in':
      return [{ property: expr.property, operator: negated ? 'not' : 'in' }];
    case 'function':
      return [
        {
          property: expr.property,
          operator: negated ? 'not' : expr.name === 'startswith' ? 'startsWith' : 'endsWith',
        },
      ];
    case 'compare': {
      if (negated) return [{ property: expr.property, operator: 'not' }];
      if (expr.value === null) return [{ property: expr.property, operator: 'null' }];
      if (expr.op === 'eq' || expr.op === 'ne') return [{ property: expr.property, operator: expr.op }];
      return [{ property: expr.property, operator: 'range' }];
    }
  }
}

/**
 * How Graph supports `operator` on a directory object's property: by default, only as an
 * advanced query, or not at all (null). The page's rules: `in` is supported whenever `eq` is
 * (and as `eq` is); `ne` and `not` only in advanced queries, on properties that support `eq`;
 * `endsWith` only in advanced queries and only on the four properties it names; a `null`
 * comparison (`eq null`, `ne null`) as the table's null-value column says.
 */
export function directoryFilterSupport(
  type: keyof typeof DIRECTORY_FILTER_SUPPORT,
  clause: FilterClause,
): FilterSupport | null {
  const row = DIRECTORY_FILTER_SUPPORT[type][clause.property];
  if (clause.operator === 'endsWith') return ENDS_WITH.has(clause.property) && row ? A : null;
  if (!row) return null;
  switch (clause.operator) {
    case 'eq':
    case 'in':
      return row.eq ?? null;
    case 'ne':
    case 'not':
      return row.eq ? A : null;
    case 'startsWith':
      return row.startsWith ?? null;
    case 'range':
      return row.range ?? null;
    case 'null':
      return row.null ?? null;
  }
}

/** The directory types of the table, by OData type name (`microsoft.graph.device` → `device`). */
export function directoryFilterType(odataType: string): keyof typeof DIRECTORY_FILTER_SUPPORT | null {
  const name = odataType.replace(/^#?microsoft\.graph\./, '');
  return name in DIRECTORY_FILTER_SUPPORT ? (name as keyof typeof DIRECTORY_FILTER_SUPPORT) : null;
}
