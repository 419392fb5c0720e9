import { AuthError } from '@azure/msal-node';
import { UpstreamError } from '../../errors';

const REQUEST = 'GET managed identity token';

/**
 * A failed managed identity token request as an `UpstreamError('graph', …)`. The endpoint is on
 * the host (App Service / Container Apps: IDENTITY_ENDPOINT; elsewhere the instance metadata
 * service), so it answers a wrong or unassigned identity with a bare 4xx; msal keeps the status
 * on its `ServerError`. `use` says what the token was for, to point at the right settings.
 */
export function managedIdentityError(e: unknown, use: 'graph' | 'federated'): UpstreamError {
  if (e instanceof UpstreamError) return e;
  const which =
    'check that the managed identity is assigned to this app and GRAPH_MANAGED_IDENTITY_CLIENT_ID names it (unset = the system-assigned one)';
  if (!(e instanceof AuthError)) {
    return new UpstreamError('graph', 'unavailable', 'Could not get a managed identity token', {
      request: REQUEST,
    });
  }
  const status = (e as AuthError & { status?: number }).status;
  if (e.errorCode === 'network_error') {
    return new UpstreamError(
      'graph',
      'unavailable',
      'Could not reach the managed identity endpoint: a managed identity works only in Azure (App Service, Container Apps, VMs, AKS)',
      { request: REQUEST },
    );
  }
  if (status === 429) {
    return new UpstreamError(
      'graph',
      'throttled',
      'The managed identity endpoint is throttling token requests',
      {
        status,
        request: REQUEST,
      },
    );
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return new UpstreamError(
      'graph',
      'unauthorized',
      `The managed identity endpoint refused the token request (${status})${use === 'federated' ? ' for the federated credential' : ''}: ${which}`,
      { status, request: REQUEST },
    );
  }
  return new UpstreamError(
    'graph',
    'unavailable',
    `The managed identity endpoint could not issue a token (${status ?? (e.errorCode || 'no answer')})`,
    { status, request: REQUEST },
  );
}
