import { criteriaMatch, describeCriteria } from './compareCriteria';
import { mailNicknameFor } from './mailNicknameFor';
import { markdownLiteral as md } from './markdownLiteral';
import type {
  AssignmentTargetFacts,
  GroupFacts,
  OnboardingDesired,
  OnboardingPlan,
  OnboardingState,
  PlanAction,
  PlanStep,
  SmartGroupRole,
} from './onboardingTypes';

const ROLE_LABEL: Record<SmartGroupRole, string> = { applicable: 'Applicable', compliance: 'Compliance' };
const ROLE_SETTING: Record<SmartGroupRole, string> = {
  applicable: 'APPLICABLE_GROUP',
  compliance: 'COMPLIANCE_GROUP',
};
const JAMF_ID = /^\d{1,18}$/;

/** A step from its parts; the status follows from them (writes → `change`, fixes → `attention`). */
function step(
  number: number,
  key: PlanStep['key'],
  title: string,
  parts: {
    current: string[];
    changes?: string[];
    fixes?: string[];
    actions?: PlanAction[];
    manual?: boolean;
  },
): PlanStep {
  const actions = parts.actions ?? [];
  const fixes = parts.fixes ?? [];
  const status = parts.manual
    ? 'manual'
    : actions.length > 0
      ? 'change'
      : fixes.length > 0
        ? 'attention'
        : 'ok';
  return { number, key, title, status, current: parts.current, changes: parts.changes ?? [], fixes, actions };
}

const sameRule = (a: string, b: string): boolean =>
  a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();

function describeGroup(g: GroupFacts): string {
  const dynamic = g.groupTypes.includes('DynamicMembership');
  const kind = g.securityEnabled
    ? 'security group'
    : g.groupTypes.includes('Unified')
      ? 'Microsoft 365 group (not security-enabled)'
      : 'group, not security-enabled';
  const membership = dynamic
    ? `dynamic membership (rule ${md(g.membershipRule ?? '')}, processing ${g.membershipRuleProcessingState ?? 'unknown'})`
    : 'assigned membership';
  return `**${md(g.displayName)}** exists: ${kind}, ${membership}.`;
}

/** Step 1 and the group later steps assign (null: none usable). */
function planGroup(state: OnboardingState): {
  step: PlanStep;
  group: { id: string | null; displayName: string } | null;
} {
  const { target, groups } = state;
  const title = 'Entra user group';
  const label = md(target.value);
  if (target.kind === 'id' && groups.length === 0) {
    return {
      group: null,
      step: step(1, 'entraGroup', title, {
        current: [`No Entra group has the object id ${label}.`],
        fixes: [
          'Check the id (Entra admin center › Groups › All groups), or give a name to let me create the group: **onboard group <name>**.',
        ],
      }),
    };
  }
  if (groups.length > 1) {
    return {
      group: null,
      step: step(1, 'entraGroup', title, {
        current: [
          `${groups.length} Entra groups are called **${label}** (${groups.map((g) => g.id).join(', ')}).`,
        ],
        fixes: ['Say which one: **onboard group <object id>**.'],
      }),
    };
  }
  const g = groups[0];
  if (!g) {
    const rule = target.rule;
    const group = {
      displayName: target.value,
      mailNickname: mailNicknameFor(target.value),
      description:
        'Users whose Jamf-managed Macs register with Entra ID (Jamf device compliance). Created by the Jamf Compliance bot.',
      ...(rule ? { membershipRule: rule } : {}),
    };
    return {
      group: { id: null, displayName: target.value },
      step: step(1, 'entraGroup', title, {
        current: [`No Entra group is called **${label}**.`],
        changes: [
          rule
            ? `Create the dynamic security group **${label}** with the rule ${md(rule)} (processing On).`
            : `Create the security group **${label}** with assigned membership (add its members in Entra admin center › Groups).`,
        ],
        actions: [{ kind: 'createGroup', group }],
      }),
    };
  }
  const current = [describeGroup(g)];
  const fixes: string[] = [];
  const dynamic = g.groupTypes.includes('DynamicMembership');
  const name = md(g.displayName);
  if (!g.securityEnabled) {
    fixes.push(
      `**${name}** is not a security group, so I will not assign the connector to it. Give another name to let me create a security group.`,
    );
  }
  if (target.rule !== null) {
    if (!dynamic) {
      fixes.push(
        `**${name}** has assigned membership, so the rule you gave is not used. I do not change an existing group’s membership: make it dynamic in Entra admin center › Groups › ${name} › Properties, or run the command without the rule.`,
      );
    } else if (!sameRule(g.membershipRule ?? '', target.rule)) {
      fixes.push(
        `Its rule differs from the one you gave (${md(target.rule)}). I do not change an existing group’s rule: edit it in Entra admin center › Groups › ${name} › Dynamic membership rules, or run the command without the rule to keep it.`,
      );
    }
  }
  if (dynamic && g.membershipRuleProcessingState !== 'On') {
    fixes.push(
      `Dynamic membership processing of **${name}** is ${g.membershipRuleProcessingState ?? 'not On'}: new users are not added. Set it back to On (Graph: membershipRuleProcessingState).`,
    );
  }
  return {
    group: g.securityEnabled ? { id: g.id, displayName: g.displayName } : null,
    step: step(1, 'entraGroup', title, { current, fixes }),
  };
}

