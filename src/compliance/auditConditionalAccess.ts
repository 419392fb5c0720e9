import { filterSpares, type DeviceFilter } from './deviceFilterScope';

/** The parts of a Conditional Access policy the audit reads (a Graph `conditionalAccessPolicy`, flattened). */
export interface CaPolicyFacts {
  id: string;
  displayName: string;
  /** `enabled` | `disabled` | `enabledForReportingButNotEnforced` */
  state: string;
  includeApplications: readonly string[];
  excludeApplications: readonly string[];
  includePlatforms: readonly string[];
  excludePlatforms: readonly string[];
  /** `AND` | `OR`; null without grant controls. */
  grantOperator: string | null;
  builtInControls: readonly string[];
  /** `conditions.devices.deviceFilter`; null/absent: no filter. */
  deviceFilter?: DeviceFilter | null;
  /** `conditions.clientAppTypes` (`all`, `browser`, `mobileAppsAndDesktopClients`, `exchangeActiveSync`, `other`). */
  clientAppTypes?: readonly string[];
  includeUsers?: readonly string[];
  includeGroups?: readonly string[];
  includeRoles?: readonly string[];
  excludeRoles?: readonly string[];
  /** `grantControls.authenticationStrength`'s display name, when the grant asks for one. */
  authenticationStrength?: string | null;
}

export interface CaAuditOptions {
  /** App id of the *User registration app for Device Compliance*. */
  registrationAppId: string;
  /** Whether the tenant has a service principal with that app id; undefined: not checked. */
  registrationAppFound?: boolean;
}

export type CaStateLabel = 'On' | 'Report-only' | 'Off';

/** `problem`: blocks Macs now; `warning`: would once the policy is on, or is worth fixing; `note`: policy is off. */
export type CaLevel = 'problem' | 'warning' | 'note';

export interface CaProblem {
  code: 'missing_registration_exclusion' | 'macs_cannot_satisfy';
  level: CaLevel;
  detail: string;
  fix: string;
}

export interface CaPolicyFinding {
  id: string;
  displayName: string;
  state: string;
  stateLabel: CaStateLabel;
  /** The device controls it requires, in Graph's names. */
  deviceControls: string[];
  /** Every grant control, and how they combine. */
  controls: string[];
  operator: 'AND' | 'OR';
  targetsAllResources: boolean;
  appliesToMacs: boolean;
  /** Why the policy spares the registration sign-in or Macs, when a condition does (else empty). */
  spares: string[];
  /** `not_needed`: the policy does not cover the registration sign-in (other apps, or not macOS). */
  exclusion: 'excluded' | 'missing' | 'not_needed';
  problems: CaProblem[];
}

export interface CaAudit {
  findings: CaPolicyFinding[];
  counts: {
    relevant: number;
    on: number;
    reportOnly: number;
    off: number;
    missingExclusion: number;
    /** Policies with a `problem`: blocking Macs now. */
    blocking: number;
  };
  /** Tenant-wide remarks (no relevant policy, registration app not found). */
  notes: { level: CaLevel; text: string }[];
  /** The unconfirmed baseline-scopes risk, when a relevant policy targets All resources; else null. */
  caveat: string | null;
}

const DEVICE_CONTROLS = ['compliantDevice', 'domainJoinedDevice'];
const STATE_LABEL: Record<string, CaStateLabel> = {
  enabled: 'On',
  enabledForReportingButNotEnforced: 'Report-only',
  disabled: 'Off',
};
const LEVEL_BY_STATE: Record<CaStateLabel, CaLevel> = {
  On: 'problem',
  'Report-only': 'warning',
  Off: 'note',
};
const REG_APP = '*User registration app for Device Compliance*';

/** A Mac as Entra knows it once registered (the operatingSystem values Jamf-registered Macs carry). */
const REGISTERED_MACS = ['macOS', 'MacMDM'].map((os) => ({ operatingsystem: os }));
/** Client app types a Mac's modern sign-ins (browser, Company Portal) are. */
const MODERN_CLIENTS = ['all', 'browser', 'mobileAppsAndDesktopClients'];

const has = (list: readonly string[], value: string): boolean =>
  list.some((x) => x.toLowerCase() === value.toLowerCase());

