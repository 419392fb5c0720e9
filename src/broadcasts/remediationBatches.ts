import { randomBytes } from 'node:crypto';
import {
  batchCancelledModel,
  batchConfirmModel,
  batchProgressModel,
  batchRequests,
} from '../cards/remediationBatchCardModel';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { AuditActor, AuditEntry } from '../compliance/auditTypes';
import type { FleetSnapshotSource } from '../compliance/fleetSnapshotTypes';
import type {
  BatchCardRef,
  BatchFailure,
  BatchItem,
  BatchItemOutcome,
  BatchKind,
  BatchMac,
  RemediationBatch,
} from '../compliance/remediationBatchTypes';
import { UpstreamError, UserInputError } from '../errors';
import type { Logger } from '../log';
import { PLAN_MAX_AGE_MS } from '../lookup/applyStoredOnboardingPlan';
import type { FindBatchCandidates } from '../lookup/batchCandidates';
import type { Notifier } from '../notifier';
import type { AuditLog } from '../store/ports/auditLog';
import type { RemediationBatchStore } from '../store/ports/remediationBatchStore';
import type { RateLimiters } from '../store/rateLimiters';
import type { JamfClient } from '../upstream/jamf/jamfClient';
import { jamfFeaturePrivileges } from '../upstream/jamf/jamfPrivileges';
import { ProgressCardPace } from './progressCardPace';
import type { SendPacer, WindowLimit } from './requestPacer';

/** The audit log's action for the rollout card's batch fixes (every press, and the result). */
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
  /**
   * The progress card is updated at most this often (and at once when the batch ends), across
   * instances when the rate limiters are shared.
   */
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
  /** Where the progress card's pace is counted (the instances' shared store; in memory by default). */
  limiters?: RateLimiters;
  settings: RemediationBatchSettings;
  logger: Logger;
  now?: () => Date;
}

/** A press's answer: a card in place of the pressed one, or a short message. */
export type BatchAnswer = { card: AdaptiveCard } | { message: string };

const newBatchId = (): string => `b-${randomBytes(4).toString('hex')}`;

/** Thrown into an item's work when the workers stop while it waits for the pacer: it goes back unsent. */
class Stopping extends Error {}

