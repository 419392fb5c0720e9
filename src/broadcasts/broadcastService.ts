import { randomBytes } from 'node:crypto';
import { campaignConfirmModel, campaignListModel, campaignProgressModel } from '../cards/campaignCardModels';
import { campaignResendConfirmModel } from '../cards/campaignResendConfirmModel';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import { reminderCardModel } from '../cards/reminderCardModel';
import type { AppConfig } from '../config';
import { UserInputError } from '../errors';
import type { Logger } from '../log';
import type { FleetSnapshotSource } from '../compliance/fleetSnapshotTypes';
import type { ReadyFleet } from '../lookup/diagnoseFleetSnapshot';
import { waitForFleetSnapshot } from '../lookup/waitForFleetSnapshot';
import type { Notifier, PostedCard } from '../notifier';
import type { CampaignStore } from '../store/campaignStore';
import type { AuditLog } from '../store/ports/auditLog';
import type { JobClaims } from '../store/ports/jobClaims';
import type { ThankYouStore } from '../store/ports/thankYouStore';
import type { ComplianceHistoryStore } from '../store/ports/complianceHistoryStore';
import {
  campaignEffectiveness,
  historyExpired,
  type CampaignEffectiveness,
  type ReminderCheckPress,
} from '../compliance/campaignEffectiveness';
import type {
  Campaign,
  CampaignActor,
  CampaignRecipient,
  CampaignSchedule,
  CampaignState,
  OutboxRow,
} from '../compliance/campaignTypes';
import { campaignCsv } from './campaignCsv';
import { CampaignSchedules } from './campaignSchedules';
import type { Dispatcher } from './dispatcher';
import type { RemindOptions, ScheduleOptions } from './parseRemindOptions';
import type { ReminderCardMac } from './reminderCheck';
import type { LoadedAudience } from './loadAudience';
import { SignedDownloads } from './signedDownloads';
import type { RateLimiters } from '../store/rateLimiters';
import { refreshProgressCard } from './refreshProgressCard';
import { ProgressCardPace } from './progressCardPace';

/** A file served by the bot's HTTP server (the CSV export). */
export interface Download {
  filename: string;
  contentType: string;
  body: string;
}

export interface BroadcastServiceDeps {
  /** `campaignConversions` (optional): Macs that became compliant after the reminder, on the progress card. */
  store: CampaignStore &
    JobClaims &
    ComplianceHistoryStore &
    Pick<AuditLog, 'appendAudit'> &
    Partial<Pick<ThankYouStore, 'campaignConversions'>>;
  dispatcher: Dispatcher;
  notifier: Pick<Notifier, 'updateCard' | 'postToConversation'>;
  /** The fleet snapshot audiences are chosen from. */
  fleet: FleetSnapshotSource;
  /** The audience from a fleet snapshot (`loadAudience`). */
  loadAudience: (
    fleet: ReadyFleet,
    opts: { audience: Campaign['audience']; groupName: string | null },
    now: Date,
  ) => Promise<LoadedAudience>;
  /** How long a scheduled campaign that fires during the first fleet build waits for it (default 30 min). */
  fleetWaitMs?: number;
  config: Pick<AppConfig, 'broadcast'>;
  /** The bot's public base URL (for download links); null = not known. */
  publicUrl: () => string | null;
  owner: string;
  /** Where the progress cards' pace is counted (default: in memory; shared on PostgreSQL). */
  rateLimiters?: RateLimiters;
  logger: Logger;
  now?: () => Date;
}

/** What "Remind user" learned while it waited: the reminder's outcome, or that it is still queued. */
export type RemindOneOutcome = { campaignId: string } & (
  | { state: 'sent' }
  | { state: 'failed' | 'skipped' | 'in_doubt'; reason: string | null }
  | { state: 'queued' }
);

/** What the Send button on a confirmation card asks for (`campaignId` fixed on the card). */
export interface SendRequest extends RemindOptions {
  campaignId?: string;
}

const DOWNLOAD_PREFIX = '/downloads/campaigns/';