function describeTargets(
  targets: readonly AssignmentTargetFacts[],
  names: Readonly<Record<string, string>>,
): string {
  if (targets.length === 0) return 'The connector’s macOS assignment has no group.';
  const parts = targets.map((t) =>
    t.kind === 'group'
      ? `**${md(names[t.groupId] ?? t.groupId)}**`
      : t.kind === 'allUsers'
        ? '*all users*'
        : `${t.odataType.replace('#microsoft.graph.', '')}${t.groupId ? ` ${md(names[t.groupId] ?? t.groupId)}` : ''}`,
  );
  return `The connector’s macOS assignment: ${parts.join(', ')}.`;
}

/** Step 2: the connector's macOS assignment includes the group and not *all users*. */
function planConnector(
  state: OnboardingState,
  group: { id: string | null; displayName: string } | null,
  groupStepOk: boolean,
): PlanStep {
  const title = 'Intune connector’s macOS assignment';
  const c = state.connector;
  if (!c) {
    return step(2, 'connector', title, {
      current: ['Intune has no compliance partner for Jamf.'],
      fixes: [
        'Connect Jamf Pro to Intune first: Jamf Pro › Settings › Global › Device Compliance (enable macOS, pick the Compliance and Applicable groups, save), then Intune admin center › Tenant administration › Connectors and tokens › Partner compliance management › Add compliance partner › Jamf Device Compliance, macOS.',
      ],
    });
  }
  const targets = c.assignments.macOs;
  const current = [
    `Partner **${md(c.displayName)}**: ${c.partnerState}, macOS ${c.macOsOnboarded ? 'onboarded' : 'not onboarded'}.`,
  ];
  current.push(describeTargets(targets, state.groupNames));
  const fixes: string[] = [];
  if (!c.macOsOnboarded) {
    fixes.push(
      'The partner is not onboarded for macOS: in Jamf Pro › Settings › Global › Device Compliance, enable the macOS platform and save.',
    );
  }
  if (!group) {
    fixes.push(
      groupStepOk
        ? 'There is no group to assign.'
        : 'Fix step 1 first: there is no usable group to assign yet.',
    );
    return step(2, 'connector', title, { current, fixes });
  }
  const allUsers = targets.some((t) => t.kind === 'allUsers');
  const has = group.id !== null && targets.some((t) => t.kind === 'group' && t.groupId === group.id);
  if (has && !allUsers) return step(2, 'connector', title, { current, fixes });
  const label = md(group.displayName);
  const changes: string[] = [];
  if (!has)
    changes.push(
      `Add **${label}** to the macOS assignment${group.id === null ? ' (the group step 1 creates)' : ''}, keeping the groups already there.`,
    );
  if (allUsers) {
    changes.push(
      'Remove the *all users* target: the seed article says it stops the connection from working.',
    );
  }
  return step(2, 'connector', title, {
    current,
    changes,
    fixes,
    actions: [{ kind: 'assignConnector', partnerId: c.id, group, removeAllUsers: allUsers }],
  });
}