/**
 * Audits Conditional Access for the Jamf integration: every policy whose grant requires a
 * compliant (`compliantDevice`) or hybrid-joined (`domainJoinedDevice`) device, its state, and
 * whether it excludes the User registration app — without the exclusion, the registration
 * sign-in itself needs a compliant device, which an unregistered Mac cannot have. Enforced
 * policies are problems, report-only ones warnings ("would block"), off ones notes. It also
 * flags policies a Mac can never satisfy (hybrid join is Windows-only). The baseline-scopes
 * report is unconfirmed (FACTS.md), so it is a caveat naming the policies at risk, not a finding.
 */
export function auditConditionalAccess(policies: readonly CaPolicyFacts[], opts: CaAuditOptions): CaAudit {
  const findings = policies
    .filter((p) => p.builtInControls.some((c) => DEVICE_CONTROLS.includes(c)))
    .map((p) => auditPolicy(p, opts.registrationAppId))
    .sort((a, b) => rank(a) - rank(b) || a.displayName.localeCompare(b.displayName));

  const notes: CaAudit['notes'] = [];
  if (findings.length === 0) {
    notes.push({
      level: 'note',
      text: 'No Conditional Access policy requires a compliant or hybrid-joined device, so Macs’ compliance is not enforced anywhere yet.',
    });
  }
  if (opts.registrationAppFound === false) {
    notes.push({
      level: 'warning',
      text: `No app with id ${opts.registrationAppId} is in this tenant, so exclusions of it protect nothing. If your ${REG_APP} has another app id (Entra › Enterprise applications), set REGISTRATION_APP_ID; if it is gone, re-run the connection in Jamf Pro › Settings › Global › Device Compliance.`,
    });
  }

  const atRisk = findings.filter((f) => f.stateLabel !== 'Off' && f.appliesToMacs && f.targetsAllResources);
  const caveat =
    atRisk.length === 0
      ? null
      : `Unconfirmed report: since mid-2026 Entra may evaluate some sign-ins ("baseline scopes") against policies that target *All resources* even when an app is excluded, which could still block registration (error 530003). If users get 530003 with the exclusion in place, check their sign-in log for which policy applied. Policies targeting All resources: ${atRisk.map((f) => f.displayName).join('; ')}.`;

  return {
    findings,
    counts: {
      relevant: findings.length,
      on: findings.filter((f) => f.stateLabel === 'On').length,
      reportOnly: findings.filter((f) => f.stateLabel === 'Report-only').length,
      off: findings.filter((f) => f.stateLabel === 'Off').length,
      missingExclusion: findings.filter((f) => f.exclusion === 'missing').length,
      blocking: findings.filter((f) => f.problems.some((p) => p.level === 'problem')).length,
    },
    notes,
    caveat,
  };
}

