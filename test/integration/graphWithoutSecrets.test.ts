import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import selfsigned from 'selfsigned';
import { loadConfig } from '../../src/config';
import { UpstreamError } from '../../src/errors';
import { graphCredential } from '../../src/upstream/createUpstreamClients';
import { TENANT_ENV } from '../helpers/tenantEnv';
import {
  startFakeManagedIdentityEndpoint,
  type FakeManagedIdentityEndpoint,
} from '../helpers/fakeManagedIdentityEndpoint';
import { startGraphHarness, type GraphHarness } from './graphTestHarness';
import { TEST_CLIENT_ID, TEST_TENANT_ID } from './graphTestFleet';

const TOKEN_ENDPOINT = 'POST /{tenant}/oauth2/v2.0/token';
const USER_ASSIGNED = {
  clientId: 'a1a1a1a1-0000-4000-8000-000000000001',
  principalId: 'b2b2b2b2-0000-4000-8000-000000000002',
};
const SYSTEM_ASSIGNED = {
  clientId: 'c3c3c3c3-0000-4000-8000-000000000003',
  principalId: 'd4d4d4d4-0000-4000-8000-000000000004',
  systemAssigned: true,
};
/** An identity the tenant has, but the app registration does not trust. */
const UNTRUSTED = {
  clientId: 'e5e5e5e5-0000-4000-8000-000000000005',
  principalId: 'f6f6f6f6-0000-4000-8000-000000000006',
};

async function rsaCertificate(commonName: string): Promise<{ cert: string; private: string }> {
  const now = Date.now();
  return selfsigned.generate([{ name: 'commonName', value: commonName }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + 30 * 86_400_000),
  });
}

async function refusal(p: Promise<unknown>): Promise<UpstreamError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UpstreamError);
  return e as UpstreamError;
}

/**
 * Graph with no Microsoft secret: the managed identity's own token, the identity's token as a
 * federated client assertion, or a certificate — each end to end through msal-node against the
 * Graph simulator's Entra, and msal's managed identity client against a loopback stand-in of
 * the App Service / Container Apps identity endpoint.
 */
