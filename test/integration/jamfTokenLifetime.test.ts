/**
 * Token lifetime as Jamf Pro's: the simulator issues tokens for as long as the 11.30.1 contract's
 * example says (60 s), and the client keeps working across expiries — renewing early, never
 * stampeding the token endpoint, swapping a token that fell due while a request queued, and on a
 * 401 (token expired or revoked server-side mid-use) fetching exactly one new token and retrying
 * the request exactly once. Short lifetimes (2 s) make the tests run past several expiries.
 */
import { readContract } from '../helpers/readContract';
import { JAMF_DEFAULT_TOKEN_TTL_SECONDS } from '../../demo/jamfTokenIssuer';
import { CLIENT_ID, CLIENT_SECRET, jamfHarness, type JamfHarness } from './jamfHarness';

const TOKEN_PATH = '/api/v1/oauth/token';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tokenRequests = (h: JamfHarness) => h.sim.requests.entries.filter((e) => e.path === TOKEN_PATH);
const refused = (h: JamfHarness) => h.sim.requests.entries.filter((e) => e.status === 401);

let harnesses: JamfHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
  harnesses = [];
});
async function harness(opts: Parameters<typeof jamfHarness>[0]): Promise<JamfHarness> {
  const h = await jamfHarness(opts);
  harnesses.push(h);
  return h;
}

describe('the simulator issues tokens for as long as the contract says', () => {
  it("defaults to the contract example's expires_in (60 s)", async () => {
    const doc = JSON.parse(readContract('jamf-pro-api-11.30.1.openapi.json')) as {
      components: { schemas: Record<string, { properties: Record<string, { example?: unknown }> }> };
    };
    const example = doc.components.schemas.OAuthTokenResponse?.properties.expires_in?.example;
    expect(example).toBe(60);
    expect(JAMF_DEFAULT_TOKEN_TTL_SECONDS).toBe(example);

    const h = await harness({ size: 5 });
    const r = await h.raw('POST', TOKEN_PATH, {
      form: { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
    });
    expect(r).toMatchObject({ status: 200, body: { expires_in: example } });
  });
});

describe('the client across token expiries (2 s tokens)', () => {
  it('renews before each expiry while in use: one token per lifetime, no 401', async () => {
    const h = await harness({ size: 10, tokenTtlSeconds: 2 });
    const client = h.client();
    const started = Date.now();
    while (Date.now() - started < 5000) {
      await client.getComputer(String(1 + (((Date.now() / 100) % 10) | 0)));
      await sleep(100);
    }
    const tokens = tokenRequests(h);
    // Renewed at 4/5 of each 2 s life: at about 0, 1.6, 3.2 and 4.8 s.
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    expect(tokens.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < tokens.length; i++) {
      expect((tokens[i]?.at ?? 0) - (tokens[i - 1]?.at ?? 0)).toBeLessThan(2000);
    }
    expect(refused(h)).toHaveLength(0);
  });

  it('a queued request whose token fell due waiting gets a fresh one, not a 401', async () => {
    // 30 pages one at a time, 100 ms each: the queue outlives the first token.
    const h = await harness({ size: 300, tokenTtlSeconds: 2, latencyMs: 100 });
    const client = h.client({ pageSize: 10, maxConcurrency: 1, timeoutMs: 5000 });
    const computers = await client.listComputers({ sections: ['GENERAL'] });
    expect(computers).toHaveLength(300);
    expect(refused(h)).toHaveLength(0);
    expect(tokenRequests(h).length).toBeGreaterThanOrEqual(2);
    expect(tokenRequests(h).length).toBeLessThanOrEqual(3);
  });

  it('a token expired server-side mid-use: one new token, the request retried once', async () => {
    let skewMs = 0;
    const h = await harness({ size: 10, tokenTtlSeconds: 2, now: () => Date.now() + skewMs });
    const client = h.client();
    await client.getComputer('1');
    expect(tokenRequests(h)).toHaveLength(1);
    // The server's clock runs past the token's life; the client's copy still looks fresh to it.
    skewMs = 2500;
    h.sim.requests.clear();
    expect(await client.getComputer('2')).toMatchObject({ id: '2' });
    const entries = h.sim.requests.entries;
    expect(entries.map((e) => `${e.path} ${e.status}`)).toEqual([
      '/api/v4/computers-inventory/2 401',
      `${TOKEN_PATH} 200`,
      '/api/v4/computers-inventory/2 200',
    ]);
  });

  it('every token revoked mid-run: one new token shared by all requests, each retried once', async () => {
    const h = await harness({ size: 300, tokenTtlSeconds: 2, latencyMs: 20 });
    const client = h.client({ pageSize: 10 });
    const run = client.listComputers({ sections: ['GENERAL'] });
    while (h.sim.requests.entries.filter((e) => e.path === '/api/v4/computers-inventory').length < 6) {
      await sleep(2);
    }
    h.sim.faults.expireTokens();
    expect(await run).toHaveLength(300);
    expect(tokenRequests(h)).toHaveLength(2);
    const inventory = h.sim.requests.entries.filter((e) => e.path === '/api/v4/computers-inventory');
    const pages = new Map<string, number[]>();
    for (const e of inventory) {
      const page = e.query.page?.[0] ?? '';
      pages.set(page, [...(pages.get(page) ?? []), e.status ?? 0]);
    }
    for (const statuses of pages.values()) {
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(1);
      expect(statuses.at(-1)).toBe(200);
    }
  });

  it('the token endpoints the contract has answer; the others are 404, even unauthenticated', async () => {
    const h = await harness({ size: 5 });
    const form = { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET };
    expect((await h.raw('POST', '/api/oauth/token', { form })).status).toBe(404);
    expect((await h.raw('POST', '/api/v2/oauth/token', { form })).status).toBe(404);
    expect((await h.raw('GET', TOKEN_PATH)).status).toBe(404);
    expect((await h.raw('POST', TOKEN_PATH, { form })).status).toBe(200);
    const token = await h.token();
    expect((await h.raw('POST', '/api/v1/auth/keep-alive', { token })).status).toBe(200);
    expect((await h.raw('POST', '/api/v1/auth/invalidate-token', { token: await h.token() })).status).toBe(
      204,
    );
  });
});