function auditPolicy(p: CaPolicyFacts, registrationAppId: string): CaPolicyFinding {
  const stateLabel = STATE_LABEL[p.state] ?? 'Off';
  const level = LEVEL_BY_STATE[stateLabel];
  const operator = p.grantOperator === 'AND' ? 'AND' : 'OR';
  const strength = p.authenticationStrength ? `authenticationStrength (${p.authenticationStrength})` : null;
  const controls = [...p.builtInControls, ...(strength ? [strength] : [])];
  const targetsAllResources = has(p.includeApplications, 'All');
  const includePlatforms = p.includePlatforms.length === 0 ? ['all'] : p.includePlatforms;
  const spares: string[] = [];
  const platformsApply =
    (has(includePlatforms, 'all') || has(includePlatforms, 'macOS')) && !has(p.excludePlatforms, 'macOS');
  if (!platformsApply) spares.push('its device platforms leave out macOS');
  // Legacy-only policies (Exchange ActiveSync, other clients) never see a Mac's browser or Company Portal sign-in.
  const clientTypes = p.clientAppTypes ?? [];
  const modernClients = clientTypes.length === 0 || clientTypes.some((c) => has(MODERN_CLIENTS, c));
  if (!modernClients) spares.push(`it applies only to ${clientTypes.join(', ')} clients`);
  // Nobody is in scope: `includeUsers: ["None"]` with no group or role.
  const nobody =
    has(p.includeUsers ?? [], 'None') &&
    (p.includeGroups ?? []).length === 0 &&
    (p.includeRoles ?? []).length === 0;
  if (nobody) spares.push('it includes no users');
  const filterSparesMacs = REGISTERED_MACS.every((mac) => filterSpares(p.deviceFilter, mac));
  if (filterSparesMacs) spares.push('its device filter leaves out registered Macs');
  // The registering Mac has no Entra device object yet: the filter sees every attribute as null.
  const filterSparesRegistration = filterSpares(p.deviceFilter, 'unregistered');
  if (filterSparesRegistration)
    spares.push('its device filter leaves out devices that are not registered yet');
  const appliesAtAll = platformsApply && modernClients && !nobody;
  const appliesToMacs = appliesAtAll && !filterSparesMacs;
  const coversRegistration = targetsAllResources || has(p.includeApplications, registrationAppId);
  const excluded = has(p.excludeApplications, registrationAppId);
  const exclusion =
    !appliesAtAll || filterSparesRegistration || !coversRegistration
      ? 'not_needed'
      : excluded
        ? 'excluded'
        : 'missing';
  // With OR, another control (e.g. MFA, an authentication strength) lets a user through; hybrid join and block never do for a Mac.
  const otherWay = operator === 'OR' && controls.some((c) => !DEVICE_CONTROLS.includes(c) && c !== 'block');
  const onlyRoles =
    (p.includeRoles ?? []).length > 0 &&
    (p.includeUsers ?? []).length === 0 &&
    (p.includeGroups ?? []).length === 0
      ? ` (only for users holding one of its ${p.includeRoles!.length} directory role${p.includeRoles!.length === 1 ? '' : 's'})`
      : '';
  const filterNote =
    p.deviceFilter && filterSparesMacs && !filterSparesRegistration
      ? ' Its device filter leaves out registered Macs, but a Mac signing in to register has no device object yet, so the filter does not spare it.'
      : '';
  const macCanSatisfy =
    operator === 'OR'
      ? controls.some((c) => c !== 'domainJoinedDevice' && c !== 'block')
      : !controls.includes('domainJoinedDevice') && !controls.includes('block');
  const where = `Entra admin center › Protection › Conditional Access › Policies › ${p.displayName}`;
  const consequence: Record<CaStateLabel, string> = {
    On: 'blocks',
    'Report-only': 'would block, once it is turned on,',
    Off: 'would block, if it is turned on,',
  };

  const problems: CaProblem[] = [];
  if (exclusion === 'missing') {
    problems.push({
      code: 'missing_registration_exclusion',
      level: otherWay && level === 'problem' ? 'warning' : level,
      detail: otherWay
        ? `Does not exclude the ${REG_APP}; users can still pass with ${controls.filter((c) => !DEVICE_CONTROLS.includes(c)).join(' or ')}, but registration depends on it.`
        : `Does not exclude the ${REG_APP}, so it ${consequence[stateLabel]} Macs from registering${onlyRoles}: the registration sign-in would need the compliant device it is meant to create.${filterNote}`,
      fix: `${where} › Target resources › Exclude › Select resources: add the ${REG_APP} (app id ${registrationAppId}).`,
    });
  }
  if (appliesToMacs && !macCanSatisfy) {
    problems.push({
      code: 'macs_cannot_satisfy',
      level,
      detail: `Its grant (${controls.join(` ${operator} `)}) cannot be met by a Mac: hybrid join is for Windows, so Jamf compliance does not help.`,
      fix: `${where} › Grant: add *Require device to be marked as compliant* with *Require one of the selected controls*, or exclude macOS under Conditions › Device platforms.`,
    });
  }
  return {
    id: p.id,
    displayName: p.displayName,
    state: p.state,
    stateLabel,
    deviceControls: controls.filter((c) => DEVICE_CONTROLS.includes(c)),
    controls,
    operator,
    targetsAllResources,
    appliesToMacs,
    spares,
    exclusion,
    problems,
  };
}

/** Problems first, then warnings, then the rest; enforced before report-only before off. */
function rank(f: CaPolicyFinding): number {
  const worst = f.problems.some((p) => p.level === 'problem')
    ? 0
    : f.problems.some((p) => p.level === 'warning')
      ? 1
      : f.problems.length > 0
        ? 2
        : 3;
  return worst * 3 + ['On', 'Report-only', 'Off'].indexOf(f.stateLabel);
}
