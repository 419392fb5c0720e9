import type { RegistrationPolicyFacts } from '../../src/compliance/onboardingTypes';
import { auditConditionalAccess } from '../../src/compliance/auditConditionalAccess';
import { criteriaMatch, describeCriteria } from '../../src/compliance/compareCriteria';
import { DEFAULT_CRITERIA } from '../../src/compliance/defaultCriteria';
import { desiredSmartGroups } from '../../src/compliance/desiredSmartGroups';
import { mailNicknameFor } from '../../src/compliance/mailNicknameFor';
import type { OnboardingPlan, PlanStep } from '../../src/compliance/onboardingTypes';
import { planOnboarding } from '../../src/compliance/planOnboarding';
import {
  registrationPolicy,
  COMPLIANT_MAC_POLICY,
  DESIRED,
  GROUP_ID,
  OTHER_GROUP_ID,
  PARTNER_ID,
  REG_APP,
  freshState,
  group,
  setUpState,
  smartGroup,
} from './onboardingFixtures';

const stepOf = (plan: OnboardingPlan, n: number): PlanStep => {
  const s = plan.steps.find((x) => x.number === n);
  if (!s) throw new Error(`no step ${n}`);
  return s;
};
const text = (s: PlanStep): string => [...s.current, ...s.changes, ...s.fixes].join('\n');