/** The audit action of each transition (the card button's verb). */
const TRANSITION_ACTION = {
  paused: 'campaign.pause',
  running: 'campaign.resume',
  cancelled: 'campaign.cancel',
} as const;

/** Short, readable ids: `c-` + 8 hex characters. */
const newId = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * What the `remind`/`campaign` commands and buttons do, in one place: preview and start
 * campaigns from the fleet snapshot, pause/resume/cancel/resend, the progress card (updated in place
 * at most every `progressUpdateSeconds`), the CSV export behind a signed link, cron schedules and
 * "Remind user" for one person. The dispatcher does the sending. What an admin starts, changes or
 * stops is audited under their name.
 */
export class BroadcastService {
  readonly schedules: CampaignSchedules;
  private readonly downloads: SignedDownloads;
  private readonly progressPace: ProgressCardPace;
  /** Who waits for the next change of a campaign (`remindOneAndWait`), by campaign id. */
  private readonly changeWaiters = new Map<string, Set<() => void>>();

  constructor(private readonly deps: BroadcastServiceDeps) {
    const key = deps.config.broadcast.downloadSigningKey ?? randomBytes(32).toString('base64url');
    this.downloads = new SignedDownloads(key, deps.config.broadcast.downloadLinkMinutes * 60_000);
    this.schedules = new CampaignSchedules({
      store: deps.store,
      owner: deps.owner,
      logger: deps.logger.child({ component: 'campaign-schedules' }),
      fire: (s, dueAt) => this.fireSchedule(s, dueAt),
    });
    this.progressPace = new ProgressCardPace({
      everySeconds: deps.config.broadcast.progressUpdateSeconds,
      limiters: deps.rateLimiters,
      update: (id) => this.updateProgress(id),
      logger: deps.logger,
    });
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  get frequencyCapDays(): number {
    return this.deps.config.broadcast.frequencyCapDays;
  }

  async start(): Promise<void> {
    await this.deps.dispatcher.start();
    await this.schedules.start();
  }

  async stop(): Promise<void> {
    this.schedules.stop();
    this.progressPace.stop();
    await this.deps.dispatcher.stop();
  }

  /** The preview / confirmation card for `remind preview` and `remind send`, from a fleet snapshot. */
  async confirmCard(opts: RemindOptions, preview: boolean, fleet: ReadyFleet): Promise<AdaptiveCard> {
    const now = this.now();
    const selection = await this.deps.loadAudience(fleet, opts, now);
    const first = selection.recipients[0];
    const sample = first
      ? {
          name: first.name ?? first.upn ?? 'the first person',
          text: sampleText(first, opts.deadline),
        }
      : null;
    return renderCard('campaignConfirm', {
      ...campaignConfirmModel(selection, {
        ...opts,
        frequencyCapDays: this.frequencyCapDays,
        preview,
        sample,
        now,
      }),
      // The campaign's id, fixed on the card: pressing Send twice starts it once.
      campaignId: newId('c'),
    });
  }

  /** Resolves the audience now and starts the campaign; the dispatcher picks it up at once. */
  async startCampaign(
    opts: RemindOptions,
    actor: CampaignActor,
    scheduleId: string | null = null,
    id?: string,
  ): Promise<Campaign> {
    // The same Send pressed twice (a double click, a retried invoke) is the same campaign.
    if (id) {
      const existing = await this.deps.store.getCampaign(id);
      if (existing) return existing;
    }
    const fleet = await this.deps.fleet.read();
    if (fleet.state !== 'ready') {
      // A confirmation card comes from a snapshot; only a store that lost it gets here.
      throw new UserInputError(
        'The fleet picture is being built right now, so I cannot choose the audience yet.',
        'Press Send again in a few minutes, or type **remind preview** to watch the progress.',
      );
    }
    const now = this.now();
    const selection = await this.deps.loadAudience(fleet, opts, now);
    if (selection.recipients.length === 0) {
      throw new UserInputError(
        'Nobody needs a reminder right now.',
        'Try **remind preview** to see the counts.',
      );
    }
    return this.create(selection.recipients, opts, actor, scheduleId, id);
  }

  private async create(
    recipients: CampaignRecipient[],
    opts: RemindOptions,
    actor: CampaignActor,
    scheduleId: string | null,
    id: string = newId('c'),
  ): Promise<Campaign> {
    let campaign: Campaign;
    try {
      campaign = await this.deps.store.createCampaign({
        id,
        createdAt: this.now().toISOString(),
        createdBy: actor,
        audience: opts.audience,
        groupName: opts.groupName,
        deadline: opts.deadline,
        scheduleId,
        recipients,
      });
    } catch (e) {
      // Two presses of the same Send at once: the other one created it first.
      const existing = await this.deps.store.getCampaign(id);
      if (existing) return existing;
      throw e;
    }
    this.deps.dispatcher.wake();
    return campaign;
  }

  /**
   * "Send" on a confirmation card: starts the campaign the card names, once (a second press finds
   * it started and changes nothing), and audits the start.
   */
  async sendConfirmed(request: SendRequest, actor: CampaignActor): Promise<Campaign> {
    const { campaignId, ...opts } = request;
    const already = campaignId ? await this.deps.store.getCampaign(campaignId) : null;
    if (already) return already;
    const campaign = await this.startCampaign(opts, actor, null, campaignId);
    await this.audit(actor, 'remind send', campaign.id, 'started', {
      audience: opts.audience,
      group: opts.groupName,
      deadline: opts.deadline,
    });
    return campaign;
  }

  /** A one-person campaign through the same outbox and frequency cap ("Remind user"). */
  async remindOne(recipient: CampaignRecipient, actor: CampaignActor, id?: string): Promise<Campaign> {
    return this.create([recipient], { audience: 'all', groupName: null, deadline: null }, actor, null, id);
  }

  /**
   * "Remind user", answered in the same turn: the one-person campaign, then its outcome as soon as
   * the dispatcher reports the row finished (`onProgress`), or `queued` after `timeoutMs` (it is
   * still sent: it waits for the pacer or a retry, or another instance holds it).
   */
  async remindOneAndWait(
    recipient: CampaignRecipient,
    actor: CampaignActor,
    timeoutMs: number,
  ): Promise<RemindOneOutcome> {
    const id = newId('c');
    const until = Date.now() + timeoutMs;
    // Listening before the campaign exists: its first change cannot be missed.
    let changed = this.nextChange(id);
    try {
      await this.remindOne(recipient, actor, id);
      for (;;) {
        const timedOut = !(await changed.wait(until - Date.now()));
        changed = this.nextChange(id);
        const outcome = await this.outcomeOfOne(id);
        if (outcome) return outcome;
        if (timedOut) return { campaignId: id, state: 'queued' };
      }
    } finally {
      changed.cancel();
    }
  }

  /** The outcome of a one-person campaign's row, or null while it is not final. */
  private async outcomeOfOne(id: string): Promise<RemindOneOutcome | null> {
    const [row] = await this.deps.store.listOutbox(id, { limit: 1 });
    if (row?.state === 'sent') return { campaignId: id, state: 'sent' };
    if (row?.state === 'failed' || row?.state === 'skipped' || row?.state === 'in_doubt')
      return { campaignId: id, state: row.state, reason: row.reason };
    return null;
  }

  /** Resolves `wait` true on the campaign's next change, false when `ms` pass first. */
  private nextChange(id: string): { wait(ms: number): Promise<boolean>; cancel(): void } {
    let waiters = this.changeWaiters.get(id);
    if (!waiters) {
      waiters = new Set();
      this.changeWaiters.set(id, waiters);
    }
    const set = waiters;
    let fired!: () => void;
    const happened = new Promise<void>((resolve) => (fired = resolve));
    set.add(fired);
    const cancel = () => {
      set.delete(fired);
      if (set.size === 0 && this.changeWaiters.get(id) === set) this.changeWaiters.delete(id);
    };
    return {
      cancel,
      wait: async (ms) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), Math.max(0, ms));
        });
        try {
          return await Promise.race([happened.then(() => true), timeout]);
        } finally {
          clearTimeout(timer);
          cancel();
        }
      },
    };
  }

  async progressCard(id: string): Promise<AdaptiveCard> {
    const campaign = await this.deps.store.getCampaign(id);
    if (!campaign) {
      throw new UserInputError(`There is no campaign ${id}.`, 'Type **campaigns** to list them.');
    }
    return this.progressCardOf(campaign);
  }

  /** The progress card of the campaign as read (its state), with its counts as they are now. */
  private async progressCardOf(campaign: Campaign): Promise<AdaptiveCard> {
    const id = campaign.id;
    const counts = await this.deps.store.campaignCounts(id);
    const now = this.now();
    const base = this.deps.publicUrl();
    const exportUrl = base
      ? `${base.replace(/\/+$/, '')}${this.downloads.link(`${DOWNLOAD_PREFIX}${campaign.id}.csv`, now.getTime())}`
      : '';
    const converted = (await this.deps.store.campaignConversions?.([id]))?.[id] ?? 0;
    const effectiveness = await this.effectiveness(id, now);
    return renderCard(
      'campaignProgress',
      campaignProgressModel(campaign, counts, { now, exportUrl, becameCompliant: converted, effectiveness }),
    );
  }

  /**
   * The campaign's funnel (issue 19) from what the store recorded; null for a campaign older
   * than the compliance history is kept.
   */
  async effectiveness(id: string, now = this.now()): Promise<CampaignEffectiveness | null> {
    const input = await this.deps.store.campaignEffectivenessInput(id);
    if (!input || historyExpired(input.startedAt, now)) return null;
    return campaignEffectiveness(input, now);
  }

  /**
   * A person pressed Check again: counted for the campaign whose reminder the button was on
   * (once), and what the live re-check saw of their Macs goes into the compliance history. The
   * person's status card does not wait on the store's trouble: a failure is logged.
   */
  async recordCheckAgain(press: ReminderCheckPress): Promise<void> {
    const at = press.at.toISOString();
    try {
      if (press.macs.length) await this.deps.store.recordComplianceObservations(press.macs, at);
      const campaignId = await this.deps.store.recordReminderCheck(
        press.recipientId,
        { campaignId: press.campaignId, activityId: press.activityId },
        at,
      );
      if (campaignId) this.onProgress(campaignId, false);
    } catch (err) {
      this.deps.logger.warn({ err }, 'could not record the Check again press');
    }
  }

  async setProgressCard(id: string, posted: PostedCard): Promise<void> {
    if (posted.activityId) {
      await this.deps.store.setProgressCard(id, {
        conversationId: posted.conversationId,
        activityId: posted.activityId,
      });
    }
  }

  /** Pause, resume or cancel; a clear message when the campaign is not in a state that allows it. */
  async transition(
    id: string,
    to: Extract<CampaignState, 'paused' | 'running' | 'cancelled'>,
    actor: CampaignActor,
  ): Promise<Campaign> {
    const campaign = await this.deps.store.getCampaign(id);
    if (!campaign)
      throw new UserInputError(`There is no campaign ${id}.`, 'Type **campaigns** to list them.');
    const from: CampaignState[] =
      to === 'paused' ? ['running'] : to === 'running' ? ['paused'] : ['running', 'paused'];
    const ok = await this.deps.store.transitionCampaign(id, from, to, this.now().toISOString());
    if (!ok) {
      throw new UserInputError(
        `Campaign ${id} is ${campaign.state === 'running' ? 'sending' : campaign.state}, so it cannot be ${
          to === 'running' ? 'resumed' : to
        }.`,
        'Press Refresh to see where it is.',
      );
    }
    this.deps.dispatcher.wake();
    this.onProgress(id, to === 'cancelled');
    await this.audit(actor, TRANSITION_ACTION[to], id, to, {});
    return (await this.deps.store.getCampaign(id))!;
  }

  /** Resend to failed: failed rows go back to the outbox; returns how many. */
  async resendFailed(id: string, actor: CampaignActor): Promise<number> {
    const campaign = await this.deps.store.getCampaign(id);
    if (!campaign)
      throw new UserInputError(`There is no campaign ${id}.`, 'Type **campaigns** to list them.');
    if (campaign.state === 'cancelled') {
      throw new UserInputError(`Campaign ${id} was cancelled.`, 'Start a new one with **remind send**.');
    }
    const n = await this.deps.store.requeueFailed(id, this.now().toISOString());
    this.deps.dispatcher.wake();
    await this.audit(actor, 'campaign.resend', id, 'requeued', { rows: n });
    this.deps.logger.info({ campaignId: id, requeued: n }, 'resend to failed');
    return n;
  }

  /**
   * The confirm step of **Resend to in doubt**: who would get the reminder again (in-doubt rows
   * never resent), by reason, as of now — the confirm button carries that instant.
   */
  async resendInDoubtCard(id: string): Promise<AdaptiveCard> {
    await this.resendableCampaign(id);
    const asOf = this.now();
    const rows: OutboxRow[] = [];
    for (let after = -1; ;) {
      const page = await this.deps.store.listOutbox(id, {
        states: ['in_doubt'],
        limit: 1000,
        afterSeq: after,
      });
      rows.push(...page.filter((r) => r.resentAt === null));
      if (page.length < 1000) break;
      after = page[page.length - 1]!.seq;
    }
    return renderCard('campaignResendConfirm', campaignResendConfirmModel(id, rows, asOf));
  }

  /**
   * Resend to in doubt, confirmed: the rows that were in doubt at `asOf` and never resent go back
   * to the outbox once (a second press finds none); audited either way. Returns how many.
   */
  async resendInDoubt(id: string, asOf: string, actor: CampaignActor): Promise<number> {
    await this.resendableCampaign(id);
    const n = await this.deps.store.requeueInDoubt(id, asOf, this.now().toISOString());
    if (n > 0) {
      this.deps.dispatcher.wake();
      this.onProgress(id, false);
    }
    await this.audit(actor, 'campaign.resend-in-doubt', id, n > 0 ? 'requeued' : 'nothing to resend', {
      rows: n,
      asOf,
    });
    this.deps.logger.info({ campaignId: id, requeued: n }, 'resend to in doubt');
    return n;
  }

  /** A campaign whose rows may be resent: it exists and was not cancelled. */
  private async resendableCampaign(id: string): Promise<Campaign> {
    const campaign = await this.deps.store.getCampaign(id);
    if (!campaign)
      throw new UserInputError(`There is no campaign ${id}.`, 'Type **campaigns** to list them.');
    if (campaign.state === 'cancelled') {
      throw new UserInputError(`Campaign ${id} was cancelled.`, 'Start a new one with **remind send**.');
    }
    return campaign;
  }

  async listCard(): Promise<AdaptiveCard> {
    const campaigns = await this.deps.store.listCampaigns({ limit: 10 });
    const items = await Promise.all(
      campaigns.map(async (campaign) => {
        const [counts, effectiveness] = await Promise.all([
          this.deps.store.campaignCounts(campaign.id),
          this.effectiveness(campaign.id),
        ]);
        return { campaign, counts, effectiveness };
      }),
    );
    return renderCard(
      'campaignList',
      campaignListModel(items, await this.deps.store.listSchedules(), this.now()),
    );
  }

  async addSchedule(
    opts: ScheduleOptions,
    actor: CampaignActor,
    conversationId: string,
  ): Promise<CampaignSchedule> {
    const schedule: CampaignSchedule = {
      id: newId('s'),
      ...opts,
      conversationId,
      createdAt: this.now().toISOString(),
      createdBy: actor,
    };
    await this.deps.store.saveSchedule(schedule);
    this.schedules.add(schedule);
    await this.audit(actor, 'remind schedule', schedule.id, 'scheduled', { ...opts });
    return schedule;
  }

  /** When a schedule fires next, or null when it does not (any more). */
  nextRun(id: string): Date | null {
    return this.schedules.nextRun(id);
  }

  /** Stops a schedule; false when there is none with that id. Audited when one was removed. */
  async removeSchedule(id: string, actor: CampaignActor): Promise<boolean> {
    this.schedules.remove(id);
    const removed = await this.deps.store.deleteSchedule(id);
    if (removed) await this.audit(actor, 'remind unschedule', id, 'removed', {});
    return removed;
  }

  /** Appends an audit entry; a store failure is logged, never shown. */
  private async audit(
    actor: CampaignActor,
    action: string,
    target: string,
    outcome: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.store
      .appendAudit({ at: this.now().toISOString(), actor, action, target, outcome, details })
      .catch((err: unknown) => this.deps.logger.error({ err }, 'could not write the audit entry'));
  }

  /** One due time of a schedule: a campaign, and its progress card where the schedule was made. */
  private async fireSchedule(s: CampaignSchedule, dueAt: Date): Promise<void> {
    const deadline =
      s.deadlineDays === null ? null : utcDay(new Date(dueAt.getTime() + s.deadlineDays * 86_400_000));
    // During the first fleet build the campaign waits for it (bounded) rather than failing.
    const fleet = await waitForFleetSnapshot(this.deps.fleet, {
      timeoutMs: this.deps.fleetWaitMs ?? 30 * 60_000,
    });
    const selection = await this.deps.loadAudience(
      fleet,
      { audience: s.audience, groupName: s.groupName },
      dueAt,
    );
    if (selection.recipients.length === 0) {
      this.deps.logger.info({ schedule: s.id }, 'scheduled campaign: nobody needs a reminder');
      return;
    }
    const campaign = await this.create(
      selection.recipients,
      { audience: s.audience, groupName: s.groupName, deadline },
      s.createdBy,
      s.id,
    );
    const posted = await this.deps.notifier.postToConversation(
      s.conversationId,
      await this.progressCard(campaign.id),
    );
    await this.setProgressCard(campaign.id, posted);
  }

  /**
   * A row changed: the progress card is updated in place, at most every
   * `progressUpdateSeconds` across all instances (the last change always shows), at once when
   * the campaign ends (src/broadcasts/progressCardPace.ts).
   */
  onProgress(id: string, done: boolean): void {
    for (const wake of this.changeWaiters.get(id) ?? []) wake();
    this.progressPace.changed(id, done);
  }

  private async updateProgress(id: string): Promise<void> {
    try {
      const endMayBeHidden = await refreshProgressCard(
        {
          getCampaign: (c) => this.deps.store.getCampaign(c),
          render: (c) => this.progressCardOf(c),
          notifier: this.deps.notifier,
        },
        id,
      );
      // The campaign ended while this update was in flight (another instance posted the end):
      // once more at the card's pace, which renders the end from the store.
      if (endMayBeHidden) this.progressPace.changed(id, false);
    } catch (err) {
      this.deps.logger.warn({ err, campaignId: id }, 'could not update the progress card');
    }
  }

  /** The server's download hook: the CSV of a campaign behind a valid signed link, else null. */
  async download(path: string, query: URLSearchParams): Promise<Download | null> {
    if (!path.startsWith(DOWNLOAD_PREFIX) || !this.downloads.verify(path, query, Date.now())) return null;
    const id = path.slice(DOWNLOAD_PREFIX.length).replace(/\.csv$/, '');
    if (!/^c-[0-9a-f]{8}$/.test(id) || !(await this.deps.store.getCampaign(id))) return null;
    return {
      filename: `campaign-${id}.csv`,
      contentType: 'text/csv; charset=utf-8',
      body: await campaignCsv(this.deps.store, id, await this.effectiveness(id)),
    };
  }
}

function sampleText(r: CampaignRecipient, deadline: string | null): string {
  const macs = r.macs.map((m) => `${m.name}: ${m.verdict.replace(/_/g, ' ')}`).join('; ');
  return `“${reminderCardModel(r, [] as ReminderCardMac[], deadline).title as string}” — ${macs}. Each Mac with its state, the steps to fix it${deadline ? ', the deadline' : ''} and a **Check again** button.`;
}
