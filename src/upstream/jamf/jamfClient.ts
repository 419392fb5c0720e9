import { createSecureContext, rootCertificates } from 'node:tls';
import { Agent } from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import pLimit from 'p-limit';
import type { ZodType } from 'zod';
import type { JamfComplianceInfo, JamfComputer } from '../../compliance/types';
import { UpstreamError } from '../../errors';
import { silentLogger, type Logger } from '../../log';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryHooks, type RetryPolicy } from '../retryPolicy';
import { NO_UPSTREAM_OBSERVER, type UpstreamObserver } from '../upstreamObserver';
import {
  computerFilter,
  isEmptyComputerQuery,
  matchesComputerQuery,
  type JamfComputerQuery,
} from './computerQuery';
import { idRangeBounds } from './idRangeBounds';
import { JamfTokenSource } from './jamfTokenSource';
import { mapPolicy, policyListWire, policyWire, type JamfPolicy } from './jamfPolicy';
import type { JamfWebhook, JamfWebhookSettings } from '../../compliance/jamfWebhookTypes';
import { mapWebhook, webhookIdWire, webhookListWire, webhookWire, webhookXml } from './jamfWebhookWire';
import type { JamfSmartGroup, JamfSmartGroupInput, JamfSmartGroupSummary } from './jamfSmartGroup';
import {
  complianceWire,
  computerWire,
  blankPushWire,
  hrefWire,
  managementIdPageWire,
  managementIdWire,
  recalculationWire,
  idPageWire,
  inventoryPageWire,
  membershipWire,
  oauthTokenWire,
  smartGroupPageWire,
  smartGroupWire,
  type SmartGroupWire,
  authorizationWire,
} from './jamfWire';
import { mapComplianceInfo } from './mapComplianceInfo';
import { mapJamfComputer } from './mapJamfComputer';
import { computerIdIn, hasRsqlWildcard, rsqlEquals } from './rsql';
import { jamfFailure, jamfStatusError } from './toJamfError';

/** Inventory sections the diagnosis reads. */
export const DEFAULT_COMPUTER_SECTIONS = [
  'GENERAL',
  'HARDWARE',
  'OPERATING_SYSTEM',
  'APPLICATIONS',
  'USER_AND_LOCATION',
  'GROUP_MEMBERSHIPS',
] as const;

export type JamfInventorySection =
  (typeof DEFAULT_COMPUTER_SECTIONS)[number] | 'DISK_ENCRYPTION' | 'SECURITY' | 'EXTENSION_ATTRIBUTES';

export interface JamfClientOptions {
  /** The server, e.g. `https://yourorg.jamfcloud.com` (the API lives under `/api`). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Extra CA certificate(s) to trust (PEM): the demo tenant's, or a corporate TLS proxy's. */
  ca?: string | Buffer | (string | Buffer)[];
  /** Requests in flight at once, token requests included. Jamf asks for about 5. */
  maxConcurrency?: number;
  /** Hard deadline for one HTTP attempt. */
  timeoutMs?: number;
  retryPolicy?: RetryPolicy;
  /** Test seams for `withRetry` (sleep, random, clock). */
  retryHooks?: Omit<RetryHooks, 'onRetry'>;
  /** Inventory page size. */
  pageSize?: number;
  /** Ids per request of `listComputerIds` (default 2,000). */
  idPageSize?: number;
  logger?: Logger;
  /** Use this axios instance instead of creating one (then `ca` is ignored). */
  http?: AxiosInstance;
  /** Told about every HTTP exchange (metrics, health, the turn's deadline). */
  observer?: UpstreamObserver;
  now?: () => number;
}

/** Inventory pages: 200 records keeps each response small with APPLICATIONS included. */
const DEFAULT_PAGE_SIZE = 200;
const SMART_GROUP_PAGE_SIZE = 100;
/** Refuse, rather than send, URLs longer than common server limits (Tomcat's default is 8 KiB). */
const MAX_URL_LENGTH = 8000;
/** A broken `totalCount` must not make the client fetch forever. */
const MAX_PAGES = 10_000;
const SMART_GROUPS = '/api/v3/computer-groups/smart-groups';
const INVENTORY = '/api/v4/computers-inventory';
/** Ids per request of `listComputerIds`: the simulator's page-size limit (the contract states none). */
const ID_PAGE_SIZE = 2000;
const WEBHOOKS = '/JSSResource/webhooks';

