import { Cron } from 'croner';
import type { FleetBuildState, FleetSnapshotMeta } from '../compliance/fleetSnapshotTypes';
import type { JamfComputer, MacRecord } from '../compliance/types';
import { UpstreamError } from '../errors';
import { abortableSleep } from './abortableSleep';
import { countCalls } from './countCalls';
import { criteriaKey } from './criteriaKey';
import { ChangedDevices } from './changedDevices';
import { FleetSourceSet } from './fleetSourceSet';
import type {
  FleetPublishedChanges,
  FleetPublishedListener,
  FleetSyncDeps,
  FleetSyncOutcome,
  FleetSyncSettings,
} from './fleetSyncTypes';
import { lookUpChangedCompliance } from './lookUpChangedCompliance';
import { publishFleetChanges } from './publishFleetChanges';
import type { PublishedRows } from './publishedRows';
import { readComputersById } from './readComputersById';
import { buildCursors, newBuild, runFullBuild } from './runFullBuild';
import { runIncrementalSync } from './runIncrementalSync';
import { upsertComputer } from './upsertComputer';
import type { SyncRunContext } from './syncRunContext';

type RunResult = Omit<FleetSyncOutcome, 'requests' | 'wallMs'>;

const DEFAULTS = {
  leaseSeconds: 120,
  jamfConcurrency: 5,
  macOperatingSystems: ['macOS', 'MacMDM'],
} satisfies Partial<FleetSyncSettings>;

/**
 * Keeps the fleet snapshot in the store fresh: a full build when there is none (or the criteria
 * changed, a delta token expired, the nightly resync is due), else an incremental sync from the
 * stored cursors. One sync at a time: in this process later callers join the running one; across
 * instances the store's lease decides (the loser gets `busy` at once). A build stopped halfway
 * (by `stop()`, a failure, a crash) continues from its last staged page at the next sync.
 */
export class FleetSync {
  private readonly settings: Required<FleetSyncSettings>;
  private readonly now: () => Date;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly listeners = new Set<FleetPublishedListener>();
  /** Every run, one after another (a sync and a refresh never overlap). */
  private exclusive: Promise<unknown> = Promise.resolve();
  /** The sync running or queued: `syncNow` callers join it. */
  private pendingSync: Promise<FleetSyncOutcome> | null = null;
  private abort = new AbortController();
  private started = false;
  /** Bumped by every start(): a tick of an earlier start never re-arms. */
  private generation = 0;
  private timer: NodeJS.Timeout | null = null;
  private cron: Cron | null = null;
  /**
   * The sources as this process last published them, for the next incremental sync or refresh
   * while the store still holds that epoch and version (no other instance published since):
   * saves reading every source back from the store each run, and with the published rows' hashes
   * lets a run re-join only the Macs its changes reach. Taken out while a run uses it, so
   * a run that fails leaves none behind.
   */
  private kept: {
    epoch: string;
    version: number;
    syncedAt: string;
    sources: FleetSourceSet;
    published: PublishedRows;
  } | null = null;

  constructor(private readonly deps: FleetSyncDeps) {
    this.settings = { ...DEFAULTS, ...deps.settings } as Required<FleetSyncSettings>;
    this.now = deps.now ?? (() => new Date());
    this.sleep = deps.sleep ?? abortableSleep;
  }