/** Step 3: the Applicable and Compliance smart groups exist with the configured criteria. */
function planSmartGroups(state: OnboardingState, desired: OnboardingDesired): PlanStep {
  const current: string[] = [];
  const changes: string[] = [];
  const fixes: string[] = [];
  const actions: PlanAction[] = [];
  for (const role of ['applicable', 'compliance'] as const) {
    const { configured, group } = state.smartGroups[role];
    const want = desired.smartGroups[role];
    const label = ROLE_LABEL[role];
    if (!group) {
      if (JAMF_ID.test(configured)) {
        current.push(`${label}: no smart group has the id ${configured} (${ROLE_SETTING[role]}).`);
        fixes.push(
          `Set ${ROLE_SETTING[role]} to the group’s name (I create it when missing), or to the id of an existing smart group.`,
        );
        continue;
      }
      current.push(`${label}: no smart group is called **${md(configured)}**.`);
      changes.push(`Create the smart group **${md(configured)}**: ${md(describeCriteria(want.criteria))}.`);
      actions.push({ kind: 'createSmartGroup', role, group: { ...want, name: configured } });
      continue;
    }
    if (criteriaMatch(group.criteria, want.criteria)) {
      current.push(`${label}: **${md(group.name)}** has the configured criteria.`);
      continue;
    }
    current.push(`${label}: **${md(group.name)}** has ${md(describeCriteria(group.criteria))}.`);
    fixes.push(
      `${label} differs from the configuration (${md(describeCriteria(want.criteria))}). I do not change an existing smart group — its members decide who is compliant. Edit it in Jamf Pro › Computers › Smart Computer Groups › ${md(group.name)}, or change INVENTORY_MAX_AGE_DAYS, REQUIRED_APP and REQUIRED_FILEVAULT to match it.`,
    );
  }
  return step(3, 'smartGroups', 'Jamf smart groups (Applicable, Compliance)', {
    current,
    changes,
    fixes,
    actions,
  });
}

/** Step 4: Company Portal and the Self Service registration policy — read where the API can, else by hand. */
function planJamfApps(state: OnboardingState, desired: OnboardingDesired): PlanStep {
  const current: string[] = [];
  const fixes: string[] = [];
  const cp = state.companyPortal;
  const app = desired.requiredApp;
  if (!app) {
    current.push('No required app is configured (REQUIRED_APP), so I did not look for Company Portal.');
  } else if (!cp) {
    current.push('I could not read the Jamf inventory to look for Company Portal.');
  } else {
    current.push(`${md(app)} is installed on ${cp.withApp} of ${cp.macs} Macs in Jamf Pro.`);
    if (cp.withApp < cp.macs) {
      fixes.push(
        'Deploy Company Portal to every managed Mac: Jamf Pro › Computers › Mac Apps › New › Jamf App Catalog › Microsoft Intune Company Portal; Target: All Managed Clients; Install Automatically; Deploy.',
      );
    }
  }
  const applicableGroup = state.smartGroups.applicable.group;
  const applicable = md(applicableGroup?.name ?? desired.smartGroups.applicable.name);
  const setting = '*Microsoft Device Compliance › Register computers with Microsoft Entra ID*';
  const reg = state.registrationPolicy;
  if (!reg) {
    current.push('I could not read Jamf Pro’s policies (the API role needs *Read Policies*).');
    fixes.push(
      `Check by hand: Jamf Pro › Computers › Policies has an enabled policy with ${setting}, scoped to **${applicable}**, and *Make the policy available in Self Service* on.`,
    );
    return step(4, 'jamfApps', 'Company Portal and the Self Service registration policy', {
      current,
      fixes,
      manual: true,
    });
  }
  const p = reg.policy;
  if (!p) {
    current.push(
      `Jamf Pro has no policy named “${md(reg.expectedName)}”, nor one that looks like Entra registration.`,
    );
    fixes.push(
      `Create it: Jamf Pro › Computers › Policies › New: ${setting}; Scope: **${applicable}**; Self Service: *Make the policy available in Self Service*, display name “${md(reg.expectedName)}” (what users are told to look for, \`SELF_SERVICE_POLICY_NAME\`).`,
    );
  } else {
    const inScope =
      p.allComputers ||
      p.groups.some(
        (g) =>
          (applicableGroup !== null && g.id === applicableGroup.id) ||
          g.name.trim().toLowerCase() ===
            (applicableGroup?.name ?? desired.smartGroups.applicable.name).toLowerCase(),
      );
    const scope = p.allComputers
      ? 'all computers'
      : p.groups.length
        ? p.groups.map((g) => `**${md(g.name)}**`).join(', ')
        : 'nothing';
    current.push(
      `Policy “${md(p.name)}” (id ${p.id}): ${p.enabled ? 'enabled' : 'disabled'}, scoped to ${scope}, ${p.inSelfService ? `in Self Service as “${md(p.selfServiceName || p.name)}”` : 'not in Self Service'}.`,
    );
    const where = `Jamf Pro › Computers › Policies › ${md(p.name)}`;
    if (!p.enabled) fixes.push(`Enable it: ${where} › Options › General › Enabled.`);
    if (!inScope) fixes.push(`Scope it to **${applicable}**: ${where} › Scope › Add.`);
    if (!p.inSelfService)
      fixes.push(
        `Make it available in Self Service: ${where} › Self Service › *Make the policy available in Self Service*.`,
      );
    else if ((p.selfServiceName || p.name).trim().toLowerCase() !== reg.expectedName.trim().toLowerCase())
      fixes.push(
        `Users are told to look for “${md(reg.expectedName)}” in Self Service, but it shows “${md(p.selfServiceName || p.name)}”: set \`SELF_SERVICE_POLICY_NAME\` to that name, or rename the Self Service entry.`,
      );
    // The Classic API does not expose the Microsoft Device Compliance option.
    current.push(`Jamf Pro’s API does not show ${setting}: make sure it is on in this policy.`);
  }
  return step(4, 'jamfApps', 'Company Portal and the Self Service registration policy', { current, fixes });
}