interface CallSpec<T> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: [string, string][];
  data?: unknown;
  schema?: ZodType<T>;
  /** 404 → null instead of an error. */
  nullIfNotFound?: boolean;
  /** An XML body (Classic API writes): sent as `application/xml`, and XML accepted back. */
  xml?: string;
  signal?: AbortSignal;
}

/** Carries an error through `withRetry` without another attempt. */
class Final {
  constructor(readonly error: UpstreamError) {}
}

/** The token a request holds fell due while it waited for a slot: fetch a fresh one and send then. */
class StaleToken {}

/** Fresh-token swaps per attempt before a request is sent with whatever token it has. */
const MAX_TOKEN_SWAPS = 3;

/**
 * The Jamf Pro API client: OAuth client credentials with a shared, early-renewed token; at most
 * `maxConcurrency` requests in flight; retries with backoff that honours `Retry-After`; a hard
 * timeout per attempt; paging to the end; escaped RSQL filters. Every call ends with a value or
 * an `UpstreamError('jamf', code, …)` that never contains the secret or the token. It is the
 * fleet sync's `JamfFleetReads` (not declared here: that file imports this one's section type).
 */
export class JamfClient {
  private readonly http: AxiosInstance;
  private readonly agent: Agent | null;
  private readonly baseUrl: string;
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly tokens: JamfTokenSource;
  private readonly timeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly pageSize: number;
  private readonly maxConcurrency: number;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly observer: UpstreamObserver;

