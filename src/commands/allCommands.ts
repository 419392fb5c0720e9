import type { Services } from '../services';
import { auditCommand, auditPageAction } from './auditLog';
import { caAuditCommand, caRefreshAction } from './caAudit';
import type { CardAction, Command } from './commandTypes';
import { checkDeviceCommand, deviceCheckAction, deviceRefreshAction } from './checkDevice';
import { connectorRefreshAction, connectorStatusCommand } from './connectorStatus';
import { helpCommand } from './help';
import { onboardApplyAction, onboardGroupCommand, onboardPlanAction } from './onboardGroup';
import { rolloutCommand, rolloutRefreshAction } from './rollout';

/** Every text command, in the order the help card lists them. */
export const ALL_COMMANDS: Command<Services>[] = [
  helpCommand,
  checkDeviceCommand,
  connectorStatusCommand,
  caAuditCommand,
  rolloutCommand,
  onboardGroupCommand,
  auditCommand,
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
];
