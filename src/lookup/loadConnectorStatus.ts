import type { FleetBuildState, FleetSnapshotRead } from '../compliance/fleetSnapshotTypes';
import type { FleetSummary } from '../compliance/summarizeFleet';
import type { AppConfig } from '../config';
import type { GraphClient } from '../upstream/graph/graphClient';
import type { ServicePrincipalInfo } from '../upstream/graph/graphTypes';
import { loadConnectorScope, type ConnectorScope } from './connectorScope';
import type { DiagnoseFleet } from './diagnoseFleetSnapshot';

/** The two Entra apps the Jamf Pro wizard creates (the seed article's names). */
export const CLOUD_CONNECTOR_APP_NAME = 'Cloud Connector for Device Compliance';
export const REGISTRATION_APP_NAME = 'User registration app for Device Compliance';

export interface DeviceComplianceApps {
  cloudConnector: ServicePrincipalInfo | null;
  /** Found by the configured app id, else by display name (another cloud's app id). */
  userRegistration: ServicePrincipalInfo | null;
}

/** The live part of `connector status`: the partner, its groups and the two Entra apps. */
export interface ConnectorLive {
  scope: ConnectorScope;
  apps: DeviceComplianceApps;
}

/** The fleet part: counts from the snapshot (with its age), or the first build's progress. */
export type ConnectorFleet =
  | { fleet: { summary: FleetSummary; notApplicable: number; asOf: Date }; fleetBuilding: null }
  | { fleet: null; fleetBuilding: { progress: FleetBuildState['progress']; startedAt: Date } };

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
  graph: Pick<GraphClient, 'listCompliancePartners' | 'findGroups' | 'findServicePrincipal'>;
  config: Pick<AppConfig, 'connector'>;
}

/**
 * The partner and its groups and the two Entra apps, read live in parallel (not the cached
 * scope, so Refresh sees a change at once). A failing look-up fails the answer: the light would lie.
 */
export async function loadConnectorLive(deps: ConnectorStatusDeps): Promise<ConnectorLive> {
  const { config, graph } = deps;
  const [scope, apps] = await Promise.all([
    loadConnectorScope(graph, config.connector.name),
    findDeviceComplianceApps(graph, config.connector.registrationAppId),
  ]);
  return { scope, apps };
}

/**
 * The fleet counts from the fleet snapshot (diagnosed at `now`, cached per version and hour),
 * instead of loading 50,000 Macs live; while the first snapshot is built, its progress.
 */
export function connectorFleet(read: FleetSnapshotRead, diagnose: DiagnoseFleet, now: Date): ConnectorFleet {
  if (read.state === 'building')
    return { fleet: null, fleetBuilding: { progress: read.progress, startedAt: read.startedAt } };
  return {
    fleet: { summary: diagnose(read, now).summary, notApplicable: read.notApplicable, asOf: read.asOf },
    fleetBuilding: null,
  };
}
