import {
  WINDOW_DAYS,
  type CampaignEffectiveness,
  type CohortOutcome,
} from '../compliance/campaignEffectiveness';
import { describeDuration } from '../compliance/describeDuration';
import type { Fact } from './cardParts';

/** One step of the funnel on the progress card: a big number over its label. */
export interface FunnelStep {
  value: string;
  label: string;
}

/** The funnel part of the `campaignProgress` template's model (`hasFunnel` false: none shown). */
export interface CampaignFunnelModel {
  hasFunnel: boolean;
  funnel: readonly FunnelStep[];
  funnelFacts: readonly Fact[];
  funnelNote: string;
}

const n = (v: number) => v.toLocaleString('en-US');
export const pct = (part: number, whole: number) => (whole ? `${Math.round((part / whole) * 100)}%` : '–');

/** "5 / 9 / 12 of 20" — compliant within 1, 3 and 7 days. */
const withinDays = (c: CohortOutcome) =>
  `${n(c.within[1])} / ${n(c.within[3])} / ${n(c.within[7])} of ${n(c.people)} (${pct(c.within[7], c.people)} in 7 days)`;

const medianText = (c: CohortOutcome) => (c.medianMs === null ? '–' : describeDuration(c.medianMs));

/** The funnel (sent → checked → compliant within 7 days) and how it compares with people not reminded. */
export function campaignFunnelModel(e: CampaignEffectiveness | null | undefined): CampaignFunnelModel {
  if (!e || e.sent === 0) return { hasFunnel: false, funnel: [], funnelFacts: [], funnelNote: '' };
  const { reminded, baseline } = e;
  return {
    hasFunnel: true,
    funnel: [
      { value: n(e.sent), label: 'Sent' },
      { value: `${n(e.checked)} (${pct(e.checked, e.sent)})`, label: 'Pressed Check again' },
      {
        value: `${n(reminded.within[7])} (${pct(reminded.within[7], e.sent)})`,
        label: 'Compliant within 7 days',
      },
    ],
    funnelFacts: [
      { title: 'Compliant within 1 / 3 / 7 days', value: withinDays(reminded) },
      { title: 'Median time to compliance', value: medianText(reminded) },
      {
        title: 'Not reminded (baseline)',
        value: baseline.people
          ? `${withinDays(baseline)} · median ${medianText(baseline)}`
          : 'nobody to compare with',
      },
    ],
    funnelNote: [
      'A person counts as compliant once every Mac their reminder named is seen compliant (daily snapshot, live changes and re-checks), counted from their reminder.',
      'The baseline is everyone with a Mac not compliant when the campaign started whom no campaign reminded around then, counted from the start.',
      `The median is over those compliant within ${WINDOW_DAYS} days.`,
      e.provisional ? 'The 7-day window is still open: the figures may grow.' : '',
    ]
      .filter(Boolean)
      .join(' '),
  };
}
