import type { CampaignStore } from './campaignStore';

/**
 * The reminder-campaign half of a `BotStore`, handed to the engine's own campaign store
 * (`SqliteCampaignStore`, `PgCampaignStore`): both bot stores extend this instead of each
 * listing the same delegations.
 */
export abstract class CampaignStoreDelegate implements CampaignStore {
  protected abstract readonly campaigns: CampaignStore;

  createCampaign(
    ...a: Parameters<CampaignStore['createCampaign']>
  ): ReturnType<CampaignStore['createCampaign']> {
    return this.campaigns.createCampaign(...a);
  }
  getCampaign(...a: Parameters<CampaignStore['getCampaign']>): ReturnType<CampaignStore['getCampaign']> {
    return this.campaigns.getCampaign(...a);
  }
  listCampaigns(
    ...a: Parameters<CampaignStore['listCampaigns']>
  ): ReturnType<CampaignStore['listCampaigns']> {
    return this.campaigns.listCampaigns(...a);
  }
  transitionCampaign(
    ...a: Parameters<CampaignStore['transitionCampaign']>
  ): ReturnType<CampaignStore['transitionCampaign']> {
    return this.campaigns.transitionCampaign(...a);
  }
  setProgressCard(
    ...a: Parameters<CampaignStore['setProgressCard']>
  ): ReturnType<CampaignStore['setProgressCard']> {
    return this.campaigns.setProgressCard(...a);
  }
  completeCampaignIfDrained(
    ...a: Parameters<CampaignStore['completeCampaignIfDrained']>
  ): ReturnType<CampaignStore['completeCampaignIfDrained']> {
    return this.campaigns.completeCampaignIfDrained(...a);
  }
  campaignCounts(
    ...a: Parameters<CampaignStore['campaignCounts']>
  ): ReturnType<CampaignStore['campaignCounts']> {
    return this.campaigns.campaignCounts(...a);
  }
  listOutbox(...a: Parameters<CampaignStore['listOutbox']>): ReturnType<CampaignStore['listOutbox']> {
    return this.campaigns.listOutbox(...a);
  }
  claimOutbox(...a: Parameters<CampaignStore['claimOutbox']>): ReturnType<CampaignStore['claimOutbox']> {
    return this.campaigns.claimOutbox(...a);
  }
  renewLeases(...a: Parameters<CampaignStore['renewLeases']>): ReturnType<CampaignStore['renewLeases']> {
    return this.campaigns.renewLeases(...a);
  }
  markSending(...a: Parameters<CampaignStore['markSending']>): ReturnType<CampaignStore['markSending']> {
    return this.campaigns.markSending(...a);
  }
  finishOutbox(...a: Parameters<CampaignStore['finishOutbox']>): ReturnType<CampaignStore['finishOutbox']> {
    return this.campaigns.finishOutbox(...a);
  }
  releaseOutbox(
    ...a: Parameters<CampaignStore['releaseOutbox']>
  ): ReturnType<CampaignStore['releaseOutbox']> {
    return this.campaigns.releaseOutbox(...a);
  }
  recoverOutbox(
    ...a: Parameters<CampaignStore['recoverOutbox']>
  ): ReturnType<CampaignStore['recoverOutbox']> {
    return this.campaigns.recoverOutbox(...a);
  }
  requeueFailed(
    ...a: Parameters<CampaignStore['requeueFailed']>
  ): ReturnType<CampaignStore['requeueFailed']> {
    return this.campaigns.requeueFailed(...a);
  }
  reserveReminder(
    ...a: Parameters<CampaignStore['reserveReminder']>
  ): ReturnType<CampaignStore['reserveReminder']> {
    return this.campaigns.reserveReminder(...a);
  }
  releaseReminder(
    ...a: Parameters<CampaignStore['releaseReminder']>
  ): ReturnType<CampaignStore['releaseReminder']> {
    return this.campaigns.releaseReminder(...a);
  }
  findPersonalConversation(
    ...a: Parameters<CampaignStore['findPersonalConversation']>
  ): ReturnType<CampaignStore['findPersonalConversation']> {
    return this.campaigns.findPersonalConversation(...a);
  }
  saveSchedule(...a: Parameters<CampaignStore['saveSchedule']>): ReturnType<CampaignStore['saveSchedule']> {
    return this.campaigns.saveSchedule(...a);
  }
  listSchedules(
    ...a: Parameters<CampaignStore['listSchedules']>
  ): ReturnType<CampaignStore['listSchedules']> {
    return this.campaigns.listSchedules(...a);
  }
  deleteSchedule(
    ...a: Parameters<CampaignStore['deleteSchedule']>
  ): ReturnType<CampaignStore['deleteSchedule']> {
    return this.campaigns.deleteSchedule(...a);
  }
}
