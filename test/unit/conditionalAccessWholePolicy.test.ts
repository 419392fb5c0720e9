import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { auditConditionalAccess, type CaPolicyFinding } from '../../src/compliance/auditConditionalAccess';
import { evaluateDeviceRule, filterSpares } from '../../src/compliance/deviceFilterScope';
import { toConditionalAccessPolicy } from '../../src/upstream/graph/graphMappers';
import { checkAgainstCsdl } from '../helpers/csdl';

/**
 * Conditional Access judged on the whole policy: real-shaped `conditionalAccessPolicy` payloads
 * (test/fixtures/conditionalAccess, valid against the v1.0 CSDL) through the Graph mapper and
 * the audit. Each case names what the judgement before read wrongly.
 */
const DIR = path.join(__dirname, '..', 'fixtures', 'conditionalAccess');
const REG = 'b03c10a8-71c7-45f9-b44a-3335ab76e970';
const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(DIR, `${name}.json`), 'utf8'));
const judge = (name: string): CaPolicyFinding => {
  const audit = auditConditionalAccess([toConditionalAccessPolicy(fixture(name))], {
    registrationAppId: REG,
    registrationAppFound: true,
  });
  return audit.findings[0]!;
};
const problems = (f: CaPolicyFinding) => f.problems.map((p) => `${p.code}:${p.level}`);

describe('Conditional Access fixtures', () => {
  it.each(readdirSync(DIR).filter((f) => f.endsWith('.json')))('%s fits the v1.0 CSDL', (file) => {
    expect(checkAgainstCsdl('conditionalAccessPolicy', fixture(file.replace(/\.json$/, '')))).toEqual([]);
  });
});

describe('Conditional Access judged on the whole policy', () => {
  it('a platform condition that leaves out macOS is not a blocker', () => {
    const f = judge('platforms-exclude-macos');
    expect(f.appliesToMacs).toBe(false);
    expect(f.exclusion).toBe('not_needed');
    expect(problems(f)).toEqual([]);
    expect(f.spares).toContain('its device platforms leave out macOS');
  });

  it('a device filter that includes only Windows spares Macs and their registration (was: blocker)', () => {
    const f = judge('device-filter-windows-only');
    expect(f.appliesToMacs).toBe(false);
    expect(f.exclusion).toBe('not_needed');
    expect(problems(f)).toEqual([]);
  });

  it('a device filter that excludes macOS spares registered Macs, not the Mac signing in to register (was: also "Macs cannot satisfy")', () => {
    const f = judge('device-filter-exclude-macos');
    expect(f.appliesToMacs).toBe(false);
    expect(problems(f)).toEqual(['missing_registration_exclusion:problem']);
    expect(f.problems[0]!.detail).toMatch(/has no device object yet/);
  });

  it('a policy for legacy clients only never sees a Mac’s sign-in (was: blocker)', () => {
    const f = judge('legacy-clients-only');
    expect(f.exclusion).toBe('not_needed');
    expect(problems(f)).toEqual([]);
    expect(f.spares).toEqual(['it applies only to exchangeActiveSync, other clients']);
  });

  it('an authentication strength as the other way through (OR) makes the missing exclusion a warning (was: problem)', () => {
    const f = judge('compliant-or-auth-strength');
    expect(f.controls).toEqual(['compliantDevice', 'authenticationStrength (Phishing-resistant MFA)']);
    expect(problems(f)).toEqual(['missing_registration_exclusion:warning']);
    expect(f.problems[0]!.detail).toMatch(/Phishing-resistant MFA/);
  });

  it('requiring compliance for the registration app itself is a blocker', () => {
    const f = judge('registration-app-included');
    expect(f.targetsAllResources).toBe(false);
    expect(f.exclusion).toBe('missing');
    expect(problems(f)).toEqual(['missing_registration_exclusion:problem']);
  });

  it('a policy for directory roles only still blocks, and says whom', () => {
    const f = judge('admin-roles-only');
    expect(problems(f)).toEqual(['missing_registration_exclusion:problem']);
    expect(f.problems[0]!.detail).toMatch(/only for users holding one of its 1 directory role\b/);
  });

  it('a policy that includes no users is not a blocker (was: blocker)', () => {
    const f = judge('include-users-none');
    expect(problems(f)).toEqual([]);
    expect(f.spares).toContain('it includes no users');
  });

  it('the mapper keeps the device filter, client app types, roles and authentication strength', () => {
    expect(toConditionalAccessPolicy(fixture('device-filter-windows-only')).deviceFilter).toEqual({
      mode: 'include',
      rule: 'device.operatingSystem -eq "Windows"',
    });
    const roles = toConditionalAccessPolicy(fixture('admin-roles-only'));
    expect(roles.includeRoles).toEqual(['62e90394-69f5-4237-9190-012177145e10']);
    expect(toConditionalAccessPolicy(fixture('legacy-clients-only')).clientAppTypes).toEqual([
      'exchangeActiveSync',
      'other',
    ]);
    expect(toConditionalAccessPolicy(fixture('compliant-or-auth-strength')).authenticationStrength).toBe(
      'Phishing-resistant MFA',
    );
  });
});

