import type { AudienceCounts } from '../compliance/audienceCounts';
import type { Verdict } from '../compliance/diagnosisTypes';
import { VERDICT_LABELS } from '../compliance/verdictLabels';
import type { Campaign, CampaignCounts, CampaignSchedule, CampaignState } from '../compliance/campaignTypes';
import type { CampaignEffectiveness } from '../compliance/campaignEffectiveness';
import type { ContainerStyle, Fact } from './cardParts';
import { campaignFunnelModel, pct, type CampaignFunnelModel } from './campaignFunnelModel';
import { formatDay, formatRelative } from './formatDate';
import { escapeMarkdown } from './escapeMarkdown';
import { fleetFreshness } from './fleetFreshness';

/** Why a reminder failed or was skipped, in words. */
export const OUTCOME_REASON_LABELS: Readonly<Record<string, string>> = {
  blocked: 'User blocked the bot',
  bot_disabled: 'Tenant admin disabled the bot',
  not_installed: 'App not installed for the user',
  install_refused: 'App could not be installed (blocked or no permission)',
  user_not_found: 'User not found',
  conversation_not_found: 'Conversation not found',
  forbidden: 'Refused by Teams (403)',
  bad_request: 'Refused by Teams (400)',
  throttled: 'Throttled too many times',
  unavailable: 'Teams unavailable (gave up after retries)',
  no_conversation: 'No conversation with the user',
  recheck_failed: 'Could not re-check the Macs',
  now_compliant: 'Compliant by their turn',
  frequency_cap: 'Reminded recently (frequency cap)',
  cancelled: 'Campaign cancelled',
  no_macs_left: 'No Mac found any more',
  // In doubt (issue 21): the reminder may have arrived.
  crashed_mid_send: 'The bot stopped during the send',
  gateway_error: 'Teams’ gateway answered 502/504 after the send',
  server_error: 'Teams answered a server error after the send',
  connection_lost: 'The connection dropped after the send',
  no_answer: 'No answer in time after the send',
  unexpected_error: 'The send ended in an unexpected error',
};

const STATE_WORDS: Record<CampaignState, string> = {
  running: 'sending',
  paused: 'paused',
  cancelled: 'cancelled',
  done: 'done',
};

const AUDIENCE_WORDS = {
  'not-registered': 'Macs not registered',
  'non-compliant': 'Macs not compliant',
  all: 'Macs not registered or not compliant',
} as const;

const n = (v: number) => v.toLocaleString('en-US');
const TIME = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZone: 'UTC',
});

function reasonFacts(byReason: Record<string, number>) {
  return Object.entries(byReason)
    .sort(([, a], [, b]) => b - a)
    .map(([reason, count]) => ({ title: OUTCOME_REASON_LABELS[reason] ?? reason, value: n(count) }));
}

/** The `campaignProgress` template's model. */
export interface CampaignProgressModel extends CampaignFunnelModel {
  id: string;
  style: ContainerStyle;
  title: string;
  subtitle: string;
  facts: readonly Fact[];
  failed: readonly Fact[];
  skipped: readonly Fact[];
  /** In-doubt reminders by reason: they may have arrived. */
  inDoubt: readonly Fact[];
  notice: string;
  updated: string;
  canPause: boolean;
  canResume: boolean;
  canCancel: boolean;
  canResend: boolean;
  /** In-doubt rows never resent are left: **Resend to in doubt** (with its confirm step). */
  canResendInDoubt: boolean;
  exportUrl: string;
}

