import type { AdaptiveCard } from '../cards/renderCard';
import { isStoreUnavailable } from '../errors';
import { readerLocale } from './readerLocale';
import type { ConversationLocale } from '../compliance/storedConversationTypes';
import type { Logger } from '../log';
import type { BotStore } from '../store/botStore';
import type {
  Campaign,
  CampaignRecipient,
  FailReason,
  OutboxOutcome,
  OutboxRow,
} from '../compliance/campaignTypes';
import { NO_METRICS, type BroadcastMetrics } from './broadcastMetrics';
import { backoffMs, classifySendFailure, type SendFailureKind } from './classifySendFailure';
import { openPersonalConversation } from './openPersonalConversation';
import { personalThreadKey } from './personalThreadKey';
import type { ProactiveInstaller } from './proactiveInstaller';
import type { ReminderCardMac, RecheckRecipient } from './reminderCheck';
import { ConnectorSendError, type ConversationTarget, type ReminderTransport } from './reminderTransport';
import type { SendPacer } from './requestPacer';

export type DispatcherStore = Pick<
  BotStore,
  | 'claimOutbox'
  | 'markSending'
  | 'finishOutbox'
  | 'releaseOutbox'
  | 'recoverOutbox'
  | 'renewLeases'
  | 'listCampaigns'
  | 'getCampaign'
  | 'completeCampaignIfDrained'
  | 'reserveReminder'
  | 'releaseReminder'
  | 'findPersonalConversation'
  | 'saveConversation'
>;

export interface DispatcherOptions {
  /** This instance's id: the lease owner of the rows it claims. */
  owner: string;
  /** Sends in flight at once (each waits for the pacer first). */
  concurrency: number;
  /** Transient failures (412, 5xx, network) before a row fails for good. */
  maxAttempts: number;
  /** 429s one row may receive before it fails as `throttled`. */
  maxThrottles: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long a claim holds before another instance may recover the row. */
  leaseMs: number;
  /** Nobody is reminded twice within this many days across campaigns; 0 = no cap. */
  frequencyCapDays: number;
  /** How often an idle dispatcher looks for due rows (a `wake()` looks at once). */
  pollMs: number;
  /** The tenant new 1:1 conversations are created in. */
  tenantId: string;
  /**
   * SQLite: this is the only instance, so on start it takes over every row a dead process held.
   * False (PostgreSQL, several instances): only rows whose lease expired are taken over, and
   * while running the dispatcher renews its own leases and recovers expired ones every
   * `leaseMs / 3` (a killed instance's rows are resumed by the others).
   */
  singleInstance: boolean;
}

export interface DispatcherDeps {
  store: DispatcherStore;
  transport: ReminderTransport;
  pacer: SendPacer;
  recheck: RecheckRecipient;
  /** The person's `preferredLanguage` in Entra ID, for a reminder into a chat whose language is unknown. */
  userLanguage?: (aadObjectId: string) => Promise<string | null>;
  /** The reminder card, in the language and time zone of the conversation it goes to (`reader`). */
  renderReminder: (
    campaign: Campaign,
    recipient: CampaignRecipient,
    macs: ReminderCardMac[],
    reader: ConversationLocale,
  ) => AdaptiveCard;
  metrics?: BroadcastMetrics;
  /** Installs the app through Graph for users Teams refuses a 1:1 with (`not_installed`); absent: they fail. */
  installer?: ProactiveInstaller;
  /** A row of the campaign changed state (`done`: the campaign just finished). */
  onProgress?: (campaignId: string, done: boolean) => void;
  logger: Logger;
  now?: () => Date;
}

const CAMPAIGN_CACHE_MS = 500;

