import type { Services } from '../services';
import { auditCommand, auditPageAction } from './auditLog';
import { caAuditCommand, caRefreshAction } from './caAudit';
import type { CardAction, Command } from './commandTypes';
import {
  checkDeviceCommand,
  deviceCheckAction,
  deviceRefreshAction,
  deviceRemindAction,
} from './checkDevice';
import { connectorRefreshAction, connectorStatusCommand } from './connectorStatus';
import { contactItAction, contactItCommand } from './contactIt';
import { helpCommand } from './help';
import { onboardApplyAction, onboardGroupCommand, onboardPlanAction } from './onboardGroup';
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
import { statusCheckAction, statusCommand } from './status';
import { troubleshootCommand } from './troubleshoot';

/** Every text command, in the order the help card lists them. */
export const ALL_COMMANDS: Command<Services>[] = [
  helpCommand,
  statusCommand,
  troubleshootCommand,
  contactItCommand,
  checkDeviceCommand,
  connectorStatusCommand,
  caAuditCommand,
  rolloutCommand,
  onboardGroupCommand,
  auditCommand,
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
  onboardPlanAction,
  onboardApplyAction,
  auditPageAction,
  statusCheckAction,
  contactItAction,
  deviceRemindAction,
  campaignSendAction,
  campaignRefreshAction,
  campaignPauseAction,
  campaignResumeAction,
  campaignCancelAction,
  campaignResendAction,
];
