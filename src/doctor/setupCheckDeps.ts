import type { AppConfig } from '../config';
import type { BotStore } from '../store/botStore';
import type { GraphClient } from '../upstream/graph/graphClient';
import type { JamfClient } from '../upstream/jamf/jamfClient';

/** `fs.statfs`'s answer, as far as the doctor reads it (the file system's magic number). */
export interface StatFsResult {
  type: number;
}

/** What the setup doctor reads: the clients and store the bot runs on, and the two I/O edges tests replace. */
export interface SetupCheckDeps {
  config: Pick<
    AppConfig,
    'mode' | 'bot' | 'connector' | 'broadcast' | 'store' | 'criteria' | 'jamfWebhooks'
  > & {
    graph: Pick<AppConfig['graph'], 'auth'>;
  };
  graph: Pick<
    GraphClient,
    | 'tokenClaims'
    | 'listCompliancePartners'
    | 'findGroups'
    | 'findServicePrincipal'
    | 'findCatalogAppId'
    | 'listConditionalAccessPolicies'
  >;
  jamf: Pick<
    JamfClient,
    'getPrivileges' | 'listWebhooks' | 'getWebhook' | 'getSmartGroup' | 'findSmartGroupByName'
  >;
  /** The running bot's store, or the doctor's read-only probe (null: no database yet). */
  store: Pick<BotStore, 'ready'> & {
    schemaVersion(): Promise<number | null>;
    /** The running bot's store only: can it write now (`BotStore.probe`)? */
    probe?(): Promise<void>;
  };
  /** For PUBLIC_URL's `/healthz` (default: Node's fetch). */
  fetch?: typeof fetch;
  /** For the SQLite folder's file system (default: `fs.promises.statfs`). */
  statfs?: (path: string) => Promise<StatFsResult>;
  /** How long PUBLIC_URL may take to answer (default 5 s). */
  publicUrlTimeoutMs?: number;
}
