import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ManagedIdentityTokenBody } from '../../demo/graphSimulator';

/** The token Entra would issue the identity (`clientId` undefined = system-assigned) for `resource`, or null: no such identity. */
export type MintManagedIdentityToken = (
  resource: string,
  clientId?: string,
) => ManagedIdentityTokenBody | null;

export interface FakeManagedIdentityEndpoint {
  /** For `IDENTITY_ENDPOINT`. */
  url: string;
  /** For `IDENTITY_HEADER`: the endpoint refuses requests without it. */
  secret: string;
  /** What was asked: the resource and the user-assigned identity's client id (null = system-assigned). */
  requests: { resource: string; clientId: string | null }[];
  close(): Promise<void>;
}

/**
 * The managed identity endpoint App Service and Container Apps give a container
 * (`IDENTITY_ENDPOINT`, `X-IDENTITY-HEADER`, api-version 2019-08-01), on loopback: tokens come
 * from `mint` (the Graph simulator's Entra, the Bot Framework stand-in's key).
 */
export async function startFakeManagedIdentityEndpoint(
  mint: MintManagedIdentityToken,
): Promise<FakeManagedIdentityEndpoint> {
  const secret = randomBytes(16).toString('hex');
  const requests: FakeManagedIdentityEndpoint['requests'] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || url.pathname !== '/msi/token') return answer(404, { message: 'Not found' });
    if (req.headers['x-identity-header'] !== secret) {
      return answer(401, {
        statusCode: 401,
        message: 'Unauthorized: the X-IDENTITY-HEADER is missing or wrong.',
      });
    }
    if (url.searchParams.get('api-version') !== '2019-08-01') {
      return answer(400, { statusCode: 400, message: 'Unsupported api-version.' });
    }
    const resource = url.searchParams.get('resource') ?? '';
    const clientId = url.searchParams.get('client_id');
    requests.push({ resource, clientId });
    const token = mint(resource, clientId ?? undefined);
    if (!token) {
      return answer(400, {
        statusCode: 400,
        message: 'No Managed Identity found for specified ClientId/ResourceId/PrincipalId.',
      });
    }
    return answer(200, token);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/msi/token`,
    secret,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
