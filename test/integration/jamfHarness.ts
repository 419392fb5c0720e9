/**
 * Shared set-up for the Jamf integration tests: a generated fleet, the HTTPS simulator on
 * 127.0.0.1, clients that trust the demo CA, and a raw HTTP helper for wire-level checks.
 */
import { Agent, request } from 'undici';
import { createDemoTls, type DemoTls } from '../../demo/demoTls';
import { generateFleet, type GeneratedFleet } from '../../demo/generateFleet';
import { startJamfSimulator, type JamfSimulator, type JamfSimulatorOptions } from '../../demo/jamfSimulator';
import type { RetryPolicy } from '../../src/upstream/retryPolicy';
import { JamfClient, type JamfClientOptions } from '../../src/upstream/jamf';

export const CLIENT_ID = 'b7a1c3d5-0000-4000-8000-00000000c11e';
export const CLIENT_SECRET = 'demo-secret-Zx9!never-in-logs';
export const NOW = new Date('2025-03-10T12:00:00Z');

/** Retries that keep a test fast but still exercise backoff. */
export const FAST_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 40, budgetMs: 4000 };

let tlsOnce: Promise<DemoTls> | null = null;
export const demoTls = (): Promise<DemoTls> => (tlsOnce ??= createDemoTls());

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface JamfHarness {
  fleet: GeneratedFleet;
  sim: JamfSimulator;
  tls: DemoTls;
  client(opts?: Partial<JamfClientOptions>): JamfClient;
  /** One HTTP request straight to the simulator (no client logic). */
  raw(
    method: string,
    path: string,
    opts?: {
      token?: string;
      body?: unknown;
      form?: Record<string, string>;
      headers?: Record<string, string>;
    },
  ): Promise<RawResponse>;
  /** A valid access token, fetched raw. */
  token(): Promise<string>;
  close(): Promise<void>;
}

export async function jamfHarness(
  opts: { size?: number; seed?: number } & Partial<Omit<JamfSimulatorOptions, 'fleet' | 'tls'>> = {},
): Promise<JamfHarness> {
  const { size = 300, seed = 42, ...simOpts } = opts;
  const tls = await demoTls();
  const fleet = generateFleet({ size, seed, now: Date.now() });
  const sim = await startJamfSimulator({
    fleet,
    tls,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    ...simOpts,
  });
  const dispatcher = new Agent({ connect: { ca: tls.caCert } });
  const clients: JamfClient[] = [];

  const raw: JamfHarness['raw'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
    let body: string | undefined;
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(o.form).toString();
    } else if (typeof o.body === 'string') {
      // Classic API writes: XML as given.
      headers['content-type'] ??= 'application/xml';
      body = o.body;
    } else if (o.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.body);
    }
    const res = await request(`${sim.url}${path}`, { method: method as 'GET', headers, body, dispatcher });
    const text = await res.body.text();
    return {
      status: res.statusCode,
      headers: res.headers,
      body:
        text === ''
          ? undefined
          : /json/.test(String(res.headers['content-type']))
            ? (JSON.parse(text) as unknown)
            : text,
    };
  };

  return {
    fleet,
    sim,
    tls,
    client: (o = {}) => {
      const c = new JamfClient({
        baseUrl: sim.url,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        ca: tls.caCert,
        timeoutMs: 2000,
        retryPolicy: FAST_RETRY,
        ...o,
      });
      clients.push(c);
      return c;
    },
    raw,
    token: async () => {
      const r = await raw('POST', '/api/v1/oauth/token', {
        form: { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
      });
      return (r.body as { access_token: string }).access_token;
    },
    close: async () => {
      for (const c of clients) c.close();
      await dispatcher.destroy();
      await sim.close();
    },
  };
}
