import type { AdaptiveCard } from '../cards/renderCard';
import type { Campaign } from '../compliance/campaignTypes';
import type { Notifier } from '../notifier';

export interface RefreshProgressCardDeps {
  getCampaign(id: string): Promise<Campaign | null>;
  /** The campaign's progress card, rendered from the store now. */
  render(id: string): Promise<AdaptiveCard>;
  notifier: Pick<Notifier, 'updateCard'>;
}

/**
 * Updates a campaign's progress card in place from the store. With several instances, one may
 * render while the campaign still runs, another post the final card, and the first one's update
 * land last — a finished campaign shown as running. So the campaign is read again once the
 * update landed: if its state changed since the render (it ended, was paused or cancelled),
 * the card is rendered and updated once more, and the last update carries the state that holds.
 */
export async function refreshProgressCard(deps: RefreshProgressCardDeps, id: string): Promise<void> {
  const before = await deps.getCampaign(id);
  if (!before?.progressCard) return;
  await deps.notifier.updateCard(before.progressCard, await deps.render(id));
  const after = await deps.getCampaign(id);
  if (!after?.progressCard || after.state === before.state) return;
  await deps.notifier.updateCard(after.progressCard, await deps.render(id));
}