/** The progress card: counts by state and reason, and the buttons that fit the state. */
export function campaignProgressModel(
  campaign: Campaign,
  counts: CampaignCounts,
  opts: {
    now: Date;
    exportUrl: string;
    becameCompliant?: number;
    /** The funnel (issue 19); without it, only the Macs the thank-you saw become compliant. */
    effectiveness?: CampaignEffectiveness | null;
  },
): CampaignProgressModel {
  const funnel = campaignFunnelModel(opts.effectiveness);
  const finished = counts.sent + counts.inDoubt + sum(counts.failed) + sum(counts.skipped);
  const pct = counts.total ? Math.floor((finished / counts.total) * 100) : 100;
  const failed = sum(counts.failed);
  const state = campaign.state;
  return {
    id: campaign.id,
    style:
      state === 'done'
        ? failed || counts.inDoubt
          ? 'warning'
          : 'good'
        : state === 'running'
          ? 'accent'
          : 'default',
    title: `Reminder campaign ${campaign.id} — ${STATE_WORDS[state]}`,
    subtitle: [
      `Started by ${escapeMarkdown(campaign.createdBy.name ?? 'an admin')} ${formatRelative(campaign.createdAt, opts.now)}`,
      `audience: ${AUDIENCE_WORDS[campaign.audience]}${campaign.groupName ? ` in ${escapeMarkdown(campaign.groupName)}` : ''}`,
      campaign.deadline ? `deadline ${formatDay(campaign.deadline)}` : null,
      campaign.scheduleId ? `schedule ${campaign.scheduleId}` : null,
    ]
      .filter(Boolean)
      .join(' · '),
    facts: [
      { title: 'Progress', value: `${n(finished)} of ${n(counts.total)} (${pct}%)` },
      { title: 'Sent', value: n(counts.sent) },
      { title: 'Waiting', value: n(counts.pending + counts.inFlight) },
      { title: 'In doubt', value: n(counts.inDoubt) },
      // Macs of reminded people that Entra confirmed compliant within 30 days of the reminder.
      ...(opts.becameCompliant && !funnel.hasFunnel
        ? [{ title: 'Became compliant', value: `${n(opts.becameCompliant)} Mac(s) since the reminder` }]
        : []),
    ],
    failed: reasonFacts(counts.failed),
    skipped: reasonFacts(counts.skipped),
    inDoubt: reasonFacts(counts.inDoubtReasons),
    notice: counts.inDoubt
      ? `${n(counts.inDoubt)} reminder(s) may or may not have arrived (the answer was lost after the send), so they are not sent again by themselves.${
          counts.inDoubtResendable ? ' **Resend to in doubt** sends them once more, after you confirm.' : ''
        }`
      : '',
    updated: `Updated ${TIME.format(opts.now)} UTC`,
    canPause: state === 'running',
    canResume: state === 'paused',
    canCancel: state === 'running' || state === 'paused',
    canResend: failed > 0 && state !== 'cancelled',
    canResendInDoubt: counts.inDoubtResendable > 0 && state !== 'cancelled',
    exportUrl: opts.exportUrl,
    ...funnel,
  };
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

/** The `campaignConfirm` template's model. */
export interface CampaignConfirmModel {
  title: string;
  summary: string;
  facts: readonly Fact[];
  notice: string;
  sampleTitle: string;
  sampleText: string;
  hint: string;
  canSend: boolean;
  sendTitle: string;
  /** "Fleet picture as of 4 minutes ago": the audience is counted from the fleet snapshot ('' when unknown). */
  freshness: string;
  /** Sent back by **Send**, with the campaign's options. */
  audience: Campaign['audience'];
  group: string;
  deadline: string;
  /** The campaign's id, fixed on the card by the caller: pressing Send twice starts it once. */
  campaignId: string;
}

/** The preview / confirmation card: who would be reminded, and a sample of what they get. */
export function campaignConfirmModel(
  selection: AudienceCounts & {
    /** Only counted here. */
    recipients: readonly unknown[];
    group: { id: string; name: string } | null;
    /** When the fleet snapshot the audience was chosen from was last synced. */
    asOf?: Date;
  },
  opts: {
    audience: Campaign['audience'];
    groupName: string | null;
    deadline: string | null;
    frequencyCapDays: number;
    preview: boolean;
    sample: { name: string; text: string } | null;
    now?: Date;
  },
): Omit<CampaignConfirmModel, 'campaignId'> {
  const people = selection.recipients.length;
  const verdictFacts = (Object.entries(selection.macsByVerdict) as [Verdict, number][]).map(([v, c]) => ({
    title: VERDICT_LABELS[v],
    value: `${n(c)} Mac${c === 1 ? '' : 's'}`,
  }));
  return {
    title:
      people === 0
        ? 'Nobody to remind'
        : `${opts.preview ? 'Preview: ' : 'Send '}a reminder to ${n(people)} ${people === 1 ? 'person' : 'people'}${opts.preview ? '' : '?'}`,
    summary: `Audience: ${AUDIENCE_WORDS[opts.audience]}${selection.group ? `, members of ${escapeMarkdown(selection.group.name)}` : ', all users'}. Each person is checked again just before their message; anyone compliant by then is skipped.`,
    facts: [
      { title: 'People', value: n(people) },
      ...verdictFacts,
      { title: 'Deadline', value: opts.deadline ? formatDay(opts.deadline) : 'none' },
    ],
    notice: [
      selection.unreachableMacs
        ? `${n(selection.unreachableMacs)} Mac(s) have no user in Entra ID: nobody can be reminded about them.`
        : '',
      selection.outsideGroup ? `${n(selection.outsideGroup)} other people are outside the group.` : '',
    ]
      .filter(Boolean)
      .join(' '),
    sampleTitle: opts.sample ? `What ${escapeMarkdown(opts.sample.name)} will receive` : '',
    sampleText: opts.sample?.text ?? '',
    hint:
      (opts.frequencyCapDays > 0
        ? `Nobody is reminded more than once in ${opts.frequencyCapDays} days. `
        : '') + (opts.preview ? 'Press Send, or type **remind send** with the same options.' : ''),
    canSend: people > 0,
    sendTitle: `Send to ${n(people)} ${people === 1 ? 'person' : 'people'}`,
    freshness: selection.asOf && opts.now ? fleetFreshness(selection.asOf, opts.now) : '',
    audience: opts.audience,
    group: opts.groupName ?? '',
    deadline: opts.deadline ?? '',
  };
}

/** The `campaignList` template's model. */
export interface CampaignListModel {
  title: string;
  empty: string;
  campaigns: readonly { id: string; state: string; details: string }[];
  schedules: readonly Fact[];
}

/** The `campaigns` card: recent campaigns with their counts, and the schedules. */
export function campaignListModel(
  items: { campaign: Campaign; counts: CampaignCounts; effectiveness?: CampaignEffectiveness | null }[],
  schedules: CampaignSchedule[],
  now: Date,
): CampaignListModel {
  return {
    title: 'Reminder campaigns',
    empty: 'No campaigns yet. Try **remind preview**.',
    campaigns: items.map(({ campaign, counts, effectiveness }) => ({
      id: campaign.id,
      state: STATE_WORDS[campaign.state],
      details: [
        formatRelative(campaign.createdAt, now),
        `${n(counts.sent)} sent of ${n(counts.total)}`,
        sum(counts.failed) ? `${n(sum(counts.failed))} failed` : null,
        sum(counts.skipped) ? `${n(sum(counts.skipped))} skipped` : null,
        counts.inDoubt ? `${n(counts.inDoubt)} in doubt` : null,
        funnelFigure(effectiveness),
      ]
        .filter(Boolean)
        .join(' · '),
    })),
    schedules: schedules.map((s) => ({
      title: s.id,
      value: `${s.cron} (${s.timeZone}) · ${AUDIENCE_WORDS[s.audience]}${s.groupName ? ` in ${escapeMarkdown(s.groupName)}` : ''}${s.deadlineDays !== null ? ` · deadline +${s.deadlineDays} days` : ''}`,
    })),
  };
}

/** One figure per campaign for the `campaigns` list: "12 of 40 compliant in 7 days (30%; not reminded 10%)". */
function funnelFigure(e: CampaignEffectiveness | null | undefined): string | null {
  if (!e || e.sent === 0) return null;
  const base = e.baseline.people ? `; not reminded ${pct(e.baseline.within[7], e.baseline.people)}` : '';
  return `${n(e.reminded.within[7])} of ${n(e.sent)} compliant in 7 days (${pct(e.reminded.within[7], e.sent)}${base})${e.provisional ? ' so far' : ''}`;
}
