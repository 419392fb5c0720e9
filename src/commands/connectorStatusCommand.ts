import { connectorCardModel } from '../cards/connectorCardModel';
import { renderCard } from '../cards/renderCard';
import { assessConnectorHealth } from '../compliance/assessConnectorHealth';
import type { FleetSnapshotRead } from '../compliance/fleetSnapshotTypes';
import type { AppConfig } from '../config';
import { UpstreamError } from '../errors';
import type { ConnectorFleet, ConnectorLive } from '../lookup/loadConnectorStatus';
import { refreshableFleetCommand, type FleetAnswer } from './fleetAnswer';
import type { RefreshableCardCommand } from './refreshableCardCommand';

export interface ConnectorStatusDeps {
  /** Partner, groups and Entra apps, read live (`loadConnectorLive`). */
  loadConnectorLive: () => Promise<ConnectorLive>;
  /** Fleet counts from the fleet snapshot, or the first build's progress (`connectorFleet`). */
  connectorFleet: (fleet: FleetSnapshotRead, now: Date) => ConnectorFleet;
  /** Answers from the fleet snapshot; Refresh syncs it (`fleetAnswer`). */
  fleetAnswer: FleetAnswer;
  connector: Pick<AppConfig['connector'], 'heartbeatStaleAfterMinutes' | 'registrationAppId'>;
}

/**
 * `connector status`: is the Jamf → Intune → Entra connector working, and if not, what to change;
 * Refresh (`connector.refresh`) reads the partner and apps again and syncs the fleet snapshot.
 * Not `status` alone: that is the end users' "am I compliant" command. During the first fleet
 * build the card is shown at once with the build's progress in place of the counts, and updated
 * until they are there (the live part is read once per answer).
 */
export function connectorStatusCommand(deps: ConnectorStatusDeps): RefreshableCardCommand {
  return refreshableFleetCommand({
    name: 'connector status',
    aliases: ['connector', 'status connector', 'connector health', 'check connector'],
    summary: 'Health of the Intune partner connector for Jamf, its Entra apps and the fleet counts.',
    usage: 'connector status',
    examples: ['connector status'],
    verb: 'connector.refresh',
    answer: deps.fleetAnswer,
    card: () => {
      let live: Promise<ConnectorLive> | null = null;
      const render = async (fleet: FleetSnapshotRead | UpstreamError, now: Date) => {
        live ??= deps.loadConnectorLive();
        const status =
          fleet instanceof UpstreamError
            ? { ...(await live), fleet: null, fleetBuilding: null }
            : { ...(await live), ...deps.connectorFleet(fleet, now) };
        const health = assessConnectorHealth({
          partner: status.scope.partner,
          scope: status.scope,
          apps: status.apps,
          fleetSummary: status.fleet?.summary ?? null,
          now,
          heartbeatStaleAfterMinutes: deps.connector.heartbeatStaleAfterMinutes,
        });
        return renderCard(
          'connectorStatus',
          connectorCardModel(
            { ...status, health, fleetFailure: fleet instanceof UpstreamError ? fleet.service : null },
            { now, registrationAppId: deps.connector.registrationAppId },
          ),
        );
      };
      // Without the fleet snapshot the connector is still worth showing: the counts say why they are missing.
      return { ready: render, building: render, failed: render };
    },
  });
}
