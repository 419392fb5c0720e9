import { auditConditionalAccess } from '../compliance/auditConditionalAccess';
import { hasApplication } from '../compliance/hasApplication';
import type {
  OnboardingState,
  OnboardTarget,
  RegistrationPolicyFacts,
  SmartGroupFacts,
  SmartGroupRole,
} from '../compliance/onboardingTypes';
import type { Logger } from '../log';
import type { AppConfig } from '../config';
import type { GraphClient } from '../upstream/graph/graphClient';
import type { JamfClient } from '../upstream/jamf/jamfClient';
import { loadConnectorScope } from './connectorScope';
import type { InventoryIndex } from './inventoryIndex';

const JAMF_ID = /^\d{1,18}$/;

/** A configured smart group (name or id) with its criteria, or null when Jamf Pro has none. */
export async function readSmartGroup(
  jamf: Pick<JamfClient, 'getSmartGroup' | 'findSmartGroupByName'>,
  configured: string,
): Promise<SmartGroupFacts | null> {
  if (JAMF_ID.test(configured)) return jamf.getSmartGroup(configured);
  const summary = await jamf.findSmartGroupByName(configured);
  return summary ? jamf.getSmartGroup(summary.id) : null;
}

/** Policy names that look like Entra registration, when none has the configured name. */
const LOOKS_LIKE_REGISTRATION = /entra|azure ?ad|\baad\b|device compliance|regist/i;

/**
 * The Self Service registration policy: the one named as configured (`SELF_SERVICE_POLICY_NAME`,
 * by policy or Self Service name), else the best of up to five whose names look like it (in Self
 * Service and scoped to a group first). Classic API: the list has names only, so candidates are
 * read one by one.
 */
export async function findRegistrationPolicy(
  jamf: Pick<JamfClient, 'listPolicies' | 'getPolicy'>,
  expectedName: string,
): Promise<{ expectedName: string; policy: RegistrationPolicyFacts | null }> {
  const all = await jamf.listPolicies();
  const same = (a: string) => a.trim().toLowerCase() === expectedName.trim().toLowerCase();
  const named = all.filter((p) => same(p.name));
  const candidates = (named.length ? named : all.filter((p) => LOOKS_LIKE_REGISTRATION.test(p.name))).slice(
    0,
    5,
  );
  const read = (await Promise.all(candidates.map((p) => jamf.getPolicy(p.id)))).filter(
    (p): p is RegistrationPolicyFacts => p !== null,
  );
  const score = (p: RegistrationPolicyFacts) =>
    (same(p.name) || same(p.selfServiceName) ? 4 : 0) + (p.inSelfService ? 2 : 0) + (p.enabled ? 1 : 0);
  const best = [...read].sort((a, b) => score(b) - score(a))[0] ?? null;
  return { expectedName, policy: best };
}

export interface OnboardingReaders {
  graph: Pick<
    GraphClient,
    | 'getGroup'
    | 'findGroupsByName'
    | 'listCompliancePartners'
    | 'findGroups'
    | 'listConditionalAccessPolicies'
    | 'findServicePrincipal'
  >;
  jamf: Pick<
    JamfClient,
    'getSmartGroup' | 'findSmartGroupByName' | 'listComputers' | 'listPolicies' | 'getPolicy'
  >;
  /** The inventory in memory: Company Portal is counted from it when loaded. */
  inventory: Pick<InventoryIndex, 'all'>;
  config: Pick<AppConfig, 'connector' | 'criteria' | 'endUsers'>;
}

/**
 * Reads everything `onboard group` plans from, before anything is planned, in parallel where
 * independent (one round, plus the smart groups' criteria and the connector groups' names):
 * the target group, the Jamf partner connector, the two smart groups, the inventory's Company
 * Portal count and Conditional Access. Reads only; any failure but the inventory count fails
 * the whole read (a plan from half the facts could propose the wrong change).
 */
export async function readOnboardingState(
  deps: OnboardingReaders,
  target: OnboardTarget,
  log: Logger,
): Promise<OnboardingState> {
  const { graph, jamf, config } = deps;
  const appId = config.connector.registrationAppId;
  const requiredApp = config.criteria.requiredApp;
  const role = (r: SmartGroupRole) =>
    r === 'applicable' ? config.criteria.applicableGroup : config.criteria.complianceGroup;
  const [groups, scope, applicable, compliance, companyPortal, policies, regApp, registrationPolicy] =
    await Promise.all([
      target.kind === 'id'
        ? graph.getGroup(target.value).then((g) => (g ? [g] : []))
        : graph.findGroupsByName(target.value),
      loadConnectorScope(graph, config.connector.name),
      readSmartGroup(jamf, role('applicable')),
      readSmartGroup(jamf, role('compliance')),
      requiredApp
        ? // The inventory index holds every Mac's applications: Jamf's whole inventory is read only without it.
          Promise.resolve(
            deps.inventory.all()?.computers ?? jamf.listComputers({ sections: ['APPLICATIONS'] }),
          )
            .then((macs) => ({
              macs: macs.length,
              withApp: macs.filter((m) => hasApplication(m.applications, requiredApp)).length,
            }))
            .catch((err: unknown) => {
              log.warn({ err }, 'onboard: could not count Company Portal in the inventory');
              return null;
            })
        : Promise.resolve(null),
      graph.listConditionalAccessPolicies(),
      graph.findServicePrincipal({ appId }),
      findRegistrationPolicy(jamf, config.endUsers.selfServicePolicyName).catch((err: unknown) => {
        log.warn({ err }, 'onboard: could not read Jamf Pro policies (the API role needs Read Policies)');
        return null;
      }),
    ]);
  return {
    target,
    groups,
    connector: scope.partner,
    groupNames: scope.groupNames,
    smartGroups: {
      applicable: { configured: role('applicable'), group: applicable },
      compliance: { configured: role('compliance'), group: compliance },
    },
    companyPortal,
    ca: auditConditionalAccess(policies, { registrationAppId: appId, registrationAppFound: regApp !== null }),
    registrationPolicy,
  };
}
