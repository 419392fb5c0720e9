import { randomBytes } from 'node:crypto';
import { campaignConfirmModel, campaignListModel, campaignProgressModel } from '../cards/campaignCardModels';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import { reminderCardModel } from '../cards/reminderCardModel';
import type { AppConfig } from '../config';
import { UserInputError } from '../errors';
import type { Logger } from '../log';
import type { Notifier, PostedCard } from '../notifier';
import type { CampaignStore } from '../store/campaignStore';
import type { JobClaims } from '../store/ports/jobClaims';
import type {
  Campaign,
  CampaignActor,
  CampaignRecipient,
  CampaignSchedule,
  CampaignState,
} from '../compliance/campaignTypes';
import { campaignCsv } from './campaignCsv';
import { CampaignSchedules } from './campaignSchedules';
import type { Dispatcher } from './dispatcher';
import type { RemindOptions, ScheduleOptions } from './parseRemindOptions';
import type { ReminderCardMac } from './reminderCheck';
import type { AudienceSelection } from './selectAudience';
import { SignedDownloads } from './signedDownloads';

/** A file served by the bot's HTTP server (the CSV export). */
export interface Download {
  filename: string;
  contentType: string;
  body: string;
}

export interface BroadcastServiceDeps {
  store: CampaignStore & JobClaims;
  dispatcher: Dispatcher;
  notifier: Pick<Notifier, 'updateCard' | 'postToConversation'>;
  /** The audience from the live fleet now (`loadAudience`). */
  loadAudience: (
    opts: { audience: Campaign['audience']; groupName: string | null },
    now: Date,
  ) => Promise<AudienceSelection & { group: { id: string; name: string } | null }>;
  config: Pick<AppConfig, 'broadcast'>;
  /** The bot's public base URL (for download links); null = not known. */
  publicUrl: () => string | null;
  owner: string;
  logger: Logger;
  now?: () => Date;
}

const DOWNLOAD_PREFIX = '/downloads/campaigns/';

/** Short, readable ids: `c-` + 8 hex characters. */
const newId = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * What the `remind`/`campaign` commands and buttons do, in one place: preview and start
 * campaigns from the live fleet, pause/resume/cancel/resend, the progress card (updated in place
 * at most every `progressUpdateSeconds`), the CSV export behind a signed link, cron schedules and
 * "Remind user" for one person. The dispatcher does the sending.
 */
export class BroadcastService {
  readonly schedules: CampaignSchedules;
  private readonly downloads: SignedDownloads;
  private readonly progress = new Map<
    string,
    { lastAt: number; timer: NodeJS.Timeout | null; running: Promise<void> }
  >();