/** Who a press came from, and the card it was pressed on (updated in place). */
export interface BatchPress {
  batchId: string;
  actor: AuditActor;
  card: BatchCardRef | null;
}

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
 * The batch button stores the batch `planned` with exactly the Macs its confirm card shows (and
 * the server's time); Confirm flips it to `running` once, with one conditional statement, and
 * only within an hour — a second press, an expired or a cancelled card start nothing, and every
 * press is audited with its result. Workers on every instance claim items under a lease, wait
 * for the pacer before each Jamf request, and record each Mac as done or failed with Jamf's
 * refusal in words (a 401/403 fails the rest of the batch at once: the bot's own rights are
 * missing); the progress card is updated in place; the result is audited with the completion.
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
  /** Resolves when `stop()` is called: an item waiting for the pacer gives up its wait. */
  private stopped: Promise<void> = Promise.resolve();
  private signalStop: () => void = () => undefined;
  /** When an idle worker last completed drained batches another instance left running. */
  private lastSweep = 0;
  private sweeping = false;
  private readonly pace: ProgressCardPace;

  constructor(private readonly deps: RemediationBatchDeps) {
    this.pace = new ProgressCardPace({
      everySeconds: deps.settings.progressEveryMs / 1000,
      limiters: deps.limiters,
      update: (id) => this.updateCard(id),
      logger: deps.logger,
    });
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /**
   * The confirm step for a batch button on the rollout card: stores the batch `planned` with the
   * Macs it names, and shows how many Macs and requests, at which pace. Audited (`planned`).
   */
  async preview(kind: BatchKind, actor: AuditActor, card: BatchCardRef | null): Promise<BatchAnswer> {
    const { store, settings } = this.deps;
    const now = this.now();
    const macs = await this.macsFor(kind, now);
    if (macs.length === 0) return { message: nothingToDo(kind) };
    const { batch } = await store.createBatch({
      id: newBatchId(),
      kind,
      createdAt: now.toISOString(),
      createdBy: actor,
      items: batchItems(kind, macs, settings.pushChunk),
      card,
    });
    await this.audit(now, actor, batch.id, 'planned', {
      kind,
      macs: macs.length,
      requests: batchRequests(kind, macs.length, settings.pushChunk),
    });
    const { perSecond, spacedPerSecond, pushChunk } = settings;
    return {
      card: renderCard(
        'remediationBatch',
        batchConfirmModel({ kind, macs, batchId: batch.id, perSecond, spacedPerSecond, pushChunk }),
      ),
    };
  }

  /**
   * Confirm: starts the planned batch — exactly the Macs its confirm card showed — once, within
   * an hour of the confirm step (the stored time, never the card's). Every press is audited with
   * its result: `started`, or `refused` and why; a press on a started batch answers with its
   * progress.
   */
  async confirm(press: BatchPress): Promise<BatchAnswer> {
    const { store, settings } = this.deps;
    const now = this.now();
    const batch = await store.getBatch(press.batchId);
    const refused = async (reason: string, answer: BatchAnswer): Promise<BatchAnswer> => {
      await this.audit(now, press.actor, press.batchId, 'refused', { reason });
      return answer;
    };
    if (!batch) return refused('unknown batch', { message: UNKNOWN_BATCH });
    if (batch.state === 'cancelled')
      return refused('cancelled', {
        card: renderCard('remediationBatch', batchCancelledModel(batch)),
      });
    if (batch.state === 'planned' && now.getTime() - Date.parse(batch.createdAt) > PLAN_MAX_AGE_MS)
      return refused('older than an hour', { message: TOO_OLD });
    if (batch.state !== 'planned' || !(await store.startBatch(batch.id, press.actor, press.card)))
      return refused('already started', { card: await this.progressCard(batch.id) });
    await this.audit(now, press.actor, batch.id, 'started', {
      kind: batch.kind,
      macs: batch.macs,
      requests: batchRequests(batch.kind, batch.macs, settings.pushChunk),
      perSecond: settings.perSecond,
    });
    this.wake();
    return { card: await this.progressCard(batch.id) };
  }

  /** Cancel on the confirm card: the planned batch is cancelled (nothing was sent), audited. */
  async cancel(press: BatchPress): Promise<BatchAnswer> {
    const { store } = this.deps;
    const now = this.now();
    const cancelled = await store.cancelBatch(press.batchId, now.toISOString());
    const batch = await store.getBatch(press.batchId);
    await this.audit(
      now,
      press.actor,
      press.batchId,
      cancelled ? 'cancelled' : 'refused',
      cancelled ? {} : { reason: batch ? `cancel: batch is ${batch.state}` : 'unknown batch' },
    );
    if (!batch) return { message: UNKNOWN_BATCH };
    if (batch.state === 'cancelled')
      return { card: renderCard('remediationBatch', batchCancelledModel(batch)) };
    return { card: await this.progressCard(batch.id) };
  }

  private async audit(
    at: Date,
    actor: AuditActor,
    batchId: string,
    outcome: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.store.appendAudit({
      at: at.toISOString(),
      actor,
      action: BATCH_AUDIT_ACTION,
      target: batchId,
      outcome,
      details: { batchId, ...details },
    });
  }

  /** The batch's progress card (Refresh); a message when there is no such batch. */
  async progressCard(id: string): Promise<AdaptiveCard> {
    const p = await this.deps.store.batchProgress(id, FAILURES_SHOWN);
    if (!p)
      throw new UserInputError('I do not know that batch any more.', 'Type **rollout** and start it again.');
    if (p.batch.state === 'cancelled') return renderCard('remediationBatch', batchCancelledModel(p.batch));
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
    await this.completeDrained();
    this.stopped = new Promise((resolve) => (this.signalStop = resolve));
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
    this.signalStop();
    if (this.maintenance) clearInterval(this.maintenance);
    this.maintenance = null;
    this.wake();
    await this.workers;
    this.pace.stop();
  }

  /** Looks for due items now (a batch was created). */
  wake(): void {
    for (const wake of [...this.sleepers]) wake();
  }

  /**
   * Completes every running batch with nothing left: on start, and now and then from an idle
   * worker — the instance that finished a batch's last item may have died before completing it.
   */
  private async completeDrained(): Promise<void> {
    for (const b of await this.deps.store.listRunningBatches()) await this.completeIfDrained(b.id);
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
      if (!item) {
        await this.sweepNowAndThen();
        await this.sleep(settings.pollMs);
      }
    }
  }

  /** An idle worker completes drained batches once per lease period (one worker at a time). */
  private async sweepNowAndThen(): Promise<void> {
    const now = this.now().getTime();
    if (this.sweeping || now - this.lastSweep < this.deps.settings.leaseMs) return;
    this.sweeping = true;
    this.lastSweep = now;
    try {
      await this.completeDrained();
    } catch (err) {
      this.deps.logger.warn({ err }, 'batch fixes: could not complete drained batches');
    } finally {
      this.sweeping = false;
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
    let refusedTheBot: Pick<BatchFailure, 'message' | 'status'> | null = null;
    try {
      outcome = item.kind === 'recalculate' ? await this.recalculate(item) : await this.push(item);
    } catch (e) {
      if (e instanceof Stopping) {
        // Shutting down while it waited for the pacer: nothing was sent; it goes back, due now.
        await store.retryBatchItem(item.batchId, item.seq, settings.owner, this.now().toISOString());
        return;
      }
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
      if (e instanceof UpstreamError && (e.code === 'unauthorized' || e.code === 'forbidden'))
        refusedTheBot = failure;
    }
    const at = this.now().toISOString();
    if (!(await store.finishBatchItem(item.batchId, item.seq, settings.owner, outcome, at))) return;
    // Jamf refused the bot itself: every other item would be refused alike, so none is sent.
    if (refusedTheBot) await store.failPendingBatchItems(item.batchId, refusedTheBot, at);
    const finished = await this.completeIfDrained(item.batchId);
    if (!finished) this.pace.changed(item.batchId, false);
  }

  /** Waits for the pacer's grant, or gives up (`Stopping`) when the workers stop meanwhile. */
  private async paced(): Promise<void> {
    if (!this.running) throw new Stopping();
    const grant = this.deps.pacer.acquire(BATCH_PACER_KEY);
    const stopped = this.stopped.then(() => 'stopped' as const);
    if ((await Promise.race([grant, stopped])) === 'stopped') {
      grant.catch(() => undefined);
      throw new Stopping();
    }
  }

  private async recalculate(item: BatchItem): Promise<BatchItemOutcome> {
    const failures: BatchFailure[] = [];
    let done = 0;
    // An item of a recalculation batch is one Mac; more would be sent one by one, each paced.
    for (const mac of item.macs) {
      await this.paced();
      await this.deps.jamf.recalculateSmartGroups(mac.computerId);
      done++;
    }
    return { done, failures };
  }

  private async push(item: BatchItem): Promise<BatchItemOutcome> {
    const { jamf } = this.deps;
    await this.paced();
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
    await this.paced();
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

  /**
   * Ends the batch once nothing is left: the result is audited in the same store step as the
   * completion (never lost between the two), and the card shows it at once.
   */
  private async completeIfDrained(id: string): Promise<boolean> {
    const { store } = this.deps;
    const p = await store.batchProgress(id, FAILURES_SHOWN);
    if (!p || p.batch.state !== 'running' || p.remaining > 0) return false;
    const at = this.now().toISOString();
    if (!(await store.completeBatchIfDrained(id, at, resultAudit(p.batch, p, at)))) return false;
    this.pace.changed(id, true);
    return true;
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

const UNKNOWN_BATCH =
  'I do not know that batch any more (it was never confirmed, or is long finished). Press the button on the **rollout** card again.';

const TOO_OLD =
  'This confirmation is more than an hour old and the fleet has changed since: nothing was sent. Press the button on the **rollout** card again.';

/** The batch's result for the audit log: the figures and the first failures, in words. */
function resultAudit(
  batch: RemediationBatch,
  p: { done: number; failed: number; failures: readonly BatchFailure[] },
  at: string,
): Omit<AuditEntry, 'id'> {
  return {
    at,
    actor: batch.createdBy,
    action: BATCH_AUDIT_ACTION,
    target: batch.id,
    outcome: p.failed === 0 ? 'done' : p.done === 0 ? 'failed' : 'partly_failed',
    details: {
      batchId: batch.id,
      kind: batch.kind,
      macs: batch.macs,
      done: p.done,
      failed: p.failed,
      failures: p.failures.map((f) => ({
        computerId: f.computerId,
        name: f.name,
        message: f.message,
        status: f.status,
      })),
    },
  };
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
  if (e.code === 'unauthorized')
    return {
      status: 401,
      message:
        'Jamf Pro refused the bot’s credentials (401 Unauthorized): check its API client and secret. Nothing more was sent.',
    };
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