  constructor(private readonly opts: JamfClientOptions) {
    this.observer = opts.observer ?? NO_UPSTREAM_OBSERVER;
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '').replace(/\/api$/, '');
    const maxConcurrency = opts.maxConcurrency ?? 5;
    this.maxConcurrency = maxConcurrency;
    this.limit = pLimit(maxConcurrency);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.policy = opts.retryPolicy ?? DEFAULT_RETRY_POLICY;
    this.pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
    this.log = (opts.logger ?? silentLogger()).child({ upstream: 'jamf' });
    this.now = opts.now ?? Date.now;
    // One secure context for all connections (building one per handshake costs CPU); the extra
    // CA is trusted on top of Node's roots, as for Graph.
    const extra = opts.ca === undefined ? [] : Array.isArray(opts.ca) ? opts.ca : [opts.ca];
    const secureContext = extra.length
      ? createSecureContext({ ca: [...rootCertificates, ...extra] })
      : undefined;
    this.agent = opts.http ? null : new Agent({ secureContext, keepAlive: true, maxSockets: maxConcurrency });
    this.http = opts.http ?? axios.create({ httpsAgent: this.agent ?? undefined, maxRedirects: 0 });
    this.tokens = new JamfTokenSource(() => this.fetchToken(), this.now);
  }

  /** Every computer (matching `filter`, an RSQL expression built with `rsql.ts`), all pages. */
  async listComputers(
    opts: {
      filter?: string;
      sections?: readonly JamfInventorySection[];
      pageSize?: number;
      signal?: AbortSignal;
    } = {},
  ): Promise<JamfComputer[]> {
    const sections = opts.sections ?? DEFAULT_COMPUTER_SECTIONS;
    const query: [string, string][] = [
      ...sections.map((s): [string, string] => ['section', s]),
      // A total order: with the default name sort, Macs sharing a name could move between pages.
      ['sort', 'id:asc'],
      ...(opts.filter ? [['filter', opts.filter] as [string, string]] : []),
    ];
    const rows = await this.allPages(
      '/api/v4/computers-inventory',
      query,
      inventoryPageWire,
      opts.pageSize,
      opts.signal,
    );
    return rows.map(mapJamfComputer);
  }

  /**
   * One page (0-based) of the inventory sorted by id, with Jamf's `totalCount`: the fleet sync
   * reads page by page so a long throttle or a crash resumes from the last finished page.
   */
  async getComputersPage(opts: {
    page: number;
    pageSize: number;
    sections?: readonly JamfInventorySection[];
    filter?: string;
    signal?: AbortSignal;
  }): Promise<{ totalCount: number; computers: JamfComputer[] }> {
    const page = Math.max(0, Math.floor(opts.page));
    const size = Math.max(1, Math.min(2000, Math.floor(opts.pageSize)));
    const w = await this.call({
      method: 'GET',
      path: INVENTORY,
      query: [
        ...(opts.sections ?? DEFAULT_COMPUTER_SECTIONS).map((s): [string, string] => ['section', s]),
        ['sort', 'id:asc'],
        ...(opts.filter ? [['filter', opts.filter] as [string, string]] : []),
        ['page', String(page)],
        ['page-size', String(size)],
      ],
      schema: inventoryPageWire,
      signal: opts.signal,
    });
    if (!w) return { totalCount: 0, computers: [] };
    return { totalCount: w.totalCount, computers: w.results.map(mapJamfComputer) };
  }

  /**
   * Every computer id, for finding deleted Macs: the v4 inventory with its one smallest
   * request — the GENERAL section alone, 2,000 a page — read by keyset (`id>last`, sorted by id,
   * always page 0) rather than by page number, so a Mac deleted or added while the listing runs
   * cannot shift a page and hide another Mac's id. (The Classic `/JSSResource/computers` list
   * and v1–v3 inventory are deprecated in the 11.30.1 contracts; `/preview/computers` sorts
   * by name only.)
   */
  async listComputerIds(
    opts: { signal?: AbortSignal; knownIds?: readonly string[] } = {},
  ): Promise<string[]> {
    const size = Math.max(1, Math.min(2000, Math.floor(this.opts.idPageSize ?? ID_PAGE_SIZE)));
    const bounds = idRangeBounds(opts.knownIds ?? [], size, this.maxConcurrency);
    // Each range pages by keyset on its own, all at once (the client's connection cap still holds).
    const ranges = await Promise.all(
      [...bounds, null].map((hi, i) =>
        this.listIdRange(i === 0 ? null : (bounds[i - 1] as string), hi, size, opts.signal),
      ),
    );
    return ranges.flat();
  }

  /** The ids in (lo, hi] (either end open when null), ascending, by keyset pages of `size`. */
  private async listIdRange(
    lo: string | null,
    hi: string | null,
    size: number,
    signal: AbortSignal | undefined,
  ): Promise<string[]> {
    const ids: string[] = [];
    let after: string | null = lo;
    for (let n = 0; n < MAX_PAGES; n++) {
      const filter = [after === null ? null : `id>${after}`, hi === null ? null : `id<=${hi}`]
        .filter((x) => x !== null)
        .join(';');
      const w: { results: { id: string }[] } | null = await this.call({
        method: 'GET',
        path: INVENTORY,
        query: [
          ['section', 'GENERAL'],
          ['sort', 'id:asc'],
          ...(filter === '' ? [] : [['filter', filter] as [string, string]]),
          ['page', '0'],
          ['page-size', String(size)],
        ],
        schema: idPageWire,
        signal,
      });
      const page: { id: string }[] = w?.results ?? [];
      for (const r of page) ids.push(r.id);
      const last: string | undefined = page[page.length - 1]?.id;
      // A full page ending on the range's upper bound is its last: no extra empty page.
      if (page.length < size || last === undefined || last === hi) return ids;
      if (!/^\d{1,18}$/.test(last) || (after !== null && Number(last) <= Number(after))) {
        throw new UpstreamError('jamf', 'bad_response', `Jamf Pro listed computer ids out of order`, {
          request: `GET ${INVENTORY}`,
        });
      }
      after = last;
    }
    throw new UpstreamError('jamf', 'bad_response', `Jamf Pro listed more than ${MAX_PAGES} pages of ids`, {
      request: `GET ${INVENTORY}`,
    });
  }

  /**
   * The first `limit` computers matching an RSQL filter (one request, sorted by name): for
   * suggestions, where a broad filter must not page through the whole fleet.
   */
  async searchComputers(opts: {
    filter: string;
    limit: number;
    sections?: readonly JamfInventorySection[];
  }): Promise<{ totalCount: number; computers: JamfComputer[] }> {
    const size = Math.max(1, Math.min(100, Math.floor(opts.limit)));
    const page = await this.call({
      method: 'GET',
      path: '/api/v4/computers-inventory',
      query: [
        ...(opts.sections ?? ['GENERAL', 'HARDWARE', 'USER_AND_LOCATION']).map((s): [string, string] => [
          'section',
          s,
        ]),
        ['sort', 'general.name:asc'],
        ['filter', opts.filter],
        ['page', '0'],
        ['page-size', String(size)],
      ],
      schema: inventoryPageWire,
    });
    if (!page) return { totalCount: 0, computers: [] };
    return { totalCount: page.totalCount, computers: page.results.map(mapJamfComputer) };
  }

  /** Computers matching every given field exactly (ignoring case); [] for an empty query. */
  async findComputers(query: JamfComputerQuery, opts: { sections?: readonly JamfInventorySection[] } = {}) {
    if (isEmptyComputerQuery(query)) return [];
    const found = await this.listComputers({ filter: computerFilter(query), sections: opts.sections });
    const wildcard = Object.values(query).some((v) => typeof v === 'string' && hasRsqlWildcard(v));
    return wildcard ? found.filter((c) => matchesComputerQuery(c, query)) : found;
  }

  findComputersBySerial(serial: string): Promise<JamfComputer[]> {
    return this.findComputers({ serial });
  }

  findComputersByName(name: string): Promise<JamfComputer[]> {
    return this.findComputers({ name });
  }

  findComputersByUserEmail(email: string): Promise<JamfComputer[]> {
    return this.findComputers({ userEmail: email });
  }

  /** One computer, or null when Jamf has no such id. */
  async getComputer(id: string, sections: readonly JamfInventorySection[] = DEFAULT_COMPUTER_SECTIONS) {
    const w = await this.call({
      method: 'GET',
      path: `/api/v4/computers-inventory/${jamfId(id)}`,
      query: sections.map((s): [string, string] => ['section', s]),
      schema: computerWire,
      nullIfNotFound: true,
    });
    return w ? mapJamfComputer(w) : null;
  }

  async listSmartGroups(): Promise<JamfSmartGroupSummary[]> {
    const rows = await this.allPages(
      SMART_GROUPS,
      [['sort', 'id:asc']],
      smartGroupPageWire,
      SMART_GROUP_PAGE_SIZE,
    );
    return rows.map((g) => ({
      id: g.id,
      name: g.name,
      description: g.description ?? null,
      siteId: g.siteId ?? null,
      membershipCount: g.membershipCount ?? null,
    }));
  }

  /** The smart group with exactly this name (ignoring case), or null. */
  async findSmartGroupByName(name: string): Promise<JamfSmartGroupSummary | null> {
    const query: [string, string][] = [['filter', rsqlEquals('name', name)]];
    const rows = await this.allPages(SMART_GROUPS, query, smartGroupPageWire, SMART_GROUP_PAGE_SIZE);
    const g = rows.find((r) => r.name.toLowerCase() === name.toLowerCase());
    return g
      ? {
          id: g.id,
          name: g.name,
          description: g.description ?? null,
          siteId: g.siteId ?? null,
          membershipCount: g.membershipCount ?? null,
        }
      : null;
  }

  async getSmartGroup(id: string): Promise<JamfSmartGroup | null> {
    const path = `${SMART_GROUPS}/${jamfId(id)}`;
    const w = await this.call({ method: 'GET', path, schema: smartGroupWire, nullIfNotFound: true });
    return w ? mapSmartGroup(id, w) : null;
  }

  /** Creates a smart group. A taken name is Jamf's 422, a `bad_request` error. Retried only on 429/503. */
  async createSmartGroup(input: JamfSmartGroupInput): Promise<{ id: string }> {
    const res = await this.call({
      method: 'POST',
      path: SMART_GROUPS,
      data: smartGroupBody(input),
      schema: hrefWire,
    });
    return { id: (res as { id: string }).id };
  }

  async updateSmartGroup(id: string, input: JamfSmartGroupInput): Promise<JamfSmartGroup> {
    const path = `${SMART_GROUPS}/${jamfId(id)}`;
    const w = await this.call({ method: 'PUT', path, data: smartGroupBody(input), schema: smartGroupWire });
    return mapSmartGroup(id, w as SmartGroupWire);
  }

  async deleteSmartGroup(id: string): Promise<void> {
    await this.call({ method: 'DELETE', path: `${SMART_GROUPS}/${jamfId(id)}` });
  }

  /** Computer ids in the group (as strings), or null when there is no such group. */
  async getSmartGroupMembers(id: string): Promise<string[] | null> {
    const path = `/api/v3/computer-groups/smart-group-membership/${jamfId(id)}`;
    const w = await this.call({ method: 'GET', path, schema: membershipWire, nullIfNotFound: true });
    return w ? w.members : null;
  }

  /** What Jamf reported to Intune for one computer; null when it has no record. */
  async getComplianceInfo(computerId: string): Promise<JamfComplianceInfo | null> {
    const path = `/api/v1/conditional-access/device-compliance-information/computer/${jamfId(computerId)}`;
    const w = await this.call({ method: 'GET', path, schema: complianceWire, nullIfNotFound: true });
    return w ? mapComplianceInfo(computerId, w) : null;
  }

  /** Every computer policy's id and name (Classic API; the API role needs *Read Policies*). */
  async listPolicies(): Promise<{ id: string; name: string }[]> {
    const w = await this.call({ method: 'GET', path: '/JSSResource/policies', schema: policyListWire });
    return (w as { policies: { id: string; name: string }[] }).policies;
  }

  /** One computer policy's general settings, scope and Self Service settings; null when there is none. */
  async getPolicy(policyId: string): Promise<JamfPolicy | null> {
    const path = `/JSSResource/policies/id/${jamfId(policyId)}`;
    const w = await this.call({ method: 'GET', path, schema: policyWire, nullIfNotFound: true });
    return w ? mapPolicy(w) : null;
  }

  /** Every webhook's id and name (Classic API; the API role needs *Read Webhooks*). */
  async listWebhooks(): Promise<{ id: string; name: string }[]> {
    const w = await this.call({ method: 'GET', path: WEBHOOKS, schema: webhookListWire });
    return (w as { webhooks: { id: string; name: string }[] }).webhooks;
  }

  /** One webhook's settings; null when there is none. */
  async getWebhook(webhookId: string): Promise<JamfWebhook | null> {
    const path = `${WEBHOOKS}/id/${jamfId(webhookId)}`;
    const w = await this.call({ method: 'GET', path, schema: webhookWire, nullIfNotFound: true });
    return w ? mapWebhook(w) : null;
  }

  /** Creates a webhook (XML body to `/id/0`; *Create Webhooks*). Retried only on 429/503. */
  async createWebhook(settings: JamfWebhookSettings): Promise<{ id: string }> {
    const path = `${WEBHOOKS}/id/0`;
    const id = await this.call({ method: 'POST', path, xml: webhookXml(settings), schema: webhookIdWire });
    return { id: id as string };
  }

  /** Replaces a webhook's settings (*Update Webhooks*). */
  async updateWebhook(webhookId: string, settings: JamfWebhookSettings): Promise<void> {
    const path = `${WEBHOOKS}/id/${jamfId(webhookId)}`;
    await this.call({ method: 'PUT', path, xml: webhookXml(settings) });
  }

  /**
   * The privileges of the API client's role (`GET /api/v1/auth`, the current token's authorization
   * details): every site's and every account group's, each once, for the setup doctor.
   */
  async getPrivileges(): Promise<string[]> {
    const w = await this.call({ method: 'GET', path: '/api/v1/auth', schema: authorizationWire });
    const bySite = Object.values(w?.account?.privilegesBySite ?? {}).flatMap((p) => p ?? []);
    const byGroup = (w?.accountGroups ?? []).flatMap((g) => g.privileges ?? []);
    return [...new Set([...bySite, ...byGroup])];
  }

  /**
   * The Mac's MDM client management id (`general.managementId`), which blank pushes address;
   * null when Jamf has no such computer or none is recorded.
   */
  async getManagementId(computerId: string): Promise<string | null> {
    const w = await this.call({
      method: 'GET',
      path: `${INVENTORY}/${jamfId(computerId)}`,
      query: [['section', 'GENERAL']],
      schema: managementIdWire,
      nullIfNotFound: true,
    });
    return w?.general?.managementId ?? null;
  }

  /**
   * The MDM client management ids of up to 100 computers in one filtered listing (`id=in=(…)`,
   * the GENERAL section), by computer id; a computer Jamf does not have, or that has no
   * management id, is left out. The batch blank push reads them per chunk, just before it pushes.
   */
  async getManagementIds(computerIds: readonly string[]): Promise<Map<string, string>> {
    const ids = [...new Set(computerIds)];
    if (ids.length > 100) throw new Error('getManagementIds reads at most 100 computers at a time');
    const out = new Map<string, string>();
    if (ids.length === 0) return out;
    const w = await this.call({
      method: 'GET',
      path: INVENTORY,
      query: [
        ['section', 'GENERAL'],
        ['sort', 'id:asc'],
        ['filter', computerIdIn(ids)],
        ['page', '0'],
        ['page-size', String(ids.length)],
      ],
      schema: managementIdPageWire,
    });
    for (const r of w?.results ?? []) if (r.general?.managementId) out.set(r.id, r.general.managementId);
    return out;
  }

  /**
   * Recalculates the smart groups of one computer now (`POST /v1/computers/{id}/recalculate-smart-groups`,
   * *Update Smart Computer Groups*); resolves to how many smart groups it is in afterwards.
   * Not retried on a timeout (Jamf may have done it).
   */
  async recalculateSmartGroups(computerId: string): Promise<{ count: number | null }> {
    const w = await this.call({
      method: 'POST',
      path: `/api/v1/computers/${jamfId(computerId)}/recalculate-smart-groups`,
      schema: recalculationWire,
    });
    return { count: w?.count ?? null };
  }

  /**
   * Sends a blank push (`POST /v2/mdm/blank-push`, `{clientManagementIds}`): the Macs wake and
   * check in with Jamf Pro. Resolves to the ids Jamf could not push to.
   */
  async blankPush(clientManagementIds: readonly string[]): Promise<{ errorUuids: string[] }> {
    const w = await this.call({
      method: 'POST',
      path: '/api/v2/mdm/blank-push',
      data: { clientManagementIds: [...clientManagementIds] },
      schema: blankPushWire,
    });
    return { errorUuids: w?.errorUuids ?? [] };
  }

  /** Closes pooled connections (idle keep-alive sockets would otherwise hold the process open). */
  close(): void {
    this.agent?.destroy();
  }

  /**
   * Page 0 tells the total; the other pages are then requested together and the concurrency cap
   * paces them. The first failure aborts the rest. Duplicates (a record moving between pages
   * while the fleet changes) are dropped.
   */
  private async allPages<R extends { id: string }>(
    path: string,
    query: [string, string][],
    schema: ZodType<{ totalCount: number; results: R[] }>,
    pageSize = this.pageSize,
    signal?: AbortSignal,
  ): Promise<R[]> {
    const size = Math.max(1, Math.min(2000, Math.floor(pageSize)));
    const page = (n: number, s?: AbortSignal) =>
      this.call({
        method: 'GET',
        path,
        query: [...query, ['page', String(n)], ['page-size', String(size)]],
        schema,
        signal: s,
      }) as Promise<{ totalCount: number; results: R[] }>;
    const first = await page(0, signal);
    const pages = Math.ceil(first.totalCount / size);
    if (pages > MAX_PAGES) {
      throw new UpstreamError(
        'jamf',
        'bad_response',
        `Jamf Pro reported ${first.totalCount} records on ${path}`,
        {
          request: `GET ${path}`,
        },
      );
    }
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const rest = await Promise.all(
        Array.from({ length: Math.max(0, pages - 1) }, (_, i) =>
          page(i + 1, abort.signal).catch((e: unknown) => {
            abort.abort();
            throw e;
          }),
        ),
      );
      const seen = new Set<string>();
      return [first, ...rest].flatMap((p) => p.results).filter((r) => !seen.has(r.id) && !!seen.add(r.id));
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** One API call: auth, retries (POST only when the server says it did nothing), parsing. */
  private async call<T>(spec: CallSpec<T>): Promise<T | null> {
    const request = `${spec.method} ${spec.path}`;
    const idempotent = spec.method !== 'POST';
    try {
      return await withRetry(
        async () => {
          try {
            return await this.authorized(spec, request);
          } catch (e) {
            if (e instanceof UpstreamError && !idempotent && e.code !== 'throttled' && e.status !== 503) {
              throw new Final(e);
            }
            throw e;
          }
        },
        this.policy,
        {
          ...this.opts.retryHooks,
          onRetry: ({ attempt, delayMs, error }) =>
            this.log.warn(
              { request, attempt, delayMs, code: error.code, status: error.status },
              'jamf retry',
            ),
        },
      );
    } catch (e) {
      if (e instanceof Final) throw e.error;
      throw e;
    }
  }

  /**
   * With the cached token; on a 401, once more with a fresh one. A token that fell due while the
   * request waited for a connection slot is swapped for a fresh one first (a few times at most),
   * so a long queue under a short token lifetime does not turn into a burst of 401s.
   */
  private async authorized<T>(spec: CallSpec<T>, request: string): Promise<T | null> {
    let refused = false;
    for (let swaps = 0; ; swaps++) {
      const token = await this.token();
      try {
        return await this.send(spec, request, token, swaps < MAX_TOKEN_SWAPS);
      } catch (e) {
        if (e instanceof StaleToken) continue;
        if (!(e instanceof UpstreamError) || e.code !== 'unauthorized') throw e;
        // Refused twice, the second time with a fresh token: credentials or privileges, not expiry.
        if (refused) throw new Final(e);
        refused = true;
        this.tokens.invalidate(token);
      }
    }
  }

  /** Token errors already went through their own retries: do not multiply them. */
  private async token(): Promise<string> {
    try {
      return await this.tokens.get();
    } catch (e) {
      throw e instanceof UpstreamError ? new Final(e) : e;
    }
  }

  private async fetchToken(): Promise<{ token: string; expiresInSeconds: number }> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.opts.clientId,
      client_secret: this.opts.clientSecret,
    }).toString();
    const request = 'POST /api/v1/oauth/token';
    const res = await withRetry(
      () =>
        this.send(
          { method: 'POST', path: '/api/v1/oauth/token', data: form, schema: oauthTokenWire },
          request,
          null,
        ),
      this.policy,
      {
        ...this.opts.retryHooks,
        onRetry: ({ attempt, delayMs, error }) =>
          this.log.warn({ request, attempt, delayMs, code: error.code }, 'jamf retry'),
      },
    );
    if (!res) throw new UpstreamError('jamf', 'bad_response', 'Jamf Pro returned no token', { request });
    this.log.debug({ expiresIn: res.expires_in }, 'jamf token issued');
    return { token: res.access_token, expiresInSeconds: res.expires_in };
  }

  /**
   * One HTTP exchange inside the concurrency cap, with a hard deadline — the one place every
   * Jamf request (token requests included) goes through, so the observer sees them all.
   */
  private send<T>(
    spec: CallSpec<T>,
    request: string,
    token: string | null,
    requireFresh = false,
  ): Promise<T | null> {
    return this.limit(async () => {
      if (spec.signal?.aborted) throw new Final(cancelled(request));
      if (token !== null && requireFresh && !this.tokens.isFresh(token)) throw new StaleToken();
      const qs = (spec.query ?? [])
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
        .join('&');
      const url = `${this.baseUrl}${spec.path}${qs ? `?${qs}` : ''}`;
      if (url.length > MAX_URL_LENGTH) {
        throw new Final(
          new UpstreamError(
            'jamf',
            'bad_request',
            `The search is too long for Jamf Pro (${url.length} characters)`,
            { request },
          ),
        );
      }
      const abort = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        abort.abort();
      }, this.timeoutMs);
      const onAbort = () => abort.abort();
      spec.signal?.addEventListener('abort', onAbort, { once: true });
      const started = this.now();
      const observed = this.observer.start('jamf');
      let outcome: number | 'network' | 'timeout' = 'network';
      try {
        const res = await this.http.request({
          method: spec.method,
          url,
          data: spec.xml ?? spec.data,
          headers: {
            Accept: spec.xml !== undefined ? 'application/xml' : 'application/json',
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
            ...(spec.xml !== undefined
              ? { 'Content-Type': 'application/xml' }
              : typeof spec.data === 'string'
                ? { 'Content-Type': 'application/x-www-form-urlencoded' }
                : spec.data !== undefined
                  ? { 'Content-Type': 'application/json' }
                  : {}),
          },
          signal: abort.signal,
          validateStatus: () => true,
        });
        outcome = res.status;
        this.log.debug({ request, status: res.status, ms: this.now() - started }, 'jamf request');
        if (res.status === 404 && spec.nullIfNotFound) return null;
        if (res.status < 200 || res.status >= 300) {
          throw jamfStatusError(
            res.status,
            res.headers as Record<string, unknown>,
            res.data,
            request,
            this.now(),
          );
        }
        if (!spec.schema) return null;
        const parsed = spec.schema.safeParse(res.data);
        if (!parsed.success) {
          throw new UpstreamError(
            'jamf',
            'bad_response',
            `Jamf Pro sent an unexpected answer to ${request}`,
            {
              status: res.status,
              request,
            },
          );
        }
        return parsed.data;
      } catch (e) {
        if (timedOut) outcome = 'timeout';
        if (e instanceof UpstreamError || e instanceof Final) throw e;
        if (spec.signal?.aborted && !timedOut) throw new Final(cancelled(request));
        const { error, retryable } = jamfFailure(e, request, timedOut);
        throw retryable ? error : new Final(error);
      } finally {
        observed(outcome);
        clearTimeout(timer);
        spec.signal?.removeEventListener('abort', onAbort);
      }
    });
  }
}

