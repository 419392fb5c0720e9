/**
 * Jamf Pro webhooks (Classic API `/JSSResource/webhooks`) as the bot reads and writes them, and
 * the set it needs. Plain data; the Jamf client maps its XML/JSON to these.
 */

/** The events the bot listens to (Jamf's `webhookEvent` names). */
export type BotWebhookEvent =
  'ComputerAdded' | 'ComputerInventoryCompleted' | 'SmartGroupComputerMembershipChange';

/** How Jamf authenticates to the receiver: none, basic (username/password), or headers it sends. */
export type JamfWebhookAuthentication = 'NONE' | 'BASIC' | 'HEADER';

/** A webhook's settings, as created or updated. */
export interface JamfWebhookSettings {
  name: string;
  enabled: boolean;
  url: string;
  /** `application/json` or `text/xml`: the shape of each delivery. */
  contentType: string;
  /** Jamf's event name, e.g. `ComputerInventoryCompleted`. */
  event: string;
  /** Seconds. */
  connectionTimeout: number;
  /** Seconds. */
  readTimeout: number;
  authenticationType: JamfWebhookAuthentication;
  /**
   * HEADER authentication: the headers Jamf adds to each delivery, name → value (Jamf keeps them
   * as one JSON object). Null when Jamf did not show them (then they cannot be compared).
   */
  headers: Record<string, string> | null;
  /** The smart group a membership-change webhook is limited to (Jamf 10.48+); null = none. */
  smartGroupId: string | null;
}

/** A stored webhook. */
export interface JamfWebhook extends JamfWebhookSettings {
  id: string;
}
