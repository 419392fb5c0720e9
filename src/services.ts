import type { BroadcastService } from './broadcasts/broadcastService';
import type { AppConfig } from './config';
import type { CommandRegistry } from './commands/commandRegistry';
import type { ConnectorScope } from './lookup/connectorScope';
import type { InventoryIndex } from './lookup/inventoryIndex';
import type { Notifier } from './notifier';
import type { BotStore } from './store/botStore';
import type { GraphClient } from './upstream/graph/graphClient';
import type { JamfClient } from './upstream/jamf/jamfClient';

/**
 * What command handlers may use, built once by the composition root (src/app.ts).
 */
export interface Services {
  config: AppConfig;
  registry: CommandRegistry<Services>;
  graph: GraphClient;
  jamf: JamfClient;
  /** The Jamf connector and its macOS groups, cached for a few minutes. */
  connectorScope: () => Promise<ConnectorScope>;
  /** Snapshots, alert state and conversation references (SQLite by default). */
  store: BotStore;
  /** Jamf's inventory in memory, reloaded by the scheduler; `check device` searches it first. */
  inventory: InventoryIndex;
  /** Proactive posts (the admin channel): escalations from "Contact IT". */
  notifier: Notifier;
  /** Reminder campaigns (absent where nothing can send, e.g. some tests). */
  broadcasts?: BroadcastService;
}
