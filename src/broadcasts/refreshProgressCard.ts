import type { AdaptiveCard } from '../cards/renderCard';
import type { Campaign } from '../compliance/campaignTypes';
import type { Notifier } from '../notifier';

export interface RefreshProgressCardDeps {
  getCampaign(id: string): Promise<Campaign | null>;
  /** The campaign's progress card for the campaign as read (its state), counts as they are now. */
  render(campaign: Campaign): Promise<AdaptiveCard>;
  notifier: Pick<Notifier, 'updateCard'>;
}

const ended = (c: Campaign) => c.state === 'done' || c.state === 'cancelled';

/**
 * Updates a campaign's progress card in place from the store. With several instances, one may
 * render while the campaign runs, another post the final card, and the first one's update land
 * last — a finished campaign shown as running. So the state is read again just before the
 * update leaves (a render that went stale meanwhile is done again), and once more after it
 * landed: if the campaign ended while the update was in flight, the final card is sent again,
 * so the last update carries the end. Only then: the channel's own rate limit is shared with
 * every other card of it.
 */
export async function refreshProgressCard(deps: RefreshProgressCardDeps, id: string): Promise<void> {
  let shown = await deps.getCampaign(id);
  const posted = shown?.progressCard;
  if (!shown || !posted) return;
  let card = await deps.render(shown);
  const latest = await deps.getCampaign(id);
  if (latest && latest.state !== shown.state) {
    shown = latest;
    card = await deps.render(latest);
  }
  await deps.notifier.updateCard(posted, card);
  if (ended(shown)) return;
  const after = await deps.getCampaign(id);
  if (!after?.progressCard || !ended(after)) return;
  await deps.notifier.updateCard(after.progressCard, await deps.render(after));
}
