import { escalateToIt } from './alerts/escalateToIt';
import type { BroadcastService } from './broadcasts/broadcastService';
import type { RemediationBatches } from './broadcasts/remediationBatches';
import type { FindBatchCandidates } from './lookup/batchCandidates';
import { createCommands } from './commands/allCommands';
import type { DeviceAnswerDeps, DeviceViewers } from './commands/deviceAnswer';
import { runSetupCheck } from './doctor/runSetupCheck';
import { CommandRegistry } from './commands/commandRegistry';
import { matchIntent } from './commands/matchIntent';
import type { AppConfig } from './config';
import { applyStoredOnboardingPlan } from './lookup/applyStoredOnboardingPlan';
import type { ConnectorScope } from './lookup/connectorScope';
import type { InventoryIndex } from './lookup/inventoryIndex';
import { loadCaAudit } from './lookup/loadCaAudit';
import { connectorFleet, loadConnectorLive } from './lookup/loadConnectorStatus';
import type { DiagnoseFleet } from './lookup/diagnoseFleetSnapshot';
import type { FleetAnswer } from './commands/fleetAnswer';
import { lookupCallerMacs } from './lookup/lookupCallerMacs';
import { lookupMacs, type LookupQuery } from './lookup/lookupMacs';
import { planOnboardingGroup } from './lookup/planOnboardingGroup';
import { planRemediation, type RemediationDeps } from './lookup/planRemediation';
import { runRemediation } from './lookup/runRemediation';
import { sendFixReminder } from './broadcasts/sendFixReminder';
import { applyWebhookSetup } from './lookup/applyWebhookSetup';
import { planWebhookSetup } from './lookup/planWebhookSetup';
import { readAuditPage } from './lookup/readAuditPage';
import { suggestMacs } from './lookup/suggestMacs';
import type { Notifier } from './notifier';
import { rolloutCard } from './rollout/rolloutCard';
import type { BotStore } from './store/botStore';
import type { GraphClient } from './upstream/graph/graphClient';
import type { JamfClient } from './upstream/jamf/jamfClient';

/** What the composition root has built that the commands' use cases run on. */
export interface CommandWiring {
  config: AppConfig;
  graph: GraphClient;
  jamf: JamfClient;
  /** The connector and its macOS groups, cached for a few minutes. */
  connectorScope: () => Promise<ConnectorScope>;
  /** Jamf's inventory in memory: look-ups search it first. */
  inventory: InventoryIndex;
  store: BotStore;
  /** Posts to the admin channel ("Contact IT"). */
  notifier: Notifier;
  broadcasts: BroadcastService;
  /** Fleet-wide answers from the fleet snapshot: progress during its first build, Refresh in place. */
  fleetAnswer: FleetAnswer;
  /** The snapshot's diagnoses, cached per version and hour (shared with the jobs and campaigns). */
  diagnose: DiagnoseFleet;
  /** The Macs the rollout card's batch fixes can help (cached per snapshot version and hour). */
  batchCandidates: FindBatchCandidates;
  /** The rollout card's batch fixes: confirm step, start once, progress. */
  batches: RemediationBatches;
  /** Who sees shared device cards' full view (channels, the compose box). */
  deviceViewers?: DeviceViewers;
}

/** `check device`'s look-ups, shared by the command, its buttons and the compose box. */
export function deviceAnswerDeps(w: CommandWiring): DeviceAnswerDeps {
  const lookup = { jamf: w.jamf, graph: w.graph, connectorScope: w.connectorScope, inventory: w.inventory };
  return {
    lookupMacs: (query: LookupQuery) => lookupMacs(query, lookup),
    suggestMacs: (text) => suggestMacs(w.jamf, text),
    criteria: w.config.criteria,
    jamfUrl: w.config.jamf.baseUrl,
    viewers: w.deviceViewers,
  };
}

/**
 * Part of the composition root (src/app.ts): binds each command's declared deps to the use cases
 * and clients, and registers the commands and card actions. Nothing else hands commands a
 * client or the store.
 */
export function createCommandRegistry(w: CommandWiring): CommandRegistry {
  const { config, graph, jamf, store, broadcasts } = w;
  const lookup = { jamf, graph, connectorScope: w.connectorScope, inventory: w.inventory };
  const callerMacs = (aadObjectId: string | null, now: Date) =>
    lookupCallerMacs(aadObjectId, lookup, config.criteria, now, {
      selfServicePolicyName: config.endUsers.selfServicePolicyName,
    });
  const lookupMacsLive = (query: LookupQuery) => lookupMacs(query, lookup);
  const { fleetAnswer, diagnose } = w;
  const rollout = { diagnose, config, store, history: store, candidates: w.batchCandidates };
  const remediation: RemediationDeps = {
    lookupMacs: lookupMacsLive,
    criteria: config.criteria,
    jamf,
    graph,
    store,
    selfServicePolicyName: config.endUsers.selfServicePolicyName,
    sendFix: sendFixReminder(broadcasts),
  };
  const { commands, actions } = createCommands({
    help: { registry: () => registry },
    endUser: {
      lookupCallerMacs: callerMacs,
      advice: { criteria: config.criteria, selfServicePolicyName: config.endUsers.selfServicePolicyName },
      recordReminderCheck: (press) => broadcasts.recordCheckAgain(press),
    },
    contactIt: {
      lookupCallerMacs: callerMacs,
      escalateToIt: (r) => escalateToIt({ store, notifier: w.notifier }, r),
    },
    device: deviceAnswerDeps(w),
    deviceRemind: {
      lookupMacs: lookupMacsLive,
      criteria: config.criteria,
      remindOneAndWait: (recipient, actor, ms) => broadcasts.remindOneAndWait(recipient, actor, ms),
    },
    deviceFix: {
      planRemediation: (opts) => planRemediation(remediation, opts),
      runRemediation: (opts) => runRemediation(remediation, opts),
    },
    connectorStatus: {
      loadConnectorLive: () => loadConnectorLive({ graph, config }),
      connectorFleet: (fleet, now) => connectorFleet(fleet, diagnose, now),
      fleetAnswer,
      connector: config.connector,
    },
    caAudit: { loadCaAudit: () => loadCaAudit(graph, config.connector.registrationAppId) },
    rollout: { rolloutCard: (fleet, now, opts) => rolloutCard(rollout, fleet, now, opts), fleetAnswer },
    rolloutBatch: {
      previewBatch: (kind, actor, card) => w.batches.preview(kind, actor, card),
      confirmBatch: (press) => w.batches.confirm(press),
      cancelBatch: (press) => w.batches.cancel(press),
      batchProgressCard: (id) => w.batches.progressCard(id),
    },
    onboard: {
      planOnboardingGroup: (target, actor, now, log) =>
        planOnboardingGroup({ graph, jamf, inventory: w.inventory, config, store }, target, actor, now, log),
      applyStoredOnboardingPlan: (opts) =>
        applyStoredOnboardingPlan({ writers: { graph, jamf, store }, store }, opts),
    },
    audit: { readAuditPage: (query) => readAuditPage(store, query) },
    setupCheck: { runSetupCheck: (now) => runSetupCheck({ config, graph, jamf, store }, now) },
    campaigns: broadcasts,
    fleetAnswer,
    webhookSetup: {
      planWebhookSetup: (actor, now, log) => planWebhookSetup({ jamf, config, store }, actor, now, log),
      applyWebhookSetup: (opts) => applyWebhookSetup({ jamf, config, store }, opts),
    },
  });
  const registry: CommandRegistry = new CommandRegistry(commands, actions, matchIntent);
  return registry;
}
