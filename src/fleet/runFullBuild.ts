import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type {
  FleetBuildState,
  FleetMembership,
  FleetSnapshotMeta,
  FleetSourceItem,
  FleetSourceKind,
  FleetSourceBodies,
} from '../compliance/fleetSnapshotTypes';
import { isInGroup } from '../compliance/isInGroup';
import { needsComplianceLookup } from '../compliance/needsComplianceLookup';
import { loadConnectorScope } from '../lookup/connectorScope';
import { allOrFirstError } from '../lookup/allOrFirstError';
import type { EntraDevice, MacRecord } from '../compliance/types';
import type { GraphDeltaPage } from '../upstream/graph/graphDeltaTypes';
import { DEFAULT_COMPUTER_SECTIONS } from '../upstream/jamf/jamfClient';
import { criteriaKey } from './criteriaKey';
import { FleetSourceSet } from './fleetSourceSet';
import { joinSnapshot } from './joinSnapshot';
import { lookUpCompliance } from './lookUpCompliance';
import { membershipKey, readGroupMemberships, type GroupRoundState } from './readGroupMemberships';
import { readComputersById } from './readComputersById';
import { readThrottled } from './readThrottled';
import { newestReportDate } from './newestReportDate';
import { publishedRowsOf, type PublishedRows } from './publishedRows';
import { slimComputer } from './slimComputer';
import type { SyncRunContext } from './syncRunContext';

/** The sync's own resume state of a full build, kept in `FleetBuildState.cursors`. */
export interface FullBuildCursors {
  /** The build was slimmed and joined for these criteria: others → start again. */
  criteriaKey: string;
  /** Fixed at the start: a resumed build must cut Jamf's pages the same way. */
  jamfPageSize: number;
  /** Taken before the device listing, so changes during the build replay in the next incremental sync. */
  devicesDeltaLink: string | null;
  devices: { next: string | null; done: boolean };
  users: { next: string | null; deltaLink: string | null };
  connector: { groupIds: string[]; groupNames: Record<string, string> } | null;
  groups: GroupRoundState | null;
  jamf: { totalCount: number | null; pagesDone: number[] };
  /** Computers Jamf has no compliance info for (the found ones are staged). */
  complianceNone: string[];
}

export function newBuild(ctx: SyncRunContext, reason: FleetBuildState['reason']): FleetBuildState {
  const cursors: FullBuildCursors = {
    criteriaKey: criteriaKey(ctx.criteria),
    jamfPageSize: ctx.settings.jamfPageSize,
    devicesDeltaLink: null,
    devices: { next: null, done: false },
    users: { next: null, deltaLink: null },
    connector: null,
    groups: null,
    jamf: { totalCount: null, pagesDone: [] },
    complianceNone: [],
  };
  return {
    id: randomUUID(),
    startedAt: ctx.now().toISOString(),
    reason,
    progress: { macsRead: 0, macsTotal: null, phase: 'starting' },
    cursors: cursors as unknown as Record<string, unknown>,
  };
}

/** The build's cursors, if it is one this code started for these criteria (else it starts again). */
export function buildCursors(build: FleetBuildState, key: string): FullBuildCursors | null {
  const c = build.cursors as Partial<FullBuildCursors>;
  return c.criteriaKey === key && typeof c.jamfPageSize === 'number' && c.jamf && c.devices && c.users
    ? (c as FullBuildCursors)
    : null;
}

const item = <K extends FleetSourceKind>(kind: K, id: string, body: FleetSourceBodies[K]): FleetSourceItem =>
  ({ kind, id, body }) as FleetSourceItem;

/**
 * Stages pages one transaction at a time, in the order they were handed in, each with a copy of
 * the build state taken when it was handed in: the state saved with a page names only pages
 * staged with it or before, so a crash can lose pages but never skip one. After a failed write
 * every later one fails too, for the same reason.
 */
class Stager {
  private chain: Promise<void> = Promise.resolve();
  constructor(
    private readonly ctx: SyncRunContext,
    readonly build: FleetBuildState,
  ) {}

  get cursors(): FullBuildCursors {
    return this.build.cursors as unknown as FullBuildCursors;
  }

  /** Applies `advance` to the build now, and stages `items` with the state it leaves. */
  stage(items: FleetSourceItem[], advance: (b: FleetBuildState, c: FullBuildCursors) => void): Promise<void> {
    advance(this.build, this.cursors);
    const snapshot = structuredClone(this.build);
    this.chain = this.chain.then(() => this.ctx.store.stageFleetItems(items, snapshot));
    return this.chain;
  }
}

/** Counts of what the build read, for the outcome and the log. */
export interface FullBuildResult {
  meta: FleetSnapshotMeta;
  macs: number;
  sources: number;
  /** The published records, for a reader in this process to adopt. */
  records: MacRecord[];
  /** The published sources, for the next incremental sync or refresh to start from (no read back). */
  sourceSet: FleetSourceSet;
  /** The published rows' hashes and connector members, so the next run re-joins only what changed. */
  published: PublishedRows;
}