function cancelled(request: string): UpstreamError {
  return new UpstreamError('jamf', 'unavailable', `${request} was cancelled`, { request });
}

/** Jamf ids are numbers; anything else would change the URL's path (`..`, `/`), so refuse it. */
function jamfId(id: string): string {
  if (!/^\d{1,18}$/.test(id)) {
    throw new UpstreamError('jamf', 'bad_request', `Not a Jamf Pro id: ${JSON.stringify(id.slice(0, 40))}`);
  }
  return id;
}

function smartGroupBody(input: JamfSmartGroupInput) {
  return {
    name: input.name,
    description: input.description ?? '',
    siteId: input.siteId ?? null,
    criteria: input.criteria.map((c, i) => ({
      name: c.name,
      priority: i,
      andOr: c.andOr ?? 'and',
      searchType: c.searchType,
      value: c.value,
      openingParen: c.openingParen ?? false,
      closingParen: c.closingParen ?? false,
    })),
  };
}

function mapSmartGroup(id: string, w: SmartGroupWire): JamfSmartGroup {
  return {
    id: w.id ?? id,
    name: w.name,
    description: w.description ?? null,
    siteId: w.siteId ?? null,
    criteria: (w.criteria ?? []).map((c, i) => ({
      name: c.name,
      priority: c.priority ?? i,
      andOr: c.andOr?.toLowerCase() === 'or' ? 'or' : 'and',
      searchType: c.searchType,
      value: c.value ?? '',
      openingParen: c.openingParen ?? false,
      closingParen: c.closingParen ?? false,
    })),
  };
}
