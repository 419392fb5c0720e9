import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import selfsigned from 'selfsigned';
import { configSecrets, loadConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import { createAdapter } from '../../src/teams/createAdapter';
import { graphCredential } from '../../src/upstream/createUpstreamClients';
import { configProblems } from '../helpers/configProblems';
import { TENANT_ENV } from '../helpers/tenantEnv';

const problemsOf = configProblems;

const APP_ID = '4b1f2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const TENANT = '6f1c2a7e-3d4b-4c8a-9e5f-1a2b3c4d5e6f';
const MI_CLIENT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
/** The tenant's settings without any Graph credential. */
const { GRAPH_CLIENT_ID: _id, GRAPH_CLIENT_SECRET: _secret, ...NO_GRAPH } = TENANT_ENV;

describe('Graph credentials (GRAPH_AUTH)', () => {
  let dir: string;
  let pem: string;
  let certOnly: string;
  let expired: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'config-cert-'));
    const now = Date.now();
    const good = await selfsigned.generate([{ name: 'commonName', value: 'graph' }], {
      keyType: 'rsa',
      keySize: 2048,
      notBeforeDate: new Date(now - 60_000),
      notAfterDate: new Date(now + 86_400_000),
    });
    const old = await selfsigned.generate([{ name: 'commonName', value: 'old' }], {
      keyType: 'rsa',
      keySize: 2048,
      notBeforeDate: new Date(now - 10 * 86_400_000),
      notAfterDate: new Date(now - 86_400_000),
    });
    pem = path.join(dir, 'graph.pem');
    writeFileSync(pem, `${good.cert}\n${good.private}`);
    certOnly = path.join(dir, 'cert-only.pem');
    writeFileSync(certOnly, good.cert);
    expired = path.join(dir, 'expired.pem');
    writeFileSync(expired, `${old.cert}\n${old.private}`);
  }, 30_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to the client secret, as before', () => {
    const c = loadConfig(TENANT_ENV);
    expect(c.graph.auth).toBe('secret');
    expect(graphCredential(c.graph)).toEqual({ clientSecret: 'graph-secret' });
  });

  it('without a secret says so, and names the ways without one', () => {
    expect(problemsOf({ ...NO_GRAPH, GRAPH_CLIENT_ID: 'graph-app' })).toEqual([
      expect.stringMatching(
        /^GRAPH_CLIENT_SECRET: missing — .*GRAPH_AUTH=managed-identity, federated or certificate/,
      ),
    ]);
  });

  it('managed-identity: tenant mode with neither client id nor secret; user-assigned by client id', () => {
    const system = loadConfig({ ...NO_GRAPH, GRAPH_AUTH: 'managed-identity' });
    expect(system.mode).toBe('tenant');
    expect(graphCredential(system.graph)).toEqual({ managedIdentity: { clientId: undefined } });
    const user = loadConfig({
      ...NO_GRAPH,
      GRAPH_AUTH: 'managed-identity',
      GRAPH_MANAGED_IDENTITY_CLIENT_ID: MI_CLIENT_ID,
    });
    expect(graphCredential(user.graph)).toEqual({ managedIdentity: { clientId: MI_CLIENT_ID } });
    expect(
      problemsOf({ ...TENANT_ENV, GRAPH_AUTH: 'managed-identity', GRAPH_MANAGED_IDENTITY_CLIENT_ID: 'mi' }),
    ).toEqual([
      expect.stringMatching(
        /^GRAPH_MANAGED_IDENTITY_CLIENT_ID: must be a GUID — set it to the user-assigned/,
      ),
    ]);
    expect(problemsOf({ ...TENANT_ENV, GRAPH_AUTH: 'managed-identity' })).toEqual([
      'GRAPH_CLIENT_SECRET: not used with GRAPH_AUTH=managed-identity — remove it',
      expect.stringMatching(
        /^GRAPH_CLIENT_ID: not used with GRAPH_AUTH=managed-identity .* GRAPH_AUTH=federated/,
      ),
    ]);
  });

  it('GRAPH_MANAGED_IDENTITY_CLIENT_ID alone puts the bot in tenant mode (never the demo)', () => {
    expect(problemsOf({ GRAPH_MANAGED_IDENTITY_CLIENT_ID: MI_CLIENT_ID })).toContain(
      'GRAPH_MANAGED_IDENTITY_CLIENT_ID: not used with GRAPH_AUTH=secret — remove it, or set GRAPH_AUTH=managed-identity or federated',
    );
  });

  it('federated: the app registration plus the managed identity, no secret', () => {
    const c = loadConfig({
      ...NO_GRAPH,
      GRAPH_AUTH: 'federated',
      GRAPH_CLIENT_ID: 'graph-app',
      GRAPH_MANAGED_IDENTITY_CLIENT_ID: MI_CLIENT_ID,
    });
    expect(graphCredential(c.graph)).toEqual({
      federated: { managedIdentityClientId: MI_CLIENT_ID, audience: 'api://AzureADTokenExchange' },
    });
    expect(
      loadConfig({
        ...NO_GRAPH,
        GRAPH_AUTH: 'federated',
        GRAPH_CLIENT_ID: 'graph-app',
        GRAPH_FEDERATED_AUDIENCE: 'api://AzureADTokenExchangeUSGov',
      }).graph.federatedAudience,
    ).toBe('api://AzureADTokenExchangeUSGov');
    expect(problemsOf({ ...NO_GRAPH, GRAPH_AUTH: 'federated' })).toEqual([
      'GRAPH_CLIENT_ID: missing — the app registration the bot reads Graph with',
    ]);
    expect(problemsOf({ ...TENANT_ENV, GRAPH_AUTH: 'federated' })).toEqual([
      'GRAPH_CLIENT_SECRET: not used with GRAPH_AUTH=federated — remove it',
    ]);
  });

  it('rejects an unknown GRAPH_AUTH with the choices', () => {
    expect(problemsOf({ ...TENANT_ENV, GRAPH_AUTH: 'msi' })).toEqual([
      expect.stringMatching(
        /^GRAPH_AUTH: must be one of secret, certificate, managed-identity, federated — set it to/,
      ),
    ]);
  });

  it('certificate: read at start-up, SHA-256 thumbprint computed, the key kept out of logs', () => {
    const c = loadConfig({ ...NO_GRAPH, GRAPH_CLIENT_ID: 'graph-app', GRAPH_CLIENT_CERTIFICATE_PATH: pem });
    expect(c.graph.auth).toBe('certificate');
    expect(c.graph.clientCertificate?.thumbprintSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(c.graph.clientCertificate?.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(configSecrets(c)).toContain(c.graph.clientCertificate?.privateKey);
    expect(graphCredential(c.graph)).toEqual({
      clientCertificate: {
        thumbprintSha256: c.graph.clientCertificate?.thumbprintSha256,
        privateKey: c.graph.clientCertificate?.privateKey,
      },
    });
  });

  it('certificate: a missing file, no key, an expired certificate, a leftover secret each name the setting', () => {
    const base = { ...NO_GRAPH, GRAPH_CLIENT_ID: 'graph-app' };
    expect(problemsOf({ ...base, GRAPH_CLIENT_CERTIFICATE_PATH: path.join(dir, 'nope.pem') })).toEqual([
      expect.stringMatching(/^GRAPH_CLIENT_CERTIFICATE_PATH: cannot read .*nope\.pem \(ENOENT\)/),
    ]);
    expect(problemsOf({ ...base, GRAPH_CLIENT_CERTIFICATE_PATH: certOnly })).toEqual([
      expect.stringMatching(/^GRAPH_CLIENT_CERTIFICATE_PATH: .* holds no unencrypted private key/),
    ]);
    expect(problemsOf({ ...base, GRAPH_CLIENT_CERTIFICATE_PATH: expired })).toEqual([
      expect.stringMatching(
        /^GRAPH_CLIENT_CERTIFICATE_PATH: the certificate in .* expired on \d{4}-\d\d-\d\d/,
      ),
    ]);
    expect(problemsOf({ ...base, GRAPH_AUTH: 'certificate' })).toEqual([
      expect.stringMatching(/^GRAPH_CLIENT_CERTIFICATE_PATH: missing — /),
    ]);
    expect(problemsOf({ ...TENANT_ENV, GRAPH_CLIENT_CERTIFICATE_PATH: pem })).toEqual([
      'GRAPH_CLIENT_SECRET: not used with GRAPH_AUTH=certificate — remove it',
    ]);
    expect(problemsOf({ ...TENANT_ENV, GRAPH_AUTH: 'secret', GRAPH_CLIENT_CERTIFICATE_PATH: pem })).toEqual([
      'GRAPH_CLIENT_CERTIFICATE_PATH: not used with GRAPH_AUTH=secret — remove it, or set GRAPH_AUTH=certificate',
    ]);
  });
});

