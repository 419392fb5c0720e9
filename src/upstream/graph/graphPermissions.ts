/**
 * The Microsoft Graph application permission each route the bot calls needs — the one list the
 * docs (README, docs/deploy.md), the demo tenant's Graph (which answers 403 without it) and the
 * bot's error card ("lacks the permission X") all read. `permission` is the least-privileged
 * application permission Microsoft documents for the route among those the bot's docs ask an
 * admin to grant; `alsoAccepted` are the higher ones Microsoft lists that satisfy it too.
 */

/** How the service behind a route words a missing permission (each Graph workload has its own body). */
export type GraphPermissionFamily = 'directory' | 'conditionalAccess' | 'intune' | 'teams';

export interface GraphRoutePermission {
  method: 'GET' | 'POST' | 'PATCH';
  /** Path below the version; `{id}` is any one segment, `name(…)` any alternate-key segment. */
  route: string;
  permission: string;
  alsoAccepted: readonly string[];
  family: GraphPermissionFamily;
  /** What the bot uses it for (the docs' feature column). */
  feature: string;
}

const DIRECTORY_READ = ['Directory.Read.All', 'Directory.ReadWrite.All'];
const DEVICE = ['Device.ReadWrite.All', ...DIRECTORY_READ];
const USER = ['User.ReadWrite.All', ...DIRECTORY_READ];
const GROUP_MEMBER = [
  'GroupMember.ReadWrite.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  ...DIRECTORY_READ,
];
const APPLICATION = ['Application.ReadWrite.All', ...DIRECTORY_READ];
const INSTALLED_APPS_READ = [
  'TeamsAppInstallation.ReadForUser.All',
  'TeamsAppInstallation.ReadWriteForUser.All',
];

const r = (
  method: GraphRoutePermission['method'],
  route: string,
  permission: string,
  alsoAccepted: readonly string[],
  family: GraphPermissionFamily,
  feature: string,
): GraphRoutePermission => ({ method, route, permission, alsoAccepted, family, feature });

export const GRAPH_ROUTE_PERMISSIONS: readonly GraphRoutePermission[] = [
  r('GET', '/devices', 'Device.Read.All', DEVICE, 'directory', 'check device, fleet counts'),
  // Delta rows come before `{id}` rows (`{id}` matches `delta` too). Microsoft's device-delta page
  // lists Device.Read.All and no higher permission; user-delta and group-delta list these.
  r('GET', '/devices/delta', 'Device.Read.All', [], 'directory', 'fleet snapshot'),
  r('GET', '/devices(…)', 'Device.Read.All', DEVICE, 'directory', 'check device'),
  r('GET', '/devices/{id}', 'Device.Read.All', DEVICE, 'directory', 'check device'),
  r('GET', '/devices/{id}/registeredOwners', 'Device.Read.All', DEVICE, 'directory', 'check device'),
  r('GET', '/devices/{id}/registeredUsers', 'Device.Read.All', DEVICE, 'directory', 'check device'),
  r('GET', '/users', 'User.Read.All', USER, 'directory', 'check device, fleet counts'),
  r('GET', '/users/delta', 'User.Read.All', USER, 'directory', 'fleet snapshot'),
  r('GET', '/users/{id}', 'User.Read.All', USER, 'directory', 'check device'),
  r('GET', '/users/{id}/registeredDevices', 'User.Read.All', USER, 'directory', 'check device'),
  r('GET', '/users/{id}/ownedDevices', 'User.Read.All', USER, 'directory', 'check device'),
  r(
    'POST',
    '/users/{id}/checkMemberGroups',
    'GroupMember.Read.All',
    GROUP_MEMBER,
    'directory',
    'check device, admins by group',
  ),
  r('GET', '/groups', 'GroupMember.Read.All', GROUP_MEMBER, 'directory', 'connector status'),
  r(
    'GET',
    '/groups/delta',
    'GroupMember.Read.All',
    ['Directory.Read.All', 'Directory.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All'],
    'directory',
    'fleet snapshot',
  ),
  r('GET', '/groups/{id}', 'GroupMember.Read.All', GROUP_MEMBER, 'directory', 'connector status'),
  r('GET', '/groups/{id}/members', 'GroupMember.Read.All', GROUP_MEMBER, 'directory', 'fleet counts'),
  r(
    'GET',
    '/groups/{id}/transitiveMembers',
    'GroupMember.Read.All',
    GROUP_MEMBER,
    'directory',
    'fleet counts',
  ),
  r(
    'POST',
    '/groups/{id}/members/$ref',
    'GroupMember.ReadWrite.All',
    ['Group.ReadWrite.All', 'Directory.ReadWrite.All'],
    'directory',
    'device card: add the user to the connector group',
  ),
  r(
    'POST',
    '/groups',
    'Group.ReadWrite.All',
    ['Group.Create', 'Directory.ReadWrite.All'],
    'directory',
    'onboard group (Apply)',
  ),
  r(
    'GET',
    '/deviceManagement/complianceManagementPartners',
    'DeviceManagementServiceConfig.Read.All',
    ['DeviceManagementServiceConfig.ReadWrite.All'],
    'intune',
    'connector status, connector alerts',
  ),
  r(
    'GET',
    '/deviceManagement/complianceManagementPartners/{id}',
    'DeviceManagementServiceConfig.Read.All',
    ['DeviceManagementServiceConfig.ReadWrite.All'],
    'intune',
    'connector status, onboard group',
  ),
  r(
    'PATCH',
    '/deviceManagement/complianceManagementPartners/{id}',
    'DeviceManagementServiceConfig.ReadWrite.All',
    [],
    'intune',
    'onboard group (Apply)',
  ),
  r(
    'GET',
    '/identity/conditionalAccess/policies',
    'Policy.Read.All',
    ['Policy.Read.ConditionalAccess', 'Policy.ReadWrite.ConditionalAccess'],
    'conditionalAccess',
    'ca audit',
  ),
  r(
    'GET',
    '/identity/conditionalAccess/policies/{id}',
    'Policy.Read.All',
    ['Policy.Read.ConditionalAccess', 'Policy.ReadWrite.ConditionalAccess'],
    'conditionalAccess',
    'ca audit',
  ),
  r(
    'GET',
    '/servicePrincipals',
    'Application.Read.All',
    APPLICATION,
    'directory',
    'connector status, ca audit',
  ),
  r('GET', '/servicePrincipals/{id}', 'Application.Read.All', APPLICATION, 'directory', 'connector status'),
  r('GET', '/servicePrincipals(…)', 'Application.Read.All', APPLICATION, 'directory', 'connector status'),
  r(
    'GET',
    '/appCatalogs/teamsApps',
    'AppCatalog.Read.All',
    ['AppCatalog.ReadWrite.All', ...DIRECTORY_READ],
    'teams',
    'proactive install',
  ),
  r(
    'GET',
    '/appCatalogs/teamsApps/{id}',
    'AppCatalog.Read.All',
    ['AppCatalog.ReadWrite.All', ...DIRECTORY_READ],
    'teams',
    'proactive install',
  ),
  r(
    'POST',
    '/users/{id}/teamwork/installedApps',
    'TeamsAppInstallation.ReadWriteSelfForUser.All',
    ['TeamsAppInstallation.ReadWriteForUser.All'],
    'teams',
    'proactive install',
  ),
  r(
    'GET',
    '/users/{id}/teamwork/installedApps',
    'TeamsAppInstallation.ReadWriteSelfForUser.All',
    INSTALLED_APPS_READ,
    'teams',
    'proactive install',
  ),
  r(
    'GET',
    '/users/{id}/teamwork/installedApps/{id}',
    'TeamsAppInstallation.ReadWriteSelfForUser.All',
    INSTALLED_APPS_READ,
    'teams',
    'proactive install',
  ),
  r(
    'GET',
    '/users/{id}/teamwork/installedApps/{id}/chat',
    'TeamsAppInstallation.ReadWriteSelfForUser.All',
    INSTALLED_APPS_READ,
    'teams',
    'proactive install',
  ),
];

