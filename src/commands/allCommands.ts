import type { Services } from '../services';
import type { CardAction, Command } from './commandTypes';
import { checkDeviceCommand, deviceCheckAction, deviceRefreshAction } from './checkDevice';
import { helpCommand } from './help';

/** Every text command, in the order the help card lists them. */
export const ALL_COMMANDS: Command<Services>[] = [helpCommand, checkDeviceCommand];

/** Every card action (`Action.Execute` verb). */
export const ALL_CARD_ACTIONS: CardAction<Services>[] = [deviceCheckAction, deviceRefreshAction];