describe('Graph without a client secret', () => {
  let h: GraphHarness;
  let mi: FakeManagedIdentityEndpoint;
  let uploaded: { cert: string; private: string };
  let dir: string;

  beforeAll(async () => {
    uploaded = await rsaCertificate('jamf-compliance-bot graph');
    h = await startGraphHarness({
      identities: {
        managedIdentities: [USER_ASSIGNED, SYSTEM_ASSIGNED, UNTRUSTED],
        federatedCredentials: [{ subject: USER_ASSIGNED.principalId }],
        clientCertificates: [uploaded.cert],
      },
    });
    mi = await startFakeManagedIdentityEndpoint((resource, clientId) =>
      h.sim.managedIdentityToken(resource, clientId),
    );
    // msal-node reads these itself, as on App Service and Container Apps (jest gives each test file its own process.env).
    process.env.IDENTITY_ENDPOINT = mi.url;
    process.env.IDENTITY_HEADER = mi.secret;
    dir = mkdtempSync(path.join(tmpdir(), 'graph-cert-'));
  }, 60_000);

  afterAll(async () => {
    delete process.env.IDENTITY_ENDPOINT;
    delete process.env.IDENTITY_HEADER;
    await mi.close();
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    mi.requests.length = 0;
    h.sim.requests.clear();
  });

  it('managed-identity (user-assigned): the token comes from the identity endpoint, and Graph answers', async () => {
    const client = h.client({
      clientSecret: undefined,
      managedIdentity: { clientId: USER_ASSIGNED.clientId },
    });
    expect((await client.listMacDevices()).length).toBeGreaterThan(0);
    expect(mi.requests).toEqual([
      { resource: 'https://graph.microsoft.com', clientId: USER_ASSIGNED.clientId },
    ]);
    expect(h.sim.requests.count(TOKEN_ENDPOINT)).toBe(0);
  });

  it('managed-identity (system-assigned): no client id is sent', async () => {
    const client = h.client({ clientSecret: undefined, managedIdentity: {} });
    expect((await client.listMacDevices()).length).toBeGreaterThan(0);
    expect(mi.requests).toEqual([{ resource: 'https://graph.microsoft.com', clientId: null }]);
  });

  it('managed-identity: an identity not assigned to the app is a credentials error naming the setting', async () => {
    const client = h.client({
      clientSecret: undefined,
      managedIdentity: { clientId: '99999999-0000-4000-8000-000000000009' },
    });
    const e = await refusal(client.listMacDevices());
    expect(e.code).toBe('unauthorized');
    expect(e.message).toMatch(/managed identity endpoint refused .*(400).*GRAPH_MANAGED_IDENTITY_CLIENT_ID/);
  });

  it('federated: the identity token for api://AzureADTokenExchange is the client assertion of the app registration', async () => {
    const client = h.client({
      clientSecret: undefined,
      federated: { managedIdentityClientId: USER_ASSIGNED.clientId, audience: 'api://AzureADTokenExchange' },
    });
    expect((await client.listMacDevices()).length).toBeGreaterThan(0);
    expect(mi.requests).toEqual([
      { resource: 'api://AzureADTokenExchange', clientId: USER_ASSIGNED.clientId },
    ]);
    expect(h.sim.requests.count(TOKEN_ENDPOINT)).toBe(1);
  });

  it('federated: an identity the app registration does not trust is refused with AADSTS70021', async () => {
    const client = h.client({
      clientSecret: undefined,
      federated: { managedIdentityClientId: UNTRUSTED.clientId, audience: 'api://AzureADTokenExchange' },
    });
    const e = await refusal(client.listMacDevices());
    expect(e.code).toBe('unauthorized');
    expect(e.message).toMatch(/AADSTS70021.*federated credential/);
  });

  it('federated: an identity not assigned to the app fails at the identity endpoint, before Entra', async () => {
    const client = h.client({
      clientSecret: undefined,
      federated: {
        managedIdentityClientId: '99999999-0000-4000-8000-000000000009',
        audience: 'api://AzureADTokenExchange',
      },
    });
    const e = await refusal(client.listMacDevices());
    expect(e.code).toBe('unauthorized');
    expect(e.message).toMatch(/managed identity endpoint refused .*for the federated credential/);
    expect(h.sim.requests.count(TOKEN_ENDPOINT)).toBe(0);
  });

  it('certificate: from GRAPH_CLIENT_CERTIFICATE_PATH, msal signs a PS256 assertion with x5t#S256 that Entra verifies', async () => {
    const file = path.join(dir, 'graph.pem');
    writeFileSync(file, `${uploaded.private}\n${uploaded.cert}`);
    const config = loadConfig({
      ...TENANT_ENV,
      TENANT_ID: TEST_TENANT_ID,
      GRAPH_CLIENT_ID: TEST_CLIENT_ID,
      GRAPH_CLIENT_SECRET: '',
      GRAPH_CLIENT_CERTIFICATE_PATH: file,
    });
    expect(config.graph.auth).toBe('certificate');
    const client = h.client({ clientSecret: undefined, ...graphCredential(config.graph) });
    expect((await client.listMacDevices()).length).toBeGreaterThan(0);
    expect(h.sim.requests.count(TOKEN_ENDPOINT)).toBe(1);
    expect(mi.requests).toEqual([]);
  });

  it('certificate: one not uploaded to the app registration is refused with AADSTS700027', async () => {
    const other = await rsaCertificate('not uploaded');
    const file = path.join(dir, 'other.pem');
    writeFileSync(file, `${other.cert}\n${other.private}`);
    const config = loadConfig({
      ...TENANT_ENV,
      TENANT_ID: TEST_TENANT_ID,
      GRAPH_CLIENT_ID: TEST_CLIENT_ID,
      GRAPH_CLIENT_SECRET: '',
      GRAPH_AUTH: 'certificate',
      GRAPH_CLIENT_CERTIFICATE_PATH: file,
    });
    const client = h.client({ clientSecret: undefined, ...graphCredential(config.graph) });
    const e = await refusal(client.listMacDevices());
    expect(e.code).toBe('unauthorized');
    expect(e.message).toMatch(/AADSTS700027.*GRAPH_CLIENT_CERTIFICATE_PATH/);
  });
});
