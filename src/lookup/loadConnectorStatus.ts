import { diagnoseMac } from '../compliance/diagnoseMac';
import { summarizeFleet, type FleetSummary } from '../compliance/summarizeFleet';
import { UpstreamError } from '../errors';
import type { AppConfig } from '../config';
import type { GraphClient } from '../upstream/graph/graphClient';
import type { ServicePrincipalInfo } from '../upstream/graph/graphTypes';
import { loadConnectorScope, type ConnectorScope } from './connectorScope';
import { loadFleet, type LoadFleetDeps } from './loadFleet';

/** The two Entra apps the Jamf Pro wizard creates (the seed article's names). */
export const CLOUD_CONNECTOR_APP_NAME = 'Cloud Connector for Device Compliance';
export const REGISTRATION_APP_NAME = 'User registration app for Device Compliance';

export interface DeviceComplianceApps {
  cloudConnector: ServicePrincipalInfo | null;
  /** Found by the configured app id, else by display name (another cloud's app id). */
  userRegistration: ServicePrincipalInfo | null;
}

export interface ConnectorStatus {
  scope: ConnectorScope;
  apps: DeviceComplianceApps;
  /** Counts of applicable Macs by verdict, and how many Macs are outside the Applicable group. */
  fleet: { summary: FleetSummary; notApplicable: number } | null;
  /** Why `fleet` is null: the service that failed. */
  fleetFailure: UpstreamError | null;
}

/** The two Entra apps, looked up in parallel. */
export async function findDeviceComplianceApps(
  graph: Pick<GraphClient, 'findServicePrincipal'>,
  registrationAppId: string,
): Promise<DeviceComplianceApps> {
  const [cloudConnector, userRegistration] = await Promise.all([
    graph.findServicePrincipal({ displayName: CLOUD_CONNECTOR_APP_NAME }),
    graph
      .findServicePrincipal({ appId: registrationAppId })
      .then((sp) => sp ?? graph.findServicePrincipal({ displayName: REGISTRATION_APP_NAME })),
  ]);
  return { cloudConnector, userRegistration };
}

export interface ConnectorStatusDeps {
  jamf: LoadFleetDeps['jamf'];
  graph: LoadFleetDeps['graph'] & Pick<GraphClient, 'findServicePrincipal'>;
  config: Pick<AppConfig, 'connector' | 'criteria'>;
}

/**
 * Everything `connector status` shows, read live (not the cached scope, so Refresh sees a change
 * at once): the partner and its groups, the two Entra apps and the fleet load run in parallel;
 * the fleet load reuses the scope. A failing fleet load (Jamf Pro down) leaves the counts out
 * and says why; a failing partner or app look-up fails the whole answer — the light would lie.
 */
export async function loadConnectorStatus(deps: ConnectorStatusDeps, now: Date): Promise<ConnectorStatus> {
  const { config, graph, jamf } = deps;
  const scope = loadConnectorScope(graph, config.connector.name);
  const fleet = loadFleet(
    { jamf, graph, connectorScope: () => scope },
    { criteria: config.criteria, connectorName: config.connector.name },
  ).then(
    (load) => {
      const id = load.connector.groupIds[0];
      const name = id ? load.connector.groupNames[id] : undefined;
      const context = name ? { connectorGroupName: name } : {};
      const diagnoses = load.records.map((r) => diagnoseMac(r, config.criteria, now, context));
      return {
        summary: summarizeFleet(diagnoses),
        notApplicable: load.stats.counts.notApplicable,
        failure: null,
      };
    },
    (e: unknown) => {
      if (e instanceof UpstreamError) return { summary: null, notApplicable: 0, failure: e };
      throw e;
    },
  );
  const [s, apps, f] = await Promise.all([
    scope,
    findDeviceComplianceApps(graph, config.connector.registrationAppId),
    fleet,
  ]);
  return {
    scope: s,
    apps,
    fleet: f.summary ? { summary: f.summary, notApplicable: f.notApplicable } : null,
    fleetFailure: f.failure,
  };
}