/** Every application permission the bot's docs ask for: the ones its routes name, in table order. */
export const GRAPH_APP_PERMISSIONS: readonly string[] = [
  ...new Set(GRAPH_ROUTE_PERMISSIONS.map((p) => p.permission)),
];

function segmentMatches(template: string, segment: string): boolean {
  if (template === '{id}') return segment !== '';
  if (template.endsWith('(…)')) {
    const name = template.slice(0, -'(…)'.length);
    return segment.startsWith(`${name}(`) && segment.endsWith(')');
  }
  return template === segment;
}

/**
 * The permission entry for a request, by method and path below the version (`/users/x/ownedDevices`,
 * query ignored, as sent or percent-encoded); undefined for a route the table does not know.
 */
export function graphPermissionFor(method: string, path: string): GraphRoutePermission | undefined {
  const segs = path
    .split('?')[0]!
    .split('/')
    .filter((s) => s !== '');
  const m = method.toUpperCase();
  return GRAPH_ROUTE_PERMISSIONS.find((p) => {
    if (p.method !== m) return false;
    const t = p.route.split('/').filter((s) => s !== '');
    return t.length === segs.length && t.every((x, i) => segmentMatches(x, segs[i]!));
  });
}

/** Whether granted `roles` (a token's `roles` claim) satisfy the route's permission. */
export function grantsGraphPermission(route: GraphRoutePermission, roles: readonly string[]): boolean {
  const granted = new Set(roles.map((x) => x.toLowerCase()));
  return [route.permission, ...route.alsoAccepted].some((p) => granted.has(p.toLowerCase()));
}

/**
 * Whether a Graph 403 says a permission is missing (rather than, e.g., a tenant blocking an app):
 * each workload words it differently.
 */
export function isPermissionDenial(code: unknown, message: unknown): boolean {
  if (code === 'Authorization_RequestDenied' || code === 'AccessDenied') return true;
  return (
    code === 'Forbidden' &&
    typeof message === 'string' &&
    /not authorized to perform this operation|missing role permissions|required scopes are missing/i.test(
      message,
    )
  );
}
