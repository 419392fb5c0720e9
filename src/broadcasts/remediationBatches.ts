import { randomBytes } from 'node:crypto';
import { batchConfirmModel, batchProgressModel, batchRequests } from '../cards/remediationBatchCardModel';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { AuditActor } from '../compliance/auditTypes';
import type { FleetSnapshotSource } from '../compliance/fleetSnapshotTypes';
import type {
  BatchCardRef,
  BatchFailure,
  BatchItem,
  BatchItemOutcome,
  BatchKind,
  BatchMac,
} from '../compliance/remediationBatchTypes';
import { UpstreamError, UserInputError } from '../errors';
import type { Logger } from '../log';
import { PLAN_MAX_AGE_MS } from '../lookup/applyStoredOnboardingPlan';
import type { FindBatchCandidates } from '../lookup/batchCandidates';
import type { Notifier } from '../notifier';
import type { AuditLog } from '../store/ports/auditLog';
import type { RemediationBatchStore } from '../store/ports/remediationBatchStore';
import type { JamfClient } from '../upstream/jamf/jamfClient';
import { jamfFeaturePrivileges } from '../upstream/jamf/jamfPrivileges';
import type { SendPacer, WindowLimit } from './requestPacer';

/** The audit log's action for the rollout card's batch fixes (start and result). */
export const BATCH_AUDIT_ACTION = 'rollout.batch';

/**
 * Management ids per blank push. The contract sets no maximum; 100 keeps a request small and
 * matches the one inventory read (`id=in=(…)`, ≤ 100 ids) that finds the chunk's ids.
 */
export const BLANK_PUSH_CHUNK = 100;

/**
 * The share of `REMEDIATION_BATCH_PER_SECOND` an in-process pacer spaces batch requests at. A
 * grant's request reaches Jamf a little later when it opens a connection or the event loop is
 * busy (tens of ms, measured on loopback); at 80 % the configured rate still holds in any second
 * as Jamf sees the requests arrive, not only as they were granted.
 */
export const BATCH_SPACING_SHARE = 0.8;

/** The pacer key every batch request waits on (see `batchMinimumGap`). */
export const BATCH_PACER_KEY = 'jamf-batch';

/**
 * One request per `1 / (perSecond × BATCH_SPACING_SHARE)` seconds, as a window of one grant:
 * given to the pacer as the batch key's window, it keeps requests evenly spaced even after an
 * idle spell (when the pacer alone would let two go at once to catch up).
 */
export function batchMinimumGap(perSecond: number): WindowLimit {
  return { limit: 1, windowMs: Math.ceil(1000 / (Math.max(1, perSecond) * BATCH_SPACING_SHARE)) };
}

/** Failures a progress card lists. */
const FAILURES_SHOWN = 10;

export interface RemediationBatchSettings {
  /** This instance: the lease owner of the items it claims. */
  owner: string;
  /** Jamf Pro requests per second for batches, across instances when the pacer is shared. */
  perSecond: number;
  /** The rate the pacer really spaces requests at (below `perSecond`), for the confirm card's estimate. */
  spacedPerSecond: number;
  /** Management ids per blank push. */
  pushChunk: number;
  /** Items in flight at once (each waits for the pacer; the Jamf client caps connections too). */
  concurrency: number;
  /** How long a claim holds without renewal (renewed every third of it). */
  leaseMs: number;
  /** How often an idle worker looks for due items (`wake()` looks at once). */
  pollMs: number;
  /** Tries for an item that was throttled or failed transiently, before its Macs fail. */
  maxAttempts: number;
  /** The progress card is updated at most this often (and at once when the batch ends). */
  progressEveryMs: number;
  /** SQLite: the only instance, so on start it takes back every item a dead process held. */
  singleInstance: boolean;
}