  /** Calls `listener` with the meta of every snapshot this process publishes (full or incremental); returns the unsubscribe. */
  onPublished(listener: FleetPublishedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Syncs now, or joins the sync already running or queued in this process. Resolves with what
   * ran; rejects (logged with its code) when a source or the store failed, or on `stop()`.
   */
  syncNow(opts: { full?: boolean; reason?: FleetBuildState['reason'] } = {}): Promise<FleetSyncOutcome> {
    if (this.pendingSync) return this.pendingSync;
    const p = this.serial(() => this.withLease('sync', (ctx) => this.sync(ctx, opts)));
    this.pendingSync = p;
    const clear = (): void => {
      if (this.pendingSync === p) this.pendingSync = null;
    };
    p.then(clear, clear);
    return p;
  }

  /**
   * Re-reads the named Macs from Jamf (filtered listings, 100 ids a request) and their compliance
   * info where needed, re-joins and publishes — for Jamf webhooks. A Mac Jamf no longer has
   * leaves the snapshot. Without a published snapshot, or during a full build, nothing is read.
   */
  refreshComputers(jamfIds: string[]): Promise<FleetSyncOutcome> {
    return this.serial(() => this.withLease('refresh', (ctx) => this.refresh(ctx, jamfIds)));
  }

  /**
   * The Jamf computers of the snapshot this process last published (slimmed as the snapshot keeps
   * them: the criteria's groups and app), as of its sync — for `check device`'s inventory index,
   * instead of a second copy of the fleet loaded from Jamf. Null before the first publish, and
   * while a run has them out.
   */
  keptComputers(): { computers: JamfComputer[]; asOf: Date } | null {
    const kept = this.kept;
    return kept ? { computers: [...kept.sources.values('computer')], asOf: new Date(kept.syncedAt) } : null;
  }

  /** An initial sync now, an incremental one every `intervalMinutes` after, and the full resync on its cron (UTC). */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.abort.signal.aborted) this.abort = new AbortController();
    this.tick(++this.generation);
    const cron = this.settings.fullResyncCron;
    if (cron)
      this.cron = new Cron(cron, { timezone: 'UTC', unref: true, protect: true }, (self) =>
        this.scheduledFull(self.currentRun() ?? this.now()),
      );
  }

  /** Stops the schedule and aborts a sync in progress (a full build stays resumable); resolves once it has stopped. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.cron?.stop();
    this.cron = null;
    this.abort.abort(new Error('the fleet sync was stopped'));
    await this.exclusive;
  }

  private tick(generation: number): void {
    void this.syncNow()
      .catch(() => undefined) // logged by run()
      .finally(() => {
        if (!this.started || generation !== this.generation) return;
        this.timer = setTimeout(() => this.tick(generation), this.settings.intervalMinutes * 60_000);
        this.timer.unref();
      });
  }

  /** The nightly resync, unless a full build already completed since it was due (another instance's, say). */
  private async scheduledFull(dueAt: Date): Promise<void> {
    await this.pendingSync?.catch(() => undefined);
    try {
      const meta = await this.deps.store.getFleetSnapshotMeta();
      if (meta && Date.parse(meta.builtAt) >= dueAt.getTime()) {
        this.deps.log.debug({ dueAt, builtAt: meta.builtAt }, 'scheduled full resync: already built since');
        return;
      }
      await this.syncNow({ full: true, reason: 'scheduled' });
    } catch {
      // logged by run(), or the store failed and the next due time tries again
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.exclusive.then(fn);
    this.exclusive = run.catch(() => undefined);
    return run;
  }

  /** Runs `fn` holding the store's lease (renewed every third of its time; lost → aborted), with counted sources. */
  private async withLease(
    what: string,
    fn: (ctx: SyncRunContext) => Promise<RunResult>,
  ): Promise<FleetSyncOutcome> {
    const { store, instanceId, log } = this.deps;
    const started = this.now().getTime();
    const requests = { graph: {} as Record<string, number>, jamf: {} as Record<string, number> };
    const outcome = (r: RunResult): FleetSyncOutcome => ({
      ...r,
      requests,
      wallMs: this.now().getTime() - started,
    });
    this.abort.signal.throwIfAborted();
    const ttlMs = this.settings.leaseSeconds * 1000;
    if (!(await store.acquireFleetSyncLease(instanceId, ttlMs, this.now()))) {
      log.debug({ what }, 'fleet sync: another instance holds the lease');
      return outcome({ ran: 'busy', reason: null, resumed: false, changes: none(), version: null });
    }
    const lost = new AbortController();
    const renew = setInterval(() => {
      store.acquireFleetSyncLease(instanceId, ttlMs, this.now()).then(
        (ok) => {
          if (!ok) lost.abort(new Error('another instance took the fleet sync lease'));
        },
        (err: unknown) => lost.abort(err),
      );
    }, ttlMs / 3);
    renew.unref();
    const signal = AbortSignal.any([this.abort.signal, lost.signal]);
    const ctx: SyncRunContext = {
      store,
      graph: countCalls(this.deps.graph, requests.graph),
      jamf: countCalls(this.deps.jamf, requests.jamf),
      criteria: this.deps.criteria,
      connectorName: this.deps.connectorName,
      settings: this.settings,
      log,
      now: this.now,
      signal,
      throttle: { sleep: this.sleep, signal, maxWaitMs: this.settings.maxThrottleWaitSeconds * 1000, log },
    };
    try {
      const result = outcome(await fn(ctx));
      log.info({ what, ...result }, 'fleet sync done');
      return result;
    } catch (err) {
      if (signal.aborted)
        log.warn(
          { what, reason: String(signal.reason) },
          'fleet sync stopped; a full build continues at the next sync',
        );
      else {
        log.error(
          { what, err, code: err instanceof UpstreamError ? err.code : undefined, requests },
          'fleet sync failed; a full build continues at the next sync',
        );
        await this.sayBuildStopped(err);
      }
      throw err;
    } finally {
      clearInterval(renew);
      await store
        .releaseFleetSyncLease(instanceId)
        .catch((err: unknown) => log.warn({ err }, 'could not release the fleet sync lease'));
    }
  }

  /**
   * A cold build that failed would otherwise show "building" forever: its progress says what
   * stopped it (every instance's progress card reads it), until the next sync resumes it.
   */
  private async sayBuildStopped(err: unknown): Promise<void> {
    const { store, log } = this.deps;
    try {
      const build = await store.getFleetBuild();
      if (!build) return;
      const phase = `stopped: ${describeSyncFailure(err)}; the next sync continues where it stopped`;
      await store.stageFleetItems([], { ...build, progress: { ...build.progress, phase } });
    } catch (e) {
      log.warn({ err: e }, 'could not record why the fleet build stopped');
    }
  }

  private async sync(
    ctx: SyncRunContext,
    opts: { full?: boolean; reason?: FleetBuildState['reason'] },
  ): Promise<RunResult> {
    const { store, log } = this.deps;
    const key = criteriaKey(this.deps.criteria);
    const build = await store.getFleetBuild();
    if (build && buildCursors(build, key)) {
      try {
        return await this.full(ctx, build, true);
      } catch (e) {
        // A build resumed hours later holds Graph page links that have expired: every resume
        // would fail the same way, so it starts again (its Jamf pages are read again too).
        if (!(e instanceof UpstreamError) || e.code !== 'gone') throw e;
        log.warn(
          { build: build.id },
          'the fleet build in progress holds expired Graph links: starting it again',
        );
        await store.abandonFleetBuild();
        return this.full(ctx, newBuild(ctx, 'delta_expired'), false);
      }
    }
    if (build) {
      log.info({ build: build.id }, 'fleet build in progress was for other criteria: starting again');
      await store.abandonFleetBuild();
    }
    const meta = await store.getFleetSnapshotMeta();
    const reason: FleetBuildState['reason'] | null = !meta
      ? 'cold'
      : meta.criteriaKey !== key
        ? 'criteria_changed'
        : opts.full
          ? (opts.reason ?? 'requested')
          : null;
    if (reason !== null || !meta) return this.full(ctx, newBuild(ctx, reason ?? 'cold'), false);
    try {
      return await this.incremental(ctx, meta);
    } catch (e) {
      if (!(e instanceof UpstreamError) || e.code !== 'gone') throw e;
      log.warn({ service: e.service, request: e.request }, 'a delta token expired: full resync');
      return this.full(ctx, newBuild(ctx, 'delta_expired'), false);
    }
  }

  private async full(ctx: SyncRunContext, build: FleetBuildState, resumed: boolean): Promise<RunResult> {
    if (resumed)
      this.deps.log.info({ build: build.id, progress: build.progress }, 'continuing the fleet build');
    else await this.deps.store.beginFleetBuild(build);
    const { records, sourceSet, published, ...result } = await runFullBuild(ctx, build);
    // The next sync starts from these (they share objects with the records the reader adopts):
    // reading 190,000 source rows back at 50,000 Macs was the bot's memory peak and a webhook
    // burst's stall.
    this.keep(result.meta, sourceSet, published);
    this.publish(result.meta, records);
    // The re-join indexes now, in slices (~0.5 s at 50,000 Macs): the first webhook refresh
    // after a build would otherwise spend that time before it can publish.
    await sourceSet.prepareIndex();
    return {
      ran: 'full',
      reason: build.reason,
      resumed,
      changes: { sources: result.sources, macsUpserted: result.macs, macsRemoved: 0 },
      version: result.meta.version,
    };
  }

  private async incremental(ctx: SyncRunContext, meta: FleetSnapshotMeta): Promise<RunResult> {
    const { sources, published } = await this.sourcesFor(ctx, meta);
    const next = await runIncrementalSync(ctx, meta, sources);
    const written = await publishFleetChanges(ctx, meta, sources, next, published);
    this.keep(written.meta, sources, written.published);
    this.publish(written.meta, written.whole?.records, written.whole?.changed);
    return {
      ran: 'incremental',
      reason: null,
      resumed: false,
      changes: {
        sources: written.sources,
        macsUpserted: written.macsUpserted,
        macsRemoved: written.macsRemoved,
      },
      version: written.meta.version,
    };
  }

  private async refresh(ctx: SyncRunContext, jamfIds: string[]): Promise<RunResult> {
    const [meta, build] = await Promise.all([ctx.store.getFleetSnapshotMeta(), ctx.store.getFleetBuild()]);
    const result: RunResult = {
      ran: 'computers',
      reason: null,
      resumed: false,
      changes: none(),
      version: meta?.version ?? null,
    };
    const ids = [...new Set(jamfIds)];
    if (ids.length === 0) return result;
    // Nothing published yet, or a full build under way (it reads every Mac anyway, but its Jamf
    // pages may predate this change): the caller keeps the ids and asks again.
    if (!meta || build) return { ...result, ran: 'deferred' };
    const { sources, published } = await this.sourcesFor(ctx, meta);
    const read = await readComputersById(ctx, ids);
    const changed = new Set<string>();
    for (const c of read) if (upsertComputer(sources, c, ctx.criteria) === 'identity') changed.add(c.id);
    const found = new Set(read.map((c) => c.id));
    for (const id of ids)
      if (!found.has(id) && sources.remove('computer', id)) {
        sources.remove('compliance', id);
        changed.add(id);
      }
    await lookUpChangedCompliance(ctx, sources, changed, new ChangedDevices());
    const written = await publishFleetChanges(
      ctx,
      meta,
      sources,
      {
        cursors: meta.cursors,
        connector: meta.connector,
        syncedAt: meta.syncedAt,
      },
      published,
    );
    this.keep(written.meta, sources, written.published);
    this.publish(written.meta, written.whole?.records, written.whole?.changed);
    return {
      ...result,
      changes: {
        sources: written.sources,
        macsUpserted: written.macsUpserted,
        macsRemoved: written.macsRemoved,
      },
      version: written.meta.version,
    };
  }

  /**
   * The kept sources and published rows when `meta` is what this process last published, else
   * the store's sources and no rows (the publish then re-joins the whole fleet).
   */
  private async sourcesFor(
    ctx: SyncRunContext,
    meta: FleetSnapshotMeta,
  ): Promise<{ sources: FleetSourceSet; published: PublishedRows | null }> {
    const kept = this.kept;
    this.kept = null;
    if (kept && kept.epoch === meta.epoch && kept.version === meta.version)
      return { sources: kept.sources, published: kept.published };
    return { sources: await FleetSourceSet.load(ctx.store), published: null };
  }

  private keep(meta: FleetSnapshotMeta, sources: FleetSourceSet, published: PublishedRows): void {
    sources.settle();
    this.kept = { epoch: meta.epoch, version: meta.version, syncedAt: meta.syncedAt, sources, published };
  }

  private publish(
    meta: FleetSnapshotMeta,
    records?: readonly MacRecord[],
    changed?: FleetPublishedChanges,
  ): void {
    for (const listener of this.listeners) {
      try {
        listener(meta, records, changed);
      } catch (err) {
        this.deps.log.error({ err }, 'a fleet snapshot listener failed');
      }
    }
  }
}

const none = (): FleetSyncOutcome['changes'] => ({ sources: 0, macsUpserted: 0, macsRemoved: 0 });

const SERVICE_NAMES: Record<UpstreamError['service'], string> = {
  jamf: 'Jamf Pro',
  graph: 'Microsoft Graph',
  teams: 'Microsoft Teams',
  store: 'the database',
};

/** One line for the progress card: which service failed and how (never a body or a secret). */
function describeSyncFailure(err: unknown): string {
  if (!(err instanceof UpstreamError)) return "an unexpected error (see the bot's log)";
  const status = err.status ? ` (HTTP ${err.status})` : '';
  return `${SERVICE_NAMES[err.service]} answered ${err.code.replace('_', ' ')}${status}`;
}
