import { LogLevel, ManagedIdentityApplication, type INetworkModule } from '@azure/msal-node';
import type { Logger } from '../../log';

/**
 * msal-node's managed identity client, for the system-assigned identity or the user-assigned one
 * with `clientId`. msal finds the token endpoint itself from the environment Azure sets up:
 * `IDENTITY_ENDPOINT` + `IDENTITY_HEADER` on App Service and Container Apps, the instance metadata
 * service (169.254.169.254) on VMs and AKS, also Arc, Service Fabric, Cloud Shell, Azure ML.
 * msal's own retries are off: the Graph transport retries with its budget, inside Teams' 15 s.
 */
export function createManagedIdentityApp(
  clientId: string | undefined,
  networkClient: INetworkModule,
  logger: Logger,
): ManagedIdentityApplication {
  return new ManagedIdentityApplication({
    ...(clientId ? { managedIdentityIdParams: { userAssignedClientId: clientId } } : {}),
    system: {
      networkClient,
      disableInternalRetries: true,
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (_level, message) => logger.debug({ msal: message }, 'msal'),
      },
    },
  });
}