/** Waits between attempts while the database is unavailable: 100 ms doubling to 2 s. */
const storeRetryMs = (attempt: number) => Math.min(2000, 100 * 2 ** attempt);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends the outbox: claims due rows of running campaigns, re-checks each recipient, applies
 * the frequency cap, creates the 1:1 conversation when none is stored (installing the app through
 * Graph first when Teams says it is not installed for the user), then writes `sending`,
 * sends through the transport (paced by the `SendPacer`) and writes the outcome. A 429
 * holds every send for its `Retry-After`; failures that certainly delivered nothing (412, 503
 * with `Retry-After`, connect errors) retry with jittered backoff up to `maxAttempts`; a send
 * Teams may have delivered (502/504, a reset or timeout after the request was written) is
 * `in_doubt` at once — Teams has no idempotency key, so a retry could remind the person twice;
 * permanent failures are recorded with their reason. Rows stay in the store while they wait, so
 * a crash loses nothing and resends nothing: on start, rows left `claimed` go back to pending
 * and rows left `sending` become `in_doubt`.
 */
export class Dispatcher {
  private running = false;
  private workers: Promise<void>[] = [];
  private buffer: OutboxRow[] = [];
  private claiming: Promise<void> | null = null;
  private idle: { promise: Promise<void>; wake: () => void } | null = null;
  private readonly campaigns = new Map<string, { at: number; campaign: Campaign | null }>();
  private maintenance: NodeJS.Timeout | null = null;
  private maintaining: Promise<void> | null = null;
  private readonly metrics: BroadcastMetrics;
  /**
   * The lease owner new claims are made under. A claim whose answer was lost with the connection
   * may have taken rows this process never saw; renewing by owner would keep them for ever, so
   * after such a failure claims go on under a new owner (`<owner>~n`) and only the owners of rows
   * held in memory are renewed: the unseen rows' leases run out and recovery requeues them.
   */
  private claimOwner: string;
  private claimsLost = 0;
  /** Rows taken from the buffer and not finished yet. */
  private readonly holding = new Set<OutboxRow>();
  /**
   * Rows whose `sending` was written: never put back after a failure (Teams may have the
   * reminder); a store failure then leaves them to their lease's end, and recovery's in doubt.
   */
  private readonly sendingRows = new WeakSet<OutboxRow>();
  /** Rows between `sending` and their outcome right now, and the most ever. */
  readonly stats = { inFlight: 0, maxInFlight: 0, throttled: 0, retried: 0, sent: 0, inDoubt: 0 };

  constructor(
    private readonly deps: DispatcherDeps,
    private readonly opts: DispatcherOptions,
  ) {
    this.metrics = deps.metrics ?? NO_METRICS;
    this.claimOwner = opts.owner;
  }