/**
 * A full build, resumable: every page is staged with the cursor after it, so a build stopped by
 * `stop()`, a failure or a crash continues from its last staged page; readers keep the last
 * published snapshot until the build publishes. Graph devices, users and the connector's group
 * memberships and Jamf's inventory are read side by side; then Jamf's compliance info where the
 * join needs it; then the join over everything staged, published in one transaction.
 */
export async function runFullBuild(ctx: SyncRunContext, build: FleetBuildState): Promise<FullBuildResult> {
  const stager = new Stager(ctx, build);
  const abort = new AbortController();
  const onOuterAbort = (): void => abort.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', onOuterAbort, { once: true });
  // Each branch stops when another failed (allOrFirstError aborts `abort`).
  const branchCtx: SyncRunContext = {
    ...ctx,
    signal: abort.signal,
    throttle: { ...ctx.throttle, signal: abort.signal },
  };
  try {
    await allOrFirstError(abort, [
      readDevices(branchCtx, stager),
      readUsers(branchCtx, stager),
      readGroups(branchCtx, stager),
      readJamf(branchCtx, stager),
    ]);
  } catch (e) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    throw e;
  } finally {
    ctx.signal.removeEventListener('abort', onOuterAbort);
  }

  const [listed, devices] = await Promise.all([reconcileJamf(ctx, stager), staged(ctx, 'device')]);
  const computers = listed;
  await lookUpNeeded(ctx, stager, computers, devices);

  await stager.stage([], (b) => (b.progress = { ...b.progress, phase: 'joining' }));
  const [users, memberships, compliance] = await Promise.all([
    staged(ctx, 'user'),
    staged(ctx, 'membership'),
    staged(ctx, 'compliance'),
  ]);
  const c = stager.cursors;
  const connector = c.connector ?? { groupIds: [], groupNames: {} };
  const joined = joinSnapshot(
    { computers, devices, users, memberships, compliance },
    { applicableGroup: ctx.criteria.applicableGroup, connectorGroupIds: connector.groupIds },
  );
  const now = ctx.now().toISOString();
  const { rows, notApplicable } = joined;
  const meta = await ctx.store.publishFleetBuild(rows, {
    epoch: randomUUID(),
    builtAt: now,
    syncedAt: now,
    criteriaKey: c.criteriaKey,
    connector,
    notApplicable,
    cursors: {
      devicesDeltaLink: c.devicesDeltaLink,
      usersDeltaLink: c.users.deltaLink,
      groupsDeltaLink: c.groups?.deltaLink ?? null,
      trackedGroupIds: c.groups?.tracked ?? [],
      // Not past the build's start: pages read minutes or hours apart (a resume, long
      // throttles) would otherwise skip Macs on early pages that reported in between.
      jamfReportedUpTo: earliest(newestReportDate(computers, null), build.startedAt),
    },
  });
  const sources = computers.length + devices.length + users.length + memberships.length + compliance.length;
  return {
    meta,
    macs: rows.length,
    sources,
    records: rows.map((r) => r.record),
    sourceSet: FleetSourceSet.of({ computers, devices, users, memberships, compliance }),
    published: publishedRowsOf(joined, memberships, connector.groupIds),
  };
}

/**
 * Jamf's pages are cut by id while Macs come and go, so a page boundary can shift past a Mac
 * during the build: the id listing finds the ones missed (read by id) and the ones deleted
 * (left out of the join; the next incremental sync drops their source).
 */
async function reconcileJamf(ctx: SyncRunContext, stager: Stager): Promise<FleetSourceBodies['computer'][]> {
  const [ids, computers] = await Promise.all([
    readThrottled('Jamf computer ids', () => ctx.jamf.listComputerIds({ signal: ctx.signal }), ctx.throttle),
    staged(ctx, 'computer'),
  ]);
  const listed = new Set(ids);
  const have = new Set(computers.map((c) => c.id));
  const missed = ids.filter((id) => !have.has(id));
  const kept = computers.filter((c) => listed.has(c.id));
  if (missed.length === 0) return kept;
  const read = (await readComputersById(ctx, missed)).map((c) => slimComputer(c, ctx.criteria));
  await stager.stage(
    read.map((c) => item('computer', c.id, c)),
    () => undefined,
  );
  return [...kept, ...read];
}

async function staged<K extends FleetSourceKind>(
  ctx: SyncRunContext,
  kind: K,
): Promise<FleetSourceBodies[K][]> {
  const items = await ctx.store.readStagedFleetItems(kind);
  return items.map((i) => i.body as FleetSourceBodies[K]);
}

