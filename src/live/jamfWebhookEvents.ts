/** The Jamf Pro webhook events that name one computer (`event.jssID`): its record may have changed. */
export const COMPUTER_EVENTS: ReadonlySet<string> = new Set([
  'ComputerAdded',
  'ComputerInventoryCompleted',
  'ComputerCheckIn',
  'ComputerPolicyFinished',
  'ComputerPushCapabilityChanged',
]);

/** A computer smart group's membership changed: `groupAddedDevicesIds` and `groupRemovedDevicesIds`. */
export const GROUP_EVENT = 'SmartGroupComputerMembershipChange';

/** Every event the bot acts on; any other is accepted and ignored. */
export const isHandledEvent = (event: string): boolean => COMPUTER_EVENTS.has(event) || event === GROUP_EVENT;