describe('the bot registration type (MICROSOFT_APP_TYPE)', () => {
  const msi = { MICROSOFT_APP_ID: MI_CLIENT_ID, MICROSOFT_APP_TYPE: 'UserAssignedMSI' };

  it('UserAssignedMSI: the managed identity client id and tenant id, no password; botbuilder accepts it', () => {
    const c = loadConfig({ ...msi, MICROSOFT_APP_TENANT_ID: TENANT });
    expect(c.bot).toMatchObject({
      appId: MI_CLIENT_ID,
      appType: 'UserAssignedMSI',
      appPassword: '',
      localMode: false,
    });
    expect(() => createAdapter(c.bot, silentLogger())).not.toThrow();
  });

  it('UserAssignedMSI without a tenant id is a configuration error, not botbuilder crashing', () => {
    expect(problemsOf(msi)).toEqual([
      expect.stringMatching(/^MICROSOFT_APP_TENANT_ID: missing — a UserAssignedMSI bot needs it/),
    ]);
  });

  it('SingleTenant without a tenant id likewise; MultiTenant needs none', () => {
    const single = { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'pw' };
    expect(problemsOf(single)).toEqual([
      expect.stringMatching(/^MICROSOFT_APP_TENANT_ID: missing — a SingleTenant bot needs it/),
    ]);
    expect(problemsOf({ ...single, MICROSOFT_APP_TYPE: 'MultiTenant' })).toEqual([]);
  });

  it('UserAssignedMSI with a password: an error (botbuilder refuses one, and it is a secret left to rotate)', () => {
    expect(problemsOf({ ...msi, MICROSOFT_APP_TENANT_ID: TENANT, MICROSOFT_APP_PASSWORD: 'pw' })).toEqual([
      expect.stringMatching(/^MICROSOFT_APP_PASSWORD: not used by a UserAssignedMSI bot .* remove it/),
    ]);
  });

  it('UserAssignedMSI without an app id is not local mode: it asks for the identity client id', () => {
    expect(problemsOf({ MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_TENANT_ID: TENANT })).toEqual([
      expect.stringMatching(
        /^MICROSOFT_APP_ID: missing — a UserAssignedMSI bot's app id is its managed identity's client id/,
      ),
    ]);
  });

  it('takes the type in any case, as botbuilder does, and names the choices when wrong', () => {
    expect(
      loadConfig({ ...msi, MICROSOFT_APP_TYPE: 'userassignedmsi', MICROSOFT_APP_TENANT_ID: TENANT }).bot
        .appType,
    ).toBe('UserAssignedMSI');
    expect(problemsOf({ ...msi, MICROSOFT_APP_TYPE: 'Managed' })).toEqual([
      expect.stringMatching(/^MICROSOFT_APP_TYPE: must be SingleTenant, MultiTenant or UserAssignedMSI/),
    ]);
  });
});

