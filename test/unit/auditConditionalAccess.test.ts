import { auditConditionalAccess, type CaPolicyFacts } from '../../src/compliance/auditConditionalAccess';

const REG = 'b03c10a8-71c7-45f9-b44a-3335ab76e970';
const OPTS = { registrationAppId: REG, registrationAppFound: true };

function policy(over: Partial<CaPolicyFacts> = {}): CaPolicyFacts {
  return {
    id: 'p1',
    displayName: 'Require compliant device',
    state: 'enabled',
    includeApplications: ['All'],
    excludeApplications: [REG],
    includePlatforms: [],
    excludePlatforms: [],
    grantOperator: 'OR',
    builtInControls: ['compliantDevice'],
    ...over,
  };
}

const one = (over: Partial<CaPolicyFacts>, opts = OPTS) =>
  auditConditionalAccess([policy(over)], opts).findings[0]!;

describe('auditConditionalAccess', () => {
  it('keeps only policies that require a compliant or hybrid-joined device', () => {
    const audit = auditConditionalAccess(
      [
        policy({ id: 'mfa', builtInControls: ['mfa'] }),
        policy({ id: 'block', builtInControls: ['block'] }),
        policy({ id: 'none', grantOperator: null, builtInControls: [] }),
        policy({ id: 'c' }),
        policy({ id: 'h', builtInControls: ['domainJoinedDevice', 'compliantDevice'] }),
      ],
      OPTS,
    );
    expect(audit.findings.map((f) => f.id).sort()).toEqual(['c', 'h']);
    expect(audit.counts.relevant).toBe(2);
  });

  it('passes an enforced policy that excludes the registration app (any case)', () => {
    const f = one({ excludeApplications: [REG.toUpperCase()] });
    expect(f).toMatchObject({
      stateLabel: 'On',
      exclusion: 'excluded',
      problems: [],
      targetsAllResources: true,
    });
    expect(f.deviceControls).toEqual(['compliantDevice']);
  });

  it('flags a missing exclusion on an enforced policy as a problem, with where to add it', () => {
    const f = one({ excludeApplications: [] });
    expect(f.exclusion).toBe('missing');
    expect(f.problems).toEqual([
      expect.objectContaining({ code: 'missing_registration_exclusion', level: 'problem' }),
    ]);
    expect(f.problems[0]!.detail).toContain('blocks Macs from registering');
    expect(f.problems[0]!.fix).toContain('Require compliant device › Target resources › Exclude');
    expect(f.problems[0]!.fix).toContain(REG);
  });

  it('shows report-only as such: a missing exclusion is a warning that it would block once on', () => {
    const f = one({ state: 'enabledForReportingButNotEnforced', excludeApplications: [] });
    expect(f.stateLabel).toBe('Report-only');
    expect(f.problems[0]).toMatchObject({ level: 'warning' });
    expect(f.problems[0]!.detail).toContain('would block, once it is turned on,');
  });

  it('notes a missing exclusion on a disabled policy', () => {
    const f = one({ state: 'disabled', excludeApplications: [] });
    expect(f.stateLabel).toBe('Off');
    expect(f.problems[0]).toMatchObject({ level: 'note' });
  });

  it('treats the exclusion as not needed when the policy does not cover the registration sign-in', () => {
    expect(one({ includeApplications: ['Office365'], excludeApplications: [] })).toMatchObject({
      exclusion: 'not_needed',
      problems: [],
      targetsAllResources: false,
    });
    expect(one({ includePlatforms: ['windows', 'iOS'], excludeApplications: [] })).toMatchObject({
      exclusion: 'not_needed',
      appliesToMacs: false,
    });
    expect(
      one({ includePlatforms: ['all'], excludePlatforms: ['macOS'], excludeApplications: [] }),
    ).toMatchObject({
      exclusion: 'not_needed',
      appliesToMacs: false,
    });
  });

  it('needs the exclusion when the policy names macOS or all platforms, or the registration app itself', () => {
    expect(one({ includePlatforms: ['macOS'], excludeApplications: [] }).exclusion).toBe('missing');
    expect(one({ includePlatforms: ['all'], excludeApplications: [] }).exclusion).toBe('missing');
    expect(one({ includeApplications: [REG], excludeApplications: [] }).exclusion).toBe('missing');
  });

  it('downgrades a missing exclusion to a warning when another control (MFA) lets users through', () => {
    const f = one({ builtInControls: ['compliantDevice', 'mfa'], excludeApplications: [] });
    expect(f.problems[0]).toMatchObject({ code: 'missing_registration_exclusion', level: 'warning' });
    expect(f.problems[0]!.detail).toContain('users can still pass with mfa');
    // With AND both are needed: still blocking.
    const and = one({
      grantOperator: 'AND',
      builtInControls: ['compliantDevice', 'mfa'],
      excludeApplications: [],
    });
    expect(and.problems[0]!.level).toBe('problem');
  });

  it('flags a policy a Mac can never satisfy: hybrid join only, or hybrid join AND compliant', () => {
    for (const p of [
      { builtInControls: ['domainJoinedDevice'] },
      { grantOperator: 'AND', builtInControls: ['compliantDevice', 'domainJoinedDevice'] },
    ]) {
      const f = one(p);
      expect(f.problems).toEqual([
        expect.objectContaining({ code: 'macs_cannot_satisfy', level: 'problem' }),
      ]);
      expect(f.problems[0]!.fix).toContain('Require device to be marked as compliant');
    }
    expect(one({ builtInControls: ['domainJoinedDevice', 'compliantDevice'] }).problems).toEqual([]);
    expect(one({ builtInControls: ['domainJoinedDevice'], excludePlatforms: ['macOS'] }).problems).toEqual(
      [],
    );
  });

  it('orders problems first, then warnings, enforced before report-only, and counts them', () => {
    const audit = auditConditionalAccess(
      [
        policy({ id: 'ok', displayName: 'A ok' }),
        policy({
          id: 'ro',
          displayName: 'B report-only',
          state: 'enabledForReportingButNotEnforced',
          excludeApplications: [],
        }),
        policy({ id: 'bad', displayName: 'C enforced', excludeApplications: [] }),
        policy({ id: 'off', displayName: 'D off', state: 'disabled' }),
      ],
      OPTS,
    );
    expect(audit.findings.map((f) => f.id)).toEqual(['bad', 'ro', 'ok', 'off']);
    expect(audit.counts).toEqual({
      relevant: 4,
      on: 2,
      reportOnly: 1,
      off: 1,
      missingExclusion: 2,
      blocking: 1,
    });
  });

  it('mentions the baseline-scopes risk, unconfirmed, naming the active All-resources policies', () => {
    const audit = auditConditionalAccess(
      [
        policy({ displayName: 'All apps' }),
        policy({ id: 'o', displayName: 'Office only', includeApplications: ['Office365'] }),
        policy({ id: 'd', displayName: 'Off all', state: 'disabled' }),
      ],
      OPTS,
    );
    expect(audit.caveat).toMatch(/^Unconfirmed report/);
    expect(audit.caveat).toContain('530003');
    expect(audit.caveat).toContain('All apps');
    expect(audit.caveat).not.toContain('Office only');
    expect(audit.caveat).not.toContain('Off all');
    expect(auditConditionalAccess([policy({ includeApplications: ['Office365'] })], OPTS).caveat).toBeNull();
  });

  it('says when no policy requires a compliant device', () => {
    const audit = auditConditionalAccess([policy({ builtInControls: ['mfa'] })], OPTS);
    expect(audit.findings).toEqual([]);
    expect(audit.notes).toEqual([expect.objectContaining({ level: 'note' })]);
    expect(audit.notes[0]!.text).toContain('not enforced anywhere');
    expect(audit.caveat).toBeNull();
  });

  it('warns when the registration app id is not in the tenant, pointing at REGISTRATION_APP_ID', () => {
    const audit = auditConditionalAccess([policy()], { registrationAppId: REG, registrationAppFound: false });
    expect(audit.notes).toEqual([expect.objectContaining({ level: 'warning' })]);
    expect(audit.notes[0]!.text).toContain('REGISTRATION_APP_ID');
    expect(auditConditionalAccess([policy()], { registrationAppId: REG }).notes).toEqual([]);
  });

  it('reads an unknown state as off rather than enforced', () => {
    expect(one({ state: 'somethingNew', excludeApplications: [] }).problems[0]!.level).toBe('note');
  });
});
