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
 * landed. Resolves true when the campaign ended while this update was in flight: its end may
 * be hidden, and the caller updates the card once more — through the card's pace, since the
 * channel's rate limit is shared by every card in it and the end of several campaigns at once
 * would otherwise burst into a 429.
 */
export async function refreshProgressCard(deps: RefreshProgressCardDeps, id: string): Promise<boolean> {
  let shown = await deps.getCampaign(id);
  const posted = shown?.progressCard;
  if (!shown || !posted) return false;
  let card = await deps.render(shown);
  const latest = await deps.getCampaign(id);
  if (latest && latest.state !== shown.state) {
    shown = latest;
    card = await deps.render(latest);
  }
  await deps.notifier.updateCard(posted, card);
  if (ended(shown)) return false;
  const after = await deps.getCampaign(id);
  return after !== null && ended(after);
}
