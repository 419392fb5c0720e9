import { LogLevel, ManagedIdentityApplication, type INetworkModule } from '@azure/msal-node';
import type { Logger } from '../../log';
import { createMsalNetworkClient } from './msalNetworkClient';

/** Per request to the managed identity endpoint (it is local to the host: loopback or link-local). */
const MANAGED_IDENTITY_TIMEOUT_MS = 5_000;

/**
 * msal-node picks the managed identity source once per process and keeps the network client of
 * the first ManagedIdentityApplication for it (a static), whatever later applications pass. So
 * every application gets this one process-wide client: it must not belong to a Graph client
 * that may be closed. The endpoint is plain http on the host, so no extra CA is needed.
 */
let sharedNetwork: INetworkModule | undefined;

/**
 * msal-node's managed identity client, for the system-assigned identity or the user-assigned one
 * with `clientId`. msal finds the token endpoint itself from the environment Azure sets up:
 * `IDENTITY_ENDPOINT` + `IDENTITY_HEADER` on App Service and Container Apps, the instance metadata
 * service (169.254.169.254) on VMs and AKS, also Arc, Service Fabric, Cloud Shell, Azure ML.
 * msal's own retries are off: the Graph transport retries with its budget, inside Teams' 15 s.
 */
export function createManagedIdentityApp(
  clientId: string | undefined,
  logger: Logger,
): ManagedIdentityApplication {
  sharedNetwork ??= createMsalNetworkClient(
    (url, init) => fetch(url, init),
    MANAGED_IDENTITY_TIMEOUT_MS,
    {},
    'the managed identity endpoint',
  );
  return new ManagedIdentityApplication({
    ...(clientId ? { managedIdentityIdParams: { userAssignedClientId: clientId } } : {}),
    system: {
      networkClient: sharedNetwork,
      disableInternalRetries: true,
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (_level, message) => logger.debug({ msal: message }, 'msal'),
      },
    },
  });
}
