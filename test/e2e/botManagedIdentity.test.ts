import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { startConnectorSimulator, type ConnectorSimulator } from '../../demo/connectorSimulator';
import { startDemoTenant, type DemoTenant } from '../../demo/startDemoTenant';
import { silentLogger } from '../../src/log';
import { ADMIN, messageActivity } from '../helpers/activities';
import {
  CHANNEL_ISSUER,
  standInSettings,
  startBotFrameworkStandIn,
  type BotFrameworkStandIn,
} from '../helpers/botFrameworkStandIn';
import {
  startFakeManagedIdentityEndpoint,
  type FakeManagedIdentityEndpoint,
} from '../helpers/fakeManagedIdentityEndpoint';

/** The user-assigned managed identity the Azure Bot is registered with (its client id is the bot's app id). */
const MI_CLIENT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const BOT_FRAMEWORK = 'https://api.botframework.com';

/**
 * The bot as `UserAssignedMSI`: incoming tokens are checked against the identity's client id,
 * and replies carry a token botbuilder got from the managed identity endpoint (a loopback
 * stand-in of App Service's / Container Apps', minting with the Bot Framework stand-in's key),
 * which the Bot Connector stand-in verifies. No bot password anywhere.
 */
describe('the bot as UserAssignedMSI (managed identity, no password)', () => {
  let standIn: BotFrameworkStandIn;
  let demo: DemoTenant;
  let app: App;
  let url: string;
  let connector: ConnectorSimulator;
  let mi: FakeManagedIdentityEndpoint;
  let consoleError: jest.SpyInstance;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    [standIn, demo] = await Promise.all([startBotFrameworkStandIn(), startDemoTenant({ size: 50 })]);
    connector = await startConnectorSimulator({
      tenantId: demo.fleet.tenantId,
      expectToken: { audience: BOT_FRAMEWORK, publicKey: standIn.publicKey },
    });
    mi = await startFakeManagedIdentityEndpoint((resource, clientId) => {
      if (clientId !== MI_CLIENT_ID || resource !== BOT_FRAMEWORK) return null;
      const iat = now();
      return {
        access_token: standIn.sign({
          aud: resource,
          iss: `https://login.microsoftonline.com/${demo.fleet.tenantId}/v2.0`,
          appid: MI_CLIENT_ID,
          tid: demo.fleet.tenantId,
          iat,
          nbf: iat,
          exp: iat + 3600,
        }),
        expires_on: String(iat + 3600),
        resource,
        token_type: 'Bearer',
        client_id: MI_CLIENT_ID,
      };
    });
    // Read by @azure/identity (botbuilder's managed identity credential), as on App Service and
    // Container Apps; jest gives each test file its own process.env.
    process.env.IDENTITY_ENDPOINT = mi.url;
    process.env.IDENTITY_HEADER = mi.secret;
    const config = demo.configure(
      loadConfig({
        PORT: '0',
        PLAYGROUND: 'false',
        LOG_LEVEL: 'silent',
        DATABASE_PATH: ':memory:',
        HOST: '127.0.0.1',
        // The Agents Toolkit's names, as its Bicep writes them for a UserAssignedMSI bot.
        BOT_ID: MI_CLIENT_ID,
        BOT_TYPE: 'UserAssignedMSI',
        BOT_TENANT_ID: demo.fleet.tenantId,
        ADMIN_USER_IDS: ADMIN.aadObjectId,
        ...standInSettings(standIn),
      }),
    );
    expect(config.bot).toMatchObject({ appType: 'UserAssignedMSI', appPassword: '', localMode: false });
    app = createApp(config, { logger: silentLogger() });
    ({ url } = await app.listen());
  }, 60_000);

  afterAll(async () => {
    delete process.env.IDENTITY_ENDPOINT;
    delete process.env.IDENTITY_HEADER;
    await Promise.all([app.close(), demo.close(), connector.close(), standIn.close(), mi.close()]);
    consoleError.mockRestore();
  });

  async function post(activity: Record<string, unknown>, authorization?: string): Promise<number> {
    connector.learn(activity);
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(activity),
    });
    await res.text();
    return res.status;
  }

  const channelToken = (serviceUrl: string, aud = MI_CLIENT_ID) =>
    `Bearer ${standIn.sign({ iss: CHANNEL_ISSUER, aud, serviceurl: serviceUrl, iat: now() - 10, nbf: now() - 10, exp: now() + 3600 })}`;

  it('answers a channel token for the identity, and replies with a token from the managed identity endpoint', async () => {
    const activity = messageActivity('help', { serviceUrl: connector.serviceUrl });
    expect(await post(activity, channelToken(connector.serviceUrl))).toBe(200);
    await connector.waitForSent(1);
    expect(connector.calls[0]).toMatchObject({ authorization: true, status: 201 });
    expect(mi.requests).toContainEqual({ resource: BOT_FRAMEWORK, clientId: MI_CLIENT_ID });
    // Nothing asked the login URL for a token: there is no password to ask with.
    expect(standIn.issued).toEqual([]);
  });

  it('refuses a token for another app id, and without a token', async () => {
    const activity = messageActivity('help', { serviceUrl: connector.serviceUrl });
    expect(
      await post(activity, channelToken(connector.serviceUrl, '4b1f2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d')),
    ).toBe(401);
    expect(await post(activity)).toBe(401);
  });
});
