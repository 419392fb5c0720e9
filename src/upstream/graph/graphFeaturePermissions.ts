import {
  GRAPH_ROUTE_PERMISSIONS,
  grantsGraphPermission,
  type GraphRoutePermission,
} from './graphPermissions';

/** A feature of the bot, as the setup doctor and the docs' permission table group Graph routes. */
export type GraphFeatureId =
  | 'checkDevice'
  | 'connectorStatus'
  | 'caAudit'
  | 'rollout'
  | 'onboardApply'
  | 'remediate'
  | 'proactiveInstall';

export interface GraphFeature {
  id: GraphFeatureId;
  /** How an admin knows it: the command or the setting. */
  label: string;
  /** `METHOD /route` keys of `GRAPH_ROUTE_PERMISSIONS` the feature calls. */
  routes: readonly string[];
  /** The setting that turns the feature off (its permissions are then not required). */
  switchedOffBy?: 'PROACTIVE_INSTALL=false';
}

const key = (p: Pick<GraphRoutePermission, 'method' | 'route'>): string => `${p.method} ${p.route}`;

/**
 * The one list of what each feature needs from Graph: the doctor's permission check, the docs'
 * table (docs/permissions.md, generated and tested against it) and the demo tenant all read
 * `GRAPH_ROUTE_PERMISSIONS` through it. Every route of that table belongs to one feature at least
 * (a unit test says so), so a new route cannot be left out of the doctor.
 */
export const GRAPH_FEATURES: readonly GraphFeature[] = [
  {
    id: 'checkDevice',
    label: '`check device`, `status`, admins by group',
    routes: [
      'GET /devices(…)',
      'GET /devices/{id}',
      'GET /devices/{id}/registeredOwners',
      'GET /devices/{id}/registeredUsers',
      'GET /users',
      'GET /users/{id}',
      'GET /users/{id}/registeredDevices',
      'GET /users/{id}/ownedDevices',
      'POST /users/{id}/checkMemberGroups',
    ],
  },
  {
    id: 'connectorStatus',
    label: '`connector status`, connector alerts',
    routes: [
      'GET /deviceManagement/complianceManagementPartners',
      'GET /deviceManagement/complianceManagementPartners/{id}',
      'GET /groups',
      'GET /groups/{id}',
      'GET /servicePrincipals',
      'GET /servicePrincipals/{id}',
      'GET /servicePrincipals(…)',
    ],
  },
  {
    id: 'caAudit',
    label: '`ca audit`',
    routes: [
      'GET /identity/conditionalAccess/policies',
      'GET /identity/conditionalAccess/policies/{id}',
      'GET /servicePrincipals',
    ],
  },
  {
    id: 'rollout',
    label: '`rollout`, fleet counts, the daily snapshot, reminders',
    routes: [
      'GET /devices',
      'GET /users',
      'GET /groups/{id}/members',
      'GET /groups/{id}/transitiveMembers',
      // The fleet snapshot that answers them, kept fresh by delta queries.
      'GET /devices/delta',
      'GET /users/delta',
      'GET /groups/delta',
    ],
  },
  {
    id: 'onboardApply',
    label: '`onboard group` Apply (writes)',
    routes: ['POST /groups', 'PATCH /deviceManagement/complianceManagementPartners/{id}'],
  },
  {
    id: 'remediate',
    label: 'device card fix: *Add the user to the connector group*',
    routes: ['POST /groups/{id}/members/$ref'],
  },
  {
    id: 'proactiveInstall',
    label: 'reminders to people without the app (proactive install)',
    routes: [
      'GET /appCatalogs/teamsApps',
      'GET /appCatalogs/teamsApps/{id}',
      'POST /users/{id}/teamwork/installedApps',
      'GET /users/{id}/teamwork/installedApps',
      'GET /users/{id}/teamwork/installedApps/{id}',
      'GET /users/{id}/teamwork/installedApps/{id}/chat',
    ],
    switchedOffBy: 'PROACTIVE_INSTALL=false',
  },
];

/** The route entries of a feature; a key naming no route is a programming error (a unit test catches it). */
export function graphFeatureRoutes(feature: GraphFeature): GraphRoutePermission[] {
  return feature.routes.map((k) => {
    const route = GRAPH_ROUTE_PERMISSIONS.find((p) => key(p) === k);
    if (!route) throw new Error(`GRAPH_FEATURES names ${k}, which is not in GRAPH_ROUTE_PERMISSIONS`);
    return route;
  });
}

/** The least-privileged permissions a feature needs, each once, in table order. */
export function graphFeaturePermissions(feature: GraphFeature): string[] {
  return [...new Set(graphFeatureRoutes(feature).map((r) => r.permission))];
}

/**
 * The permissions a feature lacks given a token's `roles`: one per route the roles do not
 * satisfy (a higher permission Microsoft accepts counts), each named once.
 */
export function missingGraphPermissions(feature: GraphFeature, roles: readonly string[]): string[] {
  return [
    ...new Set(
      graphFeatureRoutes(feature)
        .filter((r) => !grantsGraphPermission(r, roles))
        .map((r) => r.permission),
    ),
  ];
}
