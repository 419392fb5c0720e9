import type { CampaignStore } from './campaignStore';
import type { AlertStateStore } from './ports/alertStateStore';
import type { AuditLog } from './ports/auditLog';
import type { ComplianceHistoryStore } from './ports/complianceHistoryStore';
import type { ConversationStore } from './ports/conversationStore';
import type { DropAlertStore } from './ports/dropAlertStore';
import type { EscalationStore } from './ports/escalationStore';
import type { FleetSnapshotStore } from './ports/fleetSnapshotStore';
import type { JobClaims } from './ports/jobClaims';
import type { OnboardingPlanStore } from './ports/onboardingPlanStore';
import type { RemediationStore } from './ports/remediationStore';
import type { RemediationBatchStore } from './ports/remediationBatchStore';
import type { SnapshotStore } from './ports/snapshotStore';
import type { WebhookQueue } from './ports/webhookQueue';
import type { ThankYouStore } from './ports/thankYouStore';
import type { WelcomeStore } from './ports/welcomeStore';

// The records live in compliance/ (several layers share them); re-exported for older imports.
export type { AlertState } from '../compliance/alertStateTypes';
export type { AuditActor, AuditEntry } from '../compliance/auditTypes';
export type { Escalation } from '../compliance/escalationTypes';
export type { OnboardingPlanStatus, StoredOnboardingPlan } from '../compliance/onboardingPlanRecordTypes';
export type { RolloutSnapshot } from '../compliance/rolloutSnapshotTypes';
export type { StoredConversation, StoredConversationScope } from '../compliance/storedConversationTypes';

/**
 * What the bot remembers between restarts: daily rollout snapshots, the connector alert state,
 * the conversations it can message proactively, the audit log, onboarding plans, welcomes,
 * escalations, reminder campaigns, scheduled-job claims, the fleet snapshot and the Jamf webhook queue. It is the sum
 * of the per-feature ports in src/store/ports/ (plus `CampaignStore`): the composition root
 * passes one object, and each consumer depends on the port it uses. Two implementations: `SqliteBotStore` (one
 * instance, the default) and `PgBotStore` (several instances sharing PostgreSQL); `openBotStore`
 * picks one from the configuration. Both must pass `test/store/botStoreConformance.ts`.
 */
export interface BotStore
  extends
    SnapshotStore,
    AlertStateStore,
    ConversationStore,
    AuditLog,
    JobClaims,
    OnboardingPlanStore,
    WelcomeStore,
    EscalationStore,
    CampaignStore,
    FleetSnapshotStore,
    WebhookQueue,
    ThankYouStore,
    DropAlertStore,
    RemediationStore,
    RemediationBatchStore,
    ComplianceHistoryStore {
  /** Resolves once the store can be used (schema migrated); rejects with why it cannot. */
  ready(): Promise<void>;
  /** The newest schema version applied (`schema_migrations`), for the setup doctor; 0 when none. */
  schemaVersion(): Promise<number>;
  /**
   * Can the store be used right now (`/readyz`)? Resolves, or rejects with why not: PostgreSQL
   * answers `SELECT 1`; SQLite takes its write lock and allocates a page in a transaction it rolls
   * back, and its folder has space left.
   */
  probe(): Promise<void>;
  close(): Promise<void>;
}