describe('planOnboarding', () => {
  it('a set-up tenant: nothing to change, every step in place', () => {
    const plan = planOnboarding(setUpState(), DESIRED);
    expect(plan.changeCount).toBe(0);
    expect(plan.attentionCount).toBe(0);
    expect(plan.steps.map((s) => [s.number, s.key, s.status])).toEqual([
      [1, 'entraGroup', 'ok'],
      [2, 'connector', 'ok'],
      [3, 'smartGroups', 'ok'],
      [4, 'jamfApps', 'ok'],
      [5, 'conditionalAccess', 'ok'],
    ]);
    expect(plan.steps.flatMap((s) => s.actions)).toEqual([]);
    expect(plan.groupLabel).toBe('Mac users');
  });

  it('a fresh tenant: create the group (assigned), assign the connector, create both smart groups', () => {
    const plan = planOnboarding(freshState(), DESIRED);
    expect(plan.changeCount).toBe(4);
    expect(stepOf(plan, 1).actions).toEqual([
      {
        kind: 'createGroup',
        group: expect.objectContaining({ displayName: 'Mac users', mailNickname: 'mac-users' }),
      },
    ]);
    expect(stepOf(plan, 1).actions[0]).not.toHaveProperty('group.membershipRule');
    expect(text(stepOf(plan, 1))).toContain('assigned membership');
    expect(stepOf(plan, 2).actions).toEqual([
      {
        kind: 'assignConnector',
        partnerId: PARTNER_ID,
        group: { id: null, displayName: 'Mac users' },
        removeAllUsers: false,
      },
    ]);
    expect(
      stepOf(plan, 3).actions.map((a) => a.kind === 'createSmartGroup' && [a.role, a.group.name]),
    ).toEqual([
      ['applicable', 'Jamf-Intune Applicable Group'],
      ['compliance', 'Jamf-Intune Compliance Group'],
    ]);
    expect(stepOf(plan, 3).status).toBe('change');
    // Company Portal is missing on 3 Macs: the fix says how to deploy it.
    expect(text(stepOf(plan, 4))).toContain('installed on 7 of 10 Macs');
    expect(text(stepOf(plan, 4))).toContain('Jamf App Catalog');
  });

  it('a rule makes the new group dynamic, with processing On', () => {
    const rule = '(user.department -eq "Sales")';
    const plan = planOnboarding(freshState({ target: { kind: 'name', value: 'Sales Macs', rule } }), DESIRED);
    const [action] = stepOf(plan, 1).actions;
    expect(action).toMatchObject({
      kind: 'createGroup',
      group: { displayName: 'Sales Macs', membershipRule: rule },
    });
    expect(text(stepOf(plan, 1))).toContain('dynamic security group');
    expect(text(stepOf(plan, 1))).toContain('processing On');
  });

  it('an object id that does not exist: step 1 needs you, step 2 waits for it, nothing is created', () => {
    const plan = planOnboarding(freshState({ target: { kind: 'id', value: GROUP_ID, rule: null } }), DESIRED);
    expect(stepOf(plan, 1).status).toBe('attention');
    expect(stepOf(plan, 1).actions).toEqual([]);
    expect(text(stepOf(plan, 1))).toContain(`No Entra group has the object id ${GROUP_ID}`);
    expect(stepOf(plan, 2).status).toBe('attention');
    expect(text(stepOf(plan, 2))).toContain('Fix step 1 first');
    expect(plan.changeCount).toBe(2); // the smart groups are independent of the group
  });

  it('an existing group by id is assigned with its id', () => {
    const plan = planOnboarding(
      freshState({ target: { kind: 'id', value: GROUP_ID, rule: null }, groups: [group()] }),
      DESIRED,
    );
    expect(stepOf(plan, 1).status).toBe('ok');
    expect(stepOf(plan, 2).actions[0]).toMatchObject({ group: { id: GROUP_ID, displayName: 'Mac users' } });
  });

  it('several groups with the name: asks for the object id, creates nothing', () => {
    const plan = planOnboarding(freshState({ groups: [group(), group({ id: OTHER_GROUP_ID })] }), DESIRED);
    expect(stepOf(plan, 1).status).toBe('attention');
    expect(text(stepOf(plan, 1))).toContain('2 Entra groups are called **Mac users**');
    expect(text(stepOf(plan, 1))).toContain(OTHER_GROUP_ID);
    expect(stepOf(plan, 2).actions).toEqual([]);
  });

  it('a group that is not security-enabled is not assigned', () => {
    const plan = planOnboarding(
      freshState({ groups: [group({ securityEnabled: false, groupTypes: ['Unified'], mailEnabled: true })] }),
      DESIRED,
    );
    expect(stepOf(plan, 1).status).toBe('attention');
    expect(text(stepOf(plan, 1))).toContain('not a security group');
    expect(stepOf(plan, 2).actions).toEqual([]);
  });

  it('a rule for an existing assigned group, a different rule, a paused rule: reported, never changed', () => {
    const assigned = planOnboarding(
      setUpState({ target: { kind: 'name', value: 'Mac users', rule: '(user.department -eq "X")' } }),
      DESIRED,
    );
    expect(stepOf(assigned, 1).status).toBe('attention');
    expect(text(stepOf(assigned, 1))).toContain('has assigned membership');
    const dyn = (over: Parameters<typeof group>[0]) =>
      group({
        groupTypes: ['DynamicMembership'],
        membershipRule: '(user.department -eq "Y")',
        membershipRuleProcessingState: 'On',
        ...over,
      });
    const differs = planOnboarding(
      setUpState({
        target: { kind: 'name', value: 'Mac users', rule: '(user.department -eq "X")' },
        groups: [dyn({})],
      }),
      DESIRED,
    );
    expect(text(stepOf(differs, 1))).toContain('Its rule differs');
    const same = planOnboarding(
      setUpState({
        target: { kind: 'name', value: 'Mac users', rule: '(user.department  -eq "Y")' },
        groups: [dyn({})],
      }),
      DESIRED,
    );
    expect(stepOf(same, 1).status).toBe('ok');
    const paused = planOnboarding(
      setUpState({ groups: [dyn({ membershipRuleProcessingState: 'Paused' })] }),
      DESIRED,
    );
    expect(stepOf(paused, 1).status).toBe('attention');
    expect(text(stepOf(paused, 1))).toContain('processing of **Mac users** is Paused');
    for (const p of [assigned, differs, paused]) expect(p.changeCount).toBe(0);
  });

  it('connector: adds the group beside the others; removes *all users* and says so', () => {
    const base = setUpState();
    const others = planOnboarding(
      setUpState({
        connector: {
          ...base.connector!,
          assignments: { macOs: [{ kind: 'group', groupId: OTHER_GROUP_ID }] },
        },
        groupNames: { [OTHER_GROUP_ID]: 'Pilot' },
      }),
      DESIRED,
    );
    expect(text(stepOf(others, 2))).toContain('assignment: **Pilot**');
    expect(stepOf(others, 2).actions[0]).toMatchObject({ group: { id: GROUP_ID }, removeAllUsers: false });
    expect(text(stepOf(others, 2))).toContain('keeping the groups already there');
    const all = planOnboarding(
      setUpState({
        connector: {
          ...base.connector!,
          assignments: {
            macOs: [
              { kind: 'group', groupId: GROUP_ID },
              { kind: 'allUsers', odataType: '#microsoft.graph.allLicensedUsersAssignmentTarget' },
            ],
          },
        },
      }),
      DESIRED,
    );
    expect(stepOf(all, 2).actions[0]).toMatchObject({ removeAllUsers: true });
    expect(text(stepOf(all, 2))).toContain('*all users*');
    expect(stepOf(all, 2).changes.join()).toContain('Remove the *all users* target');
    expect(stepOf(all, 2).changes.join()).not.toContain('Add ');
  });

  it('connector: missing partner, or not onboarded for macOS', () => {
    const none = planOnboarding(freshState({ connector: null }), DESIRED);
    expect(stepOf(none, 2).status).toBe('attention');
    expect(text(stepOf(none, 2))).toContain('Intune has no compliance partner for Jamf');
    expect(stepOf(none, 2).actions).toEqual([]);
    const base = freshState();
    const off = planOnboarding(
      freshState({ connector: { ...base.connector!, macOsOnboarded: false } }),
      DESIRED,
    );
    expect(stepOf(off, 2).status).toBe('change');
    expect(text(stepOf(off, 2))).toContain('not onboarded for macOS');
  });

  it('smart groups: one missing is created, drift is reported and never overwritten', () => {
    const s = setUpState();
    const drift = {
      ...smartGroup('compliance'),
      criteria: smartGroup('compliance').criteria.map((c) =>
        c.name === 'Last Inventory Update' ? { ...c, value: '7' } : c,
      ),
    };
    const plan = planOnboarding(
      setUpState({
        smartGroups: {
          applicable: { configured: s.smartGroups.applicable.configured, group: null },
          compliance: { configured: s.smartGroups.compliance.configured, group: drift },
        },
      }),
      DESIRED,
    );
    const step = stepOf(plan, 3);
    expect(step.actions).toHaveLength(1);
    expect(step.actions[0]).toMatchObject({ kind: 'createSmartGroup', role: 'applicable' });
    expect(step.status).toBe('change');
    expect(text(step)).toContain('less than x days ago 7');
    expect(text(step)).toContain('I do not change an existing smart group');
  });

  it('smart groups configured by an id Jamf Pro does not have: cannot be created, says which setting', () => {
    const plan = planOnboarding(
      freshState({
        smartGroups: {
          applicable: { configured: '42', group: null },
          compliance: { configured: 'Jamf-Intune Compliance Group', group: smartGroup('compliance') },
        },
      }),
      DESIRED,
    );
    expect(stepOf(plan, 3).status).toBe('attention');
    expect(stepOf(plan, 3).actions).toEqual([]);
    expect(text(stepOf(plan, 3))).toContain('APPLICABLE_GROUP');
  });

  it('Jamf inventory unreadable, or no required app: step 4 says so', () => {
    expect(text(stepOf(planOnboarding(setUpState({ companyPortal: null }), DESIRED), 4))).toContain(
      'could not read the Jamf inventory',
    );
    const noApp = planOnboarding(setUpState(), { ...DESIRED, requiredApp: null });
    expect(text(stepOf(noApp, 4))).toContain('No required app is configured');
    // Honest about what the API cannot read, always.
    expect(text(stepOf(noApp, 4))).toContain('Jamf Pro’s API does not show');
    expect(text(stepOf(noApp, 4))).toContain('Register computers with Microsoft Entra ID');
  });

  describe('step 4: the Self Service registration policy (Classic API)', () => {
    const planWith = (
      policy: Partial<RegistrationPolicyFacts> | null,
      expectedName = 'Register with Microsoft Entra ID',
    ) =>
      stepOf(
        planOnboarding(
          setUpState({
            registrationPolicy: { expectedName, policy: policy === null ? null : registrationPolicy(policy) },
          }),
          DESIRED,
        ),
        4,
      );

    it('in place: enabled, scoped to Applicable, in Self Service under the name users are told', () => {
      const s = planWith({});
      expect(s.status).toBe('ok');
      expect(text(s)).toContain('Policy “Register with Microsoft Entra ID” (id 1): enabled, scoped to');
      expect(s.fixes).toEqual([]);
    });

    it('scoped to all computers is in scope too', () => {
      expect(planWith({ allComputers: true, groups: [] }).status).toBe('ok');
    });

    it('each thing wrong gets its own fix; Apply does not touch policies', () => {
      const s = planWith({ enabled: false, groups: [{ id: '9', name: 'Lab Macs' }], inSelfService: false });
      expect(s.status).toBe('attention');
      expect(s.actions).toEqual([]);
      expect(s.fixes.join('\n')).toMatch(/Enable it/);
      expect(s.fixes.join('\n')).toMatch(/Scope it to \*\*Jamf-Intune Applicable Group\*\*/);
      expect(s.fixes.join('\n')).toMatch(/Make it available in Self Service/);
    });

    it('a Self Service name other than the one users are told to look for is flagged', () => {
      const s = planWith({ selfServiceName: 'Connect to Entra' });
      expect(s.status).toBe('attention');
      expect(s.fixes.join('\n')).toContain('SELF_SERVICE_POLICY_NAME');
    });

    it('no such policy: how to create it', () => {
      const s = planWith(null);
      expect(s.status).toBe('attention');
      expect(s.fixes.join('\n')).toContain('Create it: Jamf Pro › Computers › Policies › New');
    });

    it('policies unreadable (no Read Policies privilege): checked by hand', () => {
      const s = stepOf(planOnboarding(setUpState({ registrationPolicy: null }), DESIRED), 4);
      expect(s.status).toBe('manual');
      expect(text(s)).toContain('Read Policies');
    });
  });

  it('Conditional Access: a blocking policy needs you; no policy is fine but said; a missing app is flagged', () => {
    const blocking = planOnboarding(
      setUpState({
        ca: auditConditionalAccess([{ ...COMPLIANT_MAC_POLICY, excludeApplications: [] }], {
          registrationAppId: REG_APP,
          registrationAppFound: true,
        }),
      }),
      DESIRED,
    );
    expect(stepOf(blocking, 5).status).toBe('attention');
    expect(text(stepOf(blocking, 5))).toContain('1 blocks Macs now');
    expect(text(stepOf(blocking, 5))).toContain('❌ **Require compliant device – Macs**');
    expect(blocking.attentionCount).toBe(1);
    expect(blocking.changeCount).toBe(0);
    const none = planOnboarding(
      setUpState({
        ca: auditConditionalAccess([], { registrationAppId: REG_APP, registrationAppFound: true }),
      }),
      DESIRED,
    );
    expect(stepOf(none, 5).status).toBe('ok');
    expect(text(stepOf(none, 5))).toContain('No Conditional Access policy requires a compliant device');
    const noApp = planOnboarding(
      setUpState({
        ca: auditConditionalAccess([COMPLIANT_MAC_POLICY], {
          registrationAppId: REG_APP,
          registrationAppFound: false,
        }),
      }),
      DESIRED,
    );
    expect(stepOf(noApp, 5).status).toBe('attention');
    expect(text(stepOf(noApp, 5))).toContain('REGISTRATION_APP_ID');
  });

  it('names a person typed are escaped for the card’s markdown', () => {
    const plan = planOnboarding(
      freshState({ target: { kind: 'name', value: 'Macs *[x](y)*', rule: null } }),
      DESIRED,
    );
    expect(text(stepOf(plan, 1))).toContain('Macs \\*\\[x\\]\\(y\\)\\*');
    // …but the write carries the name as typed.
    expect(stepOf(plan, 1).actions[0]).toMatchObject({ group: { displayName: 'Macs *[x](y)*' } });
  });

  it('is a pure function: same input, same plan; the input is not changed', () => {
    const s = freshState();
    const before = JSON.stringify(s);
    expect(planOnboarding(s, DESIRED)).toEqual(planOnboarding(s, DESIRED));
    expect(JSON.stringify(s)).toBe(before);
  });
});

