import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { cancellableSleeps } from './cancellableSleeps';
import { classicPolicyShape, type ClassicPolicyAnswer } from './classicPolicyShape';
import type { DemoTls } from './demoTls';
import type { JamfFleetMutations } from './fleetMutations';
import type { DemoFleet } from './fleetTypes';
import { JAMF_REQUIRED_PRIVILEGES, jamfPrivilegeFor } from '../src/upstream/jamf/jamfPrivileges';
import { jamfApiError, type SimulatorResult } from './jamfApiError';
import { JamfFleetMutator } from './jamfFleetMutator';
import { JamfInventoryIndex } from './jamfInventoryIndex';
import { JamfSmartGroupStore } from './jamfSmartGroupStore';
import { JamfWebhookStore } from './jamfWebhookStore';
import {
  jamfWebhookSender,
  type JamfWebhookSender,
  type JamfWebhookSenderOptions,
} from './jamfWebhookSender';
import { JAMF_DEFAULT_TOKEN_TTL_SECONDS, JamfTokenIssuer } from './jamfTokenIssuer';
import { matchJamfRoute, type JamfSimRoute } from './jamfSimRoutes';
import type { RsqlNode } from './parseRsql';
import { SimulatorFaults } from './simulatorFaults';
import { redactWebhookXml } from './classicWebhookShape';

export interface JamfSimulatorOptions {
  fleet: DemoFleet;
  tls: DemoTls;
  /** The API client the simulator accepts (OAuth client credentials, or basic auth for `/v1/auth/token`). */
  clientId: string;
  clientSecret: string;
  /** Added to every response. */
  latencyMs?: number;
  /**
   * Added per record per section an inventory answer holds (`faults.recordCostMs`), so a bigger
   * page or more sections take longer, as on a real server. Default 0.
   */
  recordCostMs?: number;
  /** `expires_in` of issued tokens. Default 60, the contract's example (`JAMF_DEFAULT_TOKEN_TTL_SECONDS`). */
  tokenTtlSeconds?: number;
  /** 0 = a free port. */
  port?: number;
  /** Largest `page-size` accepted (Jamf Pro's real limit is unconfirmed). Default 2000. */
  maxPageSize?: number;
  /**
   * `complianceVendorDeviceInformation` as the schema says (`{deviceIds}`, default) or as the
   * schema's example shows it (`[{deviceIds}]`): FACTS.md says a client must accept both.
   */
  complianceInfoShape?: 'object' | 'array';
  /** Clock for token expiry and smart-group evaluation. */
  now?: () => number;
  /** How the simulated Jamf Pro posts its webhooks (extra CA, duplicates, reordering). */
  webhookSender?: JamfWebhookSenderOptions;
}

export interface JamfRequestLogEntry {
  method: string;
  path: string;
  /** The route template the request hit (`GET /api/v4/computers-inventory/{id}`); undefined: none. */
  route?: JamfSimRoute;
  query: Record<string, string[]>;
  /** Request body, parsed; a token request's secret is left out. */
  body?: unknown;
  /** The inventory `filter` as the simulator parsed it (null: none or unparseable). */
  filter?: RsqlNode | null;
  status?: number;
  fault?: string;
  at: number;
}

/** What the simulator received, and how many requests were in flight at once at most. */
export interface JamfRequestLog {
  entries: JamfRequestLogEntry[];
  inFlight: number;
  peakInFlight: number;
  /** Empties the log and resets the high-water mark. */
  clear(): void;
}

/** `JamfFleetMutations`: churn and tests change the served fleet through these. */
export interface JamfSimulator extends JamfFleetMutations {
  /** Base URL, like a Jamf Pro server's (`https://127.0.0.1:PORT`, API under `/api`). */
  url: string;
  fleet: DemoFleet;
  faults: SimulatorFaults;
  requests: JamfRequestLog;
  /** Re-evaluates every smart group after inventory was changed from outside. */
  recomputeSmartGroups(): void;
  /** Drops cached sort orders after computers were changed from outside. */
  fleetChanged(): void;
  /**
   * The webhooks stored through `/JSSResource/webhooks`, and the sender that posts events to
   * them (`emit`, `membershipBurst`) as Jamf Pro would.
   */
  webhooks: JamfWebhookSender;
  close(): Promise<void>;
}

const SMART_GROUPS = '/api/v3/computer-groups/smart-groups';
const MAX_BODY = 1024 * 1024;

