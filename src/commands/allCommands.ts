import type { BroadcastService } from '../broadcasts/broadcastService';
import { auditCommand } from './auditCommand';
import type { AuditLogDeps } from './auditCard';
import { auditPageAction } from './auditPageAction';
import { campaignActions, type CampaignActionDeps } from './campaignActions';
import { campaignCommand } from './campaignCommand';
import { campaignsCommand } from './campaignsCommand';
import { caAuditCommand, type CaAuditDeps } from './caAuditCommand';
import { checkDeviceCommand } from './checkDeviceCommand';
import type { CardAction, Command } from './commandTypes';
import { connectorStatusCommand, type ConnectorStatusDeps } from './connectorStatusCommand';
import type { ContactItDeps } from './contactIt';
import { contactItAction } from './contactItAction';
import { contactItCommand } from './contactItCommand';
import type { DeviceAnswerDeps } from './deviceAnswer';
import { deviceCardAction } from './deviceCardAction';
import { deviceFixActions, type DeviceFixDeps } from './deviceFixActions';
import { deviceRemindAction, type DeviceRemindDeps } from './deviceRemindAction';
import { deviceViewAction } from './deviceViewAction';
import { helpCommand, type HelpDeps } from './helpCommand';
import { onboardApplyAction, type OnboardApplyDeps } from './onboardApplyAction';
import { onboardGroupCommand, type OnboardPlanDeps } from './onboardGroupCommand';
import { onboardPlanAction } from './onboardPlanAction';
import type { FleetAnswer } from './fleetAnswer';
import { remindCommand, type RemindDeps } from './remindCommand';
import { rolloutCommand, type RolloutDeps } from './rolloutCommand';
import { rolloutBatchActions, type RolloutBatchDeps } from './rolloutBatchActions';
import { setupCheckCommand, type SetupCheckDeps } from './setupCheckCommand';
import { setupWebhooksCommand } from './setupWebhooksCommand';
import { webhookSetupActions, type WebhookApplyDeps } from './webhookSetupActions';
import { statusCheckAction, type StatusCheckDeps } from './statusCheckAction';
import { statusCommand } from './statusCommand';
import { troubleshootCommand } from './troubleshootCommand';

/** What the commands and card actions use, by feature; the composition root (src/app.ts) builds it. */
export interface CommandDeps {
  help: HelpDeps;
  /** `status`, troubleshooting and Check again (which also counts the press for the campaign funnel). */
  endUser: StatusCheckDeps;
  contactIt: ContactItDeps;
  device: DeviceAnswerDeps;
  deviceRemind: DeviceRemindDeps;
  deviceFix: DeviceFixDeps;
  connectorStatus: ConnectorStatusDeps;
  caAudit: CaAuditDeps;
  rollout: RolloutDeps;
  /** The rollout card's batch fixes (wake all stale Macs, recalculate all out-of-sync Macs). */
  rolloutBatch: RolloutBatchDeps;
  setupCheck: SetupCheckDeps;
  webhookSetup: WebhookApplyDeps;
  onboard: OnboardPlanDeps & OnboardApplyDeps;
  audit: AuditLogDeps;
  campaigns: RemindDeps['campaigns'] & CampaignActionDeps['campaigns'] & Pick<BroadcastService, 'listCard'>;
  /** How fleet-wide answers read the fleet snapshot (`remind preview/send`; rollout and connector status have it too). */
  fleetAnswer: FleetAnswer;
}

/** Every text command, in the order the help card lists them, and every card action (`Action.Execute` verb). */
export function createCommands(deps: CommandDeps): { commands: Command[]; actions: CardAction[] } {
  const connector = connectorStatusCommand(deps.connectorStatus);
  const ca = caAuditCommand(deps.caAudit);
  const rollout = rolloutCommand(deps.rollout);
  const setup = setupCheckCommand(deps.setupCheck);
  return {
    commands: [
      helpCommand(deps.help),
      statusCommand(deps.endUser),
      troubleshootCommand(deps.endUser),
      contactItCommand(deps.contactIt),
      checkDeviceCommand(deps.device),
      connector.command,
      ca.command,
      rollout.command,
      onboardGroupCommand(deps.onboard),
      auditCommand(deps.audit),
      remindCommand(deps),
      campaignsCommand(deps),
      campaignCommand(deps),
      setup.command,
      setupWebhooksCommand(deps.webhookSetup),
    ],
    actions: [
      deviceCardAction('device.check', deps.device),
      deviceCardAction('device.refresh', deps.device),
      deviceViewAction(deps.device),
      connector.refresh,
      ca.refresh,
      rollout.refresh,
      setup.refresh,
      onboardPlanAction(deps.onboard),
      onboardApplyAction(deps.onboard),
      auditPageAction(deps.audit),
      statusCheckAction(deps.endUser),
      contactItAction(deps.contactIt),
      deviceRemindAction(deps.deviceRemind),
      ...deviceFixActions(deps.deviceFix),
      ...rolloutBatchActions(deps.rolloutBatch),
      ...campaignActions(deps),
      ...webhookSetupActions(deps.webhookSetup),
    ],
  };
}