describe('desiredSmartGroups and criteria comparison', () => {
  it('the seed’s example by default', () => {
    const d = desiredSmartGroups(DEFAULT_CRITERIA);
    expect(describeCriteria(d.applicable.criteria)).toBe('Application Title is CompanyPortal.app');
    expect(describeCriteria(d.compliance.criteria)).toBe(
      'Last Inventory Update less than x days ago 2 and Application Title is CompanyPortal.app and FileVault 2 Partition Encryption State is All Partitions Encrypted',
    );
  });

  it('follows the configuration: no app, no FileVault, another age', () => {
    const d = desiredSmartGroups({
      ...DEFAULT_CRITERIA,
      requiredApp: null,
      requiredFileVault: null,
      inventoryMaxAgeDays: 5,
    });
    expect(d.applicable.criteria).toEqual([]);
    expect(describeCriteria(d.compliance.criteria)).toBe('Last Inventory Update less than x days ago 5');
    expect(describeCriteria([])).toBe('no criteria (every computer)');
  });

  it('ignores case, spaces, `.app` and order of plain `and` criteria; not `or` or parentheses', () => {
    const want = DESIRED.smartGroups.compliance.criteria;
    const actual = smartGroup('compliance').criteria;
    expect(criteriaMatch(actual, want)).toBe(true);
    expect(
      criteriaMatch(
        [...actual].reverse().map((c, i) => ({ ...c, priority: i })),
        want,
      ),
    ).toBe(true);
    expect(
      criteriaMatch(
        actual.map((c) => (c.name === 'Application Title' ? { ...c, value: 'Company Portal.app' } : c)),
        want,
      ),
    ).toBe(true);
    expect(criteriaMatch(actual.slice(1), want)).toBe(false);
    expect(
      criteriaMatch(
        actual.map((c, i) => (i === 1 ? { ...c, andOr: 'or' as const } : c)),
        want,
      ),
    ).toBe(false);
    expect(
      criteriaMatch(
        actual.map((c, i) => (i === 0 ? { ...c, openingParen: true } : c)),
        want,
      ),
    ).toBe(false);
    expect(
      describeCriteria(
        actual.map((c, i) =>
          i === 1 ? { ...c, andOr: 'or' as const, openingParen: true, closingParen: true } : c,
        ),
      ),
    ).toContain('or (Application Title is CompanyPortal.app)');
  });
});

describe('mailNicknameFor', () => {
  it.each([
    ['Mac users', 'mac-users'],
    ['Ventes – Macs (FR) été', 'ventes-macs-fr-ete'],
    ['a@b;c:d<e>f,g"h[i]j\\k', 'a-b-c-d-e-f-g-h-i-j-k'],
    ['日本語', 'jamf-compliance-users'],
    ['x'.repeat(100), 'x'.repeat(64)],
  ])('%s → %s', (name, nick) => {
    const n = mailNicknameFor(name);
    expect(n).toBe(nick);
    expect(n).toMatch(/^[\x21-\x7e]{1,64}$/);
  });
});
