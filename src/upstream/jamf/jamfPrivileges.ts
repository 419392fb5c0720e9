/**
 * The Jamf Pro API role privileges each request the bot makes needs — the one list the setup
 * doctor (against `GET /api/v1/auth`), the docs' table (docs/permissions.md, generated and
 * tested against it) and the demo Jamf simulator (which answers 403 without the privilege) read.
 * The Jamf Pro API's names come from its OpenAPI contract (`x-required-privileges`, 11.30.1; a
 * test compares them); the Classic API's swagger names none, so *Read Policies* is Jamf's
 * privilege of that name for `/JSSResource/policies`, and *Read/Create/Update Webhooks* Jamf's
 * *Webhooks* server-object privileges for `/JSSResource/webhooks` (Classic API: GET = Read,
 * POST = Create, PUT = Update).
 */

export type JamfFeatureId =
  'checkDevice' | 'onboardPlan' | 'onboardApply' | 'setupWebhooks' | 'setupWebhooksApply' | 'remediate';

export interface JamfRoutePrivilege {
  method: 'GET' | 'POST' | 'PUT';
  /** Path from the server root; `{id}` is any one segment. */
  route: string;
  privilege: string;
  feature: JamfFeatureId;
}

export interface JamfFeature {
  id: JamfFeatureId;
  label: string;
}

export const JAMF_FEATURES: readonly JamfFeature[] = [
  { id: 'checkDevice', label: '`check device`, fleet counts, `rollout`, reminders' },
  { id: 'onboardPlan', label: '`onboard group` (the plan: smart groups, the Self Service policy)' },
  { id: 'onboardApply', label: '`onboard group` Apply (writes)' },
  { id: 'setupWebhooks', label: '`setup webhooks` (the plan) and the setup doctor’s webhook check' },
  { id: 'setupWebhooksApply', label: '`setup webhooks` Apply (writes)' },
  {
    id: 'remediate',
    label: 'device card and rollout batch fixes: *Recalculate smart groups*, *Wake the Mac*',
  },
];

const r = (
  method: JamfRoutePrivilege['method'],
  route: string,
  privilege: string,
  feature: JamfFeatureId,
): JamfRoutePrivilege => ({ method, route, privilege, feature });

export const JAMF_ROUTE_PRIVILEGES: readonly JamfRoutePrivilege[] = [
  r('GET', '/api/v4/computers-inventory', 'Read Computers', 'checkDevice'),
  r('GET', '/api/v4/computers-inventory/{id}', 'Read Computers', 'checkDevice'),
  r(
    'GET',
    '/api/v1/conditional-access/device-compliance-information/computer/{id}',
    'Read Device Compliance Information',
    'checkDevice',
  ),
  r('GET', '/api/v3/computer-groups/smart-groups', 'Read Smart Computer Groups', 'onboardPlan'),
  r('GET', '/api/v3/computer-groups/smart-groups/{id}', 'Read Smart Computer Groups', 'onboardPlan'),
  r(
    'GET',
    '/api/v3/computer-groups/smart-group-membership/{id}',
    'Read Smart Computer Groups',
    'onboardPlan',
  ),
  r('GET', '/JSSResource/policies', 'Read Policies', 'onboardPlan'),
  r('GET', '/JSSResource/policies/id/{id}', 'Read Policies', 'onboardPlan'),
  r('POST', '/api/v3/computer-groups/smart-groups', 'Create Smart Computer Groups', 'onboardApply'),
  r('GET', '/JSSResource/webhooks', 'Read Webhooks', 'setupWebhooks'),
  r('GET', '/JSSResource/webhooks/id/{id}', 'Read Webhooks', 'setupWebhooks'),
  r('POST', '/JSSResource/webhooks/id/{id}', 'Create Webhooks', 'setupWebhooksApply'),
  r('PUT', '/JSSResource/webhooks/id/{id}', 'Update Webhooks', 'setupWebhooksApply'),
  r('POST', '/api/v1/computers/{id}/recalculate-smart-groups', 'Update Smart Computer Groups', 'remediate'),
  r('POST', '/api/v2/mdm/blank-push', 'View MDM command information in Jamf Pro API', 'remediate'),
];

/** The privileges a feature needs, each once, in table order. */
export function jamfFeaturePrivileges(feature: JamfFeatureId): string[] {
  return [...new Set(JAMF_ROUTE_PRIVILEGES.filter((p) => p.feature === feature).map((p) => p.privilege))];
}

/**
 * Every privilege the bot's API role needs, in table order. The client can also update and delete
 * smart groups, but no feature does, so those privileges are not asked for (and not listed).
 */
export const JAMF_REQUIRED_PRIVILEGES: readonly string[] = [
  ...new Set(JAMF_ROUTE_PRIVILEGES.map((p) => p.privilege)),
];

/** The privilege entry for a request (path from the server root, query ignored); undefined for none. */
export function jamfPrivilegeFor(method: string, path: string): JamfRoutePrivilege | undefined {
  const segs = path.split('?')[0]!.replace(/\/+$/, '').split('/');
  const m = method.toUpperCase();
  return JAMF_ROUTE_PRIVILEGES.find((p) => {
    if (p.method !== m) return false;
    const t = p.route.split('/');
    return t.length === segs.length && t.every((x, i) => (x === '{id}' ? segs[i] !== '' : x === segs[i]));
  });
}