/**
 * A Jamf Pro API stand-in over HTTPS on 127.0.0.1, serving a `DemoFleet` in the wire shapes of
 * the 11.30.1 OpenAPI contract: OAuth client-credentials and basic-auth tokens, v4 computer
 * inventory (RSQL filter, sort, paging, sections), v3 smart groups and their membership, and
 * Jamf's device-compliance information. `faults` makes it slow, throttled, failing, hanging or
 * dropping connections; `requests` records what arrived.
 */
export async function startJamfSimulator(opts: JamfSimulatorOptions): Promise<JamfSimulator> {
  const now = opts.now ?? Date.now;
  const issuer = new JamfTokenIssuer({
    clientId: opts.clientId,
    clientSecret: opts.clientSecret,
    ttlSeconds: opts.tokenTtlSeconds ?? JAMF_DEFAULT_TOKEN_TTL_SECONDS,
    now,
  });
  const faults = new SimulatorFaults({ expireTokens: () => issuer.revokeAll() });
  faults.setLatency(opts.latencyMs ?? 0);
  faults.setRecordCost(opts.recordCostMs ?? 0);
  const inventory = new JamfInventoryIndex(opts.fleet, opts.maxPageSize ?? 2000);
  const groups = new JamfSmartGroupStore(opts.fleet, now);
  const mutator = new JamfFleetMutator(opts.fleet, inventory, groups);
  const hooks = new JamfWebhookStore((id) => opts.fleet.jamf.smartGroups.some((g) => Number(g.id) === id));
  const sender = jamfWebhookSender(() => hooks.all(), {
    now,
    // The demo bot serves with the demo tenant's certificate.
    ca: opts.tls.caCert,
    groupName: (id) => opts.fleet.jamf.smartGroups.find((g) => Number(g.id) === id)?.name ?? '',
    ...opts.webhookSender,
  });
  const sleeps = cancellableSleeps();
  const log: JamfRequestLog = {
    entries: [],
    inFlight: 0,
    peakInFlight: 0,
    clear() {
      this.entries = [];
      this.peakInFlight = this.inFlight;
    },
  };
  let baseUrl = '';

  const route = (
    req: IncomingMessage,
    url: URL,
    body: unknown,
  ): SimulatorResult & { filter?: RsqlNode | null; work?: number } => {
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    const q = url.searchParams;
    const hit = matchJamfRoute(method, path);
    const at = hit?.route;
    const id = hit?.params[0] ?? '';

    // Token endpoints (and token-like paths the contract lacks) answer before authentication.
    const tokenAnswer = issuer.route(req, method, path, body);
    if (tokenAnswer) return tokenAnswer;
    if (!issuer.bearer(req)) return jamfApiError(401, 'INVALID_TOKEN', 'Unauthorized', 'Authorization');

    // The API role's privileges, as Jamf Pro enforces them: a request needing one it lacks is 403.
    const privileges = opts.fleet.jamf.apiPrivileges ?? JAMF_REQUIRED_PRIVILEGES;
    const needed = jamfPrivilegeFor(method, path);
    if (needed && !privileges.includes(needed.privilege))
      return jamfApiError(403, 'INVALID_PRIVILEGE', `Forbidden: the API role lacks ${needed.privilege}`);
    if (at === 'GET /api/v1/auth') return { status: 200, body: authorization(opts.clientId, privileges) };

    if (at === 'GET /api/v4/computers-inventory') {
      return inventory.list({
        sections: q.getAll('section'),
        page: q.get('page'),
        pageSize: q.get('page-size'),
        sort: q.getAll('sort'),
        filter: q.get('filter'),
      });
    }
    if (at === 'GET /api/v4/computers-inventory/{id}') return inventory.get(id, q.getAll('section'));

    if (at === 'GET /api/v3/computer-groups/smart-groups') {
      return groups.list({
        page: q.get('page'),
        pageSize: q.get('page-size'),
        sort: q.getAll('sort'),
        filter: q.get('filter'),
      });
    }
    if (at === 'POST /api/v3/computer-groups/smart-groups')
      return groups.create(body, `${baseUrl}${SMART_GROUPS}`);
    if (at === 'GET /api/v3/computer-groups/smart-groups/{id}') return groups.get(id);
    if (at === 'PUT /api/v3/computer-groups/smart-groups/{id}') return groups.update(id, body);
    if (at === 'DELETE /api/v3/computer-groups/smart-groups/{id}') return groups.remove(id);
    if (at === 'GET /api/v3/computer-groups/smart-group-membership/{id}') return groups.membership(id);

    if (at === 'GET /api/v1/conditional-access/device-compliance-information/computer/{id}') {
      const records = opts.fleet.jamf.compliance[id];
      if (!records) return jamfApiError(404, 'INVALID_ID', `Computer with id ${id} not found`, 'deviceId');
      const shaped =
        opts.complianceInfoShape === 'array'
          ? records.map((r) => ({
              ...r,
              complianceVendorDeviceInformation: [r.complianceVendorDeviceInformation],
            }))
          : records;
      return { status: 200, body: shaped };
    }
    // Remediation (issue 19): a smart-group recalculation for one computer, a blank push.
    if (at === 'POST /api/v1/computers/{id}/recalculate-smart-groups') {
      const c = opts.fleet.jamf.computers.find((x) => x.id === id);
      if (!c) return jamfApiError(404, 'INVALID_ID', `Computer with id ${id} not found`, 'id');
      mutator.putComputer(c);
      const count = opts.fleet.jamf.computers
        .find((x) => x.id === id)!
        .groupMemberships.filter((m) => m.smartGroup).length;
      return { status: 200, body: { count } };
    }
    if (at === 'POST /api/v2/mdm/blank-push') {
      const ids = (body as { clientManagementIds?: unknown } | undefined)?.clientManagementIds;
      if (!Array.isArray(ids) || ids.length === 0 || ids.some((x) => typeof x !== 'string'))
        return jamfApiError(
          400,
          'INVALID_FIELD',
          'clientManagementIds must be a list of ids',
          'clientManagementIds',
        );
      const known = new Set(opts.fleet.jamf.computers.map((c) => c.general.managementId));
      return { status: 200, body: { errorUuids: (ids as string[]).filter((x) => !known.has(x)) } };
    }
    // Classic API (`/JSSResource`): computer policies, read-only, JSON when asked for it, in the
    // shape of demo/fixtures/jamf-classic-policy.json (checked: the swagger documents none).
    if (at === 'GET /JSSResource/policies') {
      const list = {
        policies: opts.fleet.jamf.policies.map((p) => ({ id: p.general.id, name: p.general.name })),
      };
      return conforming('policyList', list);
    }
    if (at === 'GET /JSSResource/policies/id/{id}') {
      const p = opts.fleet.jamf.policies.find((x) => x.general.id === Number(id));
      // The Classic API answers a missing id with 404 and a short HTML page; JSON clients read the status.
      return p
        ? conforming('policy', { policy: p })
        : { status: 404, body: { error: 'The server has not found anything matching the request URI' } };
    }
    // Classic API webhooks: JSON reads, XML writes (demo/classicWebhookShape.ts), XML answers.
    if (at === 'GET /JSSResource/webhooks') return hooks.list();
    if (at === 'GET /JSSResource/webhooks/id/{id}') return hooks.get(id);
    if (at === 'POST /JSSResource/webhooks/id/{id}') return hooks.create(id, body);
    if (at === 'PUT /JSSResource/webhooks/id/{id}') return hooks.update(id, body);
    return jamfApiError(404, 'NOT_FOUND', `No such resource: ${method} ${path}`, 'path');
  };

  const pause = sleeps.sleep;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    log.inFlight++;
    log.peakInFlight = Math.max(log.peakInFlight, log.inFlight);
    // 'finish' (response handed to the socket) comes before the client can read the response;
    // 'close' alone can fire after the client already sent its next request.
    let done = false;
    const settle = () => {
      if (!done) log.inFlight--;
      done = true;
    };
    res.on('finish', settle);
    res.on('close', settle);
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const method = req.method ?? 'GET';
    const entry: JamfRequestLogEntry = {
      method,
      path: url.pathname,
      route: matchJamfRoute(method, url.pathname)?.route,
      query: queryRecord(url),
      at: now(),
    };
    log.entries.push(entry);

    const raw = await readBody(req);
    if (raw === null) return send(res, entry, jamfApiError(413, 'TOO_LARGE', 'Request body too large'));
    const body = parseBody(req, raw);
    if (body !== undefined) entry.body = redact(url.pathname, body);

    if (faults.latencyMs > 0) await pause(faults.latencyMs);
    const fault = faults.take(method, url.pathname, url.searchParams);
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'throttle') {
      const r = jamfApiError(429, 'TOO_MANY_REQUESTS', 'Too many requests');
      if (fault.retryAfterSeconds !== null) r.headers = { 'retry-after': String(fault.retryAfterSeconds) };
      return send(res, entry, r);
    }
    if (fault?.kind === 'error') return send(res, entry, faultError(fault.status));

    const result = route(req, url, body);
    if ('filter' in result) entry.filter = result.filter;
    const cost = (result.work ?? 0) * faults.recordCostMs;
    if (cost > 0) await pause(cost);
    send(res, entry, result);
  };

  const server = createServer({ key: opts.tls.key, cert: opts.tls.cert }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent)
        send(res, null, jamfApiError(500, 'INTERNAL', e instanceof Error ? e.message : 'error'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    fleet: opts.fleet,
    faults,
    requests: log,
    recomputeSmartGroups: () => groups.recompute(),
    webhooks: sender,
    fleetChanged: () => {
      inventory.invalidate();
      mutator.reset();
    },
    putComputer: (record) => mutator.putComputer(record),
    deleteComputer: (id) => mutator.deleteComputer(id),
    computer: (id) => mutator.computer(id),
    computerIds: () => mutator.computerIds(),
    putComplianceRecord: (id, record) => mutator.putComplianceRecord(id, record),
    close: () =>
      new Promise<void>((resolve) => {
        void sender.close();
        sleeps.cancelAll();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Jamf Pro's `ApiError` for a failure injected by status: a 403 is the API role lacking a
 * privilege (e.g. *Create Smart Computer Groups*), 5xx a server failure.
 */
function faultError(status: number): SimulatorResult {
  if (status === 403) return jamfApiError(403, 'INVALID_PRIVILEGE', 'Forbidden');
  if (status === 401) return jamfApiError(401, 'INVALID_TOKEN', 'Unauthorized', 'Authorization');
  if (status === 404) return jamfApiError(404, 'NOT_FOUND', 'Not found');
  if (status === 400) return jamfApiError(400, 'INVALID_FIELD', 'Bad request');
  return jamfApiError(status, 'SERVER_ERROR', 'Simulated failure');
}

/**
 * `AuthorizationV1` for the API client's token: Jamf Pro lists an API client's role privileges
 * per site (`-1`: all sites) under `account.privilegesBySite`; an API client is in no account group.
 */
function authorization(clientId: string, privileges: readonly string[]): unknown {
  return {
    account: {
      id: '1',
      username: clientId,
      realName: '',
      email: '',
      multiSiteAdmin: true,
      accessLevel: 'FullAccess',
      privilegeSet: 'CUSTOM',
      privilegesBySite: { '-1': [...privileges] },
      groupIds: [],
      currentSiteId: '-1',
    },
    accountGroups: [],
    sites: [],
    authenticationType: 'CLIENT_CREDENTIALS',
  };
}

/** A Classic API answer, after checking it has the documented shape (a demo bug is a 500, not a quiet drift). */
function conforming(kind: ClassicPolicyAnswer, body: unknown): SimulatorResult {
  const problems = classicPolicyShape(kind, body);
  if (problems.length === 0) return { status: 200, body };
  return jamfApiError(
    500,
    'INTERNAL',
    `The demo's ${kind} is not in the documented shape: ${problems.join('; ')}`,
  );
}

function send(res: ServerResponse, entry: JamfRequestLogEntry | null, r: SimulatorResult): void {
  if (entry) entry.status = r.status;
  if (res.destroyed) return;
  const headers: Record<string, string> = { ...r.headers };
  if (r.body === undefined) {
    res.writeHead(r.status, headers).end();
    return;
  }
  if (typeof r.body === 'string') {
    // The Classic API's XML answers (a webhook write's `<webhook><id>…</id></webhook>`).
    headers['content-type'] ??= 'application/xml;charset=UTF-8';
    headers['content-length'] = String(Buffer.byteLength(r.body));
    res.writeHead(r.status, headers).end(r.body);
    return;
  }
  const json = JSON.stringify(r.body);
  headers['content-type'] = 'application/json;charset=UTF-8';
  headers['content-length'] = String(Buffer.byteLength(json));
  res.writeHead(r.status, headers).end(json);
}

function queryRecord(url: URL): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) (out[k] ??= []).push(v);
  return out;
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function parseBody(req: IncomingMessage, raw: string): unknown {
  if (raw === '') return undefined;
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/**
 * Never keep a secret in the request log: a token request's client secret, a webhook's header
 * values or password. A webhook write is logged parsed (`{webhook: {…}}`, element text as sent).
 */
function redact(path: string, body: unknown): unknown {
  if (path.startsWith('/JSSResource/webhooks') && typeof body === 'string') return redactWebhookXml(body);
  if (!path.endsWith('/oauth/token') || typeof body !== 'object' || body === null) return body;
  const { client_secret: _secret, ...rest } = body as Record<string, unknown>;
  return rest;
}