  /** The owner a row was claimed under (this process's, of some epoch). */
  private ownerOf(row: OutboxRow): string {
    return row.leaseOwner ?? this.opts.owner;
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /** Recovers what a previous process left, then starts the workers. */
  async start(): Promise<{ requeued: number; inDoubt: number }> {
    if (this.running) return { requeued: 0, inDoubt: 0 };
    const recovered = await this.deps.store.recoverOutbox({
      owner: this.opts.owner,
      now: this.now().toISOString(),
      takeOverAll: this.opts.singleInstance,
    });
    if (recovered.inDoubt > 0 || recovered.requeued > 0) {
      this.deps.logger.warn(recovered, 'outbox recovered after a restart: in-doubt sends are not resent');
      for (let i = 0; i < recovered.inDoubt; i++)
        this.metrics.reminderOutcome('in_doubt', 'crashed_mid_send');
    }
    this.running = true;
    this.workers = Array.from({ length: Math.max(1, this.opts.concurrency) }, () => this.work());
    if (!this.opts.singleInstance) {
      this.maintenance = setInterval(
        () => {
          if (this.maintaining) return;
          this.maintaining = this.maintain()
            .catch((err: unknown) => {
              // An outage is logged once by the store's health; the next round tries again.
              if (!isStoreUnavailable(err)) this.deps.logger.warn({ err }, 'outbox lease maintenance failed');
            })
            .finally(() => {
              this.maintaining = null;
            });
        },
        Math.max(50, Math.floor(this.opts.leaseMs / 3)),
      );
      this.maintenance.unref();
    }
    return recovered;
  }

  /**
   * Several instances: keeps this instance's leases (rows waiting on the pacer or a Retry-After,
   * sends in flight) ahead of expiry, and takes over rows whose lease expired — an instance that
   * died. Its `sending` rows become in doubt (never resent), which may finish a campaign nobody
   * else is sending any more: those are completed here.
   */
  private async maintain(): Promise<void> {
    const { store } = this.deps;
    const now = this.now();
    // Only the rows held in memory, by the owner each was claimed under: a row this process gave
    // up on (or a claim's rows it never saw) is not renewed, so its lease runs out and recovery
    // decides (a `sending` row becomes in doubt, never a resend).
    const byOwner = new Map<string, OutboxRow[]>();
    for (const r of [...this.buffer, ...this.holding]) {
      const owner = this.ownerOf(r);
      (byOwner.get(owner) ?? byOwner.set(owner, []).get(owner)!).push(r);
    }
    for (const [owner, rows] of byOwner) {
      await store.renewLeases(
        owner,
        rows,
        new Date(now.getTime() + this.opts.leaseMs).toISOString(),
        now.toISOString(),
      );
    }
    const recovered = await store.recoverOutbox({
      owner: this.claimOwner,
      now: now.toISOString(),
      takeOverAll: false,
    });
    if (recovered.inDoubt === 0 && recovered.requeued === 0) return;
    this.deps.logger.warn(recovered, 'outbox rows of an instance whose lease expired were taken over');
    for (let i = 0; i < recovered.inDoubt; i++) this.metrics.reminderOutcome('in_doubt', 'crashed_mid_send');
    for (const c of await store.listCampaigns({ limit: 50 })) {
      if (c.state !== 'running') continue;
      const done = await store.completeCampaignIfDrained(c.id, now.toISOString());
      this.deps.onProgress?.(c.id, done);
    }
    this.wake();
  }

  /** Looks for due rows now (a campaign was created, resumed or requeued). */
  wake(): void {
    this.campaigns.clear();
    this.idle?.wake();
  }

  /** Stops claiming, waits for sends in flight, and puts claimed-but-unsent rows back. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.maintenance) clearInterval(this.maintenance);
    this.maintenance = null;
    this.idle?.wake();
    await Promise.allSettled(this.workers);
    await this.claiming;
    await this.maintaining;
    const at = this.now().toISOString();
    for (const row of this.buffer.splice(0)) {
      await this.deps.store.releaseOutbox(row.campaignId, row.recipientId, this.ownerOf(row), at);
    }
  }

  /**
   * One worker. It survives a database outage (issue 21): a claim that fails waits and tries
   * again, a row whose step failed for that reason is put back (pending, its request never left),
   * and a send's outcome is written once the database is back (`persist`).
   */
  private async work(): Promise<void> {
    let outage = 0;
    while (this.running) {
      let row: OutboxRow | null;
      try {
        row = await this.next();
        outage = 0;
      } catch (err) {
        if (!isStoreUnavailable(err)) this.deps.logger.error({ err }, 'outbox claim failed unexpectedly');
        await sleep(storeRetryMs(outage++));
        continue;
      }
      if (!row) continue;
      this.holding.add(row);
      try {
        await this.process(row);
      } catch (err) {
        if (isStoreUnavailable(err) && !this.sendingRows.has(row)) {
          // Before `sending` (re-check, cap, conversation, pacer): nothing left; back to pending.
          await this.putBack(row).catch(() => undefined); // stopping: the lease expires, recovery requeues it
          continue;
        }
        // Anything else mid-row, or after `sending`: no longer renewed, the lease expires and
        // recovery decides (a `sending` row becomes in doubt, never a resend).
        this.deps.logger.error({ err, campaignId: row.campaignId }, 'outbox row failed unexpectedly');
      } finally {
        this.holding.delete(row);
      }
    }
  }

  /**
   * A row whose request never left goes back to pending once the database answers. Released if
   * still claimed; if `markSending` was written but its answer lost with the connection, the row
   * is `sending` in the store: the second write puts that back too (a no-op otherwise).
   */
  private async putBack(row: OutboxRow): Promise<void> {
    const { store } = this.deps;
    const at = () => this.now().toISOString();
    await this.persist(() => store.releaseOutbox(row.campaignId, row.recipientId, this.ownerOf(row), at()));
    await this.persist(() =>
      store.finishOutbox(
        row.campaignId,
        row.recipientId,
        this.ownerOf(row),
        { state: 'pending', notBefore: at() },
        at(),
      ),
    );
  }

  /**
   * A store write that must land (a send's outcome, a release): while the database is
   * unavailable it waits and tries again, until it is back or the dispatcher stops. A row whose
   * lease another instance took over meanwhile is theirs (the write then changes nothing).
   */
  private async persist<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await write();
      } catch (err) {
        if (!isStoreUnavailable(err) || !this.running) throw err;
        await sleep(storeRetryMs(attempt));
      }
    }
  }

  private async next(): Promise<OutboxRow | null> {
    while (this.running) {
      const row = this.buffer.shift();
      if (row) return row;
      if (!this.claiming) {
        this.claiming = this.claim().finally(() => {
          this.claiming = null;
        });
      }
      const claimed = await this.claiming.then(() => this.buffer.length > 0);
      if (!claimed && this.buffer.length === 0 && this.running) await this.waitIdle();
    }
    return null;
  }

  private async claim(): Promise<void> {
    const now = this.now();
    let rows: OutboxRow[];
    try {
      rows = await this.deps.store.claimOutbox({
        owner: this.claimOwner,
        now: now.toISOString(),
        leaseUntil: new Date(now.getTime() + this.opts.leaseMs).toISOString(),
        limit: Math.max(1, this.opts.concurrency),
      });
    } catch (err) {
      if (isStoreUnavailable(err)) this.claimOwner = `${this.opts.owner}~${++this.claimsLost}`;
      throw err;
    }
    this.buffer.push(...rows);
  }

  private waitIdle(): Promise<void> {
    if (!this.idle) {
      let wake!: () => void;
      const promise = new Promise<void>((resolve) => {
        wake = resolve;
      });
      const timer = setTimeout(() => wake(), this.opts.pollMs);
      timer.unref();
      this.idle = {
        promise: promise.finally(() => {
          clearTimeout(timer);
          this.idle = null;
        }),
        wake,
      };
    }
    return this.idle.promise;
  }

  private async campaign(id: string): Promise<Campaign | null> {
    const cached = this.campaigns.get(id);
    if (cached && Date.now() - cached.at < CAMPAIGN_CACHE_MS) return cached.campaign;
    const campaign = await this.deps.store.getCampaign(id);
    this.campaigns.set(id, { at: Date.now(), campaign });
    return campaign;
  }

  private async finish(row: OutboxRow, outcome: OutboxOutcome): Promise<void> {
    const { store } = this.deps;
    const at = this.now().toISOString();
    const ours = await this.persist(() =>
      store.finishOutbox(row.campaignId, row.recipientId, this.ownerOf(row), outcome, at),
    );
    if (ours) await this.finished(row, outcome, at);
  }

  /**
   * A delivered reminder's `sent`, written until the store takes it: the send is never repeated,
   * so a store that fails now (a PostgreSQL restart, SQLITE_BUSY) only delays the record. Tried
   * for half a lease (the row stays held and renewed meanwhile); then it is given up with one
   * error line: no longer renewed, its lease runs out and recovery marks it in doubt.
   */
  private async recordSent(row: OutboxRow, outcome: OutboxOutcome & { state: 'sent' }): Promise<void> {
    const giveUpAt = Date.now() + this.opts.leaseMs / 2;
    for (let attempt = 1; ; attempt++) {
      const at = this.now().toISOString();
      let ours: boolean;
      try {
        ours = await this.deps.store.finishOutbox(
          row.campaignId,
          row.recipientId,
          this.ownerOf(row),
          outcome,
          at,
        );
      } catch (err) {
        const outage = isStoreUnavailable(err);
        const wait = outage
          ? storeRetryMs(attempt)
          : backoffMs(attempt, this.opts.backoffBaseMs, this.opts.backoffMaxMs);
        if (Date.now() + wait > giveUpAt) {
          this.deps.logger.error(
            { err, campaignId: row.campaignId },
            'a delivered reminder could not be recorded as sent: its lease will run out and it will show as in doubt (not resent)',
          );
          return;
        }
        // An outage is logged once by the store's health.
        if (!outage)
          this.deps.logger.warn(
            { err, campaignId: row.campaignId, attempt },
            'a delivered reminder could not be recorded as sent; writing it again (not resending)',
          );
        await sleep(wait);
        continue;
      }
      if (ours) await this.finished(row, outcome, at);
      return;
    }
  }

  /** After a row's outcome was written: the metrics, the frequency cap, the campaign's end. */
  private async finished(row: OutboxRow, outcome: OutboxOutcome, at: string): Promise<void> {
    const { store } = this.deps;
    if (outcome.state === 'failed' || outcome.state === 'skipped') {
      if (outcome.reason !== 'frequency_cap')
        await this.persist(() => store.releaseReminder(row.recipientId, row.campaignId));
      this.metrics.reminderOutcome(outcome.state, outcome.reason);
    } else if (outcome.state === 'sent') {
      this.stats.sent++;
      this.metrics.reminderOutcome('sent', null);
    } else if (outcome.state === 'in_doubt') {
      // The reminder may have arrived: it counts for the frequency cap like a sent one.
      this.metrics.reminderOutcome('in_doubt', outcome.reason);
    }
    const done =
      outcome.state !== 'pending' &&
      (await this.persist(() => store.completeCampaignIfDrained(row.campaignId, at)));
    this.deps.onProgress?.(row.campaignId, done);
  }

  /**
   * A failed call: wait and retry, fail for good — as `giveUp` once the attempts ran out
   * (`unavailable`: Teams; `recheck_failed`: Jamf or Graph could not re-check the Macs) — or, a
   * send Teams may have delivered, in doubt. `phase` is what failed: the re-check or the 1:1's
   * creation (`prepare`: nothing was sent, and Teams answers a repeated create with the same
   * conversation) or the reminder's own request.
   */
  private async failed(
    row: OutboxRow,
    e: unknown,
    phase: 'prepare' | 'send',
    giveUp: FailReason = 'unavailable',
  ): Promise<void> {
    const f: SendFailureKind =
      phase === 'send' && !(e instanceof ConnectorSendError)
        ? // Not an answer from Teams (the transport or the code around it threw): nothing says
          // the request did not reach Teams, so it is never retried blindly.
          {
            kind: 'ambiguous',
            reason: 'unexpected_error',
            detail: e instanceof Error ? e.message : String(e),
          }
        : classifySendFailure(e);
    const now = this.now().getTime();
    if (f.kind === 'throttled') {
      this.stats.throttled++;
      this.metrics.throttled();
      const wait =
        f.retryAfterMs ?? backoffMs(row.throttles + 1, this.opts.backoffBaseMs, this.opts.backoffMaxMs);
      this.deps.pacer.pauseUntil(Date.now() + wait);
      if (row.throttles + 1 > this.opts.maxThrottles) {
        await this.finish(row, { state: 'failed', reason: 'throttled', detail: '429 too many times' });
        return;
      }
      await this.finish(row, {
        state: 'pending',
        notBefore: new Date(now + wait).toISOString(),
        throttles: row.throttles + 1,
        detail: '429',
      });
      return;
    }
    if (f.kind === 'permanent') {
      await this.finish(row, { state: 'failed', reason: f.reason, detail: f.detail });
      return;
    }
    if (f.kind === 'ambiguous' && phase === 'send') {
      this.stats.inDoubt++;
      this.deps.logger.warn(
        { campaignId: row.campaignId, reason: f.reason, detail: f.detail },
        'reminder in doubt: Teams may have delivered it, so it is not sent again',
      );
      await this.finish(row, { state: 'in_doubt', reason: f.reason, detail: f.detail });
      return;
    }
    const attempts = row.attempts + 1;
    if (attempts >= this.opts.maxAttempts) {
      await this.finish(row, { state: 'failed', reason: giveUp, detail: f.detail });
      return;
    }
    this.stats.retried++;
    this.metrics.retried(f.detail);
    const retryAfterMs = f.kind === 'transient' ? f.retryAfterMs : null;
    const wait = Math.max(
      retryAfterMs ?? 0,
      backoffMs(attempts, this.opts.backoffBaseMs, this.opts.backoffMaxMs),
    );
    await this.finish(row, {
      state: 'pending',
      notBefore: new Date(now + wait).toISOString(),
      attempts,
      detail: f.detail,
    });
  }

  /** The 1:1 conversation, created (installing the app where Teams says it is missing) and stored. */
  private createConversation(aadObjectId: string): Promise<ConversationTarget> {
    return openPersonalConversation(this.deps, { aadObjectId, tenantId: this.opts.tenantId }, this.now());
  }

  private async process(row: OutboxRow): Promise<void> {
    const { store, transport, pacer } = this.deps;
    const campaign = await this.campaign(row.campaignId);
    if (!campaign || campaign.state !== 'running') {
      await store.releaseOutbox(row.campaignId, row.recipientId, this.ownerOf(row), this.now().toISOString());
      return;
    }

    let macs: ReminderCardMac[];
    try {
      const check = await this.deps.recheck(row.recipient, campaign);
      if (!check.due) {
        await this.finish(row, { state: 'skipped', reason: check.reason, detail: check.detail });
        return;
      }
      macs = check.macs;
    } catch (e) {
      // Jamf or Graph could not say: retry later like a transient send failure; not Teams' fault
      // when it keeps failing.
      await this.failed(row, e, 'prepare', 'recheck_failed');
      return;
    }

    if (this.opts.frequencyCapDays > 0) {
      const now = this.now();
      const since = new Date(now.getTime() - this.opts.frequencyCapDays * 86_400_000).toISOString();
      if (!(await store.reserveReminder(row.recipientId, row.campaignId, now.toISOString(), since))) {
        await this.finish(row, { state: 'skipped', reason: 'frequency_cap' });
        return;
      }
    }

    let target: ConversationTarget | null = await store.findPersonalConversation(row.recipientId);
    if (!target) {
      try {
        target = await this.createConversation(row.recipientId);
      } catch (e) {
        await this.failed(row, e, 'prepare');
        return;
      }
    }

    const reader = await readerLocale(row.recipientId, target, this.deps);
    const card = this.deps.renderReminder(campaign, row.recipient, macs, reader);
    const conversationId = target.conversationId;
    let sending = false;
    // Runs inside the transport, right before the request leaves: pace, then write `sending`.
    const gate = async (): Promise<boolean> => {
      // Paced per user, not per conversation id: a user's 1:1 has two ids that Teams counts as
      // one thread (see `personalThreadKey`).
      await pacer.acquire(personalThreadKey(row.recipientId));
      // Paused or cancelled while this row waited for its turn: put it back, unsent.
      const latest = await this.campaign(row.campaignId);
      if (latest?.state !== 'running') {
        await store.releaseOutbox(
          row.campaignId,
          row.recipientId,
          this.ownerOf(row),
          this.now().toISOString(),
        );
        return false;
      }
      // False: the lease was lost to another instance's recovery; that instance decides.
      sending = await store.markSending(
        row.campaignId,
        row.recipientId,
        this.ownerOf(row),
        this.now().toISOString(),
      );
      if (sending) {
        this.sendingRows.add(row);
        this.stats.inFlight++;
        this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.stats.inFlight);
      }
      return sending;
    };
    let result: Awaited<ReturnType<ReminderTransport['send']>>;
    try {
      result = await transport.send(target, card, gate);
    } catch (e) {
      if (!sending) {
        // Failed before the request left (building the client, or the database went away while
        // it waited for its turn): nothing was sent.
        await this.putBack(row);
        if (!isStoreUnavailable(e))
          this.deps.logger.warn({ err: e, campaignId: row.campaignId }, 'send not attempted');
        return;
      }
      this.stats.inFlight--;
      await this.failed(row, e, 'send');
      return;
    }
    if (!sending) return;
    this.stats.inFlight--;
    // Outside the send's try: a store failure here must never look like a failed send.
    await this.recordSent(row, { state: 'sent', conversationId, activityId: result?.activityId ?? null });
  }
}
