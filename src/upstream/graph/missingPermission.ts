import { graphPermissionFor, isPermissionDenial } from './graphPermissions';

/**
 * The application permission a Graph answer says is missing: for a 403 that is a permission
 * denial (not, e.g., a tenant blocking an app), the permission the request's route needs, from
 * the one table the docs and the demo tenant share. Undefined otherwise.
 */
export function missingPermission(
  status: number,
  body: unknown,
  method: string,
  path: string,
): string | undefined {
  if (status !== 403) return undefined;
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (!isPermissionDenial(error?.code, error?.message)) return undefined;
  return graphPermissionFor(method, path)?.permission;
}
