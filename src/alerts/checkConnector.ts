import { connectorAlertCardModel } from '../cards/connectorAlertCardModel';
import { connectorRecoveredCardModel } from '../cards/connectorRecoveredCardModel';
import { renderCard } from '../cards/renderCard';
import { connectorProblems } from '../compliance/connectorProblems';
import type { AppConfig } from '../config';
import type { Logger } from '../log';
import { pickJamfPartner } from '../lookup/connectorScope';
import type { Notifier } from '../notifier';
import type { AlertState } from '../compliance/alertStateTypes';
import type { AlertStateStore } from '../store/ports/alertStateStore';
import type { GraphClient } from '../upstream/graph/graphClient';
import { decideConnectorAlert, type ConnectorAlertDecision } from './decideConnectorAlert';

export interface CheckConnectorDeps {
  graph: Pick<GraphClient, 'listCompliancePartners'>;
  store: AlertStateStore;
  notifier: Notifier;
  config: Pick<AppConfig, 'connector'>;
  logger: Logger;
}

export interface ConnectorCheck {
  healthy: boolean;
  problems: string[];
  decision: ConnectorAlertDecision['kind'];
  /** Whether a card was posted or updated. */
  notified: boolean;
}

/** The alert state's key for the Jamf connector. */
export const CONNECTOR_ALERT_KEY = 'connector';

/**
 * One scheduled connector check: reads the partner fresh from Graph (not the commands' cached
 * scope), applies the alert rule (`decideConnectorAlert`) against the stored state, posts or
 * updates at most one card, and stores the new state — so a restart neither repeats an alert
 * nor forgets one. A Graph failure throws before anything is stored: no alert about our own
 * network trouble, and the next check tries again. A failed post leaves the state "not told",
 * so the next check retries it.
 */
export async function checkConnector(deps: CheckConnectorDeps, now: Date): Promise<ConnectorCheck> {
  const { store, notifier, logger } = deps;
  const partner = pickJamfPartner(await deps.graph.listCompliancePartners(), deps.config.connector.name);
  const problems = connectorProblems(partner, now, {
    heartbeatStaleAfterMinutes: deps.config.connector.heartbeatStaleAfterMinutes,
  });
  const codes = problems.map((p) => p.code);
  const stored = await store.getAlertState(CONNECTOR_ALERT_KEY);
  const decision = decideConnectorAlert(stored, codes);
  const healthy = codes.length === 0;
  const nowIso = now.toISOString();
  const stateChanged = !stored || stored.healthy !== healthy;
  const next: AlertState = {
    key: CONNECTOR_ALERT_KEY,
    healthy,
    problems: codes,
    since: stateChanged ? nowIso : stored.since,
    checkedAt: nowIso,
    alert: healthy ? null : (stored?.alert ?? null),
  };
  let notified = false;
  // The recovery could not be posted: stay broken, so the next check posts it.
  const stayBroken = () =>
    Object.assign(next, {
      healthy: false,
      problems: stored!.problems,
      since: stored!.since,
      alert: stored!.alert,
    });

  try {
    switch (decision.kind) {
      case 'alert': {
        const card = renderCard(
          'connectorAlert',
          connectorAlertCardModel({ partner, problems, since: next.since, now }),
        );
        const posted = await notifier.postToAdminChannel(card);
        if (posted) {
          next.alert = { conversationId: posted.conversationId, activityId: posted.activityId, at: nowIso };
          notified = true;
        }
        logger.warn({ problems: codes, posted: Boolean(posted) }, 'connector alert');
        break;
      }
      case 'update-alert': {
        const card = renderCard(
          'connectorAlert',
          connectorAlertCardModel({ partner, problems, since: next.since, now, updatedAt: nowIso }),
        );
        // A failed update is not worth a second message: the alert already in the channel stands.
        await notifier.updateCard(stored!.alert!, card).then(
          () => (notified = true),
          (err: unknown) => logger.warn({ err }, 'could not update the connector alert card'),
        );
        logger.warn({ problems: codes, was: stored?.problems }, 'connector alert: reasons changed');
        break;
      }
      case 'recovered': {
        const card = renderCard(
          'connectorRecovered',
          connectorRecoveredCardModel({
            partner,
            previousProblems: stored!.problems,
            brokenSince: stored!.since,
            now,
          }),
        );
        if (await notifier.postToAdminChannel(card)) notified = true;
        else stayBroken();
        logger.info({ was: stored?.problems }, 'connector recovered');
        break;
      }
      case 'none':
        break;
    }
  } catch (err) {
    if (decision.kind === 'recovered') stayBroken();
    await store.saveAlertState(next);
    throw err;
  }
  await store.saveAlertState(next);
  return { healthy, problems: codes, decision: decision.kind, notified };
}
