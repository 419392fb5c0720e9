/**
 * Every route the Jamf Pro simulator serves, as `METHOD /path/{param}`. The simulator dispatches
 * through `matchJamfRoute`, so this list is the simulator's own route table, not a copy of it:
 * a branch for a route missing here does not type-check, and the contract conformance suite
 * (test/contracts-conformance) holds one case per entry, so a route added here without a
 * contract check fails that suite.
 */
export const JAMF_SIM_ROUTES = [
  'POST /api/v1/oauth/token',
  'POST /api/v1/auth/token',
  'POST /api/v1/auth/keep-alive',
  'POST /api/v1/auth/invalidate-token',
  'GET /api/v1/auth',
  'GET /api/v4/computers-inventory',
  'GET /api/v4/computers-inventory/{id}',
  'GET /api/v3/computer-groups/smart-groups',
  'POST /api/v3/computer-groups/smart-groups',
  'GET /api/v3/computer-groups/smart-groups/{id}',
  'PUT /api/v3/computer-groups/smart-groups/{id}',
  'DELETE /api/v3/computer-groups/smart-groups/{id}',
  'GET /api/v3/computer-groups/smart-group-membership/{id}',
  'GET /api/v1/conditional-access/device-compliance-information/computer/{id}',
  'GET /JSSResource/policies',
  'GET /JSSResource/policies/id/{id}',
  'GET /JSSResource/webhooks',
  'GET /JSSResource/webhooks/id/{id}',
  'POST /JSSResource/webhooks/id/{id}',
  'PUT /JSSResource/webhooks/id/{id}',
  'POST /api/v1/computers/{id}/recalculate-smart-groups',
  'POST /api/v2/mdm/blank-push',
] as const;

export type JamfSimRoute = (typeof JAMF_SIM_ROUTES)[number];

/** A request matched to its route; `params` are the decoded `{…}` segments in order. */
export interface JamfRouteMatch {
  route: JamfSimRoute;
  params: string[];
}

const compiled = JAMF_SIM_ROUTES.map((route) => {
  const [method, template] = route.split(' ') as [string, string];
  const pattern = template
    .split('/')
    .map((s) => (s.startsWith('{') ? '([^/]+)' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('/');
  return { route, method, re: new RegExp(`^${pattern}$`) };
});

/**
 * The route a request hits (trailing slashes ignored), or null. A percent-encoding that does not
 * decode leaves the segment as sent: it then names no record, and the route answers 404.
 */
export function matchJamfRoute(method: string, path: string): JamfRouteMatch | null {
  const p = path.replace(/\/+$/, '');
  for (const c of compiled) {
    if (c.method !== method) continue;
    const m = c.re.exec(p);
    if (m) return { route: c.route, params: m.slice(1).map(safeDecode) };
  }
  return null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
