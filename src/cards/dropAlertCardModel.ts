import type { DropWindow } from '../compliance/liveUpdateTypes';
import type { ContainerStyle } from './cardParts';
import { escapeMarkdown } from './escapeMarkdown';

/** The `dropAlert` template's model. */
export interface DropAlertCardModel {
  style: ContainerStyle;
  title: string;
  headline: string;
  namesTitle: string;
  names: readonly { name: string }[];
  more: string;
  hint: string;
  updated: string;
}

const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
const time = (iso: string | null) => (iso ? `${TIME.format(Date.parse(iso))} UTC` : '');
const macs = (n: number) => `${n.toLocaleString('en-US')} Mac${n === 1 ? '' : 's'}`;

/**
 * The drop alert: how many Macs left Jamf's Compliance group since the episode began, the first
 * names, and where to look (`rollout`). `ended` once the window passed with no more drops.
 */
export function dropAlertCardModel(opts: {
  drops: DropWindow;
  groupName: string;
  threshold: number;
  windowMinutes: number;
  now: Date;
  ended: boolean;
}): DropAlertCardModel {
  const { drops } = opts;
  const shown = drops.names.map((n) => ({ name: escapeMarkdown(n) }));
  const rest = drops.count - shown.length;
  return {
    style: opts.ended ? 'warning' : 'attention',
    title: `${macs(drops.count)} left the Compliance group`,
    headline: `${macs(drops.count)} left Jamf Pro’s smart group “${escapeMarkdown(opts.groupName)}” since ${time(drops.firstAt)} — at least ${opts.threshold} in ${opts.windowMinutes} minutes. Their users may lose access to company apps.`,
    namesTitle: shown.length < drops.count ? 'First Macs' : 'Macs',
    names: shown,
    more: rest > 0 ? `and ${rest.toLocaleString('en-US')} more` : '',
    hint: 'Run **rollout** for the whole fleet and the most common reasons; a changed smart group or profile in Jamf Pro is the usual cause of a sudden drop.',
    updated: opts.ended
      ? `Ended: no more drops since ${time(drops.lastAt)}. A new drop starts a new alert.`
      : `Still going: last drop ${time(drops.lastAt)}. Updated ${time(opts.now.toISOString())}; this card is updated in place.`,
  };
}
