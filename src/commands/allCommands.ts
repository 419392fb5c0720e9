import type { Services } from '../services';
import { caAuditCommand, caRefreshAction } from './caAudit';
import type { CardAction, Command } from './commandTypes';
import {
  checkDeviceCommand,
  deviceCheckAction,
  deviceRefreshAction,
  deviceRemindAction,
} from './checkDevice';
import { connectorRefreshAction, connectorStatusCommand } from './connectorStatus';
import { helpCommand } from './help';
import {
  campaignCancelAction,
  campaignCommand,
  campaignPauseAction,
  campaignRefreshAction,
  campaignResendAction,
  campaignResumeAction,
  campaignsCommand,
  campaignSendAction,
  remindCommand,
} from './remind';
import { rolloutCommand, rolloutRefreshAction } from './rollout';

/** Every text command, in the order the help card lists them. */
export const ALL_COMMANDS: Command<Services>[] = [
  helpCommand,
  checkDeviceCommand,
  connectorStatusCommand,
  caAuditCommand,
  rolloutCommand,
  remindCommand,
  campaignsCommand,
  campaignCommand,
];

/** Every card action (`Action.Execute` verb). */
export const ALL_CARD_ACTIONS: CardAction<Services>[] = [
  deviceCheckAction,
  deviceRefreshAction,
  connectorRefreshAction,
  caRefreshAction,
  rolloutRefreshAction,
  deviceRemindAction,
  campaignSendAction,
  campaignRefreshAction,
  campaignPauseAction,
  campaignResumeAction,
  campaignCancelAction,
  campaignResendAction,
];