async function readDevices(ctx: SyncRunContext, stager: Stager): Promise<void> {
  if (stager.cursors.devicesDeltaLink === null) {
    // "From now": the changes made while the build lists devices replay in the next incremental sync.
    let next: string | null = null;
    let deltaLink: string | null = null;
    while (deltaLink === null) {
      const link: string | null = next;
      const page: GraphDeltaPage<EntraDevice> = await readThrottled(
        'devices/delta latest',
        () => ctx.graph.deviceDeltaPage(link ? { link } : { round: 'latest' }),
        ctx.throttle,
      );
      next = page.nextLink;
      deltaLink = page.deltaLink;
      if (deltaLink === null && next === null) throw new Error('devices/delta ended without a deltaLink');
    }
    const taken = deltaLink;
    await stager.stage([], (_, c) => (c.devicesDeltaLink = taken));
  }
  while (!stager.cursors.devices.done) {
    const { next } = stager.cursors.devices;
    const page = await readThrottled(
      'Mac devices with owners',
      () => ctx.graph.macDevicesWithOwnersPage(next),
      ctx.throttle,
    );
    await stager.stage(
      page.items.map((d) => item('device', d.id, d)),
      (_, c) => (c.devices = { next: page.nextLink, done: page.nextLink === null }),
    );
  }
}

async function readUsers(ctx: SyncRunContext, stager: Stager): Promise<void> {
  while (stager.cursors.users.deltaLink === null) {
    const { next } = stager.cursors.users;
    const page = await readThrottled(
      'users/delta',
      () => ctx.graph.userDeltaPage(next ? { link: next } : { round: 'initial' }),
      ctx.throttle,
    );
    if (page.nextLink === null && page.deltaLink === null)
      throw new Error('users/delta ended without a deltaLink');
    await stager.stage(
      page.items.map((u) => item('user', u.id, u)),
      (_, c) => (c.users = { next: page.nextLink, deltaLink: page.deltaLink }),
    );
  }
}

async function readGroups(ctx: SyncRunContext, stager: Stager): Promise<void> {
  if (stager.cursors.connector === null) {
    const scope = await readThrottled(
      'connector scope',
      () => loadConnectorScope(ctx.graph, ctx.connectorName),
      ctx.throttle,
    );
    await stager.stage([], (_, c) => {
      c.connector = { groupIds: scope.groupIds, groupNames: scope.groupNames };
      c.groups = { tracked: [...scope.groupIds], pending: [], next: null, deltaLink: null };
    });
  }
  const state = stager.cursors.groups;
  if (state === null) return;
  await readGroupMemberships(ctx, state, (found: FleetMembership[], after) =>
    stager.stage(
      found.map((m) => item('membership', membershipKey(m), m)),
      (_, c) => (c.groups = after),
    ),
  );
}

async function readJamf(ctx: SyncRunContext, stager: Stager): Promise<void> {
  const pageSize = stager.cursors.jamfPageSize;
  const readPage = async (page: number): Promise<void> => {
    const got = await readThrottled(
      `Jamf inventory page ${page}`,
      () =>
        ctx.jamf.getComputersPage({
          page,
          pageSize,
          sections: DEFAULT_COMPUTER_SECTIONS,
          signal: ctx.signal,
        }),
      ctx.throttle,
    );
    await stager.stage(
      got.computers.map((c) => item('computer', c.id, slimComputer(c, ctx.criteria))),
      (b, c) => {
        c.jamf = { totalCount: got.totalCount, pagesDone: [...c.jamf.pagesDone, page] };
        b.progress = {
          macsRead: b.progress.macsRead + got.computers.length,
          macsTotal: got.totalCount,
          phase: 'reading',
        };
      },
    );
  };
  if (stager.cursors.jamf.totalCount === null) await readPage(0);
  const total = stager.cursors.jamf.totalCount ?? 0;
  const done = new Set(stager.cursors.jamf.pagesDone);
  const pages = Math.ceil(total / pageSize);
  const slots = pLimit(Math.max(1, ctx.settings.jamfConcurrency));
  const todo: number[] = [];
  for (let p = 0; p < pages; p++) if (!done.has(p)) todo.push(p);
  await Promise.all(todo.map((p) => slots(() => readPage(p))));
}

/** Jamf's compliance info for the applicable Macs the join needs it for, skipping those a resumed build has. */
async function lookUpNeeded(
  ctx: SyncRunContext,
  stager: Stager,
  computers: FleetSourceBodies['computer'][],
  devices: FleetSourceBodies['device'][],
): Promise<void> {
  const have = new Set((await ctx.store.readStagedFleetItems('compliance')).map((i) => i.id));
  for (const id of stager.cursors.complianceNone) have.add(id);
  const applicable = new Set(
    computers.filter((c) => isInGroup(c.groups, ctx.criteria.applicableGroup)).map((c) => c.id),
  );
  const ids = needsComplianceLookup(computers, devices).filter((id) => applicable.has(id) && !have.has(id));
  if (ids.length === 0) return;
  await stager.stage([], (b) => (b.progress = { ...b.progress, phase: 'compliance look-ups' }));
  await lookUpCompliance(ctx, ids, (found, none) =>
    stager.stage(
      found.map((i) => item('compliance', i.computerId, i)),
      (_, c) => (c.complianceNone = [...c.complianceNone, ...none]),
    ),
  );
}

/** The earlier of two ISO instants (null when the first is null: no Mac reported a date). */
function earliest(a: string | null, b: string): string | null {
  if (a === null) return null;
  return Date.parse(a) <= Date.parse(b) ? a : b;
}