describe('device filter rules, read conservatively', () => {
  const mac = { operatingsystem: 'macOS' };
  it.each<[string, Record<string, string> | 'unregistered', boolean | undefined]>([
    ['device.operatingSystem -eq "macOS"', mac, true],
    ["device.operatingSystem -eq 'MACOS'", mac, true],
    ['device.operatingSystem -ne "macOS"', mac, false],
    ['device.operatingSystem -in ["Windows", "macOS"]', mac, true],
    ['device.operatingSystem -startsWith "Win"', mac, false],
    ['device.operatingSystem -eq "Windows" -or device.operatingSystem -eq "macOS"', mac, true],
    ['(device.operatingSystem -eq "macOS") -and device.isCompliant -eq True', mac, undefined],
    ['device.operatingSystem -eq "Windows" -and device.isCompliant -eq True', mac, false],
    ['device.operatingSystem -eq "macOS"', 'unregistered', false],
    ['device.operatingSystem -ne "Windows"', 'unregistered', true],
    ['device.extensionAttribute1 -match "^SAW"', mac, undefined],
    ['device.operatingSystem -eq', mac, undefined],
    ['not a rule at all', mac, undefined],
    // -and and -or mixed without brackets: not read under a guessed precedence.
    ['device.model -ne "x" -or device.model -eq "a" -and device.model -eq "b"', 'unregistered', undefined],
    [
      'device.operatingSystem -eq "macOS" -or device.operatingSystem -eq "Windows" -and device.model -eq "b"',
      mac,
      undefined,
    ],
    ['(device.model -ne "x" -or device.model -eq "a") -and device.model -eq "b"', 'unregistered', false],
  ])('%s → %s', (rule, device, want) => {
    expect(evaluateDeviceRule(rule, device)).toBe(want);
  });

  it('spares only when the rule decides it; an unreadable rule spares nothing', () => {
    expect(filterSpares({ mode: 'exclude', rule: 'device.operatingSystem -eq "macOS"' }, mac)).toBe(true);
    expect(
      filterSpares({ mode: 'exclude', rule: 'device.operatingSystem -eq "macOS"' }, 'unregistered'),
    ).toBe(false);
    expect(
      filterSpares({ mode: 'include', rule: 'device.operatingSystem -eq "Windows"' }, 'unregistered'),
    ).toBe(true);
    expect(filterSpares({ mode: 'exclude', rule: '((broken' }, mac)).toBe(false);
    expect(filterSpares(null, mac)).toBe(false);
    expect(
      filterSpares(
        { mode: 'include', rule: 'device.model -ne "x" -or device.model -eq "a" -and device.model -eq "b"' },
        'unregistered',
      ),
    ).toBe(false);
  });
});
