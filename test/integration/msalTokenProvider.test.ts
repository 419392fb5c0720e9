import { ConfidentialClientApplication } from '@azure/msal-node';
import { silentLogger } from '../../src/log';
import { createTrustingFetch, type TrustingFetch } from '../../src/upstream/graph/createTrustingFetch';
import { MsalTokenProvider } from '../../src/upstream/graph/msalTokenProvider';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_TENANT_ID } from './graphTestFleet';
import { startGraphHarness, type GraphHarness } from './graphTestHarness';

const TOKEN = 'POST /{tenant}/oauth2/v2.0/token';

describe('MsalTokenProvider keeps the last token until msal would renew it', () => {
  let h: GraphHarness;
  let trusting: TrustingFetch;
  let clock: number;
  let msalCalls: jest.SpyInstance;
  const provider = () =>
    new MsalTokenProvider({
      authorityHost: h.sim.authorityHost,
      tenantId: TEST_TENANT_ID,
      clientId: TEST_CLIENT_ID,
      clientSecret: TEST_CLIENT_SECRET,
      fetch: trusting.fetch,
      timeoutMs: 5_000,
      logger: silentLogger(),
      now: () => clock,
    });

  beforeAll(async () => {
    h = await startGraphHarness(); // tokens for an hour
    trusting = createTrustingFetch(h.tls.caCert);
  });
  afterAll(async () => {
    await trusting.close();
    await h.close();
  });
  beforeEach(() => {
    clock = Date.now();
    h.sim.requests.clear();
    msalCalls = jest.spyOn(ConfidentialClientApplication.prototype, 'acquireTokenByClientCredential');
  });
  afterEach(() => msalCalls.mockRestore());

  it('answers repeat calls without asking msal', async () => {
    const p = provider();
    const first = await p.getAccessToken();
    const again = await Promise.all(Array.from({ length: 20 }, () => p.getAccessToken()));
    expect(new Set(again)).toEqual(new Set([first]));
    expect(msalCalls).toHaveBeenCalledTimes(1);
    expect(h.sim.requests.count(TOKEN)).toBe(1);
  });

  it('asks msal again from 5 minutes before expiry', async () => {
    const p = provider();
    await p.getAccessToken();
    clock += 54 * 60_000; // the token lasts 60 minutes
    await p.getAccessToken();
    expect(msalCalls).toHaveBeenCalledTimes(1);
    clock += 2 * 60_000; // 56 minutes: inside the renewal window
    await p.getAccessToken();
    expect(msalCalls).toHaveBeenCalledTimes(2);
  });

  it('fetches a new token once Graph rejected the current one', async () => {
    const p = provider();
    const first = await p.getAccessToken();
    p.invalidate('some older token'); // a late 401 for a token already replaced: nothing to do
    expect(await p.getAccessToken()).toBe(first);
    expect(msalCalls).toHaveBeenCalledTimes(1);
    p.invalidate(first);
    const second = await p.getAccessToken();
    expect(second).not.toBe(first);
    expect(msalCalls).toHaveBeenCalledTimes(2);
    expect(h.sim.requests.count(TOKEN)).toBe(2);
    expect(await p.getAccessToken()).toBe(second);
    expect(msalCalls).toHaveBeenCalledTimes(2);
  });
});
