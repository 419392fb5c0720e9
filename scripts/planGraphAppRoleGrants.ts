/**
 * Which Microsoft Graph app roles a service principal (the bot's managed identity, or the local
 * app registration) still needs, given the roles Graph's own service principal offers and the
 * assignments the principal already has. Pure, so the grant script's decisions are unit-tested.
 */

/** An application permission as Graph's service principal publishes it (`appRoles[]`). */
export interface GraphAppRole {
  id: string;
  value: string | null;
  allowedMemberTypes: readonly string[];
}

/** One of the principal's `appRoleAssignments`. */
export interface ExistingAppRoleAssignment {
  appRoleId: string;
  resourceId: string;
}

export interface AppRoleGrant {
  permission: string;
  appRoleId: string;
}

export interface GraphAppRoleGrantPlan {
  /** Missing assignments, in the order of the permission list. */
  toGrant: AppRoleGrant[];
  alreadyGranted: string[];
  /** Permission names Graph does not offer as application permissions (a typo in the list). */
  unknown: string[];
}

export function planGraphAppRoleGrants(
  permissions: readonly string[],
  graphServicePrincipalId: string,
  graphRoles: readonly GraphAppRole[],
  existing: readonly ExistingAppRoleAssignment[],
): GraphAppRoleGrantPlan {
  const held = new Set(
    existing.filter((a) => a.resourceId === graphServicePrincipalId).map((a) => a.appRoleId),
  );
  const plan: GraphAppRoleGrantPlan = { toGrant: [], alreadyGranted: [], unknown: [] };
  for (const permission of new Set(permissions)) {
    const role = graphRoles.find(
      (r) => r.value === permission && r.allowedMemberTypes.includes('Application'),
    );
    if (!role) plan.unknown.push(permission);
    else if (held.has(role.id)) plan.alreadyGranted.push(permission);
    else plan.toGrant.push({ permission, appRoleId: role.id });
  }
  return plan;
}