export interface RemediationBatchDeps {
  store: RemediationBatchStore & Pick<AuditLog, 'appendAudit'>;
  jamf: Pick<JamfClient, 'recalculateSmartGroups' | 'blankPush' | 'getManagementIds'>;
  /** Paces every Jamf request a batch sends (in process, or shared through PostgreSQL). */
  pacer: SendPacer;
  notifier: Pick<Notifier, 'updateCard'>;
  fleet: FleetSnapshotSource;
  /** Which Macs each batch fix can help (the device card's rule over the fleet snapshot). */
  candidates: FindBatchCandidates;
  settings: RemediationBatchSettings;
  logger: Logger;
  now?: () => Date;
}

/** A press's answer: a card in place of the pressed one, or a short message. */
export type BatchAnswer = { card: AdaptiveCard } | { message: string };

const newBatchId = (): string => `b-${randomBytes(4).toString('hex')}`;

/** Splits a batch's Macs into its items: one Mac per recalculation, `chunk` Macs per blank push. */
export function batchItems(kind: BatchKind, macs: readonly BatchMac[], chunk: number): BatchMac[][] {
  const size = kind === 'recalculate' ? 1 : Math.max(1, chunk);
  const out: BatchMac[][] = [];
  for (let i = 0; i < macs.length; i += size) out.push(macs.slice(i, i + size));
  return out;
}

/**
 * The rollout card's batch fixes (issue 19): *Wake all stale Macs* (blank pushes, up to
 * `pushChunk` management ids a request, each chunk's ids read from Jamf just before its push) and
 * *Recalculate all out-of-sync Macs* (one recalculation per Mac), for the Macs the device card's
 * rule says each can help.
 *
 * Confirm stores the batch and its items (the confirm card's id: a second press starts nothing);
 * workers on every instance claim items under a lease, wait for the pacer before each Jamf
 * request, and record each Mac as done or failed with Jamf's refusal in words; the progress card
 * is updated in place; the start and the result are audited.
 *
 * **Resumable, and re-sent on purpose.** Items live in the store: a restart (or another instance,
 * once the lease runs out) takes back the items that were claimed and not finished, and sends
 * them again. That includes an item whose request was on the wire when the process died — unlike
 * a reminder, which is never resent when in doubt. Both requests are idempotent in effect: a
 * second recalculation of a Mac's smart groups gives the same memberships, and a second blank push
 * only asks an awake Mac to check in again. Finished items are never sent again.
 */
export class RemediationBatches {
  private running = false;
  private workers: Promise<void> | null = null;
  /** Idle workers' wake-ups. */
  private readonly sleepers = new Set<() => void>();
  private maintenance: NodeJS.Timeout | null = null;
  private readonly progress = new Map<
    string,
    { lastAt: number; timer: NodeJS.Timeout | null; chain: Promise<void> }
  >();

  constructor(private readonly deps: RemediationBatchDeps) {}

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /** The confirm step for a batch button on the rollout card: how many Macs and requests, at which pace. */
  async preview(kind: BatchKind): Promise<BatchAnswer> {
    const now = this.now();
    const macs = await this.macsFor(kind, now);
    if (macs.length === 0) return { message: nothingToDo(kind) };
    const { perSecond, spacedPerSecond, pushChunk } = this.deps.settings;
    return {
      card: renderCard(
        'remediationBatch',
        batchConfirmModel({
          kind,
          macs,
          batchId: newBatchId(),
          plannedAt: now.toISOString(),
          perSecond,
          spacedPerSecond,
          pushChunk,
        }),
      ),
    };
  }

