import fc from 'fast-check';
import { UserInputError } from '../../src/errors';
import { MAX_RULE_LENGTH, parseOnboardArgs } from '../../src/compliance/parseOnboardArgs';

const GUID = '0D6E1F2A-0000-4000-9000-000000000041';
const refused = (args: string): string => {
  try {
    parseOnboardArgs(args);
  } catch (e) {
    expect(e).toBeInstanceOf(UserInputError);
    return (e as Error).message;
  }
  throw new Error(`accepted: ${args}`);
};

describe('parseOnboardArgs', () => {
  it.each([
    ['Mac users', { kind: 'name', value: 'Mac users', rule: null }],
    ['  Mac users  ', { kind: 'name', value: 'Mac users', rule: null }],
    ['"Mac users"', { kind: 'name', value: 'Mac users', rule: null }],
    ['“Mac users”', { kind: 'name', value: 'Mac users', rule: null }],
    ['O’Brien’s Macs', { kind: 'name', value: 'O’Brien’s Macs', rule: null }],
    ['Rule breakers', { kind: 'name', value: 'Rule breakers', rule: null }],
    ['Mac users --dry-run', { kind: 'name', value: 'Mac users', rule: null }],
    ['--DRYRUN "Mac users"', { kind: 'name', value: 'Mac users', rule: null }],
    ['Mac-users - Paris', { kind: 'name', value: 'Mac-users - Paris', rule: null }],
    ['Macs -Paris', { kind: 'name', value: 'Macs -Paris', rule: null }],
    [
      'Mac users --dry-run rule "(user.x -eq "--force")"',
      { kind: 'name', value: 'Mac users', rule: '(user.x -eq "--force")' },
    ],
    [GUID, { kind: 'id', value: GUID.toLowerCase(), rule: null }],
    [`"${GUID}"`, { kind: 'id', value: GUID.toLowerCase(), rule: null }],
    [
      'Mac users rule "(user.department -eq "Sales")"',
      { kind: 'name', value: 'Mac users', rule: '(user.department -eq "Sales")' },
    ],
    [
      '"Mac users" RULE “(user.department -eq “Sales”) and (user.accountEnabled -eq true)”',
      {
        kind: 'name',
        value: 'Mac users',
        rule: '(user.department -eq "Sales") and (user.accountEnabled -eq true)',
      },
    ],
    [
      'Mac users rule "(user.companyName -eq \'O’Brien Ltd\')"',
      { kind: 'name', value: 'Mac users', rule: "(user.companyName -eq 'O’Brien Ltd')" },
    ],
  ])('%s', (args, want) => {
    expect(parseOnboardArgs(args)).toEqual(want);
  });

  it('refuses what it cannot read, saying what to type', () => {
    expect(refused('')).toContain('which Entra user group');
    expect(refused('   ')).toContain('which Entra user group');
    expect(refused('"Mac users')).toContain('never closed');
    expect(refused('Mac users"')).toContain('never opened');
    expect(refused('Mac users rule "(user.department -eq "Sales")')).toContain(
      'must end with its closing quote',
    );
    expect(refused('Mac users rule "(user.department -eq Sales)')).toContain('never closed');
    expect(refused('Mac users rule ""')).toContain('The rule is empty');
    expect(refused('Mac users rule "   "')).toContain('The rule is empty');
    expect(refused('Mac users rule (user.department -eq "Sales")')).toContain(
      'Put the membership rule in quotes',
    );
    expect(refused(`Mac users rule "${'x'.repeat(MAX_RULE_LENGTH + 1)}"`)).toContain('at most 3,072');
    expect(refused('x'.repeat(257))).toContain('at most 256');
    expect(refused(`${GUID} rule "(user.x -eq 1)"`)).toContain('by name, not by object id');
    expect(refused('rule "(user.x -eq 1)"')).toContain('which Entra user group');
    expect(refused('"Mac users" rule')).toContain('The rule is missing');
    expect(refused('Mac users RULE')).toContain('The rule is missing');
    expect(refused('Mac users --force')).toContain("I don't know the option --force");
    expect(refused('--dry-run')).toContain('which Entra user group');
  });

  it('a rule of exactly 3072 characters is accepted', () => {
    const rule = `(user.department -eq "${'x'.repeat(MAX_RULE_LENGTH - 24)}")`;
    expect(rule).toHaveLength(MAX_RULE_LENGTH);
    expect(parseOnboardArgs(`Mac users rule "${rule}"`).rule).toBe(rule);
  });

  it('never throws anything but a UserInputError, whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        try {
          const t = parseOnboardArgs(s);
          expect(t.value.trim()).not.toBe('');
        } catch (e) {
          expect(e).toBeInstanceOf(UserInputError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