  constructor(private readonly deps: BroadcastServiceDeps) {
    const key = deps.config.broadcast.downloadSigningKey ?? randomBytes(32).toString('base64url');
    this.downloads = new SignedDownloads(key, deps.config.broadcast.downloadLinkMinutes * 60_000);
    this.schedules = new CampaignSchedules({
      store: deps.store,
      owner: deps.owner,
      logger: deps.logger.child({ component: 'campaign-schedules' }),
      fire: (s, dueAt) => this.fireSchedule(s, dueAt),
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
    for (const p of this.progress.values()) if (p.timer) clearTimeout(p.timer);
    await this.deps.dispatcher.stop();
  }

  /** The preview / confirmation card for `remind preview` and `remind send`. */
  async confirmCard(opts: RemindOptions, preview: boolean): Promise<AdaptiveCard> {
    const now = this.now();
    const selection = await this.deps.loadAudience(opts, now);
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
    const now = this.now();
    const selection = await this.deps.loadAudience(opts, now);
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

  /** A one-person campaign through the same outbox and frequency cap ("Remind user"). */
  async remindOne(recipient: CampaignRecipient, actor: CampaignActor): Promise<Campaign> {
    return this.create([recipient], { audience: 'all', groupName: null, deadline: null }, actor, null);
  }

  async progressCard(id: string): Promise<AdaptiveCard> {
    const campaign = await this.deps.store.getCampaign(id);
    if (!campaign) {
      throw new UserInputError(`There is no campaign ${id}.`, 'Type **campaigns** to list them.');
    }
    const counts = await this.deps.store.campaignCounts(id);
    const now = this.now();
    const base = this.deps.publicUrl();
    const exportUrl = base
      ? `${base.replace(/\/+$/, '')}${this.downloads.link(`${DOWNLOAD_PREFIX}${campaign.id}.csv`, now.getTime())}`
      : '';
    return renderCard('campaignProgress', campaignProgressModel(campaign, counts, { now, exportUrl }));
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
    return (await this.deps.store.getCampaign(id))!;
  }

  /** Resend to failed: failed rows go back to the outbox; returns how many. */
  async resendFailed(id: string): Promise<number> {
    const campaign = await this.deps.store.getCampaign(id);
    if (!campaign)
      throw new UserInputError(`There is no campaign ${id}.`, 'Type **campaigns** to list them.');
    if (campaign.state === 'cancelled') {
      throw new UserInputError(`Campaign ${id} was cancelled.`, 'Start a new one with **remind send**.');
    }
    const n = await this.deps.store.requeueFailed(id, this.now().toISOString());
    this.deps.dispatcher.wake();
    return n;
  }

  async listCard(): Promise<AdaptiveCard> {
    const campaigns = await this.deps.store.listCampaigns({ limit: 10 });
    const items = await Promise.all(
      campaigns.map(async (campaign) => ({
        campaign,
        counts: await this.deps.store.campaignCounts(campaign.id),
      })),
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
    return schedule;
  }

  async removeSchedule(id: string): Promise<boolean> {
    this.schedules.remove(id);
    return this.deps.store.deleteSchedule(id);
  }

  /** One due time of a schedule: a campaign, and its progress card where the schedule was made. */
  private async fireSchedule(s: CampaignSchedule, dueAt: Date): Promise<void> {
    const deadline =
      s.deadlineDays === null ? null : utcDay(new Date(dueAt.getTime() + s.deadlineDays * 86_400_000));
    const selection = await this.deps.loadAudience({ audience: s.audience, groupName: s.groupName }, dueAt);
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
   * `progressUpdateSeconds` (the last change always shows), at once when the campaign ends.
   */
  onProgress(id: string, done: boolean): void {
    const every = this.deps.config.broadcast.progressUpdateSeconds * 1000;
    let p = this.progress.get(id);
    if (!p) {
      p = { lastAt: 0, timer: null, running: Promise.resolve() };
      this.progress.set(id, p);
    }
    const entry = p;
    const due = entry.lastAt + every - Date.now();
    if (done || due <= 0) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.timer = null;
      entry.lastAt = Date.now();
      entry.running = entry.running.then(() => this.updateProgress(id));
      if (done) void entry.running.then(() => this.progress.delete(id));
    } else if (!entry.timer) {
      entry.timer = setTimeout(() => {
        entry.timer = null;
        entry.lastAt = Date.now();
        entry.running = entry.running.then(() => this.updateProgress(id));
      }, due);
      entry.timer.unref();
    }
  }

  private async updateProgress(id: string): Promise<void> {
    try {
      const campaign = await this.deps.store.getCampaign(id);
      if (!campaign?.progressCard) return;
      await this.deps.notifier.updateCard(campaign.progressCard, await this.progressCard(id));
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
      body: await campaignCsv(this.deps.store, id),
    };
  }
}

function sampleText(r: CampaignRecipient, deadline: string | null): string {
  const macs = r.macs.map((m) => `${m.name}: ${m.verdict.replace(/_/g, ' ')}`).join('; ');
  return `“${reminderCardModel(r, [] as ReminderCardMac[], deadline).title as string}” — ${macs}. Each Mac with its state, the steps to fix it${deadline ? ', the deadline' : ''} and a **Check again** button.`;
}