  /**
   * Confirm: starts the batch the card names, once — a second press (or a replayed invoke) finds
   * it and answers with its progress. The Macs are read again from the fleet snapshot now.
   */
  async confirm(opts: {
    kind: BatchKind;
    batchId: string;
    plannedAt: string;
    actor: AuditActor;
    card: BatchCardRef | null;
  }): Promise<BatchAnswer> {
    const { store, settings } = this.deps;
    const existing = await store.getBatch(opts.batchId);
    if (!existing) {
      const now = this.now();
      if (!(now.getTime() - Date.parse(opts.plannedAt) <= PLAN_MAX_AGE_MS))
        return {
          message:
            'This confirmation is more than an hour old and the fleet has changed since. Press the button on the **rollout** card again.',
        };
      const macs = await this.macsFor(opts.kind, now);
      if (macs.length === 0) return { message: nothingToDo(opts.kind) };
      const { created, batch } = await store.createBatch({
        id: opts.batchId,
        kind: opts.kind,
        createdAt: now.toISOString(),
        createdBy: opts.actor,
        items: batchItems(opts.kind, macs, settings.pushChunk),
      });
      if (created) {
        await store.appendAudit({
          at: now.toISOString(),
          actor: opts.actor,
          action: BATCH_AUDIT_ACTION,
          target: batch.id,
          outcome: 'started',
          details: {
            batchId: batch.id,
            kind: batch.kind,
            macs: batch.macs,
            requests: batchRequests(batch.kind, batch.macs, settings.pushChunk),
            perSecond: settings.perSecond,
          },
        });
        this.wake();
      }
    }
    if (opts.card) await store.setBatchCard(opts.batchId, opts.card);
    return { card: await this.progressCard(opts.batchId) };
  }

  /** The batch's progress card (Refresh); a message when there is no such batch. */
  async progressCard(id: string): Promise<AdaptiveCard> {
    const p = await this.deps.store.batchProgress(id, FAILURES_SHOWN);
    if (!p)
      throw new UserInputError('I do not know that batch any more.', 'Type **rollout** and start it again.');
    return renderCard('remediationBatch', batchProgressModel(p));
  }

  /** Takes back what a previous process left, finishes batches that drained, and starts the workers. */
  async start(): Promise<void> {
    if (this.running) return;
    const { store, settings } = this.deps;
    const at = this.now().toISOString();
    const requeued = await store.recoverBatchItems({
      owner: settings.owner,
      now: at,
      takeOverAll: settings.singleInstance,
    });
    if (requeued > 0)
      this.deps.logger.warn(
        { requeued },
        'batch fixes: items a stopped process held are sent again (idempotent)',
      );
    for (const b of await store.listRunningBatches()) await this.completeIfDrained(b.id);
    this.running = true;
    this.workers = Promise.all(
      Array.from({ length: Math.max(1, settings.concurrency) }, () => this.work()),
    ).then(() => undefined);
    this.maintenance = setInterval(
      () => {
        const until = new Date(this.now().getTime() + settings.leaseMs).toISOString();
        store
          .renewBatchLeases(settings.owner, until)
          .catch((err: unknown) => this.deps.logger.warn({ err }, 'batch fixes: could not renew leases'));
      },
      Math.max(50, Math.floor(settings.leaseMs / 3)),
    );
    this.maintenance.unref();
  }

  /** Stops claiming and waits for the items in hand; what is left stays in the store for the next start. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.maintenance) clearInterval(this.maintenance);
    this.maintenance = null;
    this.wake();
    await this.workers;
    for (const p of this.progress.values()) if (p.timer) clearTimeout(p.timer);
    await Promise.all([...this.progress.values()].map((p) => p.chain));
  }

  /** Looks for due items now (a batch was created). */
  wake(): void {
    for (const wake of [...this.sleepers]) wake();
  }

  private async macsFor(kind: BatchKind, now: Date): Promise<readonly BatchMac[]> {
    const fleet = await this.deps.fleet.read();
    if (fleet.state !== 'ready')
      throw new UserInputError(
        'The fleet picture is being built right now, so I cannot tell which Macs need this yet.',
        'Type **rollout** again in a few minutes.',
      );
    return this.deps.candidates(fleet, now)[kind];
  }