/** Step 5: Conditional Access policies that would block registration (the CA audit). */
function planConditionalAccess(state: OnboardingState): PlanStep {
  const { ca } = state;
  const current: string[] = [];
  const fixes: string[] = [];
  const { counts } = ca;
  if (counts.relevant === 0) {
    current.push(
      'No Conditional Access policy requires a compliant device yet, so nothing blocks registration (and compliance is not enforced).',
    );
  } else {
    const missing =
      counts.missingExclusion === 0
        ? 'each one that needs it excludes the User registration app'
        : `${counts.missingExclusion} ${counts.missingExclusion === 1 ? 'does' : 'do'} not exclude the User registration app`;
    const blocking =
      counts.blocking === 0
        ? 'none blocks Macs now'
        : `${counts.blocking} ${counts.blocking === 1 ? 'blocks' : 'block'} Macs now`;
    current.push(
      `${counts.relevant} ${counts.relevant === 1 ? 'policy requires' : 'policies require'} a compliant or hybrid-joined device; ${missing}; ${blocking}.`,
    );
  }
  for (const f of ca.findings) {
    for (const p of f.problems) {
      if (p.level === 'note') continue;
      const fix = p.fix.split(f.displayName).join(md(f.displayName));
      fixes.push(`${p.level === 'problem' ? '❌' : '⚠️'} **${md(f.displayName)}**: ${fix}`);
    }
  }
  for (const n of ca.notes) {
    if (n.level === 'note') continue;
    fixes.push(`⚠️ ${n.text}`);
  }
  return step(5, 'conditionalAccess', 'Conditional Access', { current, fixes });
}

/**
 * The onboarding plan for one Entra user group, from what was read and what the configuration
 * asks for: (1) the group exists as a security group (created, dynamic with a rule, if missing);
 * (2) the Intune connector's macOS assignment includes it and not *all users*; (3) the Jamf
 * *Applicable* and *Compliance* smart groups exist with the configured criteria (created if
 * missing, drift reported, never overwritten); (4) Company Portal and the Self Service policy
 * (read-only, partly by hand); (5) Conditional Access (read-only, the CA audit). Only steps 1–3
 * write, and only what is missing: a plan of a set-up tenant has no actions.
 */
export function planOnboarding(state: OnboardingState, desired: OnboardingDesired): OnboardingPlan {
  const g = planGroup(state);
  const steps = [
    g.step,
    planConnector(state, g.group, g.step.status !== 'attention'),
    planSmartGroups(state, desired),
    planJamfApps(state, desired),
    planConditionalAccess(state),
  ];
  return {
    target: state.target,
    groupLabel: g.group?.displayName ?? state.groups[0]?.displayName ?? state.target.value,
    steps,
    changeCount: steps.reduce((n, s) => n + s.actions.length, 0),
    attentionCount: steps.filter((s) => s.status !== 'manual' && s.fixes.length > 0).length,
  };
}