describe("the Agents Toolkit's setting names", () => {
  const toolkit = {
    BOT_ID: APP_ID,
    BOT_PASSWORD: 'toolkit-password',
    BOT_TENANT_ID: TENANT,
    BOT_TYPE: 'SingleTenant',
  };

  it('BOT_ID alone never gives local mode: it asks for the rest of the registration', () => {
    expect(problemsOf({ BOT_ID: APP_ID })).toEqual([
      expect.stringMatching(/^MICROSOFT_APP_PASSWORD: missing/),
      expect.stringMatching(/^MICROSOFT_APP_TENANT_ID: missing/),
    ]);
    expect(loadConfig({ BOT_ID: APP_ID, BOT_TYPE: 'MultiTenant', BOT_PASSWORD: 'pw' }).bot.localMode).toBe(
      false,
    );
  });

  it('BOT_ID, BOT_PASSWORD, BOT_TENANT_ID, BOT_TYPE stand for ours when ours are unset', () => {
    const c = loadConfig(toolkit);
    expect(c.bot).toMatchObject({
      appId: APP_ID,
      appPassword: 'toolkit-password',
      appTenantId: TENANT,
      appType: 'SingleTenant',
      localMode: false,
    });
    expect(c.http.host).toBe('0.0.0.0');
    expect(configSecrets(c)).toContain('toolkit-password');
    const msi = loadConfig({ BOT_ID: MI_CLIENT_ID, BOT_TENANT_ID: TENANT, BOT_TYPE: 'UserAssignedMSI' });
    expect(msi.bot).toMatchObject({ appId: MI_CLIENT_ID, appType: 'UserAssignedMSI', localMode: false });
  });

  it('BOT_ENDPOINT or BOT_DOMAIN stand for PUBLIC_URL', () => {
    expect(loadConfig({ ...toolkit, BOT_ENDPOINT: 'https://bot.contoso.com' }).broadcast.publicUrl).toBe(
      'https://bot.contoso.com',
    );
    expect(
      loadConfig({ ...toolkit, BOT_ENDPOINT: 'https://bot.contoso.com/api/messages' }).broadcast.publicUrl,
    ).toBe('https://bot.contoso.com');
    expect(loadConfig({ ...toolkit, BOT_DOMAIN: 'bot.contoso.com' }).broadcast.publicUrl).toBe(
      'https://bot.contoso.com',
    );
    expect(
      loadConfig({ ...toolkit, PUBLIC_URL: 'https://bot.contoso.com/', BOT_DOMAIN: 'bot.contoso.com' })
        .broadcast.publicUrl,
    ).toBe('https://bot.contoso.com'); // A domain written as a URL, and the endpoint in another case, still give the bot's base URL.
    expect(loadConfig({ ...toolkit, BOT_DOMAIN: 'https://bot.contoso.com/' }).broadcast.publicUrl).toBe(
      'https://bot.contoso.com',
    );
    expect(
      loadConfig({ ...toolkit, BOT_ENDPOINT: 'https://bot.contoso.com/API/Messages' }).broadcast.publicUrl,
    ).toBe('https://bot.contoso.com');
  });

  it('the same GUID in another case is the same app', () => {
    expect(loadConfig({ ...toolkit, MICROSOFT_APP_ID: APP_ID.toUpperCase() }).bot.appId).toBe(
      APP_ID.toUpperCase(),
    );
  });

  it('keeps the download signing key and the database password out of logs too', () => {
    const c = loadConfig({
      ...toolkit,
      DOWNLOAD_SIGNING_KEY: 'k'.repeat(40),
      DATABASE_URL: 'postgres://bot:p%40ss-word@db.example.com/bot',
    });
    expect(configSecrets(c)).toEqual(expect.arrayContaining(['k'.repeat(40), 'p@ss-word']));
  });

  it('the same value under both names is fine; different values are an error naming ours, never the value', () => {
    expect(
      loadConfig({ ...toolkit, MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TYPE: 'singletenant' }).bot.appId,
    ).toBe(APP_ID);
    const problems = problemsOf({
      ...toolkit,
      MICROSOFT_APP_ID: MI_CLIENT_ID,
      MICROSOFT_APP_PASSWORD: 'other',
      MICROSOFT_APP_TENANT_ID: TENANT,
      MICROSOFT_APP_TYPE: 'MultiTenant',
      PUBLIC_URL: 'https://other.contoso.com',
      BOT_DOMAIN: 'bot.contoso.com',
    });
    expect(problems).toEqual([
      "BOT_ID: differs from MICROSOFT_APP_ID — BOT_ID is the Agents Toolkit's name for MICROSOFT_APP_ID; set only MICROSOFT_APP_ID (or give both the same value)",
      "BOT_PASSWORD: differs from MICROSOFT_APP_PASSWORD — BOT_PASSWORD is the Agents Toolkit's name for MICROSOFT_APP_PASSWORD; set only MICROSOFT_APP_PASSWORD (or give both the same value)",
      "BOT_TYPE: differs from MICROSOFT_APP_TYPE — BOT_TYPE is the Agents Toolkit's name for MICROSOFT_APP_TYPE; set only MICROSOFT_APP_TYPE (or give both the same value)",
      "BOT_DOMAIN: differs from PUBLIC_URL — BOT_DOMAIN is the Agents Toolkit's name for PUBLIC_URL; set only PUBLIC_URL (or give both the same value)",
    ]);
    expect(problems.join('\n')).not.toMatch(/toolkit-password|other/);
  });
});