  private async work(): Promise<void> {
    const { store, settings } = this.deps;
    while (this.running) {
      let item: BatchItem | undefined;
      try {
        const now = this.now();
        [item] = await store.claimBatchItems({
          owner: settings.owner,
          now: now.toISOString(),
          leaseUntil: new Date(now.getTime() + settings.leaseMs).toISOString(),
          limit: 1,
        });
        if (item) await this.process(item);
      } catch (err) {
        // The store failed (claim or outcome): an item in hand goes back to the queue a little
        // later, else our own lease renewals would hold it until the next restart.
        this.deps.logger.error(
          { err, batchId: item?.batchId, seq: item?.seq },
          'batch fixes: an item failed',
        );
        if (item) await this.requeue(item, 5_000);
        item = undefined;
      }
      if (!item) await this.sleep(settings.pollMs);
    }
  }

  private async requeue(item: BatchItem, afterMs: number): Promise<void> {
    const notBefore = new Date(this.now().getTime() + afterMs).toISOString();
    await this.deps.store
      .retryBatchItem(item.batchId, item.seq, this.deps.settings.owner, notBefore)
      .catch((err: unknown) => this.deps.logger.warn({ err }, 'batch fixes: could not put an item back'));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.sleepers.add(done);
    });
  }

  private async process(item: BatchItem): Promise<void> {
    const { store, settings, pacer } = this.deps;
    let outcome: BatchItemOutcome;
    try {
      outcome = item.kind === 'recalculate' ? await this.recalculate(item) : await this.push(item);
    } catch (e) {
      const transient =
        e instanceof UpstreamError &&
        (e.code === 'throttled' || e.code === 'timeout' || e.code === 'unavailable');
      if (transient && item.attempts < settings.maxAttempts) {
        const waitMs =
          e.code === 'throttled' ? (e.retryAfterMs ?? 30_000) : Math.min(60_000, 1_000 * 2 ** item.attempts);
        const until = this.now().getTime() + waitMs;
        if (e.code === 'throttled') pacer.pauseUntil(until);
        await store.retryBatchItem(item.batchId, item.seq, settings.owner, new Date(until).toISOString());
        return;
      }
      this.deps.logger.warn({ err: e, batchId: item.batchId, seq: item.seq }, 'batch fix refused');
      const failure = describeFailure(e, item.kind);
      outcome = { done: 0, failures: item.macs.map((m) => ({ ...m, ...failure })) };
    }
    const at = this.now().toISOString();
    if (!(await store.finishBatchItem(item.batchId, item.seq, settings.owner, outcome, at))) return;
    const finished = await this.completeIfDrained(item.batchId);
    if (!finished) this.changed(item.batchId, false);
  }

  private async recalculate(item: BatchItem): Promise<BatchItemOutcome> {
    const failures: BatchFailure[] = [];
    let done = 0;
    // An item of a recalculation batch is one Mac; more would be sent one by one, each paced.
    for (const mac of item.macs) {
      await this.deps.pacer.acquire(BATCH_PACER_KEY);
      await this.deps.jamf.recalculateSmartGroups(mac.computerId);
      done++;
    }
    return { done, failures };
  }

  private async push(item: BatchItem): Promise<BatchItemOutcome> {
    const { jamf, pacer } = this.deps;
    await pacer.acquire(BATCH_PACER_KEY);
    const ids = await jamf.getManagementIds(item.macs.map((m) => m.computerId));
    const failures: BatchFailure[] = [];
    const pushed: { mac: BatchMac; managementId: string }[] = [];
    for (const mac of item.macs) {
      const managementId = ids.get(mac.computerId);
      if (managementId) pushed.push({ mac, managementId });
      else
        failures.push({
          ...mac,
          message:
            'Jamf Pro has no MDM management id for it (no longer enrolled, or deleted), so it cannot be woken.',
        });
    }
    if (pushed.length === 0) return { done: 0, failures };
    await pacer.acquire(BATCH_PACER_KEY);
    const { errorUuids } = await jamf.blankPush(pushed.map((p) => p.managementId));
    const refused = new Set(errorUuids);
    for (const p of pushed)
      if (refused.has(p.managementId))
        failures.push({
          ...p.mac,
          message: 'Jamf Pro could not send it the push (it listed its management id as an error).',
        });
    return { done: pushed.length - pushed.filter((p) => refused.has(p.managementId)).length, failures };
  }

  /** Ends the batch once nothing is left: the result is audited and the card shows it at once. */
  private async completeIfDrained(id: string): Promise<boolean> {
    const { store } = this.deps;
    const at = this.now().toISOString();
    if (!(await store.completeBatchIfDrained(id, at))) return false;
    const p = await store.batchProgress(id, FAILURES_SHOWN);
    if (p) {
      await store.appendAudit({
        at,
        actor: p.batch.createdBy,
        action: BATCH_AUDIT_ACTION,
        target: id,
        outcome: p.failed === 0 ? 'done' : p.done === 0 ? 'failed' : 'partly_failed',
        details: {
          batchId: id,
          kind: p.batch.kind,
          macs: p.batch.macs,
          done: p.done,
          failed: p.failed,
          failures: p.failures.map((f) => ({
            computerId: f.computerId,
            name: f.name,
            message: f.message,
            status: f.status,
          })),
        },
      });
    }
    this.changed(id, true);
    return true;
  }

  /** The progress card in place: at most every `progressEveryMs`, at once when the batch ends. */
  private changed(id: string, done: boolean): void {
    let entry = this.progress.get(id);
    if (!entry) {
      entry = { lastAt: 0, timer: null, chain: Promise.resolve() };
      this.progress.set(id, entry);
    }
    const e = entry;
    const update = () => {
      e.timer = null;
      e.lastAt = Date.now();
      e.chain = e.chain.then(() => this.updateCard(id));
      if (done) void e.chain.then(() => this.progress.delete(id));
    };
    const due = e.lastAt + this.deps.settings.progressEveryMs - Date.now();
    if (done || due <= 0) {
      if (e.timer) clearTimeout(e.timer);
      update();
    } else if (!e.timer) {
      e.timer = setTimeout(update, due);
      e.timer.unref();
    }
  }

  private async updateCard(id: string): Promise<void> {
    try {
      const batch = await this.deps.store.getBatch(id);
      if (!batch?.progressCard) return;
      await this.deps.notifier.updateCard(batch.progressCard, await this.progressCard(id));
    } catch (err) {
      this.deps.logger.warn({ err, batchId: id }, 'could not update the batch progress card');
    }
  }
}

function nothingToDo(kind: BatchKind): string {
  return kind === 'wake'
    ? 'No Mac is stale right now: nothing to wake. Press **Refresh** on the rollout card.'
    : 'No Mac’s Compliance group is out of date with its facts right now: nothing to recalculate. Press **Refresh** on the rollout card.';
}

/** A refusal in words for every Mac of the item: the status and what Jamf Pro needs; never a body or secret. */
function describeFailure(e: unknown, kind: BatchKind): Pick<BatchFailure, 'message' | 'status'> {
  if (!(e instanceof UpstreamError))
    return { message: 'An unexpected error (see the bot’s log). Nothing more was sent for it.' };
  if (e.code === 'forbidden')
    return {
      status: 403,
      message: `Jamf Pro refused it (403 Forbidden): the bot may not do this. Give the bot’s Jamf Pro API role ${jamfFeaturePrivileges('remediate').join(' and ')}.`,
    };
  if (e.code === 'not_found')
    return {
      status: 404,
      message: `Jamf Pro answered 404 Not Found: ${kind === 'recalculate' ? 'the Mac is' : 'the Macs are'} not there any more.`,
    };
  return { ...(e.status ? { status: e.status } : {}), message: `Jamf Pro did not do it: ${e.message}.` };
}
