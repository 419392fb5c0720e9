import { Agent, fetch as undiciFetch } from 'undici';
import { createDemoTls, type DemoTls } from '../../demo/demoTls';
import type { DemoFleet } from '../../demo/fleetTypes';
import {
  startGraphSimulator,
  type GraphSimulator,
  type GraphSimulatorOptions,
} from '../../demo/graphSimulator';
import type { TeamsAppInstallations } from '../../demo/teamsAppInstallations';
import { GraphClient, type GraphClientOptions } from '../../src/upstream/graph/graphClient';
import type { RetryPolicy } from '../../src/upstream/retryPolicy';
import {
  buildGraphTestFleet,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
  TEST_TENANT_ID,
  type TestFleetOptions,
} from './graphTestFleet';

/** Quick retries so failure tests stay fast; budgets still bound every call. */
export const FAST_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 200, budgetMs: 5_000 };

let tlsOnce: Promise<DemoTls> | undefined;
export const demoTls = (): Promise<DemoTls> => (tlsOnce ??= createDemoTls());

export interface GraphHarness {
  sim: GraphSimulator;
  fleet: DemoFleet;
  tls: DemoTls;
  /** A client pointed at the simulator; closed by `close()`. */
  client(overrides?: Partial<GraphClientOptions>): GraphClient;
  /** A raw HTTPS call to the simulator, trusting the demo CA (no Graph SDK in between). */
  raw(
    path: string,
    init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal },
    // Tests poke into arbitrary Graph JSON; typing every payload would only restate the assertions.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): Promise<{ status: number; headers: Headers; body: any }>;
  /** An access token straight from the simulator's token endpoint. */
  token(): Promise<string>;
  close(): Promise<void>;
}

export async function startGraphHarness(
  opts: TestFleetOptions & {
    tokenTtlSeconds?: number;
    latencyMs?: number;
    teamsApps?: TeamsAppInstallations;
    /** The tenant's managed identities and the app registration's other credentials. */
    identities?: Pick<
      GraphSimulatorOptions,
      'managedIdentities' | 'federatedCredentials' | 'clientCertificates'
    >;
  } = {},
): Promise<GraphHarness> {
  const tls = await demoTls();
  const fleet = buildGraphTestFleet(opts);
  const sim = await startGraphSimulator({
    fleet,
    tls,
    tenantId: TEST_TENANT_ID,
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    tokenTtlSeconds: opts.tokenTtlSeconds,
    latencyMs: opts.latencyMs,
    teamsApps: opts.teamsApps,
    ...opts.identities,
  });
  const agent = new Agent({ connect: { ca: tls.caCert } });
  const clients: GraphClient[] = [];
  const raw: GraphHarness['raw'] = async (path, init = {}) => {
    const url = path.startsWith('https://')
      ? path
      : `${path.startsWith('/v1.0') || path.startsWith(`/${TEST_TENANT_ID}`) || path.startsWith('/common') ? sim.authorityHost : sim.url}${path}`;
    const res = await undiciFetch(url, {
      method: init.method ?? 'GET',
      headers: init.headers,
      body: init.body,
      signal: init.signal,
      dispatcher: agent,
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers as unknown as Headers,
      body: text ? JSON.parse(text) : undefined,
    };
  };
  const token = async (): Promise<string> => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: TEST_CLIENT_ID,
      client_secret: TEST_CLIENT_SECRET,
      scope: 'https://graph.microsoft.com/.default',
    });
    const r = await raw(`/${TEST_TENANT_ID}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    return r.body.access_token as string;
  };
  return {
    sim,
    fleet,
    tls,
    raw,
    token,
    client: (overrides = {}) => {
      const c = new GraphClient({
        baseUrl: sim.url,
        authorityHost: sim.authorityHost,
        tenantId: TEST_TENANT_ID,
        clientId: TEST_CLIENT_ID,
        clientSecret: TEST_CLIENT_SECRET,
        ca: tls.caCert,
        timeoutMs: 2_000,
        retryPolicy: FAST_RETRY,
        ...overrides,
      });
      clients.push(c);
      return c;
    },
    close: async () => {
      await Promise.all(clients.map((c) => c.close()));
      await agent.destroy();
      await sim.close();
    },
  };
}
