import type { AuthenticationProvider } from '@microsoft/microsoft-graph-client';

/**
 * Where the Graph transport gets its bearer tokens: whatever the credential (client secret,
 * certificate, managed identity, federated credential), a cached token until it is due, and a
 * fresh one after Graph rejected `rejected`.
 */
export interface GraphTokenProvider extends AuthenticationProvider {
  getAccessToken(): Promise<string>;
  invalidate(rejected?: string): void;
}
