import { randomUUID } from 'node:crypto';
import {
  graphPermissionFor,
  grantsGraphPermission,
  type GraphRoutePermission,
} from '../src/upstream/graph/graphPermissions';
import { graphError, type GraphSimRequest, type GraphSimResponse } from './graphSimTypes';

/**
 * Graph's 403 for a token whose `roles` lack the route's application permission, worded as the
 * workload behind the route words it: directory objects answer `Authorization_RequestDenied`,
 * Conditional Access `AccessDenied`, Intune `Forbidden` with its JSON-in-a-string message naming
 * the scopes, Teams `Forbidden` with "Missing role permissions". Undefined when the token may.
 */
export function permissionDenied(
  req: GraphSimRequest,
  roles: readonly string[],
): GraphSimResponse | undefined {
  const need = graphPermissionFor(req.method, req.path);
  if (!need || grantsGraphPermission(need, roles)) return undefined;
  const [code, message] = deniedBody(need, roles);
  return graphError(403, code, message, {}, req.headers['client-request-id']);
}

function deniedBody(need: GraphRoutePermission, roles: readonly string[]): [string, string] {
  const accepted = [need.permission, ...need.alsoAccepted];
  switch (need.family) {
    case 'directory':
      return ['Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'];
    case 'conditionalAccess':
      return [
        'AccessDenied',
        'You cannot perform the requested operation, required scopes are missing in the token.',
      ];
    case 'intune':
      return [
        'Forbidden',
        JSON.stringify(
          {
            _version: 3,
            Message: `Application is not authorized to perform this operation. Application must have one of the following scopes: ${accepted.join(', ')} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: ${randomUUID()} - Url: https://fef.demo.manage.microsoft.com/StatelessOnboardingService/deviceManagement/complianceManagementPartners?api-version=2026-11-01`,
            CustomApiErrorPhrase: '',
            RetryAfter: null,
            ErrorSourceService: '',
            HttpHeaders: '{}',
          },
          null,
          2,
        ).replace(/\n/g, '\r\n'),
      ];
    case 'teams':
      return [
        'Forbidden',
        `Missing role permissions on the request. API requires one of '${accepted.join(', ')}'. Roles on the request '${roles.join(', ')}'.`,
      ];
  }
}
