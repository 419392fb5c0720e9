import type {
  ConnectorHealth,
  ConnectorHealthInput,
  HealthLight,
  PartnerFacts,
  ScopeFacts,
} from '../compliance/assessConnectorHealth';
import type { FleetBuildState } from '../compliance/fleetSnapshotTypes';
import type { FleetSummary } from '../compliance/summarizeFleet';
import { VERDICT_LABELS } from '../compliance/verdictLabels';
import type { UpstreamService } from '../errors';
import type { ContainerStyle, Fact } from './cardParts';
import { formatWhen } from './formatDate';
import { formatHeartbeat } from './connectorFacts';
import { escapeMarkdown } from './escapeMarkdown';
import { buildProgressText } from './fleetBuildingCardModel';
import { fleetFreshness } from './fleetFreshness';

const STYLE: Record<HealthLight, ContainerStyle> = {
  healthy: 'good',
  degraded: 'warning',
  broken: 'attention',
};
const LABEL: Record<HealthLight, string> = {
  healthy: 'Connector healthy',
  degraded: 'Connector degraded',
  broken: 'Connector broken',
};
const SERVICE: Record<UpstreamService, string> = {
  graph: 'Entra ID (Microsoft Graph)',
  jamf: 'Jamf Pro',
  teams: 'Teams',
  store: 'the database',
};
/** Verdicts in the order an admin reads fleet counts: good news first, then what to chase. */
const FLEET_ORDER = [
  'compliant',
  'not_compliant',
  'not_registered',
  'waiting_first_report',
  'out_of_sync',
  'stale',
] as const;

/** The connector's scope as the card reads it: the partner (null: none found) and its groups. */
type ScopeWithPartner = ScopeFacts & { partner: PartnerFacts | null };
/** The two Entra apps, as the health assessment reads them. */
type Apps = ConnectorHealthInput['apps'];

export interface ConnectorCardInput {
  health: ConnectorHealth;
  scope: ScopeWithPartner;
  apps: Apps;
  /** Counts from the fleet snapshot, and when it was last synced. */
  fleet: { summary: FleetSummary; notApplicable: number; asOf: Date } | null;
  /** The service whose failure left the fleet counts out, if any. */
  fleetFailure: UpstreamService | null;
  /** No snapshot yet: the first build's progress instead of counts. */
  fleetBuilding?: { progress: FleetBuildState['progress'] } | null;
}

/** The `connectorStatus` template's model. */
export interface ConnectorCardModel {
  lightStyle: ContainerStyle;
  lightLabel: string;
  headline: string;
  reasons: readonly { marker: string; detail: string; fix: string }[];
  title: string;
  partnerFacts: readonly Fact[];
  appFacts: readonly Fact[];
  fleetFacts: readonly Fact[];
  fleetNotice: string;
  /** "Fleet picture as of 4 minutes ago" ('' without counts). */
  fleetAsOf: string;
  /** "Building the fleet picture: 23,000 of 50,000 Macs" while the first snapshot is built, else ''. */
  fleetBuilding: string;
  checkedAt: string;
}

function headline(health: ConnectorHealth): string {
  if (health.light === 'healthy')
    return 'Jamf Pro reports compliance through Intune to Entra ID, and the setup matches Microsoft’s guide.';
  const broken = health.reasons.filter((r) => r.level === 'broken').length;
  const degraded = health.reasons.length - broken;
  const parts = [
    broken ? `${broken} ${broken === 1 ? 'problem breaks' : 'problems break'} the integration` : '',
    degraded ? `${degraded} ${degraded === 1 ? 'thing needs' : 'things need'} a look` : '',
  ].filter(Boolean);
  return `${parts.join('; ')}.`;
}

function groupsText(scope: ScopeFacts): string {
  const groups = scope.groupIds.map((id) =>
    scope.groupNames[id] ? escapeMarkdown(scope.groupNames[id]) : `${id} (not found)`,
  );
  if (scope.assignsAllUsers) groups.unshift('⚠️ All users (breaks the connection)');
  return groups.length ? groups.join(', ') : 'None';
}

function appText(app: Apps['cloudConnector'], wantAppId?: string): string {
  if (!app) return '❌ Missing';
  const other = wantAppId && app.appId.toLowerCase() !== wantAppId.toLowerCase();
  return other
    ? `✅ Present (app id ${app.appId}; REGISTRATION_APP_ID is ${wantAppId})`
    : `✅ Present (app id ${app.appId})`;
}

/**
 * The `connector status` card's view model: the health light as a coloured headline with its
 * reasons and fixes, then the partner, the two Entra apps and fleet counts as FactSets.
 */
export function connectorCardModel(
  input: ConnectorCardInput,
  opts: { now: Date; registrationAppId: string },
): ConnectorCardModel {
  const { health, scope, apps, fleet } = input;
  const partner = scope.partner;
  const partnerFacts = partner
    ? [
        { title: 'Partner', value: escapeMarkdown(partner.displayName) },
        {
          title: 'State',
          value: partner.partnerState === 'enabled' ? 'Enabled' : `⚠️ ${partner.partnerState}`,
        },
        { title: 'Last heartbeat', value: formatHeartbeat(partner.lastHeartbeatDateTime, opts.now) },
        { title: 'macOS onboarded', value: partner.macOsOnboarded ? 'Yes' : '❌ No' },
        { title: 'Assigned groups', value: groupsText(scope) },
      ]
    : [{ title: 'Partner', value: '❌ None found in Intune' }];
  const s = fleet?.summary;
  const fleetFacts =
    s && fleet
      ? [
          { title: 'Applicable Macs', value: String(s.applicable) },
          ...FLEET_ORDER.map((v) => ({
            title: VERDICT_LABELS[v],
            value:
              v === 'compliant'
                ? `${s.byVerdict.compliant} (${s.percentCompliant}%)`
                : String(s.byVerdict[v]),
          })),
          { title: 'Outside the Applicable group', value: String(fleet.notApplicable) },
        ]
      : [];
  return {
    lightStyle: STYLE[health.light],
    lightLabel: LABEL[health.light],
    headline: headline(health),
    reasons: health.reasons.map((r) => ({
      marker: r.level === 'broken' ? '❌' : '⚠️',
      detail: r.detail,
      fix: r.fix,
    })),
    title: partner ? `${escapeMarkdown(partner.displayName)} (macOS)` : 'Jamf partner connector',
    partnerFacts,
    appFacts: [
      { title: 'Cloud Connector for Device Compliance', value: appText(apps.cloudConnector) },
      {
        title: 'User registration app for Device Compliance',
        value: appText(apps.userRegistration, opts.registrationAppId),
      },
    ],
    fleetFacts,
    fleetNotice:
      fleet || input.fleetBuilding
        ? ''
        : `${SERVICE[input.fleetFailure ?? 'jamf']} did not answer, so the fleet counts are missing. Press Refresh to try again.`,
    fleetAsOf: fleet ? fleetFreshness(fleet.asOf, opts.now) : '',
    fleetBuilding: input.fleetBuilding
      ? `Building the fleet picture: ${buildProgressText(input.fleetBuilding.progress)} (${input.fleetBuilding.progress.phase}). The counts appear here when it is done.`
      : '',
    checkedAt: `Checked ${formatWhen(opts.now.toISOString(), opts.now)}`,
  };
}
